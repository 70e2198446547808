/*
 * engine.c - runs a plan through a backend.
 *
 * Each migration runs in its own transaction together with its history
 * row, so it is applied entirely or not at all.  A transaction=off section
 * cannot be: it runs statement by statement (split by sqlsplit.c), and its
 * history row, committed before the first statement, counts the statements
 * done and keeps the error, so that a failure or a crash leaves it
 * interrupted at a known statement for repair --resume.  Every piece of
 * SQL, bookkeeping included, comes from the backend's render method, so a
 * printed script is exactly what a live run executes.
 *
 * Backends without a session lock serialise migrators with their BEGIN;
 * the engine then re-checks history inside each migration's transaction
 * and skips a step another process has already done.  With a session lock
 * a transactional step is one script, one round trip (run_joined).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "godwit-int.h"

typedef struct runner {
    godwit *g;
    godwit_session *s;      /* the backend it is for */
    const godwit_sink *out; /* where the SQL goes: run, or printed */
    godwit_buf sql;
    godwit_buf joined; /* a whole step's script, for run_joined */
    int recheck;       /* no session lock: re-check history in each step */
    int join;          /* a session lock: transactional steps in one trip */
    int ddl_undone;    /* GODWIT_CAP_TRANSACTIONAL_DDL: a rollback undoes
                          CREATE, ALTER, DROP */
    unsigned dialect;  /* the backend's GODWIT_DIALECT_* */
} runner;

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Elapsed milliseconds since t0; 0 while printing a script, where
 * nothing runs. */
static long since(const runner *r, long t0)
{
    return GODWIT_SINK_LIVE(r->out) ? now_ms() - t0 : 0;
}

/* Renders one piece of bookkeeping SQL into r->sql (reset first): once
 * into what room there is, again if the backend said it needs more.  A
 * failure is reported in be, as the backend's own would be. */
static int render_sql(runner *r, godwit_sql what, const godwit_history_row *row,
                      godwit_berror *be)
{
    godwit_buf *out = &r->sql;
    int n = GODWIT_ENOMEM;

    if (godwit__buf_grow(out, 256) == 0) {
        out->len = 0;
        n = godwit__session_render(r->s, what, row, out->ptr, out->cap);
        if (n >= 0 && (size_t)n >= out->cap)
            n = godwit__buf_grow(out, (size_t)n) < 0
                    ? GODWIT_ENOMEM
                    : godwit__session_render(r->s, what, row, out->ptr,
                                             out->cap);
    }
    if (n >= 0 && (size_t)n < out->cap) {
        out->len = (size_t)n;
        return 0;
    }
    be->code = n == GODWIT_ENOMEM ? n : GODWIT_ERROR;
    if (n == GODWIT_ENOMEM)
        snprintf(be->message, sizeof(be->message), "out of memory");
    else
        snprintf(be->message, sizeof(be->message),
                 "backend %s cannot render SQL for step %d",
                 godwit__session_backend(r->s), (int)what);
    return be->code;
}

/* Renders and runs one piece of bookkeeping SQL.  A cancel request that
 * godwit_interrupt() sent for a migration's statement can reach the
 * server after that statement ended and cancel the bookkeeping after it
 * (SQLSTATE 57014, query_canceled): that is run once more, so that
 * history keeps up with what was done. */
static int exec_sql(runner *r, godwit_sql what, const godwit_history_row *row,
                    godwit_berror *be)
{
    int rc = render_sql(r, what, row, be);

    if (rc == 0 &&
        (rc = godwit__sink_exec(r->out, r->sql.ptr, r->sql.len,
                                GODWIT_SINK_RENDERED, be)) < 0 &&
        godwit__interrupted(r->g) && strcmp(be->sqlstate, "57014") == 0) {
        godwit__berror_init(be);
        rc = godwit__sink_exec(r->out, r->sql.ptr, r->sql.len,
                               GODWIT_SINK_RENDERED, be);
    }
    return rc;
}

