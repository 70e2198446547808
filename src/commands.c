/*
 * commands.c - the library calls behind godwit's commands: load the
 * migration set, connect, lock, read history, check, plan, run.
 */
#include <string.h>

#include "godwit-int.h"

typedef int (*planner)(godwit_plan *p, const godwit_view *v, const char *target,
                       godwit_err *e);

static int lock(godwit *g, godwit_loaded *st)
{
    const godwit_backend *vt = g->module->vt;
    godwit_berror be;

    if (!GODWIT_HAS(vt, lock))
        return 0;
    godwit__berror_init(&be);
    if (vt->lock(g->conn, &be) < 0)
        return godwit__berr(&g->err, &be, "cannot take the migration lock");
    st->locked = 1;
    return 0;
}

void godwit__unload(godwit *g, godwit_loaded *st)
{
    godwit_berror be;

    if (st->locked && GODWIT_HAS(g->module->vt, unlock)) {
        godwit__berror_init(&be);
        g->module->vt->unlock(g->conn, &be);
    }
    godwit__view_free(&st->view);
    godwit__history_free(&st->history);
    godwit__set_free(st->set);
}

static int create_history(godwit *g)
{
    godwit_buf sql = GODWIT_BUF_INIT;
    godwit_target t;
    godwit_berror be;
    int rc;

    godwit__target(g, &t);
    godwit__berror_init(&be);
    rc = godwit__render(g->module->vt, &t, GODWIT_SQL_HISTORY_CREATE, NULL,
                        &sql, &g->err);
    if (rc == 0 && g->module->vt->exec(g->conn, sql.ptr, sql.len, &be) < 0)
        rc = godwit__berr(&g->err, &be, "cannot create the history table");
    godwit__buf_free(&sql);
    return rc;
}

int godwit__load(godwit *g, godwit_loaded *st, int change)
{
    int rc;

    memset(st, 0, sizeof(*st));
    godwit__err_clear(&g->err);
    if ((rc = godwit__set_load(&st->set, g->cfg.value[GODWIT_KEY_DIR], 0,
                               &g->err)) < 0 ||
        (rc = godwit__connect(g)) < 0)
        return rc;
    if (change && ((rc = lock(g, st)) < 0 || (rc = create_history(g)) < 0))
        return rc;
    if ((rc = godwit__history_load(&st->history, g->module->vt, g->conn,
                                   &g->err)) < 0)
        return rc;
    return godwit__view_build(&st->view, st->set, &st->history, &g->err);
}

static int migrate(godwit *g, planner plan, const char *target,
                   unsigned check_flags)
{
    godwit_plan p;
    godwit_loaded st;
    int rc;

    memset(&p, 0, sizeof(p));
    if ((rc = godwit__load(g, &st, 1)) == 0 &&
        (rc = godwit__view_check(&st.view, g->flags | check_flags, &g->err)) ==
            0 &&
        (rc = plan(&p, &st.view, target, &g->err)) == 0)
        rc = godwit__engine_run(g, &p);
    godwit__plan_free(&p);
    godwit__unload(g, &st);
    return rc;
}

static int plan_redo(godwit_plan *p, const godwit_view *v, const char *target,
                     godwit_err *e)
{
    (void)target;
    return godwit__plan_redo(p, v, e);
}

int godwit_up(godwit *g, const char *target)
{
    return migrate(g, godwit__plan_up, target, 0);
}

/* Reverting cannot be disturbed by old pending migrations. */
int godwit_down(godwit *g, const char *target)
{
    return migrate(g, godwit__plan_down, target, GODWIT_OPT_ALLOW_OUT_OF_ORDER);
}

int godwit_redo(godwit *g)
{
    return migrate(g, plan_redo, NULL, GODWIT_OPT_ALLOW_OUT_OF_ORDER);
}

int godwit_goto(godwit *g, const char *version)
{
    return migrate(g, godwit__plan_goto, version, 0);
}

int godwit_validate(godwit *g)
{
    godwit_loaded st;
    int rc;

    if ((rc = godwit__load(g, &st, 0)) == 0)
        rc = godwit__view_check(&st.view, g->flags, &g->err);
    godwit__unload(g, &st);
    return rc;
}

static int read_status(godwit *g, godwit_status **out, int history_only)
{
    godwit_loaded st;
    int rc;

    *out = NULL;
    if ((rc = godwit__load(g, &st, 0)) == 0)
        rc = godwit__status_build(out, &st.view, history_only, &g->err);
    godwit__unload(g, &st);
    return rc;
}

int godwit_status_read(godwit *g, godwit_status **out)
{
    return read_status(g, out, 0);
}

int godwit_history_read(godwit *g, godwit_status **out)
{
    return read_status(g, out, 1);
}
