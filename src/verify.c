/*
 * verify.c - proves that every migration applies, reverts and re-applies
 * cleanly, by comparing schema snapshots on a scratch database.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "godwit-int.h"

#define SHOWN 3 /* differences spelled out in the message */

/* Whether a snapshot line gives a table's column order, where a
 * difference alone is a warning: SELECT * and INSERT without a column
 * list see it, the schema's meaning does not (godwit-backend(7)). */
static int order_line(const char *line)
{
    return strstr(line, " column order: ") != NULL;
}

typedef struct told {
    godwit_buf *out;
    size_t n, orders;
} told;

static int tell(void *ctx, int side, const char *line)
{
    told *t = ctx;

    t->orders += order_line(line);
    if (t->n++ < SHOWN)
        godwit__buf_printf(t->out, "%s%s \"%.200s%s\"", t->n > 1 ? "; " : "",
                           side < 0 ? "missing:" : "left over:", line,
                           strlen(line) > 200 ? "..." : "");
    return 0;
}

/* Writes "missing: ...; left over: ..." for the lines of the snapshot a
 * (what should be) and b (what is) that differ; returns how many do, and
 * in *orders how many of them are column orders. */
static size_t diff(const godwit_lines *a, const godwit_lines *b,
                   godwit_buf *out, size_t *orders)
{
    told t = {out, 0, 0};

    godwit__lines_walk(a, b, tell, &t);
    if (t.n > SHOWN)
        godwit__buf_printf(out, "; and %zu more", t.n - SHOWN);
    *orders = t.orders;
    return t.n;
}

/* A difference fails, but one in column order only, which is a warning
 * (*warned set) unless GODWIT_OPT_STRICT. */
static int compare(godwit *g, const godwit_migration *m, const char *what,
                   const godwit_lines *want, const godwit_lines *got,
                   int *warned)
{
    godwit_buf d = GODWIT_BUF_INIT;
    size_t n, orders;
    int rc = 0;

    n = diff(want, got, &d, &orders);
    if (n > 0 && n == orders && !(g->flags & GODWIT_OPT_STRICT)) {
        godwit_buf w = GODWIT_BUF_INIT;

        godwit__buf_printf(&w,
                           "%s: %s: the column order differs: %s; SELECT * "
                           "and INSERT without a column list see it "
                           "(verify --strict fails on this)",
                           m->path, what, d.ptr);
        godwit__emit(g, GODWIT_EVENT_WARNING, m, 0, w.ptr ? w.ptr : what);
        godwit__buf_free(&w);
        *warned = 1;
    } else if (n > 0) {
        rc = godwit__err_set(&g->err, GODWIT_ERROR,
                             "%s: %s: %s%s; fix the down section (or the up)",
                             m->path, what, d.ptr,
                             orders > 0 ? " (column order included: SELECT "
                                          "* and INSERT without a column "
                                          "list see it)"
                                        : "");
    }
    godwit__buf_free(&d);
    return rc;
}

/* Runs the verify section, whose queries must succeed after up. */
static int run_checks(godwit *g, godwit_session *ss, const godwit_migration *m)
{
    const godwit_section *s = godwit__migration_section(
        m, GODWIT_KIND_VERIFY, godwit__session_backend(ss));
    godwit_berror be;
    unsigned line, col;

    if (s == NULL)
        return 0;
    godwit__berror_init(&be);
    if (godwit__session_exec(ss, m->text + s->start, s->end - s->start, &be) ==
        0)
        return 0;
    godwit__text_pos(m->text, s->start + (be.offset > 0 ? be.offset : 0), &line,
                     &col);
    godwit__err_at(&g->err, GODWIT_ERROR, m->path, line, col,
                   "verify failed: %s", be.message);
    godwit__err_sqlstate(&g->err, be.sqlstate);
    return GODWIT_ERROR;
}

/* Applies (up) or reverts m alone, through the engine: the set is loaded
 * once for the whole of verify, and no file is read again. */