/* Renders one piece of bookkeeping SQL onto the end of r->joined. */
static int join_sql(runner *r, godwit_sql what, const godwit_history_row *row,
                    godwit_berror *be)
{
    int rc = render_sql(r, what, row, be);

    if (rc == 0 && godwit__buf_put(&r->joined, r->sql.ptr, r->sql.len) < 0) {
        snprintf(be->message, sizeof(be->message), "out of memory");
        rc = be->code = GODWIT_ENOMEM;
    }
    return rc;
}

/* A transactional section: the whole body in one call, one round trip
 * where the backend can. */
static int run_body(runner *r, const godwit_migration *m,
                    const godwit_section *s, godwit_berror *be)
{
    return godwit__sink_exec(r->out, m->text + s->start, s->end - s->start,
                             GODWIT_SINK_BODY, be);
}

/* The statement of body that contains offset off. */
static godwit_span statement_at(unsigned dialect, const char *body, size_t len,
                                size_t off)
{
    godwit_span st, found = {off, off};
    const char *why;
    size_t pos = 0;

    while (godwit__sql_next(dialect, body, len, &pos, &st, &why) == 1 &&
           st.start <= off)
        found = st;
    return found;
}

/* Where in the body the error is: the backend's offset, else the start
 * of the statement it names by index, else the body's start. */
static size_t error_offset(unsigned dialect, const char *body, size_t len,
                           const godwit_berror *be)
{
    godwit_span st;
    const char *why;
    size_t pos = 0;
    long i;

    if (be->offset >= 0 && (size_t)be->offset <= len)
        return (size_t)be->offset;
    for (i = 0; godwit__sql_next(dialect, body, len, &pos, &st, &why) == 1; i++)
        if (i == be->statement)
            return st.start;
    return 0;
}

/* How a step failed, for fail() and body_error(). */
enum {
    IN_BOOKKEEPING = 0, /* history or transaction control */
    IN_BODY,            /* the section's SQL */
    IN_FIRST            /* transaction=off: its first statement; nothing ran */
};

/* Whether section s runs in one transaction that a rollback undoes.  On
 * a database whose DDL commits by itself (no GODWIT_CAP_TRANSACTIONAL_DDL)
 * no section does: each runs statement by statement with its progress in
 * history, as transaction=off, so that a failure is reported as what it
 * is, some statements done, and can be resumed. */
static int undoable(const runner *r, const godwit_section *s)
{
    return s->transactional && r->ddl_undone;
}

/* Why a section runs statement by statement, for messages. */
static const char *stepwise_why(const godwit_section *s)
{
    return s->transactional ? "statement by statement (this database cannot "
                              "roll back DDL)"
                            : "transaction=off";
}

/* What state a failed step leaves behind, for its message. */
static const char *aftermath(const runner *r, const godwit_section *s, int how,
                             int up, int locked, char *buf, size_t cap)
{
    if (locked && undoable(r, s))
        return "the migration was rolled back and is not applied; run it "
               "again once that session is done, or retry automatically "
               "with --lock-retries";
    if (undoable(r, s))
        return "the migration was rolled back and is not applied";
    if (how == IN_FIRST)
        snprintf(buf, cap, "%s: nothing of it ran, the migration %s",
                 stepwise_why(s), up ? "is not applied" : "stays applied");
    else
        snprintf(buf, cap,
                 "%s: the statements before this one stay done and the "
                 "migration is recorded as interrupted; fix the cause, then "
                 "run godwit repair --resume",
                 stepwise_why(s));
    return buf;
}

/* Reports a failure inside a section as file:line:col. */
static int body_error(runner *r, const godwit_migration *m,
                      const godwit_section *s, const godwit_berror *be, int up,
                      int how)
{
    size_t len = s->end - s->start;
    size_t off = error_offset(r->dialect, m->text + s->start, len, be);
    godwit_span st = statement_at(r->dialect, m->text + s->start, len, off);
    char first[84], after[320];
    int locked = be->code == GODWIT_ELOCKED;
    unsigned line, col;

    godwit__text_pos(m->text, s->start + off, &line, &col);
    godwit__text_line(m->text + s->start + st.start, len - st.start, first, 80);
    godwit__err_at(&r->g->err, locked ? GODWIT_ELOCKED : GODWIT_ERROR, m->path,
                   line, col, "%s failed: %s%s%s%s%s (in \"%s\"); %s",
                   up ? "up" : "down", be->message, godwit__berror_cut(be),
                   be->sqlstate[0] ? " (SQLSTATE " : "", be->sqlstate,
                   be->sqlstate[0] ? ")" : "", first,
                   aftermath(r, s, how, up, locked, after, sizeof(after)));
    godwit__err_sqlstate(&r->g->err, be->sqlstate);
    return r->g->err.code;
}

