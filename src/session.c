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

#define VT(s) ((s)->module->vt)

/* Sets s->conn under s's guard: godwit_interrupt may be reading it. */
static godwit_conn *swap_conn(godwit_session *s, godwit_conn *c)
{
    godwit_conn *old;

    if (s->guard != NULL)
        pthread_mutex_lock(s->guard);
    old = s->conn;
    s->conn = c;
    if (s->guard != NULL)
        pthread_mutex_unlock(s->guard);
    return old;
}

int godwit__session_open(godwit_session *s, godwit_berror *be)
{
    godwit_conn *c = NULL;
    int rc = VT(s)->connect(&c, &s->target, be);

    swap_conn(s, rc < 0 ? NULL : c);
    return rc;
}

void godwit__session_close(godwit_session *s)
{
    godwit_conn *c = swap_conn(s, NULL);

    if (c != NULL)
        VT(s)->disconnect(c);
}

void godwit__session_free(godwit_session *s)
{
    if (s->module != NULL)
        godwit__session_close(s);
    if (s->own_module)
        godwit__module_close(s->module);
    s->module = NULL;
}

/* Runs sql[0, len) with a NUL at len, as the ABI promises backends: the
 * byte there is swapped out for the call and put back (the caller lends
 * it, as a slice of a migration file's text or a buffer). */
int godwit__session_exec(godwit_session *s, char *sql, size_t len,
                         godwit_berror *be)
{
    char *end = sql + len, saved = *end;
    int rc;

    *end = '\0';
    rc = VT(s)->exec(s->conn, sql, len, be);
    *end = saved;
    return rc;
}

int godwit__session_render(const godwit_session *s, godwit_sql what,
                           const godwit_history_row *row, char *buf, size_t cap)
{
    return VT(s)->render(&s->target, what, row, buf, cap);
}

int godwit__session_history_read(godwit_session *s, godwit_history_fn fn,
                                 void *ctx, godwit_berror *be)
{
    return VT(s)->history_read(s->conn, fn, ctx, be);
}

int godwit__session_history_has(godwit_session *s, const char *version,
                                int *applied, godwit_berror *be)
{
    return VT(s)->history_has(s->conn, version, applied, be);
}

int godwit__session_lock(godwit_session *s, double timeout, godwit_berror *be)
{
    if (!GODWIT_HAS(VT(s), lock))
        return GODWIT_ENOTSUP;
    return VT(s)->lock(s->conn, timeout, be);
}

int godwit__session_unlock(godwit_session *s, godwit_berror *be)
{
    if (!GODWIT_HAS(VT(s), unlock))
        return GODWIT_ENOTSUP;
    return VT(s)->unlock(s->conn, be);
}

int godwit__session_lock_holder(godwit_session *s, char *out, size_t cap,
                                godwit_berror *be)
{
    if (!GODWIT_HAS(VT(s), lock_holder))
        return GODWIT_ENOTSUP;
    return VT(s)->lock_holder(s->conn, out, cap, be);
}

void godwit__session_cancel(godwit_session *s)
{
    godwit_conn *c = s->conn; /* another thread runs on it: see the guard */

    if (c != NULL && GODWIT_HAS(VT(s), cancel))
        VT(s)->cancel(c);
}

int godwit__session_query(godwit_session *s, const char *sql, godwit_row_fn fn,
                          void *ctx, godwit_berror *be)
{
    if (!GODWIT_HAS(VT(s), query))
        return GODWIT_ENOTSUP;
    return VT(s)->query(s->conn, sql, fn, ctx, be);
}

int godwit__session_ping(godwit_session *s, godwit_berror *be)
{
    if (!GODWIT_HAS(VT(s), ping))
        return GODWIT_ENOTSUP;
    return VT(s)->ping(s->conn, be);
}

int godwit__session_snapshot(godwit_session *s, godwit_line_fn fn, void *ctx,
                             godwit_berror *be)
{
    if (!GODWIT_HAS(VT(s), snapshot))
        return GODWIT_ENOTSUP;
    return VT(s)->snapshot(s->conn, fn, ctx, be);
}

const char *godwit__session_backend(const godwit_session *s)
{
    return VT(s)->name;
}

int godwit__session_can(const godwit_session *s, unsigned cap)
{
    return (VT(s)->caps & cap) != 0;
}

unsigned godwit__session_dialect(const godwit_session *s)
{
    if (offsetof(godwit_backend, dialect) + sizeof(VT(s)->dialect) >
        VT(s)->struct_size)
        return 0;
    return VT(s)->dialect;
}

void godwit__berror_init(godwit_berror *be)
{
    memset(be, 0, sizeof(*be));
    be->offset = -1;
    be->statement = -1;
}

const char *godwit__berror_cut(const godwit_berror *be)
{
    return strlen(be->message) + 1 >= sizeof(be->message) ? "..." : "";
}
