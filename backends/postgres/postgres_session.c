/*
 * postgres_session.c - the session's round trips, counted.
 *
 * Over a network each round trip is a latency, so a run costs the
 * connection's own (libpq's start-up and authentication) plus as few as
 * the work allows:
 *
 *   - The session set-up (search_path, lock_timeout, the liveness check)
 *     is not sent at connect: it goes with the first query.
 *   - That set-up statement also computes the migration lock's key on the
 *     server, from the schema it learns there, and can try the lock.
 *   - The history read follows the set-up, or a try for the lock, in the
 *     same pipeline, after a Sync (so that a missing table cannot roll
 *     the set-up back): reading the history, all a no-op "up" or a
 *     "status" needs, is one round trip, and so is taking the lock and
 *     reading the history again under it.
 *
 * Everything else waits for the set-up first (pg_ready), as if it had run
 * at connect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postgres-int.h"
#include "sqlwriter.h"

/*
 * The set-up, with the lock key: 64-bit FNV-1a over "godwit", the schema
 * and the table, each followed by a 0xff byte, as a signed bigint.  The
 * key is pinned (every godwit version must take the same lock), and this
 * is its one definition.  The schema is the target's ($2), else the
 * session's current one, else public.  $1 lock_timeout (ms), $3 the
 * table, $4 whether to try the lock; %s adds the liveness check where the
 * server has it.  Returns the schema, the key and whether the lock was
 * had (NULL: not tried).
 */
#define SETUP_SQL                                                              \
    "WITH RECURSIVE sch(name) AS (SELECT coalesce($2::text, "                  \
    "current_schema()::text, 'public')), "                                     \
    "b(v) AS (SELECT decode('676f64776974ff', 'hex') || "                      \
    "convert_to(name, 'UTF8') || decode('ff', 'hex') || "                      \
    "convert_to($3::text, 'UTF8') || decode('ff', 'hex') FROM sch), "          \
    "f(i, h) AS (SELECT 0, 14695981039346656037::numeric UNION ALL "           \
    "SELECT i + 1, mod((h - mod(h, 256) + (mod(h, 256)::int # "                \
    "get_byte(v, i))) * 1099511628211, 18446744073709551616) "                 \
    "FROM f, b WHERE i < length(v)) "                                          \
    "SELECT name, k, CASE WHEN $4::bool THEN pg_try_advisory_lock(k) END, "    \
    "CASE WHEN $2::text IS NOT NULL THEN "                                     \
    "set_config('search_path', quote_ident($2::text), false) END, "            \
    "set_config('lock_timeout', $1::text, false)%s "                           \
    "FROM (SELECT name, (h - CASE WHEN h >= 9223372036854775808 THEN "         \
    "18446744073709551616 ELSE 0 END)::bigint AS k "                           \
    "FROM f, b, sch WHERE i = length(v)) key"

/* The history, read by the table's plain name (the schema is not known
 * yet when it is sent) and only if that name finds it in the history
 * schema, chosen as the set-up chooses it ($1 the target's, $2 the
 * table): no rows from a table of the same name further down the path. */
#define HISTORY_SQL                                                            \
    PG_HISTORY_COLUMNS                                                         \
    " FROM %s WHERE tableoid = to_regclass(format("                            \
    "'%%I.%%I', coalesce($1::text, current_schema()::text, 'public'), "        \
    "$2::text))"

static const char *check(const godwit_conn *c)
{
    return PQserverVersion(c->pg) >= 140000
               ? ", set_config('client_connection_check_interval', '1000', "
                 "false)"
               : "";
}

static void forget_history(godwit_conn *c)
{
    PQclear(c->history);
    c->history = NULL;
    c->history_missing = 0;
}

/* The set-up's one row: the schema, the key, whether the lock was had. */
static int take_setup(godwit_conn *c, PGresult *res, int *got,
                      godwit_berror *err)
{
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
        return pg_fail(c, res, NULL, -1, err);
    free(c->schema);
    if ((c->schema = strdup(PQgetvalue(res, 0, 0))) == NULL)
        return err->code = GODWIT_ENOMEM;
    c->lock_key = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    *got = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
    c->set_up = 1;
    return 0;
}

/* The set-up's text and parameters; sql must hold 2048 bytes. */
static void setup_query(godwit_conn *c, int try_lock, char *sql,
                        const char **params)
{
    snprintf(sql, 2048, SETUP_SQL, check(c));
    params[0] = c->lock_ms;
    params[1] = c->explicit_schema;
    params[2] = c->table;
    params[3] = try_lock ? "t" : "f";
}

/* The set-up alone (and one try for the lock, with try_lock): one round
 * trip. */