static int bookkeeping_error(runner *r, const godwit_migration *m,
                             const godwit_berror *be)
{
    return godwit__berr(&r->g->err, be,
                        "%s: history bookkeeping failed, the migration was "
                        "rolled back",
                        m->path);
}

/* In a transaction: whether another process already did this step. */
static int already_done(runner *r, const godwit_step *st, godwit_berror *be,
                        int *done)
{
    int applied = 0, rc;

    *done = 0;
    if (!r->recheck)
        return 0;
    if ((rc = godwit__session_history_has(r->s, st->m->version, &applied, be)) <
        0)
        return rc;
    *done = applied == st->up;
    return 0;
}

void godwit__engine_row(const godwit_migration *m, long ms,
                        godwit_history_row *row)
{
    memset(row, 0, sizeof(*row));
    row->version = m->version;
    row->name = m->name;
    row->checksum = m->checksum;
    row->duration_ms = ms;
    row->applied_by = godwit__applied_by();
}

/* Ends a failed step (how: IN_*) and reports it. */
static int fail(runner *r, const godwit_step *st, const godwit_section *s,
                const godwit_berror *be, int how)
{
    godwit_berror ignored;

    godwit__berror_init(&ignored);
    if ((undoable(r, s) && st->resume_at < 0) || how == IN_BOOKKEEPING)
        exec_sql(r, GODWIT_SQL_ROLLBACK, NULL, &ignored);
    godwit__sink_emit(r->out, GODWIT_EVENT_FAIL, st->m, 0, NULL);
    if (how != IN_BOOKKEEPING)
        return body_error(r, st->m, s, be, st->up, how);
    return bookkeeping_error(r, st->m, be);
}

/* Records the step in history and commits its transaction. */
static int record(runner *r, const godwit_step *st, long t0, godwit_berror *be)
{
    godwit_history_row row;
    int rc;

    godwit__engine_row(st->m, since(r, t0), &row);
    if ((rc = exec_sql(r, st->up ? GODWIT_SQL_RECORD : GODWIT_SQL_UNRECORD,
                       &row, be)) < 0)
        return rc;
    return exec_sql(r, GODWIT_SQL_COMMIT, NULL, be);
}

static void skipped(runner *r, const godwit_step *st)
{
    godwit_berror ignored;

    godwit__berror_init(&ignored);
    exec_sql(r, GODWIT_SQL_ROLLBACK, NULL, &ignored);
    godwit__sink_emit(r->out, GODWIT_EVENT_SKIP, st->m, 0,
                      "done by another migrator");
}

/*
 * Records that a transaction=off section starts: a new history row marked
 * in progress (committed at once, so that a crash leaves it behind), or,
 * when reverting or resuming, the existing row marked so.  Returns 1 when
 * another migrator already did the step.
 */
static int mark_start(runner *r, const godwit_step *st,
                      const godwit_history_row *row, godwit_berror *be)
{
    int done = 0, rc;

    if (!st->up || st->resume_at >= 0)
        return exec_sql(r, GODWIT_SQL_UPDATE, row, be);
    if ((rc = exec_sql(r, GODWIT_SQL_BEGIN, NULL, be)) < 0 ||
        (rc = already_done(r, st, be, &done)) < 0)
        return rc;
    if (done)
        return 1;
    if ((rc = exec_sql(r, GODWIT_SQL_RECORD, row, be)) < 0)
        return rc;
    return exec_sql(r, GODWIT_SQL_COMMIT, NULL, be);
}

