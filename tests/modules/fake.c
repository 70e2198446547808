/*
 * fake.c - a backend plugin with no database behind it, for testing the
 * core's use of the ABI (tests/check_fake.c): capabilities and methods
 * chosen by the test, failures injected on demand, every call counted.
 * See fake.h for its language and its control panel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake.h"

fake_control fake_panel;

#define P (&fake_panel)

struct godwit_conn {
    int in_tx;
    fake_db saved; /* the database at BEGIN */
};

static const char *const schemes[] = {"fake", NULL};

static int fail(godwit_berror *err, int code, const char *sqlstate,
                const char *msg)
{
    err->code = code;
    snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", sqlstate);
    snprintf(err->message, sizeof(err->message), "%s", msg);
    return code;
}

static int connect_(godwit_conn **out, const godwit_target *t,
                    godwit_berror *err)
{
    P->calls_connect++;
    if (strncmp(t->url, "fake:", 5) != 0)
        return fail(err, GODWIT_EUSAGE, "", "not a fake: URL");
    if ((*out = calloc(1, sizeof(**out))) == NULL)
        return fail(err, GODWIT_ENOMEM, "", "out of memory");
    return 0;
}

static void disconnect(godwit_conn *c)
{
    P->calls_disconnect++;
    free(c);
}

/* ---- render: the bookkeeping language ---- */

static void put_quoted(char *buf, size_t cap, size_t *n, const char *s)
{
    size_t i;

    if (*n < cap)
        buf[*n] = '\'';
    ++*n;
    for (i = 0; s != NULL && s[i] != '\0'; i++) {
        if (s[i] == '\'' && ++*n < cap)
            buf[*n - 1] = '\'';
        if (*n < cap)
            buf[*n] = s[i];
        ++*n;
    }
    if (*n < cap)
        buf[*n] = '\'';
    ++*n;
}

static void put(char *buf, size_t cap, size_t *n, const char *s)
{
    for (; *s != '\0'; s++, ++*n)
        if (*n < cap)
            buf[*n] = *s;
}

static int render_row(const char *verb, const godwit_history_row *row,
                      char *buf, size_t cap)
{
    char num[64];
    size_t n = 0;

    put(buf, cap, &n, verb);
    put(buf, cap, &n, " ");
    put_quoted(buf, cap, &n, row->version);
    if (strcmp(verb, "UNRECORD") != 0) {
        put(buf, cap, &n, " ");
        put_quoted(buf, cap, &n, row->name);
        put(buf, cap, &n, " ");
        put_quoted(buf, cap, &n, row->checksum);
        put(buf, cap, &n, " ");
        put_quoted(buf, cap, &n, row->in_progress);
        put(buf, cap, &n, " ");
        put_quoted(buf, cap, &n, row->error);
        snprintf(num, sizeof(num), " %ld %ld", row->statements_done,
                 row->duration_ms);
        put(buf, cap, &n, num);
    }
    put(buf, cap, &n, ";\n");
    if (cap > 0)
        buf[n < cap ? n : cap - 1] = '\0';
    return (int)n;
}

static int render(const godwit_target *t, godwit_sql what,
                  const godwit_history_row *row, char *buf, size_t cap)
{
    static const char *const plain[] = {
        [GODWIT_SQL_HISTORY_CREATE] = "HISTORY_CREATE;\n",
        [GODWIT_SQL_BEGIN] = "BEGIN;\n",
        [GODWIT_SQL_COMMIT] = "COMMIT;\n",
        [GODWIT_SQL_ROLLBACK] = "ROLLBACK;\n",
        [GODWIT_SQL_SCRATCH_DROP] = "SCRATCH_DROP;\n",
        [GODWIT_SQL_HISTORY_UPGRADE] = "HISTORY_UPGRADE;\n"};

    (void)t;
    P->calls_render++;
    if (P->fail_render != 0 && (int)what == P->fail_render)
        return GODWIT_ERROR;
    if (what == GODWIT_SQL_RECORD)
        return render_row("RECORD", row, buf, cap);
    if (what == GODWIT_SQL_UNRECORD)
        return render_row("UNRECORD", row, buf, cap);
    if (what == GODWIT_SQL_UPDATE)
        return render_row("UPDATE", row, buf, cap);
    if ((int)what < 1 || (size_t)what >= sizeof(plain) / sizeof(*plain) ||
        plain[what] == NULL)
        return GODWIT_ENOTSUP;
    return snprintf(buf, cap, "%s", plain[what]);
}

