/*
 * sqlite_schema.c - the SQLite schema as canonical lines, from
 * sqlite_master and the table pragmas rather than from the stored CREATE
 * text, which ALTER TABLE edits in place.  Views, triggers and explicit
 * indexes are described by their SQL with blanks squeezed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "sqlite-int.h"
#include "sqlwriter.h"

typedef struct out {
    godwit_line_fn fn;
    void *ctx;
    int rc;
} out;

static void emit(out *o, const char *fmt, ...)
{
    char line[8192];
    va_list ap;

    if (o->rc != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    o->rc = o->fn(o->ctx, line);
}

static const char *text(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);

    return t ? t : "";
}

/* The per-table queries, prepared once per snapshot rather than once per
 * table: with a thousand tables, preparing them was most of the cost. */
static const char *const table_sql[4] = {
    "SELECT name, type, \"notnull\", dflt_value, pk FROM "
    "pragma_table_info(?1)",
    /* REFERENCES p without columns means p's primary key: the same
     * constraint as with them written out, so the same line */
    "SELECT \"table\", group_concat(\"from\", ', '), "
    "coalesce(group_concat(\"to\", ', '), (SELECT group_concat(name, ', ') "
    "FROM (SELECT name FROM pragma_table_info(f.\"table\") WHERE pk > 0 "
    "ORDER BY pk))), on_update, on_delete "
    "FROM pragma_foreign_key_list(?1) AS f GROUP BY id",
    "SELECT (SELECT group_concat(name, ', ') FROM "
    "pragma_index_info(il.name)) FROM pragma_index_list(?1) "
    "il WHERE il.origin = 'u'",
    "SELECT group_concat(name, ', ') FROM (SELECT name FROM "
    "pragma_table_info(?1) ORDER BY cid)"};

#define NQUERIES (sizeof(table_sql) / sizeof(*table_sql))

typedef struct queries {
    sqlite3_stmt *st[NQUERIES];
} queries;

static void queries_free(queries *q)
{
    int i;

    for (i = 0; i < (int)NQUERIES; i++)
        sqlite3_finalize(q->st[i]);
}

static int queries_prepare(godwit_conn *c, queries *q, godwit_berror *err)
{
    int i, rc;

    memset(q, 0, sizeof(*q));
    for (i = 0; i < (int)NQUERIES; i++)
        if ((rc = sqlite3_prepare_v2(c->db, table_sql[i], -1, &q->st[i],
                                     NULL)) != SQLITE_OK) {
            queries_free(q);
            return sqlite_fail(c, rc, err);
        }
    return 0;
}