/* The statement failed: history keeps where and why. */
static void mark_stopped(runner *r, godwit_history_row *row, long i,
                         const godwit_berror *be)
{
    godwit_berror ignored;

    godwit__berror_init(&ignored);
    row->statements_done = i;
    row->error = be->message;
    exec_sql(r, GODWIT_SQL_UPDATE, row, &ignored);
}

/* The first statement failed, so nothing of the step ran: history goes
 * back to what it was before mark_start (best effort, as mark_stopped;
 * should it fail, the step stays interrupted at statement 0, which is
 * also true). */
static void mark_untouched(runner *r, const godwit_step *st,
                           godwit_history_row *row)
{
    godwit_berror ignored;

    godwit__berror_init(&ignored);
    row->in_progress = NULL;
    row->statements_done = 0;
    row->error = NULL;
    exec_sql(r, st->up ? GODWIT_SQL_UNRECORD : GODWIT_SQL_UPDATE, row,
             &ignored);
}

/* Runs the statements from `from` on, recording progress after each.
 * Returns 0, or IN_BODY / IN_FIRST when a statement failed, or < 0. */
static long count_statements(unsigned dialect, const char *sql, size_t len);

/* GODWIT_EVENT_STATEMENT: "3/7" once the third of seven is done. */
static void statement_done(runner *r, const godwit_step *st, long i, long n)
{
    char detail[48];

    snprintf(detail, sizeof(detail), "%ld/%ld", i, n);
    godwit__sink_emit(r->out, GODWIT_EVENT_STATEMENT, st->m, 0, detail);
}

static int run_statements(runner *r, const godwit_section *s,
                          const godwit_step *st, godwit_history_row *row,
                          godwit_berror *be)
{
    char *body = st->m->text + s->start;
    const char *why;
    size_t len = s->end - s->start, pos = 0;
    godwit_span sp;
    long i, first = row->statements_done,
            n = count_statements(r->dialect, body, len);

    for (i = 0; godwit__sql_next(r->dialect, body, len, &pos, &sp, &why) == 1;
         i++) {
        if (i < row->statements_done)
            continue;
        if (godwit__interrupted(r->g) && i > first) {
            snprintf(be->message, sizeof(be->message), "interrupted");
            be->code = GODWIT_EINTR;
            be->offset = (long)sp.start;
            be->statement = -1;
            mark_stopped(r, row, i, be);
            return IN_BODY;
        }
        if (godwit__sink_exec(r->out, body + sp.start, sp.end - sp.start,
                              GODWIT_SINK_STATEMENT, be) < 0) {
            be->offset = (long)sp.start + (be->offset >= 0 ? be->offset : 0);
            be->statement = -1;
            if (i == 0 && st->resume_at < 0) {
                mark_untouched(r, st, row);
                return IN_FIRST;
            }
            mark_stopped(r, row, i, be);
            return IN_BODY;
        }
        row->statements_done = i + 1;
        if (exec_sql(r, GODWIT_SQL_UPDATE, row, be) < 0)
            return GODWIT_ERROR;
        statement_done(r, st, i + 1, n);
    }
    return 0;
}

/* transaction=off, or a resumed step: statement by statement, with the
 * progress in history so that an interruption can be resumed. */
static int run_stepwise(runner *r, const godwit_step *st,
                        const godwit_section *s, long t0)
{
    godwit_history_row row;
    godwit_berror be;
    int rc;

    godwit__berror_init(&be);
    godwit__engine_row(st->m, 0, &row);
    row.in_progress = st->up ? "up" : "down";
    row.statements_done = st->resume_at > 0 ? st->resume_at : 0;
    if ((rc = mark_start(r, st, &row, &be)) == 1) {
        skipped(r, st);
        return 0;
    }
    if (rc < 0)
        return fail(r, st, s, &be, IN_BOOKKEEPING);
    if ((rc = run_statements(r, s, st, &row, &be)) != 0)
        return fail(r, st, s, &be, rc > 0 ? rc : IN_BOOKKEEPING);
    row.in_progress = NULL;
    row.duration_ms = since(r, t0);
    if (exec_sql(r, st->up ? GODWIT_SQL_UPDATE : GODWIT_SQL_UNRECORD, &row,
                 &be) < 0)
        return fail(r, st, s, &be, IN_BOOKKEEPING);
    godwit__sink_emit(r->out,
                      st->up ? GODWIT_EVENT_APPLY_END : GODWIT_EVENT_REVERT_END,
                      st->m, now_ms() - t0, NULL);
    return 0;
}

