/*
 * sqlwriter.h - snprintf-style SQL text for a backend's render method:
 * writes what fits into the caller's buffer and counts what is needed.
 * Linked into each in-tree backend module; not part of the plugin ABI.
 */
#ifndef GODWIT_SQLWRITER_H
#define GODWIT_SQLWRITER_H

#include <stddef.h>

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

/* NUL-terminates and returns the needed length (as render returns). */
int sqlw_finish(sqlw *w);

#endif
