/*
 * diff.c - drift: the database's schema against what its history says it
 * should be (the applied migrations replayed, in order, on a scratch
 * database), or against another database's schema.  Both sides are
 * dumps (godwit dump), compared line by line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "godwit-int.h"

static int put(void *ctx, int side, const char *line)
{
    return godwit__buf_printf(ctx, "%c %s\n", side < 0 ? '-' : '+', line) < 0
               ? GODWIT_ENOMEM
               : 0;
}

/* The differences of want and got, "- " for a line only want has and
 * "+ " for one only got has, into *out ("" when none). */
static int difference(godwit *g, const godwit_lines *want,
                      const godwit_lines *got, char **out)
{
    godwit_buf b = GODWIT_BUF_INIT;

    if (godwit__lines_walk(want, got, put, &b) < 0 ||
        godwit__buf_puts(&b, "") < 0 ||
        (*out = godwit__buf_detach(&b)) == NULL) {
        godwit__buf_free(&b);
        return godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
    }
    return 0;
}

/* The steps that rebuild what history records: every applied migration,
 * in version order, from its file as it is. */
static int replay_plan(godwit *g, const godwit_view *v, godwit_plan *p)
{
    size_t i;

    memset(p, 0, sizeof(*p));
    if ((p->steps = calloc(v->n ? v->n : 1, sizeof(*p->steps))) == NULL)
        return godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
    for (i = 0; i < v->n; i++) {
        const godwit_entry *e = &v->entries[i];

        if (e->row == NULL)
            continue;
        if (e->m == NULL || e->state != GODWIT_STATE_APPLIED) {
            godwit__plan_free(p);
            return godwit__err_set(
                &g->err, GODWIT_ECONFLICT,
                "%s is %s: diff cannot replay history that its files do not "
                "match; see godwit validate",
                e->version, godwit_state_name(e->state));
        }
        p->steps[p->n].m = e->m;
        p->steps[p->n].up = 1;
        p->steps[p->n++].resume_at = -1;
    }
    return 0;
}

/* The scratch handle: on the database's own server in a scratch
 * database or schema (scratch.c, dropped by the caller), else at
 * scratch_url, which must be an empty database. */
static int scratch_open(godwit *g, const char *scratch_url,
                        godwit_scratch *place, godwit **h)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    godwit_lines l;
    int rc;

    o.url = scratch_url ? scratch_url : g->cfg.value[GODWIT_KEY_URL];
    o.dir = g->cfg.value[GODWIT_KEY_DIR];
    o.embedded = g->embedded;
    o.table = g->cfg.value[GODWIT_KEY_TABLE];
    o.backend_path = g->cfg.value[GODWIT_KEY_BACKEND_PATH];
    o.lock_timeout = g->lock_timeout;
    if (scratch_url == NULL &&
        (rc = godwit__scratch_create(g, place, "diff")) < 0)
        return rc != GODWIT_ENOTSUP
                   ? rc
                   : godwit__err_set(&g->err, GODWIT_EUSAGE,
                                     "diff needs a scratch database to replay "
                                     "the history of %s in: give one (godwit "
                                     "diff --scratch URL)",
                                     g->redacted_url);
    if ((rc = godwit_open(h, &o)) < 0 && *h == NULL)
        return godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
    if (rc < 0)
        return godwit__err_move(&g->err, &(*h)->err), rc;
    if (scratch_url == NULL) {
        godwit__scratch_warn(g, place, "diff");
        (*h)->session.target = place->target; /* g's strings: g outlives h */
        return 0;
    }
    if ((rc = godwit__schema_read(*h, &(*h)->session, &l)) < 0)
        return godwit__err_move(&g->err, &(*h)->err), rc;
    rc = l.n > 0;
    godwit__lines_free(&l);
    return rc ? godwit__err_set(&g->err, GODWIT_EUSAGE,
                                "diff needs an empty scratch database, and "
                                "%s is not empty",
                                (*h)->redacted_url)
              : 0;
}

/* Replays plan on h and reads what it made. */
static int rebuild(godwit *g, godwit *h, const godwit_plan *p,
                   godwit_lines *want)
{
    godwit_sink live = {h, &h->session, NULL};
    int rc;

    if ((rc = godwit__connect(h, &h->session)) < 0 ||
        (rc = godwit__engine_create_history(&live)) < 0 ||
        (rc = godwit__engine_run(&live, p, GODWIT_HISTORY_FORMAT)) < 0 ||
        (rc = godwit__schema_read(h, &h->session, want)) < 0)
        godwit__err_move(&g->err, &h->err);
    return rc;
}

int godwit_diff(godwit *g, const char *scratch_url, char **out)
{
    godwit_lines want, got;
    godwit_loaded st;
    godwit_plan plan;
    godwit *h = NULL;
    godwit_scratch place;
    int rc;

    *out = NULL;
    godwit__err_clear(&g->err);
    memset(&want, 0, sizeof(want));
    memset(&got, 0, sizeof(got));
    memset(&place, 0, sizeof(place));
    if ((rc = godwit__load(g, &st, 0, NULL)) < 0)
        return godwit__stopped(g, rc);
    if ((rc = replay_plan(g, &st.view, &plan)) == 0 &&
        (rc = scratch_open(g, scratch_url, &place, &h)) == 0 &&
        (rc = rebuild(g, h, &plan, &want)) == 0 &&
        (rc = godwit__schema_read(g, &g->session, &got)) == 0)
        rc = difference(g, &want, &got, out);
    godwit_close(h);
    rc = godwit__scratch_drop(g, &place, rc);
    godwit__plan_free(&plan);
    godwit__lines_free(&want);
    godwit__lines_free(&got);
    godwit__unload(g, &st);
    return godwit__stopped(g, rc);
}

int godwit_diff_with(godwit *a, godwit *b, char **out)
{
    godwit_lines want, got;
    int rc;

    *out = NULL;
    godwit__err_clear(&a->err);
    memset(&want, 0, sizeof(want));
    memset(&got, 0, sizeof(got));
    if ((rc = godwit__schema_read(a, &a->session, &want)) == 0 &&
        (rc = godwit__schema_read(b, &b->session, &got)) < 0)
        godwit__err_move(&a->err, &b->err);
    else if (rc == 0)
        rc = difference(a, &want, &got, out);
    godwit__lines_free(&want);
    godwit__lines_free(&got);
    return rc;
}