static long count_statements(unsigned dialect, const char *sql, size_t len)
{
    godwit_span sp;
    const char *why;
    size_t pos = 0;
    long n = 0;

    while (godwit__sql_next(dialect, sql, len, &pos, &sp, &why) == 1)
        n++;
    return n;
}

/* Whether the error of a joined script is the body's, which is
 * joined[from, to); if so, makes it the body's own. */
static int rebase(unsigned dialect, godwit_berror *be, const char *joined,
                  size_t from, size_t to)
{
    long before, inside;

    if (be->offset >= 0) {
        if ((size_t)be->offset < from || (size_t)be->offset >= to)
            return 0;
        be->offset -= (long)from;
        return 1;
    }
    if (be->statement < 0)
        return 1; /* nowhere said: the body's start */
    before = count_statements(dialect, joined, from);
    inside = count_statements(dialect, joined + from, to - from);
    if (be->statement < before || be->statement >= before + inside)
        return 0;
    be->statement -= before;
    return 1;
}

/*
 * A transactional step where a session lock keeps other migrators out (no
 * re-check is needed between BEGIN and the body), in one round trip:
 * BEGIN, the body, the history row and COMMIT as one script, as `psql -c`
 * sends a migration.  Over a network every trip saved is a round trip per
 * migration (bench/README.md).  The database measures the duration
 * (duration_ms -1: since BEGIN).
 */
static int run_joined(runner *r, const godwit_step *st, const godwit_section *s)
{
    const char *body = st->m->text + s->start;
    godwit_history_row row;
    godwit_berror be;
    size_t from, to;

    godwit__berror_init(&be);
    godwit__engine_row(st->m, -1, &row);
    r->joined.len = 0;
    if (join_sql(r, GODWIT_SQL_BEGIN, NULL, &be) < 0)
        return fail(r, st, s, &be, IN_BOOKKEEPING);
    from = r->joined.len;
    if (godwit__sql_append(r->dialect, &r->joined, body, s->end - s->start, 1) <
        0)
        return godwit__err_set(&r->g->err, GODWIT_ENOMEM, "out of memory");
    to = r->joined.len;
    if (join_sql(r, st->up ? GODWIT_SQL_RECORD : GODWIT_SQL_UNRECORD, &row,
                 &be) < 0 ||
        join_sql(r, GODWIT_SQL_COMMIT, NULL, &be) < 0)
        return fail(r, st, s, &be, IN_BOOKKEEPING);
    if (godwit__sink_exec(r->out, r->joined.ptr, r->joined.len,
                          GODWIT_SINK_RENDERED, &be) < 0)
        return fail(r, st, s, &be,
                    rebase(r->dialect, &be, r->joined.ptr, from, to)
                        ? IN_BODY
                        : IN_BOOKKEEPING);
    return 0;
}

/* The rows that break a foreign key, as a message. */
typedef struct broken {
    godwit_buf what;
    size_t n;
} broken;

static int note_broken(void *ctx, int ncols, const char *const *v)
{
    broken *b = ctx;

    if (ncols >= 3 && b->n++ < 3)
        godwit__buf_printf(&b->what, "%stable %s row %s (parent %s)",
                           b->n > 1 ? "; " : "", v[0] ? v[0] : "?",
                           v[1] ? v[1] : "?", v[2] ? v[2] : "?");
    return 0;
}

/* foreign_keys=off: before the commit, the keys must hold.  A script
 * prints the check; a live run asks for the rows that break a key, and
 * with any, rolls back and names them: 1.  < 0 when the check itself
 * failed (be says why). */
