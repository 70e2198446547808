/*
 * mysql-int.h - shared by the MySQL/MariaDB backend's files; not
 * installed.  The backend is built the way a third party builds one: from
 * the installed godwit-backend.h and pkg-config data alone, with none of
 * the other in-tree backends' code.
 */
#ifndef GODWIT_MYSQL_INT_H
#define GODWIT_MYSQL_INT_H

#include <mysql.h>
#include <stddef.h>

#include "godwit-backend.h"

/* Where to connect, decoded from the URL; the strings are owned. */
typedef struct my_where {
    char *host, *user, *password, *database, *socket;
    unsigned port;
} my_where;

struct godwit_conn {
    MYSQL *my;
    my_where where;      /* for cancel's second connection */
    unsigned long id;    /* the server's connection id, for KILL QUERY */
    char *table;         /* history table; owned */
    char *schema;        /* history database: configured or current; owned */
    int explicit_schema; /* schema came from the target */
    char lock_name[72];  /* GET_LOCK name for schema.table */
    double lock_timeout;
};

/* Parses a mysql:// or mariadb:// URL into w (freed by my_where_free);
 * GODWIT_EUSAGE with err's message naming what is wrong. */
int my_where_parse(my_where *w, const char *url, godwit_berror *err);
void my_where_free(my_where *w);

/* Fills err from the connection's last error; statement is the 0-based
 * index of the failing statement of a script, or -1. */
int my_fail(godwit_conn *c, long statement, godwit_berror *err);

/* Runs one statement and returns its rows (NULL when it has none); the
 * caller frees them with mysql_free_result. */
int my_query(godwit_conn *c, const char *sql, MYSQL_RES **out,
             godwit_berror *err);

/* A snprintf-style writer of SQL text, for render. */
typedef struct my_sql {
    char *buf;
    size_t cap, len;
} my_sql;

void my_raw(my_sql *w, const char *s);
void my_ident(my_sql *w, const char *s);  /* `a``b` */
void my_string(my_sql *w, const char *s); /* 'it''s \\', or NULL */
void my_table(my_sql *w, const char *schema, const char *table);

int my_render(const godwit_target *t, godwit_sql what,
              const godwit_history_row *row, char *buf, size_t cap);
int my_history_read(godwit_conn *c, godwit_history_fn fn, void *ctx,
                    godwit_berror *err);
int my_history_has(godwit_conn *c, const char *version, int *applied,
                   godwit_berror *err);
int my_lock(godwit_conn *c, double timeout, godwit_berror *err);
int my_unlock(godwit_conn *c, godwit_berror *err);
int my_lock_holder(godwit_conn *c, char *out, size_t cap, godwit_berror *err);
int my_snapshot(godwit_conn *c, godwit_line_fn fn, void *ctx,
                godwit_berror *err);

#endif