/* ---- the database ---- */

static fake_row *find_row(const char *version)
{
    int i;

    for (i = 0; i < P->db.nrows; i++)
        if (strcmp(P->db.rows[i].version, version) == 0)
            return &P->db.rows[i];
    return NULL;
}

static int find_object(const char *name)
{
    int i;

    for (i = 0; i < P->db.nobjects; i++)
        if (strcmp(P->db.objects[i], name) == 0)
            return i;
    return -1;
}

/* The next quoted field of s (advanced past it) into out. */
static void field(const char **s, char *out, size_t cap)
{
    const char *p = strchr(*s, '\'');
    size_t n = 0;

    out[0] = '\0';
    if (p == NULL)
        return;
    for (p++; *p != '\0'; p++) {
        if (*p == '\'' && p[1] != '\'')
            break;
        if (*p == '\'')
            p++;
        if (n + 1 < cap)
            out[n++] = *p;
    }
    out[n] = '\0';
    *s = *p ? p + 1 : p;
}

static void parse_row(const char *s, fake_row *r)
{
    field(&s, r->version, sizeof(r->version));
    field(&s, r->name, sizeof(r->name));
    field(&s, r->checksum, sizeof(r->checksum));
    field(&s, r->in_progress, sizeof(r->in_progress));
    field(&s, r->error, sizeof(r->error));
    sscanf(s, "%ld %ld", &r->statements_done, &r->duration_ms);
}

static int record(const char *args, godwit_berror *err)
{
    fake_row r;

    memset(&r, 0, sizeof(r));
    parse_row(args, &r);
    if (!P->db.has_history)
        return fail(err, GODWIT_ERROR, "42P01", "no history table");
    if (find_row(r.version) != NULL)
        return fail(err, GODWIT_ERROR, "23505", "version already recorded");
    if (P->db.nrows == FAKE_MAX)
        return fail(err, GODWIT_ERROR, "", "history full");
    P->db.rows[P->db.nrows++] = r;
    return 0;
}

static int unrecord(const char *args, godwit_berror *err)
{
    fake_row *r;
    char version[32];

    field(&args, version, sizeof(version));
    if ((r = find_row(version)) == NULL)
        return fail(err, GODWIT_ERROR, "", "no such version");
    *r = P->db.rows[--P->db.nrows];
    return 0;
}

static int update(const char *args, godwit_berror *err)
{
    fake_row n, *r;

    memset(&n, 0, sizeof(n));
    parse_row(args, &n);
    if ((r = find_row(n.version)) == NULL)
        return fail(err, GODWIT_ERROR, "", "no such version");
    *r = n;
    return 0;
}

static int create(const char *name, godwit_berror *err)
{
    char msg[128];

    if (find_object(name) >= 0) {
        snprintf(msg, sizeof(msg), "object %s exists", name);
        return fail(err, GODWIT_ERROR, "42P07", msg);
    }
    if (P->db.nobjects == FAKE_MAX)
        return fail(err, GODWIT_ERROR, "", "too many objects");
    snprintf(P->db.objects[P->db.nobjects++], sizeof(P->db.objects[0]), "%s",
             name);
    return 0;
}

static int drop(const char *name, godwit_berror *err)
{
    int i = find_object(name);
    char msg[128];

    if (i < 0) {
        snprintf(msg, sizeof(msg), "object %s does not exist", name);
        return fail(err, GODWIT_ERROR, "42P01", msg);
    }
    memcpy(P->db.objects[i], P->db.objects[--P->db.nobjects],
           sizeof(P->db.objects[0]));
    return 0;
}

static int begin(godwit_conn *c, godwit_berror *err)
{
    fake_row r;

    if (c->in_tx)
        return fail(err, GODWIT_ERROR, "25001", "already in a transaction");
    c->in_tx = 1;
    c->saved = P->db;
    if (P->race_version[0] != '\0') { /* another migrator got there first */
        memset(&r, 0, sizeof(r));
        snprintf(r.version, sizeof(r.version), "%s", P->race_version);
        P->race_version[0] = '\0';
        P->db.rows[P->db.nrows++] = r;
        c->saved = P->db;
    }
    return 0;
}