static int keys_hold(runner *r, const godwit_step *st, godwit_berror *be)
{
    broken b = {GODWIT_BUF_INIT, 0};
    godwit_berror ignored;
    int rc;

    if (!GODWIT_SINK_LIVE(r->out))
        return exec_sql(r, GODWIT_SQL_FK_CHECK, NULL, be);
    if ((rc = render_sql(r, GODWIT_SQL_FK_CHECK, NULL, be)) < 0)
        return rc;
    while (r->sql.len > 0 && strchr("; \t\n", r->sql.ptr[r->sql.len - 1]))
        r->sql.ptr[--r->sql.len] = '\0'; /* one query, no ';' */
    if ((rc = godwit__session_query(r->s, r->sql.ptr, note_broken, &b, be)) <
            0 ||
        b.n == 0) {
        godwit__buf_free(&b.what);
        return rc;
    }
    godwit__berror_init(&ignored);
    exec_sql(r, GODWIT_SQL_ROLLBACK, NULL, &ignored);
    godwit__sink_emit(r->out, GODWIT_EVENT_FAIL, st->m, 0, NULL);
    godwit__err_set(&r->g->err, GODWIT_ERROR,
                    "%s: %s with foreign_keys=off leaves %zu %s a foreign "
                    "key: %s%s; the migration was rolled back and is not %s",
                    st->m->path, st->up ? "up" : "down", b.n,
                    b.n > 1 ? "rows that break" : "row that breaks",
                    b.what.ptr ? b.what.ptr : "", b.n > 3 ? "; ..." : "",
                    st->up ? "applied" : "reverted");
    godwit__buf_free(&b.what);
    return 1;
}

/* A transactional step in four trips: BEGIN, the re-check of history, the
 * body, then the history row with COMMIT (with foreign_keys=off, the keys
 * checked first).  1 when another migrator did the step meanwhile. */
static int run_apart(runner *r, const godwit_step *st, const godwit_section *s,
                     long t0)
{
    godwit_berror be;
    int done = 0, rc;

    godwit__berror_init(&be);
    if (exec_sql(r, GODWIT_SQL_BEGIN, NULL, &be) < 0 ||
        already_done(r, st, &be, &done) < 0)
        return fail(r, st, s, &be, IN_BOOKKEEPING);
    if (done) {
        skipped(r, st);
        return 1;
    }
    if (run_body(r, st->m, s, &be) < 0)
        return fail(r, st, s, &be, IN_BODY);
    if (s->foreign_keys_off && (rc = keys_hold(r, st, &be)) != 0)
        return rc > 0 ? GODWIT_ERROR : fail(r, st, s, &be, IN_BOOKKEEPING);
    if (record(r, st, t0, &be) < 0)
        return fail(r, st, s, &be, IN_BOOKKEEPING);
    return 0;
}

/* foreign_keys=off: enforcement off around the section's transaction
 * (it cannot change inside one), and back on after it, whatever came. */
static int run_keys_off(runner *r, const godwit_step *st,
                        const godwit_section *s, long t0)
{
    godwit_berror be;
    int rc;

    godwit__berror_init(&be);
    if (exec_sql(r, GODWIT_SQL_FK_OFF, NULL, &be) < 0)
        return fail(r, st, s, &be, IN_BOOKKEEPING);
    rc = run_apart(r, st, s, t0);
    godwit__berror_init(&be);
    if (exec_sql(r, GODWIT_SQL_FK_ON, NULL, &be) < 0 && rc >= 0)
        return godwit__berr(&r->g->err, &be,
                            "%s is done, but foreign keys could not be "
                            "turned back on",
                            st->m->path);
    return rc;
}

/* One attempt at a step. */
static int run_once(runner *r, const godwit_step *st, const godwit_section *s)
{
    long t0 = now_ms();
    int rc;

    godwit__sink_note(r->out, "\n-- %s: %s%s%s\n", st->m->path,
                      st->up ? "up" : "down", undoable(r, s) ? "" : ", ",
                      undoable(r, s) ? "" : stepwise_why(s));
    godwit__sink_emit(
        r->out, st->up ? GODWIT_EVENT_APPLY_BEGIN : GODWIT_EVENT_REVERT_BEGIN,
        st->m, 0, NULL);
    if (!undoable(r, s) || st->resume_at >= 0)
        return run_stepwise(r, st, s, t0);
    rc = s->foreign_keys_off ? run_keys_off(r, st, s, t0)
         : r->join           ? run_joined(r, st, s)
                             : run_apart(r, st, s, t0);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    godwit__sink_emit(r->out,
                      st->up ? GODWIT_EVENT_APPLY_END : GODWIT_EVENT_REVERT_END,
                      st->m, now_ms() - t0, NULL);
    return 0;
}

