/*
 * postgres_history.c - the PostgreSQL dialect of godwit's bookkeeping:
 * the history table, transactions, history reads and the advisory lock
 * that serialises migrators for a whole run.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "postgres-int.h"
#include "sqlwriter.h"

static void history_create(sqlw *w, const godwit_target *t)
{
    if (t->schema != NULL && *t->schema != '\0') {
        sqlw_raw(w, "CREATE SCHEMA IF NOT EXISTS ");
        sqlw_ident(w, t->schema);
        sqlw_raw(w, ";\n");
    }
    sqlw_raw(w, "CREATE TABLE IF NOT EXISTS ");
    sqlw_qualified(w, t->schema, t->table);
    sqlw_raw(w, " (\n    version TEXT NOT NULL PRIMARY KEY,\n"
                "    name TEXT NOT NULL,\n"
                "    checksum TEXT NOT NULL,\n"
                "    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
                "    duration_ms BIGINT NOT NULL,\n"
                "    in_progress TEXT,\n"
                "    statements_done BIGINT,\n"
                "    error TEXT,\n"
                "    applied_by TEXT\n);\n");
    sqlw_history_format(w, "INSERT INTO", t->schema, t->table, "now()",
                        " ON CONFLICT (version) DO NOTHING");
}

/* Format 1 had no applied_by; nothing else changed. */
static void history_upgrade(sqlw *w, const godwit_target *t)
{
    sqlw_raw(w, "ALTER TABLE ");
    sqlw_qualified(w, t->schema, t->table);
    sqlw_raw(w, " ADD COLUMN IF NOT EXISTS applied_by TEXT;\n");
    sqlw_history_format(w, "INSERT INTO", t->schema, t->table, "now()",
                        " ON CONFLICT (version) DO NOTHING");
}

int pg_render(const godwit_target *t, godwit_sql what,
              const godwit_history_row *row, char *buf, size_t cap)
{
    sqlw w;

    sqlw_init(&w, buf, cap);
    switch (what) {
    case GODWIT_SQL_HISTORY_CREATE: history_create(&w, t); break;
    case GODWIT_SQL_BEGIN: sqlw_raw(&w, "BEGIN;\n"); break;
    case GODWIT_SQL_COMMIT: sqlw_raw(&w, "COMMIT;\n"); break;
    case GODWIT_SQL_ROLLBACK: sqlw_raw(&w, "ROLLBACK;\n"); break;
    case GODWIT_SQL_RECORD:
        sqlw_history_insert(
            &w, t->schema, t->table, row, "now()",
            "(extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint");
        break;
    case GODWIT_SQL_UNRECORD:
        sqlw_history_delete(&w, t->schema, t->table, row->version);
        break;
    case GODWIT_SQL_UPDATE:
        sqlw_history_update(&w, t->schema, t->table, row);
        break;
    case GODWIT_SQL_SCRATCH_CREATE:
        if (pg_scratch_database(t) == NULL)
            return GODWIT_ENOTSUP;
        sqlw_raw(&w, "CREATE DATABASE ");
        sqlw_ident(&w, pg_scratch_database(t));
        sqlw_raw(&w, " TEMPLATE template0;\n");
        break;
    case GODWIT_SQL_SCRATCH_DROP:
        if (pg_scratch_database(t) != NULL) {
            sqlw_raw(&w, "DROP DATABASE IF EXISTS ");
            sqlw_ident(&w, pg_scratch_database(t));
            sqlw_raw(&w, ";\n");
            break;
        }
        sqlw_raw(&w, "DROP SCHEMA ");
        sqlw_ident(&w, t->schema ? t->schema : "");
        sqlw_raw(&w, " CASCADE;\n");
        break;
    case GODWIT_SQL_HISTORY_UPGRADE:
        if (row == NULL || row->statements_done != 1)
            return GODWIT_ENOTSUP;
        history_upgrade(&w, t);
        break;
    default: return GODWIT_ENOTSUP;
    }
    return sqlw_finish(&w);
}

