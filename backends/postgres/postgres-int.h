/* postgres-int.h - shared by the postgres backend's files; not installed. */
#ifndef GODWIT_POSTGRES_INT_H
#define GODWIT_POSTGRES_INT_H

#include <libpq-fe.h>

#include "godwit-backend.h"

struct godwit_conn {
    PGconn *pg;
    PGcancel *cancel;      /* for the cancel method, made at connect */
    char *url;             /* the target's URL, for the lock probe; owned */
    char *table;           /* history table; owned */
    char *schema;          /* history schema: configured or current, known once
                              set_up; owned */
    char *explicit_schema; /* the target's schema, or NULL; owned */
    double lock_timeout;
    char lock_ms[24];    /* lock_timeout in ms, for the set-up */
    int set_up;          /* the session set-up has run (postgres_session.c) */
    long long lock_key;  /* advisory lock key for schema.table, once set_up */
    PGresult *history;   /* the history read with the lock, for the
                            history_read right after it; or NULL */
    int history_missing; /* ... which found no history table */
    PGconn *probe;       /* while exec waits long: asks who blocks it */
    char blocker[320];   /* what the probe last saw blocking exec, or "" */
};

/* Fills err from a failed result (or the connection when res is NULL);
 * sql and statement locate the error in a script, when known. */
int pg_fail(godwit_conn *c, const PGresult *res, const char *sql,
            long statement, godwit_berror *err);

/* Runs one statement with text parameters; *out is the caller's to
 * PQclear.  Fails unless it returned tuples or completed.  Results come
 * as text, or with pg_query_as(binary=1) in the server's binary form. */
int pg_query(godwit_conn *c, const char *sql, int nparams,
             const char *const *params, PGresult **out, godwit_berror *err);
int pg_query_as(godwit_conn *c, const char *sql, int nparams,
                const char *const *params, int binary, PGresult **out,
                godwit_berror *err);

/* postgres_session.c: the round trips of a session.  pg_ready makes the
 * connection ready for a query: the session set up (schema, lock key)
 * and the history kept by pg_trip forgotten; every query but pg_trip's
 * calls it.  pg_trip, in one round trip, sets the session up if it is
 * not yet, tries the lock with try_lock (*got: had; once set up, only
 * with try_lock), and reads the history, which it keeps in c for the
 * pg_history_read that follows, unless the lock was tried and not had. */
int pg_ready(godwit_conn *c, godwit_berror *err);
int pg_trip(godwit_conn *c, int try_lock, int *got, godwit_berror *err);

/* The history's columns, as the history reads select them: those of
 * format 1, then applied_by. */
#define PG_COLUMNS_1                                                           \
    "SELECT version::text, name::text, checksum::text, "                       \
    "applied_at::timestamptz, duration_ms::int8, in_progress::text, "          \
    "statements_done::int8, error::text"
#define PG_HISTORY_COLUMNS PG_COLUMNS_1 ", applied_by::text"

/* Appends the quoted, schema-qualified history table to buf. */
int pg_table(const godwit_conn *c, char *buf, size_t cap);

/* The scratch database the target names (GODWIT_CAP_SCRATCH_DATABASE),
 * or NULL: a target of version 1 has none. */
#define pg_scratch_database(t) ((t)->version >= 2 ? (t)->database : NULL)

int pg_render(const godwit_target *t, godwit_sql what,
              const godwit_history_row *row, char *buf, size_t cap);
int pg_history_read(godwit_conn *c, godwit_history_fn fn, void *ctx,
                    godwit_berror *err);
int pg_history_has(godwit_conn *c, const char *version, int *applied,
                   godwit_berror *err);
int pg_lock(godwit_conn *c, double timeout, godwit_berror *err);

/* seconds as milliseconds for lock_timeout: at least 1 (0 would be
 * forever), at most what the setting takes. */
long pg_lock_ms(double seconds);
int pg_snapshot(godwit_conn *c, godwit_line_fn fn, void *ctx,
                godwit_berror *err);
int pg_unlock(godwit_conn *c, godwit_berror *err);
int pg_lock_holder(godwit_conn *c, char *out, size_t cap, godwit_berror *err);

#endif
