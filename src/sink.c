/*
 * sink.c - where a command's SQL goes: run through the session, or
 * appended to the script godwit_script() returns.  Printing is a sink and
 * not a mode of the handle, so that one handle serves godwit_script(),
 * godwit_up() and godwit_status_read() in any order.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "godwit-int.h"

static int contains(const char *sql, size_t len, const char *s)
{
    size_t i, n = strlen(s);

    for (i = 0; i + n <= len; i++)
        if (memcmp(sql + i, s, n) == 0)
            return 1;
    return 0;
}

/* The first of a few delimiters that does not occur in sql[0, len). */
static const char *free_delimiter(const char *sql, size_t len)
{
    static const char *const tries[] = {";;", "$$", "//", "$$$$", "%%%%"};
    size_t i;

    for (i = 0; i < sizeof(tries) / sizeof(*tries) - 1; i++)
        if (!contains(sql, len, tries[i]))
            break;
    return tries[i];
}

/* One statement as the mysql client takes it: one with ';' inside (a
 * BEGIN ... END body, or a ';' in a string, where it does no harm) is
 * written between DELIMITER lines, as mysqldump writes routines. */
static int append_statement(unsigned dialect, godwit_buf *b, const char *sql,
                            size_t len)
{
    const char *d;

    if (!(dialect & GODWIT_DIALECT_CLIENT_DELIMITER) || !memchr(sql, ';', len))
        return godwit__sql_append(dialect, b, sql, len, 1);
    d = free_delimiter(sql, len);
    if (godwit__buf_printf(b, "DELIMITER %s\n", d) < 0 ||
        godwit__buf_put(b, sql, len) < 0 ||
        godwit__buf_printf(b, "%s\nDELIMITER ;\n", d) < 0)
        return GODWIT_ENOMEM;
    return 0;
}

int godwit__sink_exec(const godwit_sink *s, char *sql, size_t len, int what,
                      godwit_berror *be)
{
    unsigned dialect = godwit__session_dialect(s->s);
    int rc;

    if (GODWIT_SINK_LIVE(s))
        return godwit__session_exec(s->s, sql, len, be);
    if (what == GODWIT_SINK_STATEMENT)
        rc = append_statement(dialect, s->script, sql, len);
    else
        rc = godwit__sql_append(dialect, s->script, sql, len,
                                what != GODWIT_SINK_RENDERED);
    if (rc < 0) {
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