int pg_table(const godwit_conn *c, char *buf, size_t cap)
{
    sqlw w;

    sqlw_init(&w, buf, cap);
    sqlw_qualified(&w, c->schema, c->table);
    return sqlw_finish(&w) < (int)cap ? 0 : GODWIT_EUSAGE;
}

/* Runs fmt (with one %s for the history table) with params; results as
 * text, or binary. */
static int table_query(godwit_conn *c, const char *fmt, int nparams,
                       const char *const *params, int binary, PGresult **res,
                       godwit_berror *err)
{
    char table[600], sql[1200];

    *res = NULL;
    if (pg_table(c, table, sizeof(table)) < 0) {
        snprintf(err->message, sizeof(err->message),
                 "history table name is too long");
        return err->code = GODWIT_EUSAGE;
    }
    snprintf(sql, sizeof(sql), fmt, table);
    return pg_query_as(c, sql, nparams, params, binary, res, err);
}

/* Whether a failed query failed only because the history table is not
 * there (or its schema: the same error), which means no history; the error
 * is cleared. */
static int no_table(godwit_berror *err)
{
    if (strcmp(err->sqlstate, "42P01") != 0) /* undefined_table */
        return 0;
    err->code = 0;
    err->message[0] = '\0';
    err->sqlstate[0] = '\0';
    return 1;
}