static int rollback(godwit_conn *c)
{
    if (c->in_tx)
        P->db = c->saved;
    c->in_tx = 0;
    return 0;
}

/* Runs one statement, text without its ';' (NUL-terminated copy). */
static int statement(godwit_conn *c, char *s, godwit_berror *err)
{
    char *arg = s + strcspn(s, " \t\n");
    size_t n = strlen(P->fail_prefix);

    arg += strspn(arg, " \t\n");
    P->statements++;
    if (P->fail_times > 0 && n > 0 && strncmp(s, P->fail_prefix, n) == 0) {
        P->fail_times--;
        return fail(err, P->fail_code ? P->fail_code : GODWIT_ERROR,
                    P->fail_sqlstate, "injected failure");
    }
#define IS(w) (strncmp(s, w, strlen(w)) == 0)
    if (IS("BEGIN"))
        return begin(c, err);
    if (IS("COMMIT"))
        return c->in_tx = 0;
    if (IS("ROLLBACK"))
        return rollback(c);
    if (IS("HISTORY_CREATE")) {
        if (!P->db.has_history)
            P->db.format = GODWIT_HISTORY_FORMAT;
        return P->db.has_history = 1, 0;
    }
    if (IS("HISTORY_UPGRADE"))
        return P->db.format = GODWIT_HISTORY_FORMAT, 0;
    if (IS("SCRATCH_DROP"))
        return memset(&P->db, 0, sizeof(P->db)), 0;
    if (IS("RECORD"))
        return record(arg, err);
    if (IS("UNRECORD"))
        return unrecord(arg, err);
    if (IS("UPDATE"))
        return update(arg, err);
    if (IS("CREATE"))
        return create(arg, err);
    if (IS("DROP"))
        return drop(arg, err);
    if (IS("FAIL"))
        return fail(err, GODWIT_ERROR, "P0001", arg);
    if (IS("LOCKED") && P->locked_statements > 0) {
        P->locked_statements--;
        return fail(err, GODWIT_ELOCKED, "55P03", "lock timeout");
    }
#undef IS
    return 0;
}

/* Whether a comment to the end of the line starts at s. */
static int comment(const char *s)
{
    return (s[0] == '-' && s[1] == '-') ||
           (s[0] == '#' && (P->dialect & GODWIT_DIALECT_HASH_COMMENT));
}

/* The end of the statement starting at s: its ';' or the end. */
static const char *statement_end(const char *s)
{
    int quoted = 0;

    for (; *s != '\0'; s++) {
        if (quoted && *s == '\\' && s[1] != '\0' &&
            (P->dialect & GODWIT_DIALECT_BACKSLASH))
            s++;
        else if (*s == '\'')
            quoted = !quoted;
        else if (!quoted && comment(s))
            s += strcspn(s, "\n") - 1;
        else if (!quoted && *s == ';')
            break;
    }
    return s;
}

/* Skips blanks and comment lines. */
static const char *skip_blank(const char *s)
{
    for (;;) {
        s += strspn(s, " \t\r\n");
        if (!comment(s))
            return s;
        s += strcspn(s, "\n");
    }
}

static void log_script(const char *sql)
{
    size_t n = strlen(P->log);

    snprintf(P->log + n, sizeof(P->log) - n, "%s|\n", sql);
}

static int exec_(godwit_conn *c, const char *sql, size_t len,
                 godwit_berror *err)
{
    const char *s = sql, *end;
    long i;
    char one[4096];
    int rc;

    P->calls_exec++;
    if (P->on_exec != NULL)
        P->on_exec(P->on_exec_ctx);
    if (sql[len] != '\0')
        return fail(err, GODWIT_ERROR, "", "sql[len] is not NUL");
    log_script(sql);
    for (i = 0; *(s = skip_blank(s)) != '\0'; i++) {
        end = statement_end(s);
        snprintf(one, sizeof(one), "%.*s", (int)(end - s), s);
        if ((rc = statement(c, one, err)) < 0) {
            if (P->report == FAKE_AT_OFFSET)
                err->offset = (long)(s - sql);
            else if (P->report == FAKE_AT_STATEMENT)
                err->statement = i;
            return rc;
        }
        s = *end ? end + 1 : end;
    }
    return 0;
}