static int set_up(godwit_conn *c, int try_lock, int *got, godwit_berror *err)
{
    const char *params[4];
    char sql[2048];
    PGresult *res;
    int rc;

    setup_query(c, try_lock, sql, params);
    res = PQexecParams(c->pg, sql, 4, NULL, params, NULL, NULL, 0);
    rc = take_setup(c, res, got, err);
    PQclear(res);
    return rc;
}

int pg_ready(godwit_conn *c, godwit_berror *err)
{
    int got;

    forget_history(c);
    return c->set_up ? 0 : set_up(c, 0, &got, err);
}

#ifdef LIBPQ_HAS_PIPELINING
/* The next result of the pipeline that is not the end of a query's. */
static PGresult *next(godwit_conn *c)
{
    PGresult *res = PQgetResult(c->pg);

    return res != NULL ? res : PQgetResult(c->pg);
}

/* Keeps the history's result in c: its rows, or that there is no table;
 * anything else is left for pg_history_read to meet again. */
static void keep_history(godwit_conn *c, PGresult *res)
{
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

    if (PQresultStatus(res) == PGRES_TUPLES_OK)
        c->history = res, res = NULL;
    else if (state != NULL && strcmp(state, "42P01") == 0)
        c->history_missing = 1;
    PQclear(res);
}

/* The lock's try, when set up: whether it was had. */
static int take_try(godwit_conn *c, PGresult *res, int *got, godwit_berror *err)
{
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
        return pg_fail(c, res, NULL, -1, err);
    *got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    return 0;
}

/* Sends the first statement: the set-up, or once set up the lock's try. */
static int send_first(godwit_conn *c, int try_lock, char *key)
{
    const char *params[4];
    char sql[2048];

    if (c->set_up) {
        params[0] = key;
        snprintf(key, 32, "%lld", c->lock_key);
        return PQsendQueryParams(c->pg,
                                 "SELECT pg_try_advisory_lock($1::bigint)", 1,
                                 NULL, params, NULL, NULL, 0);
    }
    setup_query(c, try_lock, sql, params);
    return PQsendQueryParams(c->pg, sql, 4, NULL, params, NULL, NULL, 0);
}

/* Sends the history read: by the plain name before the set-up (the
 * schema is not known yet), else schema-qualified. */
static int send_history(godwit_conn *c)
{
    const char *params[2] = {c->explicit_schema, c->table};
    char table[600], sql[1200];
    sqlw w;

    sqlw_init(&w, table, sizeof(table));
    if (c->set_up)
        sqlw_qualified(&w, c->schema, c->table);
    else
        sqlw_ident(&w, c->table);
    if (sqlw_finish(&w) >= (int)sizeof(table))
        return 0;
    snprintf(sql, sizeof(sql),
             c->set_up ? PG_HISTORY_COLUMNS " FROM %s" : HISTORY_SQL, table);
    return PQsendQueryParams(c->pg, sql, c->set_up ? 0 : 2, NULL, params, NULL,
                             NULL, 1);
}
#endif

int pg_trip(godwit_conn *c, int try_lock, int *got, godwit_berror *err)
{
#ifdef LIBPQ_HAS_PIPELINING
    char key[32];
    PGresult *res;
    int was_set_up = c->set_up, rc = 0;

    *got = 0;
    forget_history(c);
    if (!PQenterPipelineMode(c->pg))
        return pg_fail(c, NULL, NULL, -1, err);
    if (!send_first(c, try_lock, key) || !PQpipelineSync(c->pg) ||
        !send_history(c) || !PQpipelineSync(c->pg)) {
        rc = pg_fail(c, NULL, NULL, -1, err);
    } else {
        res = next(c); /* the set-up or the try */
        rc = was_set_up ? take_try(c, res, got, err)
                        : take_setup(c, res, got, err);
        PQclear(res);
        PQclear(next(c)); /* its Sync */
        keep_history(c, next(c));
        PQclear(next(c)); /* the history's Sync */
    }
    while ((res = PQgetResult(c->pg)) != NULL) /* none, unless it broke */
        PQclear(res);
    PQexitPipelineMode(c->pg);
    if (rc < 0 || (try_lock && !*got))
        forget_history(c); /* read without the lock: another may change it */
    return rc;
#else
    /* a libpq before 14 has no pipelines: the set-up, or the try, alone */
    char key[32];
    const char *params[1] = {key};
    PGresult *res;
    int rc;

    forget_history(c);
    if (!c->set_up)
        return set_up(c, try_lock, got, err);
    snprintf(key, sizeof(key), "%lld", c->lock_key);
    if ((rc = pg_query(c, "SELECT pg_try_advisory_lock($1::bigint)", 1, params,
                       &res, err)) < 0)
        return rc;
    *got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    return 0;
#endif
}