static int step(godwit *g, godwit_session *s, godwit_migration *m, int up)
{
    godwit_sink live = {g, s, NULL};
    godwit_step st;
    godwit_plan plan;

    st.m = m;
    st.up = up;
    st.resume_at = -1;
    plan.steps = &st;
    plan.n = 1;
    return godwit__engine_run(&live, &plan, GODWIT_HISTORY_FORMAT); /* ready */
}

/* What verify says of a migration that passed. */
static const char *verdict(const godwit_migration *m, const char *backend,
                           int reversible, int warned)
{
    if (reversible)
        return warned ? "up, down, up: schema restored but for the column "
                        "order (see the warning)"
                      : "up, down, up: schema restored";
    return godwit__migration_irreversible(m, backend) > 0
               ? "up only: marked irreversible on this backend, not reverted"
               : "up only: irreversible, not reverted";
}

/* up, verify, down, up again, with snapshots compared.  *before is the
 * schema before m, read first if it is not known yet (before->v NULL: or
 * empty, which costs nothing to read again);
 * after a success it is the schema after m, the next one's before: three
 * snapshots per migration rather than four. */
static int prove(godwit *g, godwit_session *s, godwit_migration *m,
                 godwit_lines *before)
{
    godwit_lines after, again;
    int warned = 0,
        reversible =
            godwit__migration_section(m, GODWIT_KIND_DOWN,
                                      godwit__session_backend(s)) != NULL;
    int rc;

    memset(&after, 0, sizeof(after));
    memset(&again, 0, sizeof(again));
    if (before->v == NULL && (rc = godwit__schema_read(g, s, before)) < 0)
        return rc;
    if ((rc = step(g, s, m, 1)) == 0 && (rc = run_checks(g, s, m)) == 0 &&
        (rc = godwit__schema_read(g, s, &after)) == 0 && reversible &&
        (rc = step(g, s, m, 0)) == 0 &&
        (rc = godwit__schema_read(g, s, &again)) == 0 &&
        (rc = compare(g, m, "down does not restore the schema", before, &again,
                      &warned)) == 0) {
        godwit__lines_free(&again);
        if ((rc = step(g, s, m, 1)) == 0 &&
            (rc = godwit__schema_read(g, s, &again)) == 0)
            rc = compare(g, m, "up after down gives a different schema", &after,
                         &again, &warned);
    }
    if (rc == 0)
        godwit__emit(
            g, GODWIT_EVENT_VERIFIED, m, 0,
            verdict(m, godwit__session_backend(s), reversible, warned));
    godwit__lines_free(before);
    if (rc == 0)
        *before = after; /* equal to again, when it was taken */
    else
        godwit__lines_free(&after);
    godwit__lines_free(&again);
    return rc;
}

/* Where verify runs: on the backends that have them, a session of its own
 * in a scratch database or schema (scratch.c), borrowing the handle's
 * module; elsewhere the handle's session, whose database must be empty,
 * so that verify can never change a real one.  The handle's settings
 * never change. */
typedef struct bench {
    godwit_session *s;      /* &scratch, or the handle's */
    godwit_session scratch; /* on place */
    godwit_scratch place;
    int locked;
} bench;

/* The database must be empty where there is no scratch schema. */
static int check_empty(godwit *g)
{
    godwit_lines l;
    godwit_status *st;
    int rc;

    if ((rc = godwit__schema_read(g, &g->session, &l)) < 0)
        return rc;
    rc = l.n;
    godwit__lines_free(&l);
    if (rc == 0 && (rc = godwit_status_read(g, &st)) == 0) {
        rc = godwit_status_current(st) != NULL;
        godwit_status_free(st);
    }
    if (rc != 0)
        return godwit__err_set(&g->err, GODWIT_EUSAGE,
                               "verify needs an empty scratch database, and "
                               "%s is not empty; leave --url out to verify "
                               "in memory",
                               g->redacted_url);
    return 0;
}

static int bench_open(godwit *g, bench *b)
{
    int rc;

    memset(b, 0, sizeof(*b));
    b->s = &g->session;
    if ((rc = godwit__scratch_create(g, &b->place, "verify")) == GODWIT_ENOTSUP)
        return check_empty(g);
    if (rc < 0)
        return rc;
    godwit__scratch_warn(g, &b->place, "verify");
    b->scratch.module = g->session.module;
    b->scratch.target = b->place.target;
    b->scratch.guard = &g->guard;
    b->s = &b->scratch;
    godwit__use_session(g, b->s);
    return 0;
}