/* Runs st with ?1 = name and calls each() for every row. */
static int each_row(godwit_conn *c, sqlite3_stmt *st, const char *name,
                    void (*each)(out *, sqlite3_stmt *, const char *), out *o,
                    godwit_berror *err)
{
    int rc;

    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    while (o->rc == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
        each(o, st, name);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sqlite_fail(c, rc, err);
}

static void column(out *o, sqlite3_stmt *st, const char *table)
{
    emit(o, "table %s column %s %s%s%s%s%s", table, text(st, 0), text(st, 1),
         sqlite3_column_int(st, 2) ? " not null" : "",
         sqlite3_column_type(st, 3) != SQLITE_NULL ? " default " : "",
         text(st, 3), sqlite3_column_int(st, 4) ? " primary key" : "");
}

static void foreign_key(out *o, sqlite3_stmt *st, const char *table)
{
    emit(o,
         "table %s foreign key (%s) references %s (%s) on update %s on "
         "delete %s",
         table, text(st, 1), text(st, 0), text(st, 2), text(st, 3),
         text(st, 4));
}

static void unique(out *o, sqlite3_stmt *st, const char *table)
{
    emit(o, "table %s unique (%s)", table, text(st, 0));
}

/* The columns in their order: SELECT * and INSERT without a column list
 * see it (a difference in it is a warning to verify). */
static void order(out *o, sqlite3_stmt *st, const char *table)
{
    emit(o, "table %s column order: %s", table, text(st, 0));
}

/* Skips a quoted run starting at p (p[0] is the quote); returns the
 * position after it. */
static const char *skip_quoted(const char *p)
{
    char q = *p++;

    while (*p != '\0' && !(*p == q && p[1] != q))
        p += *p == q ? 2 : 1;
    return *p ? p + 1 : p;
}

/* The CHECK constraints of a CREATE TABLE statement, which only its text
 * holds: "table t check (expr)", blanks squeezed. */
static void checks(out *o, const char *table, const char *sql)
{
    char expr[4096], flat[4096];
    const char *p = sql, *open;
    int depth;

    while (*p != '\0') {
        if (*p == '\'' || *p == '"' || *p == '`') {
            p = skip_quoted(p);
            continue;
        }
        if (strncasecmp(p, "check", 5) != 0 ||
            (p > sql && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
            p++;
            continue;
        }
        for (open = p + 5; isspace((unsigned char)*open); open++)
            ;
        if (*open != '(') {
            p += 5;
            continue;
        }
        for (p = open, depth = 0; *p; p++) {
            if (*p == '\'' || *p == '"') {
                p = skip_quoted(p) - 1;
                continue;
            }
            depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
            if (depth == 0)
                break;
        }
        snprintf(expr, sizeof(expr), "%.*s", (int)(p - open + (*p != '\0')),
                 open);
        emit(o, "table %s check %s", table,
             sqlw_canonical(expr, flat, sizeof(flat)));
        if (*p != '\0')
            p++;
    }
}

static int describe_table(godwit_conn *c, const queries *q, const char *table,
                          const char *sql, out *o, godwit_berror *err)
{
    int rc;

    emit(o, "table %s", table);
    checks(o, table, sql);
    if ((rc = each_row(c, q->st[0], table, column, o, err)) < 0 ||
        (rc = each_row(c, q->st[1], table, foreign_key, o, err)) < 0)
        return rc;
    if ((rc = each_row(c, q->st[2], table, unique, o, err)) < 0)
        return rc;
    return each_row(c, q->st[3], table, order, o, err);
}

int sqlite_snapshot(godwit_conn *c, godwit_line_fn fn, void *ctx,
                    godwit_berror *err)
{
    sqlite3_stmt *st;
    char sql[16384];
    out o = {fn, ctx, 0};
    queries q;
    int rc;

    if (c->db == NULL)
        return 0; /* no file yet: an empty schema */
    if ((rc = queries_prepare(c, &q, err)) < 0)
        return rc;
    rc = sqlite3_prepare_v2(
        c->db,
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT "
        "LIKE 'sqlite_%' AND name <> ?1 AND tbl_name <> ?1",
        -1, &st, NULL);

    if (rc != SQLITE_OK) {
        queries_free(&q);
        return sqlite_fail(c, rc, err);
    }
    sqlite3_bind_text(st, 1, c->table, -1, SQLITE_STATIC);
    while (o.rc == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = text(st, 0), *name = text(st, 1);

        if (strcmp(type, "table") == 0) {
            if (describe_table(c, &q, name, text(st, 3), &o, err) < 0) {
                sqlite3_finalize(st);
                queries_free(&q);
                return GODWIT_ERROR;
            }
        } else if (strcmp(type, "view") == 0) {
            emit(&o, "view %s: %s", name,
                 sqlw_canonical(text(st, 3), sql, sizeof(sql)));
        } else if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
            emit(&o, "%s %s on %s: %s", type, name, text(st, 2),
                 sqlw_canonical(text(st, 3), sql, sizeof(sql)));
        }
    }
    sqlite3_finalize(st);
    queries_free(&q);
    if (o.rc != 0)
        return o.rc;
    return rc == SQLITE_DONE ? 0 : sqlite_fail(c, rc, err);
}
