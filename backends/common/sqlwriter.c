/* sqlwriter.c - snprintf-style SQL text; see sqlwriter.h. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "sqlwriter.h"

void sqlw_init(sqlw *w, char *buf, size_t cap)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
    if (cap > 0)
        buf[0] = '\0';
}

static void put(sqlw *w, char c)
{
    if (w->len + 1 < w->cap)
        w->buf[w->len] = c;
    w->len++;
}

void sqlw_raw(sqlw *w, const char *s)
{
    while (*s != '\0')
        put(w, *s++);
}

static void quoted(sqlw *w, const char *s, char q)
{
    put(w, q);
    for (; *s != '\0'; s++) {
        if (*s == q)
            put(w, q);
        put(w, *s);
    }
    put(w, q);
}

void sqlw_ident(sqlw *w, const char *s)
{
    quoted(w, s, '"');
}

void sqlw_qualified(sqlw *w, const char *schema, const char *table)
{
    if (schema != NULL && *schema != '\0') {
        sqlw_ident(w, schema);
        put(w, '.');
    }
    sqlw_ident(w, table);
}

void sqlw_string(sqlw *w, const char *s)
{
    quoted(w, s, '\'');
}

void sqlw_long(sqlw *w, long v)
{
    char num[32];

    snprintf(num, sizeof(num), "%ld", v);
    sqlw_raw(w, num);
}

/* A string literal, or NULL. */
static void string_or_null(sqlw *w, const char *s)
{
    if (s != NULL)
        sqlw_string(w, s);
    else
        sqlw_raw(w, "NULL");
}

/* statements_done and error, meaningful only with in_progress. */
static void progress_values(sqlw *w, const godwit_history_row *row)
{
    if (row->in_progress != NULL)
        sqlw_long(w, row->statements_done);
    else
        sqlw_raw(w, "NULL");
    sqlw_raw(w, ", ");
    string_or_null(w, row->in_progress ? row->error : NULL);
}

void sqlw_history_insert(sqlw *w, const char *schema, const char *table,
                         const godwit_history_row *row, const char *now_sql,
                         const char *since_sql)
{
    sqlw_raw(w, "INSERT INTO ");
    sqlw_qualified(w, schema, table);
    sqlw_raw(w, " (version, name, checksum, applied_at, duration_ms, "
                "in_progress, statements_done, error, applied_by) VALUES (");
    sqlw_string(w, row->version);
    sqlw_raw(w, ", ");
    sqlw_string(w, row->name);
    sqlw_raw(w, ", ");
    sqlw_string(w, row->checksum);
    sqlw_raw(w, ", ");
    if (row->applied_at != NULL)
        sqlw_string(w, row->applied_at);
    else
        sqlw_raw(w, now_sql);
    sqlw_raw(w, ", ");
    if (row->duration_ms >= 0)
        sqlw_long(w, row->duration_ms);
    else
        sqlw_raw(w, since_sql);
    sqlw_raw(w, ", ");
    string_or_null(w, row->in_progress);
    sqlw_raw(w, ", ");
    progress_values(w, row);
    sqlw_raw(w, ", ");
    string_or_null(w, row->applied_by);
    sqlw_raw(w, ");\n");
}

void sqlw_history_format(sqlw *w, const char *insert, const char *schema,
                         const char *table, const char *now_sql,
                         const char *if_new)
{
    char checksum[32];

    snprintf(checksum, sizeof(checksum), "format:%d", GODWIT_HISTORY_FORMAT);
    sqlw_raw(w, insert);
    sqlw_raw(w, " ");
    sqlw_qualified(w, schema, table);
    sqlw_raw(w, " (version, name, checksum, applied_at, duration_ms) VALUES "
                "('', 'godwit history table format', ");
    sqlw_string(w, checksum);
    sqlw_raw(w, ", ");
    sqlw_raw(w, now_sql);
    sqlw_raw(w, ", 0)");
    sqlw_raw(w, if_new);
    sqlw_raw(w, ";\n");
}

void sqlw_history_update(sqlw *w, const char *schema, const char *table,
                         const godwit_history_row *row)
{
    sqlw_raw(w, "UPDATE ");
    sqlw_qualified(w, schema, table);
    sqlw_raw(w, " SET checksum = ");
    sqlw_string(w, row->checksum);
    sqlw_raw(w, ", duration_ms = ");
    sqlw_long(w, row->duration_ms);
    sqlw_raw(w, ", in_progress = ");
    string_or_null(w, row->in_progress);
    sqlw_raw(w, ", (statements_done, error) = (");
    progress_values(w, row);
    sqlw_raw(w, ") WHERE version = ");
    sqlw_string(w, row->version);
    sqlw_raw(w, ";\n");
}

void sqlw_history_delete(sqlw *w, const char *schema, const char *table,
                         const char *version)
{
    sqlw_raw(w, "DELETE FROM ");
    sqlw_qualified(w, schema, table);
    sqlw_raw(w, " WHERE version = ");
    sqlw_string(w, version);
    sqlw_raw(w, ";\n");
}

int sqlw_finish(sqlw *w)
{
    if (w->cap > 0)
        w->buf[w->len < w->cap ? w->len : w->cap - 1] = '\0';
    return w->len > INT_MAX ? -1 : (int)w->len;
}

int sqlw_report_format1(godwit_history_fn fn, void *ctx, godwit_berror *err)
{
    godwit_history_row row;

    memset(err, 0, sizeof(*err)); /* the failure that said so is no error */
    err->offset = err->statement = -1;
    memset(&row, 0, sizeof(row));
    row.version = "";
    row.name = "godwit history table format";
    row.checksum = "format:1";
    row.applied_at = "";
    return fn(ctx, &row);
}

static int word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '$' ||
           (unsigned char)c >= 0x80;
}

static int blank_char(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

const char *sqlw_canonical(const char *sql, char *buf, size_t cap)
{
    size_t n = 0;
    char quote = 0;

    for (; sql != NULL && *sql != '\0' && n + 2 < cap; sql++) {
        if (quote == 0 && blank_char(*sql)) {
            while (blank_char(sql[1]))
                sql++;
            if (n > 0 && word_char(buf[n - 1]) && word_char(sql[1]))
                buf[n++] = ' ';
            continue;
        }
        if (quote == 0 && (*sql == '\'' || *sql == '"' || *sql == '`'))
            quote = *sql;
        else if (*sql == quote)
            quote = 0; /* a doubled quote closes and opens again */
        buf[n++] = *sql;
    }
    buf[n < cap ? n : cap - 1] = '\0';
    return buf;
}