/* A transactional step that only lost to a lock timeout was rolled back
 * entirely: with --lock-retries it is tried again after a pause (0.5 s,
 * doubling, at most 10 s), the way large tables are migrated while
 * readers come and go.  Whether to: 1 after the pause, else 0. */
static int retry_after_lock(runner *r, const godwit_step *st,
                            const godwit_section *s, int rc, int tries)
{
    godwit_buf msg = GODWIT_BUF_INIT;
    long ms = 500L << (tries < 5 ? tries : 5);
    struct timespec ts;

    if (rc != GODWIT_ELOCKED || !undoable(r, s) || st->resume_at >= 0 ||
        tries >= r->g->lock_retries || godwit__interrupted(r->g))
        return 0;
    ms = ms > 10000 ? 10000 : ms;
    if (godwit__buf_printf(&msg,
                           "%s: a lock timeout rolled it back; retry %d of "
                           "%d in %ld ms",
                           st->m->path, tries + 1, r->g->lock_retries, ms) == 0)
        godwit__sink_emit(r->out, GODWIT_EVENT_WARNING, st->m, 0, msg.ptr);
    godwit__buf_free(&msg);
    ts.tv_sec = 0;
    ts.tv_nsec = 100 * 1000000L;
    for (; ms > 0 && !godwit__interrupted(r->g);
         ms -= 100) /* godwit_interrupt() */
        nanosleep(&ts, NULL);
    return !godwit__interrupted(r->g);
}

static int run_step(runner *r, const godwit_step *st)
{
    const godwit_section *s = godwit__migration_section(
        st->m, st->up ? GODWIT_KIND_UP : GODWIT_KIND_DOWN,
        godwit__session_backend(r->s));
    int rc, tries = 0;

    if (godwit__interrupted(r->g))
        return godwit__err_set(&r->g->err, GODWIT_EINTR,
                               "interrupted before %s: nothing of it ran; "
                               "the migrations before it in this run are "
                               "done",
                               st->m->path);
    while ((rc = run_once(r, st, s)) < 0 &&
           retry_after_lock(r, st, s, rc, tries))
        tries++;
    return rc;
}

/* Refuses the whole plan before running any of it if a step has no SQL
 * for this backend, or SQL that does not lex. */
static int preflight(runner *r, const godwit_plan *p)
{
    size_t i;

    for (i = 0; i < p->n; i++) {
        const godwit_step *st = &p->steps[i];
        godwit_kind k = st->up ? GODWIT_KIND_UP : GODWIT_KIND_DOWN;
        const godwit_section *s =
            godwit__migration_section(st->m, k, godwit__session_backend(r->s));

        if (s != NULL && s->foreign_keys_off &&
            !godwit__session_can(r->s, GODWIT_CAP_FOREIGN_KEYS))
            return godwit__err_set(
                &r->g->err, GODWIT_ERROR,
                "%s:%u: foreign_keys=off has no meaning on backend %s (it "
                "turns SQLite's enforcement off around the section); give "
                "the section backend=sqlite; nothing was run",
                st->m->path, s->line, godwit__session_backend(r->s));
        if (s != NULL) {
            if (godwit__section_check(st->m, s, r->dialect, &r->g->err) < 0)
                return GODWIT_ERROR;
            continue;
        }
        if (!st->up && godwit__migration_irreversible(
                           st->m, godwit__session_backend(r->s)) > 0)
            return godwit__err_set(
                &r->g->err, GODWIT_ERROR,
                "%s:%u: its down is marked irreversible for backend %s; "
                "nothing was reverted",
                st->m->path,
                godwit__migration_irreversible(st->m,
                                               godwit__session_backend(r->s)),
                godwit__session_backend(r->s));
        if (!st->up)
            return godwit__err_set(
                &r->g->err, GODWIT_ERROR,
                "%s has no down section: it is irreversible; nothing was "
                "reverted",
                st->m->path);
        return godwit__err_set(&r->g->err, GODWIT_ERROR,
                               "%s has no up section for backend %s; "
                               "nothing was applied",
                               st->m->path, godwit__session_backend(r->s));
    }
    return 0;
}