static int history_read(godwit_conn *c, godwit_history_fn fn, void *ctx,
                        godwit_berror *err)
{
    godwit_history_row row;
    char format[32];
    int i, rc;

    (void)c, (void)err;
    P->calls_history_read++;
    snprintf(format, sizeof(format), "format:%d", P->db.format);
    memset(&row, 0, sizeof(row));
    row.version = "";
    row.checksum = format;
    if (P->db.has_history && (rc = fn(ctx, &row)) != 0)
        return rc;
    for (i = 0; P->db.has_history && i < P->db.nrows; i++) {
        const fake_row *r = &P->db.rows[i];

        memset(&row, 0, sizeof(row));
        row.version = r->version;
        row.name = r->name;
        row.checksum = r->checksum;
        row.applied_at = "2026-11-29T00:00:00Z";
        row.duration_ms = r->duration_ms;
        row.in_progress = r->in_progress[0] ? r->in_progress : NULL;
        row.statements_done = r->statements_done;
        row.error = r->error[0] ? r->error : NULL;
        if ((rc = fn(ctx, &row)) != 0)
            return rc;
    }
    return 0;
}

static int history_has(godwit_conn *c, const char *version, int *applied,
                       godwit_berror *err)
{
    (void)c, (void)err;
    P->calls_history_has++;
    *applied = find_row(version) != NULL;
    return 0;
}

static int lock(godwit_conn *c, double timeout, godwit_berror *err)
{
    (void)c;
    P->calls_lock++;
    if (P->lock_taken_by_other && (timeout == 0 || P->lock_wait_fails))
        return fail(err, GODWIT_ELOCKED, "55P03",
                    "the migration lock is held by pid 42");
    P->lock_taken_by_other = 0; /* the other one finished */
    return 0;
}

static int unlock(godwit_conn *c, godwit_berror *err)
{
    (void)c, (void)err;
    P->calls_unlock++;
    return 0;
}

static int lock_holder(godwit_conn *c, char *out, size_t cap,
                       godwit_berror *err)
{
    (void)c, (void)err;
    P->calls_lock_holder++;
    if (!P->lock_taken_by_other)
        return 0;
    snprintf(out, cap, "pid 42 (fake) since 2026-11-29 00:00:00");
    return 1;
}

static int ping(godwit_conn *c, godwit_berror *err)
{
    (void)c, (void)err;
    P->calls_ping++;
    return 0;
}

static int snapshot(godwit_conn *c, godwit_line_fn fn, void *ctx,
                    godwit_berror *err)
{
    char line[64];
    int i, rc;

    (void)c, (void)err;
    P->calls_snapshot++;
    for (i = 0; i < P->db.nobjects; i++) {
        snprintf(line, sizeof(line), "object %s", P->db.objects[i]);
        if ((rc = fn(ctx, line)) != 0)
            return rc;
    }
    return 0;
}

static void cancel(godwit_conn *c)
{
    (void)c;
    P->calls_cancel++;
}

const godwit_backend *godwit_backend_fake(unsigned host_abi);

const godwit_backend *godwit_backend_fake(unsigned host_abi)
{
    static godwit_backend vt;
    const godwit_backend whole = {
        GODWIT_BACKEND_INIT,        .name = "fake",
        .schemes = schemes,         .connect = connect_,
        .disconnect = disconnect,   .exec = exec_,
        .render = render,           .history_read = history_read,
        .history_has = history_has, .lock = lock,
        .unlock = unlock,           .ping = ping,
        .snapshot = snapshot,       .lock_holder = lock_holder,
        .cancel = cancel,
    };

    if (host_abi != GODWIT_BACKEND_ABI)
        return NULL;
    vt = whole;
    vt.caps = P->caps;
    vt.dialect = P->dialect;
    if (P->omit & FAKE_NO_LOCK)
        vt.lock = NULL, vt.unlock = NULL, vt.lock_holder = NULL;
    if (P->omit & FAKE_NO_PING)
        vt.ping = NULL;
    if (P->omit & FAKE_NO_SNAPSHOT)
        vt.snapshot = NULL;
    if (P->omit & FAKE_NO_CANCEL)
        vt.cancel = NULL;
    if (P->struct_size != 0)
        vt.struct_size = P->struct_size;
    return &vt;
}
