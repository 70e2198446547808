/*
 * sink.c - where a command's SQL goes: run through the session, or
 * appended to the script godwit_script() returns.  Printing is a sink and
 * not a mode of the handle, so that one handle serves godwit_script(),
 * godwit_up() and godwit_status_read() in any order.
 */
#include <stdarg.h>
#include <stdio.h>

#include "godwit-int.h"

int godwit__sink_exec(const godwit_sink *s, char *sql, size_t len,
                      int statement, godwit_berror *be)
{
    if (GODWIT_SINK_LIVE(s))
        return godwit__session_exec(s->s, sql, len, be);
    if (godwit__sql_append(godwit__session_dialect(s->s), s->script, sql, len,
                           statement) < 0) {
        snprintf(be->message, sizeof(be->message), "out of memory");
        return be->code = GODWIT_ENOMEM;
    }
    return 0;
}

void godwit__sink_note(const godwit_sink *s, const char *fmt, ...)
{
    va_list ap;

    if (GODWIT_SINK_LIVE(s))
        return;
    va_start(ap, fmt);
    godwit__buf_vprintf(s->script, fmt, ap); /* lost to memory: a comment */
    va_end(ap);
}

void godwit__sink_emit(const godwit_sink *s, godwit_event_type type,
                       const godwit_migration *m, long duration_ms,
                       const char *detail)
{
    if (GODWIT_SINK_LIVE(s))
        godwit__emit(s->g, type, m, duration_ms, detail);
}