static void runner_init(runner *r, const godwit_sink *out)
{
    memset(r, 0, sizeof(*r));
    r->g = out->g;
    r->s = out->s;
    r->out = out;
    r->join = godwit__session_can(r->s, GODWIT_CAP_SESSION_LOCK);
    r->ddl_undone = godwit__session_can(r->s, GODWIT_CAP_TRANSACTIONAL_DDL);
    r->dialect = godwit__session_dialect(r->s);
    r->recheck = !r->join && GODWIT_SINK_LIVE(out);
}

int godwit__engine_bookkeep(const godwit_sink *out, godwit_sql what,
                            const godwit_history_row *row, int transaction,
                            const char *failure)
{
    godwit *g = out->g;
    godwit_berror be, ignored;
    runner r;
    int rc;

    runner_init(&r, out);
    godwit__berror_init(&be);
    godwit__berror_init(&ignored);
    if ((transaction && (rc = exec_sql(&r, GODWIT_SQL_BEGIN, NULL, &be)) < 0) ||
        (rc = exec_sql(&r, what, row, &be)) < 0 ||
        (transaction &&
         (rc = exec_sql(&r, GODWIT_SQL_COMMIT, NULL, &be)) < 0)) {
        if (transaction)
            exec_sql(&r, GODWIT_SQL_ROLLBACK, NULL, &ignored);
        rc = godwit__berr(&g->err, &be, "%s", failure);
    }
    godwit__buf_free(&r.sql);
    return rc;
}

int godwit__engine_create_history(const godwit_sink *out)
{
    return godwit__engine_bookkeep(out, GODWIT_SQL_HISTORY_CREATE, NULL, 0,
                                   "cannot create the history table");
}

/* An earlier godwit's table gains what this one writes, in a transaction
 * of its own, before the first change: every command that writes history
 * upgrades it, and no command that only reads does. */
static int upgrade_history(const godwit_sink *out, int format)
{
    godwit_history_row row;
    char detail[160];
    int rc;

    memset(&row, 0, sizeof(row));
    row.version = "";
    row.statements_done = format;
    godwit__sink_note(out, "\n-- the history table: from format %d to %d\n",
                      format, GODWIT_HISTORY_FORMAT);
    if ((rc = godwit__engine_bookkeep(out, GODWIT_SQL_HISTORY_UPGRADE, &row, 1,
                                      "cannot upgrade the history table from "
                                      "an earlier godwit's format")) < 0)
        return rc;
    snprintf(detail, sizeof(detail),
             "upgraded the history table in place from format %d to %d "
             "(written by an earlier godwit)",
             format, GODWIT_HISTORY_FORMAT);
    godwit__sink_emit(out, GODWIT_EVENT_UPGRADE, NULL, 0, detail);
    return 0;
}

int godwit__engine_history_ready(const godwit_sink *out, int format)
{
    if (format == 0)
        return godwit__engine_create_history(out);
    if (format < GODWIT_HISTORY_FORMAT)
        return upgrade_history(out, format);
    return 0;
}

int godwit__engine_run(const godwit_sink *out, const godwit_plan *p, int format)
{
    runner r;
    size_t i;
    int rc;

    runner_init(&r, out);
    if ((rc = preflight(&r, p)) == 0)
        rc = godwit__engine_history_ready(out, format);
    for (i = 0; rc == 0 && i < p->n; i++)
        rc = run_step(&r, &p->steps[i]);
    godwit__buf_free(&r.sql);
    godwit__buf_free(&r.joined);
    return rc;
}
