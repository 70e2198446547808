/*
 * session.c - the one place the core calls through a backend's table.
 *
 * Every method of godwit_backend has one wrapper here, as SQLite's os.c
 * has for its VFS and curl's vtls.c for its TLS backends: the wrapper
 * checks that the plugin offers the method (inside its struct_size and
 * not NULL) and supplies what the host does without it, GODWIT_ENOTSUP
 * for the optional ones.  A reader who wants to know which members of the
 * ABI matter, and what the core does when one is missing, reads this
 * file.
 */
#include <string.h>

#include "godwit-int.h"

#define VT(g) ((g)->module->vt)

int godwit__session_open(godwit *g, const godwit_target *t, godwit_berror *be)
{
    godwit_conn *c = NULL;
    int rc = VT(g)->connect(&c, t, be);

    g->conn = rc < 0 ? NULL : c;
    return rc;
}

void godwit__session_close(godwit *g)
{
    if (g->conn != NULL)
        VT(g)->disconnect(g->conn);
    g->conn = NULL;
}

int godwit__session_exec(godwit *g, const char *sql, size_t len,
                         godwit_berror *be)
{
    return VT(g)->exec(g->conn, sql, len, be);
}

int godwit__session_render(const godwit_module *m, const godwit_target *t,
                           godwit_sql what, const godwit_history_row *row,
                           char *buf, size_t cap)
{
    return m->vt->render(t, what, row, buf, cap);
}

int godwit__session_history_read(godwit *g, godwit_history_fn fn, void *ctx,
                                 godwit_berror *be)
{
    return VT(g)->history_read(g->conn, fn, ctx, be);
}

int godwit__session_history_has(godwit *g, const char *version, int *applied,
                                godwit_berror *be)
{
    return VT(g)->history_has(g->conn, version, applied, be);
}

int godwit__session_lock(godwit *g, double timeout, godwit_berror *be)
{
    if (!GODWIT_HAS(VT(g), lock))
        return GODWIT_ENOTSUP;
    return VT(g)->lock(g->conn, timeout, be);
}

int godwit__session_unlock(godwit *g, godwit_berror *be)
{
    if (!GODWIT_HAS(VT(g), unlock))
        return GODWIT_ENOTSUP;
    return VT(g)->unlock(g->conn, be);
}

int godwit__session_lock_holder(godwit *g, char *out, size_t cap,
                                godwit_berror *be)
{
    if (!GODWIT_HAS(VT(g), lock_holder))
        return GODWIT_ENOTSUP;
    return VT(g)->lock_holder(g->conn, out, cap, be);
}

void godwit__session_cancel(godwit *g)
{
    godwit_conn *c = g->conn; /* another thread may be running on it */

    if (c != NULL && GODWIT_HAS(VT(g), cancel))
        VT(g)->cancel(c);
}

int godwit__session_ping(godwit *g, godwit_berror *be)
{
    if (!GODWIT_HAS(VT(g), ping))
        return GODWIT_ENOTSUP;
    return VT(g)->ping(g->conn, be);
}

int godwit__session_snapshot(godwit *g, godwit_line_fn fn, void *ctx,
                             godwit_berror *be)
{
    if (!GODWIT_HAS(VT(g), snapshot))
        return GODWIT_ENOTSUP;
    return VT(g)->snapshot(g->conn, fn, ctx, be);
}

const char *godwit__session_backend(const godwit *g)
{
    return VT(g)->name;
}

int godwit__session_can(const godwit *g, unsigned cap)
{
    return (VT(g)->caps & cap) != 0;
}

void godwit__berror_init(godwit_berror *be)
{
    memset(be, 0, sizeof(*be));
    be->offset = -1;
    be->statement = -1;
}