/* Creates the history table and takes the migration lock, once for the
 * whole run (where the backend has a lock). */
static int prepare(godwit *g, bench *b)
{
    godwit_sink live = {g, b->s, NULL};
    godwit_berror be;
    int rc;

    if ((rc = godwit__connect(g, b->s)) < 0)
        return rc;
    godwit__berror_init(&be);
    if ((rc = godwit__session_lock(b->s, g->lock_timeout, &be)) < 0 &&
        rc != GODWIT_ENOTSUP)
        return godwit__berr(&g->err, &be, "cannot take the migration lock");
    b->locked = rc == 0;
    return godwit__engine_create_history(&live);
}

/* Reverts, newest first, what the run left applied in the scratch place,
 * so that what migrations made outside it (roles, for one) goes too; up to
 * the first that cannot be reverted, which is said.  n: how many of the
 * set's migrations the run reached. */
static int tear_down(godwit *g, bench *b, const godwit_set *set, size_t n)
{
    const char *backend = godwit__session_backend(b->s);
    godwit_progress_fn progress = g->progress;
    godwit_berror be;
    int applied, rc;
    char w[512];

    while (n-- > 0 && !g->interrupted) {
        godwit_migration *m = set->items[n];

        godwit__berror_init(&be);
        if (godwit__session_history_has(b->s, m->version, &applied, &be) < 0)
            return godwit__berr(&g->err, &be, "cannot read the history");
        if (!applied)
            continue;
        if (godwit__migration_section(m, GODWIT_KIND_DOWN, backend) == NULL) {
            snprintf(w, sizeof(w),
                     "%s cannot be reverted: what it and earlier migrations "
                     "made outside the scratch %s (roles, for one) stays "
                     "on the server",
                     m->path, b->place.database ? "database" : "schema");
            godwit__emit(g, GODWIT_EVENT_WARNING, m, 0, w);
            return 0;
        }
        g->progress = NULL; /* housekeeping, not news */
        rc = step(g, b->s, m, 0);
        g->progress = progress;
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Unlocks, closes the scratch session and drops the scratch place (the
 * run's migrations reverted first).  A failure before this is the news:
 * a later error is kept only when there was none. */
static int bench_close(godwit *g, bench *b, const godwit_set *set, size_t n,
                       int rc)
{
    godwit_err keep = GODWIT_ERR_INIT;
    godwit_berror be;
    int undone = 0;

    godwit__err_move(&keep, &g->err);
    if (b->s == &b->scratch && b->scratch.conn != NULL)
        undone = tear_down(g, b, set, n);
    if (undone < 0 && rc == 0) {
        rc = undone;
        godwit__err_move(&keep, &g->err);
    }
    if (b->locked) {
        godwit__berror_init(&be);
        godwit__session_unlock(b->s, &be);
    }
    if (b->s == &b->scratch) {
        godwit__use_session(g, &g->session);
        godwit__session_free(&b->scratch);
    }
    if (rc < 0)
        godwit__err_move(&g->err, &keep);
    godwit__err_clear(&keep);
    return godwit__scratch_drop(g, &b->place, rc);
}

int godwit_verify(godwit *g)
{
    godwit_set *set = NULL;
    godwit_lines state;
    bench b;
    int rc;
    size_t i;

    godwit__err_clear(&g->err);
    if ((rc = godwit__set_read(g, &set, 0)) < 0)
        return godwit__stopped(g, rc);
    if ((rc = bench_open(g, &b)) == 0)
        rc = prepare(g, &b);
    memset(&state, 0, sizeof(state));
    for (i = 0; rc == 0 && i < set->n; i++)
        rc = prove(g, b.s, set->items[i], &state);
    godwit__lines_free(&state);
    rc = bench_close(g, &b, set, i, rc);
    godwit__set_free(set);
    return godwit__stopped(g, rc);
}
