/*
 * diag.c - an error, from where it is detected to the handle: set once,
 * with its message whole (allocated to fit, never cut), and what an
 * embedder may want without parsing it: the location in a file and the
 * database's SQLSTATE.
 */
#include <stdlib.h>
#include <string.h>

#include "godwit-util.h"

void godwit__err_clear(godwit_err *e)
{
    free(e->msg);
    free(e->file);
    memset(e, 0, sizeof(*e));
}

void godwit__err_move(godwit_err *dst, godwit_err *src)
{
    if (dst == src)
        return;
    godwit__err_clear(dst);
    *dst = *src;
    memset(src, 0, sizeof(*src));
}

const char *godwit__err_msg(const godwit_err *e)
{
    if (e->msg != NULL)
        return e->msg;
    return e->code == GODWIT_OK ? "no error" : "out of memory";
}

/* Replaces e with code and the message in b (taken), at file:line:col
 * when file is set.  The old message may be among the arguments that
 * made b, so it is freed only now. */
static int set(godwit_err *e, int code, godwit_buf *b, const char *file,
               unsigned line, unsigned column)
{
    char *where = file ? godwit__strdup(file) : NULL;

    godwit__err_clear(e);
    e->code = code;
    e->msg = b->ptr; /* NULL if memory ran out: "out of memory" */
    e->file = where;
    e->line = where ? line : 0;
    e->column = where ? column : 0;
    return code;
}

int godwit__err_set(godwit_err *e, int code, const char *fmt, ...)
{
    godwit_buf b = GODWIT_BUF_INIT;
    va_list ap;

    if (e == NULL)
        return code;
    va_start(ap, fmt);
    if (godwit__buf_vprintf(&b, fmt, ap) < 0)
        godwit__buf_free(&b);
    va_end(ap);
    return set(e, code, &b, NULL, 0, 0);
}

int godwit__err_at(godwit_err *e, int code, const char *file, unsigned line,
                   unsigned column, const char *fmt, ...)
{
    godwit_buf b = GODWIT_BUF_INIT;
    va_list ap;
    int rc;

    if (e == NULL)
        return code;
    rc = column ? godwit__buf_printf(&b, "%s:%u:%u: ", file, line, column)
                : godwit__buf_printf(&b, "%s:%u: ", file, line);
    va_start(ap, fmt);
    if (rc < 0 || godwit__buf_vprintf(&b, fmt, ap) < 0)
        godwit__buf_free(&b);
    va_end(ap);
    return set(e, code, &b, file, line, column);
}

void godwit__err_sqlstate(godwit_err *e, const char *sqlstate)
{
    size_t n = strlen(sqlstate);

    if (e == NULL || n >= sizeof(e->sqlstate))
        return;
    memcpy(e->sqlstate, sqlstate, n + 1);
}
