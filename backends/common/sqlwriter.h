/*
 * sqlwriter.h - snprintf-style SQL text for a backend's render method:
 * writes what fits into the caller's buffer and counts what is needed.
 * Linked into each in-tree backend module; not part of the plugin ABI.
 */
#ifndef GODWIT_SQLWRITER_H
#define GODWIT_SQLWRITER_H

#include <stddef.h>

#include "godwit-backend.h"

typedef struct sqlw {
    char *buf;  /* caller's buffer, may be NULL when cap is 0 */
    size_t cap; /* its size */
    size_t len; /* bytes wanted so far, excluding the NUL */
} sqlw;

/* Starts writing into buf[cap]. */
void sqlw_init(sqlw *w, char *buf, size_t cap);

/* Appends text as is. */
void sqlw_raw(sqlw *w, const char *s);

/* Appends s as a quoted identifier ("a""b"). */
void sqlw_ident(sqlw *w, const char *s);

/* Appends schema.table, or table alone when schema is NULL or empty. */
void sqlw_qualified(sqlw *w, const char *schema, const char *table);

/* Appends s as a string literal ('it''s'). */
void sqlw_string(sqlw *w, const char *s);

/* Appends a decimal number. */
void sqlw_long(sqlw *w, long v);

/* INSERT of a history row into schema.table (schema may be NULL); a NULL
 * applied_at takes the SQL expression now_sql, the database's clock, and a
 * negative duration_ms the expression since_sql, the milliseconds since
 * the transaction began. */
void sqlw_history_insert(sqlw *w, const char *schema, const char *table,
                         const godwit_history_row *row, const char *now_sql,
                         const char *since_sql);

/* The history table's format row (GODWIT_HISTORY_FORMAT): `insert` is
 * "INSERT INTO" or the dialect's way to skip an existing key, and if_new
 * what follows the values for that ("" or " ON CONFLICT ..."). */
void sqlw_history_format(sqlw *w, const char *insert, const char *schema,
                         const char *table, const char *now_sql,
                         const char *if_new);

/* For history_read on a format-1 table (no applied_by column), which it
 * found when reading with that column failed: clears err and reports the
 * row that says so (GODWIT_HISTORY_FORMAT); returns what fn returns. */
int sqlw_report_format1(godwit_history_fn fn, void *ctx, godwit_berror *err);

/* UPDATE of the mutable fields of row->version's history row. */
void sqlw_history_update(sqlw *w, const char *schema, const char *table,
                         const godwit_history_row *row);

/* DELETE of a version's history row from schema.table. */
void sqlw_history_delete(sqlw *w, const char *schema, const char *table,
                         const char *version);

/* SQL text in a canonical spacing, for snapshot lines: quoted runs
 * ('...', "...", `...`) as they are, and outside them every run of blanks
 * dropped, but for one space between two characters of words (letters,
 * digits, _, $ and UTF-8), so that
 * texts that differ only in blanks give the same line.  Into buf[cap]
 * (cut to fit); returns buf. */
const char *sqlw_canonical(const char *sql, char *buf, size_t cap);

/* NUL-terminates and returns the needed length (as render returns). */
int sqlw_finish(sqlw *w);

#endif