/* A bigint in binary form: 8 bytes, most significant first; 0 if NULL. */
static long long int8_at(const PGresult *res, int row, int col)
{
    const unsigned char *p = (const unsigned char *)PQgetvalue(res, row, col);
    unsigned long long v = 0;
    int i;

    if (PQgetlength(res, row, col) != 8)
        return 0;
    for (i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return (long long)v;
}

static const char *text_at(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* Writes n (>= 0) as width digits at p; returns the end. */
static char *digits(char *p, long n, int width)
{
    int i;

    for (i = width - 1; i >= 0; i--, n /= 10)
        p[i] = (char)('0' + n % 10);
    return p + width;
}

/* A timestamptz in binary form (microseconds since 2000-01-01 UTC) as
 * "2026-11-22T08:52:00.123Z", the form the SQLite backend stores.  Once
 * per history row, so the usual years skip snprintf (a third of the
 * whole read for 1000 rows). */
static void iso_utc(long long us, char *out, size_t cap)
{
    long long secs = us / 1000000, frac = us % 1000000;
    struct tm tm;
    time_t t;
    char *p = out;

    if (us == LLONG_MAX || us == LLONG_MIN) {
        snprintf(out, cap, "%sinfinity", us < 0 ? "-" : "");
        return;
    }
    if (frac < 0) {
        frac += 1000000;
        secs--;
    }
    t = (time_t)(secs + 946684800); /* 2000-01-01 in Unix time */
    if (gmtime_r(&t, &tm) == NULL) {
        snprintf(out, cap, "?");
        return;
    }
    if (tm.tm_year < -1900 || tm.tm_year > 9999 - 1900 || cap < 25) {
        snprintf(out, cap, "%d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec, (int)(frac / 1000));
        return;
    }
    p = digits(p, tm.tm_year + 1900, 4);
    *p++ = '-';
    p = digits(p, tm.tm_mon + 1, 2);
    *p++ = '-';
    p = digits(p, tm.tm_mday, 2);
    *p++ = 'T';
    p = digits(p, tm.tm_hour, 2);
    *p++ = ':';
    p = digits(p, tm.tm_min, 2);
    *p++ = ':';
    p = digits(p, tm.tm_sec, 2);
    *p++ = '.';
    p = digits(p, (long)(frac / 1000), 3);
    memcpy(p, "Z", 2);
}

/* Timestamps in binary form are integers since PostgreSQL 10; older
 * servers could be built with floating-point ones. */
static int integer_timestamps(godwit_conn *c, godwit_berror *err)
{
    const char *on = PQparameterStatus(c->pg, "integer_datetimes");

    if (on != NULL && strcmp(on, "on") == 0)
        return 0;
    snprintf(err->message, sizeof(err->message),
             "the server stores timestamps as floating point "
             "(integer_datetimes is off); godwit needs PostgreSQL 10 or a "
             "server built with integer timestamps");
    return err->code = GODWIT_ENOTSUP;
}

/* A format-1 table (no applied_by, SQLSTATE 42703 undefined_column): its
 * rows, after a format row saying so. */
static int legacy(godwit_conn *c, PGresult **res, godwit_history_fn fn,
                  void *ctx, godwit_berror *err)
{
    int rc;

    if (strcmp(err->sqlstate, "42703") != 0)
        return err->code;
    if ((rc = sqlw_report_format1(fn, ctx, err)) != 0)
        return rc;
    return table_query(c, PG_COLUMNS_1 ", NULL::text FROM %s", 0, NULL, 1, res,
                       err);
}

/* The rows: read with the lock or with the session's set-up, in its
 * round trip (postgres_session.c), or now. */
static int read_rows(godwit_conn *c, PGresult **res, int *missing,
                     godwit_berror *err)
{
    int rc, got;

    *res = NULL;
    *missing = 0;
    if (!c->set_up && (rc = pg_trip(c, 0, &got, err)) < 0)
        return rc;
    if (c->history != NULL || c->history_missing) {
        *res = c->history;
        *missing = c->history_missing;
        c->history = NULL;
        c->history_missing = 0;
        return 0;
    }
    rc = table_query(c, PG_HISTORY_COLUMNS " FROM %s", 0, NULL, 1, res, err);
    if (rc < 0 && no_table(err))
        *missing = 1, rc = 0;
    return rc;
}

/*
 * The rows come in binary form: nothing is formatted on the server (the
 * text forms of a timestamp and of 1000 rows cost it about a millisecond
 * on a fresh connection), and the core sorts them, so no ORDER BY.  The
 * table is read without asking first whether it is there (a round trip);
 * only the error of a missing one says so.
 */
int pg_history_read(godwit_conn *c, godwit_history_fn fn, void *ctx,
                    godwit_berror *err)
{
    godwit_history_row row;
    PGresult *res;
    char at[96]; /* room for any year */
    int rc, i, missing;

    if ((rc = integer_timestamps(c, err)) < 0)
        return rc;
    rc = read_rows(c, &res, &missing, err);
    if (missing)
        return 0;
    if (rc < 0) {
        PQclear(res);
        rc = legacy(c, &res, fn, ctx, err);
    }
    for (i = 0; rc == 0 && i < PQntuples(res); i++) {
        iso_utc(int8_at(res, i, 3), at, sizeof(at));
        row.version = PQgetvalue(res, i, 0);
        row.name = PQgetvalue(res, i, 1);
        row.checksum = PQgetvalue(res, i, 2);
        row.applied_at = at;
        row.duration_ms = (long)int8_at(res, i, 4);
        row.in_progress = text_at(res, i, 5);
        row.statements_done = (long)int8_at(res, i, 6);
        row.error = text_at(res, i, 7);
        row.applied_by = text_at(res, i, 8);
        rc = fn(ctx, &row);
    }
    PQclear(res);
    return rc;
}

int pg_history_has(godwit_conn *c, const char *version, int *applied,
                   godwit_berror *err)
{
    const char *params[1] = {version};
    PGresult *res;
    int rc = table_query(c, "SELECT 1 FROM %s WHERE version = $1", 1, params, 0,
                         &res, err);

    *applied = rc == 0 && PQntuples(res) > 0;
    PQclear(res);
    return rc;
}

/* Who holds the advisory lock (not this session): 1 with a description in
 * out, 0 when no one does, < 0 when the query fails.  Advisory locks are
 * per database: the same key held in another database is no holder. */
int pg_lock_holder(godwit_conn *c, char *out, size_t cap, godwit_berror *err)
{
    char hi[16], lo[16];
    const char *params[2] = {hi, lo};
    PGresult *res;
    int found;

    if (pg_ready(c, err) < 0) /* the key is known once set up */
        return GODWIT_ERROR;
    snprintf(hi, sizeof(hi), "%u",
             (unsigned)((unsigned long long)c->lock_key >> 32));
    snprintf(lo, sizeof(lo), "%u", (unsigned)c->lock_key);
    if (pg_query(c,
                 "SELECT l.pid, coalesce(a.application_name, ''), "
                 "coalesce(host(a.client_addr), 'local socket'), "
                 "to_char(a.backend_start AT TIME ZONE 'UTC', "
                 "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM pg_locks l LEFT "
                 "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype "
                 "= 'advisory' AND l.granted AND l.objsubid = 1 AND "
                 "l.classid = $1::oid AND l.objid = $2::oid AND l.pid <> "
                 "pg_backend_pid() AND l.database = (SELECT oid FROM "
                 "pg_database WHERE datname = current_database())",
                 2, params, &res, err) < 0)
        return GODWIT_ERROR;
    if ((found = PQntuples(res) > 0))
        snprintf(out, cap, "backend pid %s (application \"%s\", %s, since %s)",
                 PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
                 PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3));
    PQclear(res);
    return found;
}

/* Who holds the advisory lock, as text for the timeout message. */
static void describe_holder(godwit_conn *c, char *out, size_t cap)
{
    godwit_berror ignored;

    memset(&ignored, 0, sizeof(ignored));
    if (pg_lock_holder(c, out, cap, &ignored) != 1)
        snprintf(out, cap, "another session");
}

static int lock_timed_out(godwit_conn *c, double timeout, godwit_berror *err)
{
    char holder[512];

    describe_holder(c, holder, sizeof(holder));
    err->code = GODWIT_ELOCKED;
    snprintf(err->message, sizeof(err->message),
             "the migration lock on \"%s\".\"%s\" is held by %s; gave up "
             "after %g s; wait for it to finish or raise --lock-timeout",
             c->schema, c->table, holder, timeout);
    return GODWIT_ELOCKED;
}

long pg_lock_ms(double seconds)
{
    return seconds * 1000 < 1            ? 1
           : seconds * 1000 > 2147483647 ? 2147483647
                                         : (long)(seconds * 1000);
}

int pg_lock(godwit_conn *c, double timeout, godwit_berror *err)
{
    char sql[256];
    PGresult *res;
    int rc, got;

    /* One try, with the history read under the lock if it is had (the
     * host's first call, timeout 0: lock_timeout 0 would mean forever). */
    if (!c->set_up || timeout < 0.001) {
        if ((rc = pg_trip(c, 1, &got, err)) < 0 || got)
            return rc;
        if (timeout < 0.001)
            return lock_timed_out(c, timeout, err);
    }
    if ((rc = pg_ready(c, err)) < 0)
        return rc;
    /* timeout bounds the wait, not a DBA's statement_timeout, which is for
     * the migrations: that is off for the wait alone, back to the
     * session's default after it, and lock_timeout back to the session's
     * --lock-timeout.  One round trip, one implicit transaction: should
     * the lock time out, the SETs are rolled back with it. */
    snprintf(sql, sizeof(sql),
             "SET statement_timeout = 0; SET lock_timeout = %ld; "
             "SELECT pg_advisory_lock(%lld); RESET statement_timeout; "
             "SET lock_timeout = %ld",
             pg_lock_ms(timeout), c->lock_key, pg_lock_ms(c->lock_timeout));
    res = PQexec(c->pg, sql);
    rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : GODWIT_ERROR;
    if (rc < 0 && strcmp(PQresultErrorField(res, PG_DIAG_SQLSTATE)
                             ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
                             : "",
                         "55P03") == 0)
        rc = lock_timed_out(c, timeout, err);
    else if (rc < 0)
        pg_fail(c, res, NULL, -1, err);
    PQclear(res);
    return rc;
}

int pg_unlock(godwit_conn *c, godwit_berror *err)
{
    char key[32];
    const char *params[1] = {key};
    PGresult *res;
    int rc;

    if (!c->set_up) /* nothing has run, so nothing was locked */
        return 0;
    snprintf(key, sizeof(key), "%lld", c->lock_key);
    rc = pg_query(c, "SELECT pg_advisory_unlock($1::bigint)", 1, params, &res,
                  err);
    PQclear(res);
    return rc;
}
