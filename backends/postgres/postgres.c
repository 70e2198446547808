/*
 * postgres.c - the PostgreSQL backend: connections and running scripts.
 *
 * URLs (postgres://, postgresql://) go to libpq unchanged, so PGHOST,
 * PGPORT, PGUSER, PGPASSWORD, ~/.pgpass, service files, sslmode= and
 * host=/socket/dir work as for every libpq program.  A transactional
 * section is sent in one round trip (the simple query protocol takes a
 * multi-statement string); libpq returns one result per statement, which
 * tells which statement failed when the server gives no position.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postgres-int.h"
#include "sqlwriter.h"

static const char *const schemes[] = {"postgres", "postgresql", NULL};

/* Appends text to dst as one line: its lines joined with "; ", blanks
 * squeezed, trailing ones dropped. */
static void one_line(char *dst, size_t cap, const char *text)
{
    size_t n = strlen(dst);
    int blank = 0, newline = 0;

    for (; *text != '\0' && n + 3 < cap; text++) {
        if (*text == '\n' || *text == '\r') {
            newline = 1;
        } else if (*text == ' ' || *text == '\t') {
            blank = 1;
        } else {
            if (newline && n > 0)
                dst[n++] = ';', dst[n++] = ' ';
            else if (blank && n > 0)
                dst[n++] = ' ';
            dst[n++] = *text;
            blank = newline = 0;
        }
    }
    dst[n] = '\0';
}

static void append(godwit_berror *err, const char *label, const char *text)
{
    size_t n = strlen(err->message);

    if (text == NULL || *text == '\0')
        return;
    snprintf(err->message + n, sizeof(err->message) - n, "%s", label);
    one_line(err->message, sizeof(err->message), text);
}

/* The byte offset of 1-based character position pos in UTF-8 sql. */
static long char_to_byte(const char *sql, long pos)
{
    const unsigned char *p = (const unsigned char *)sql;
    long chars = 0;

    for (; *p != '\0'; p++)
        if ((*p & 0xC0) != 0x80 && ++chars == pos)
            return (long)(p - (const unsigned char *)sql);
    return -1;
}

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* backends never print */
}

int pg_fail(godwit_conn *c, const PGresult *res, const char *sql,
            long statement, godwit_berror *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *pos =
        res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL;
    size_t n;

    err->code = GODWIT_ERROR;
    err->message[0] = '\0';
    if (state != NULL)
        snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", state);
    if (res != NULL && PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)) {
        append(err, "", PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
        append(err,
               "; DETAIL: ", PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL));
        append(err, "; HINT: ", PQresultErrorField(res, PG_DIAG_MESSAGE_HINT));
    } else {
        append(err, "", PQerrorMessage(c->pg));
    }
    if (sql != NULL && pos != NULL)
        err->offset = char_to_byte(sql, atol(pos));
    else if (sql != NULL)
        err->statement = statement;
    if (strcmp(err->sqlstate, "55P03") != 0) /* lock_not_available */
        return GODWIT_ERROR;
    n = strlen(err->message);
    snprintf(err->message + n, sizeof(err->message) - n,
             "; it waited --lock-timeout (%g s) for a lock held by %s",
             c->lock_timeout, c->blocker[0] ? c->blocker : "another session");
    return err->code = GODWIT_ELOCKED;
}

/* Who blocks the probed session, oldest transaction first; a query that
 * mentions a password is not shown. */
#define BLOCKER_SQL                                                            \
    "SELECT pid, coalesce(application_name, ''), coalesce(state, ''), "        \
    "to_char(coalesce(xact_start, backend_start) AT TIME ZONE 'UTC', "         \
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), CASE WHEN query ~* 'password' THEN "   \
    "'(not shown: it mentions a password)' ELSE left(regexp_replace("          \
    "coalesce(query, ''), '\\s+', ' ', 'g'), 60) END FROM pg_stat_activity "   \
    "WHERE pid = ANY (pg_blocking_pids($1::int)) ORDER BY xact_start LIMIT 1"

/* Asks a second connection who blocks this one, and keeps the answer in
 * c->blocker: once lock_timeout has cancelled the wait, the server no
 * longer knows. */
static void probe_blocker(godwit_conn *c)
{
    const char *keys[] = {"dbname", "fallback_application_name", NULL};
    const char *vals[] = {c->url, "godwit lock probe", NULL};
    char pid[16];
    const char *params[1] = {pid};
    PGresult *res;

    if (c->probe == NULL &&
        (c->probe = PQconnectdbParams(keys, vals, 1)) != NULL)
        PQsetNoticeProcessor(c->probe, ignore_notice, NULL);
    if (c->probe == NULL || PQstatus(c->probe) != CONNECTION_OK)
        return;
    snprintf(pid, sizeof(pid), "%d", PQbackendPID(c->pg));
    res = PQexecParams(c->probe, BLOCKER_SQL, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0)
        snprintf(c->blocker, sizeof(c->blocker),
                 "pid %s (application \"%s\", %s since %s: \"%s\")",
                 PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
                 PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3),
                 PQgetvalue(res, 0, 4));
    PQclear(res);
}

/* Waits for the running script's next result, asking who blocks it
 * whenever it has run a while: often enough to ask before lock_timeout
 * gives up (a third of it, between 0.1 and 2 s).  A script that runs
 * briefly never opens the probe's connection. */
static void await_result(godwit_conn *c)
{
    double every = c->lock_timeout / 3;
    struct pollfd p;

    p.fd = PQsocket(c->pg);
    p.events = POLLIN;
    every = every < 0.1 ? 0.1 : every > 2 ? 2 : every;
    while (PQconsumeInput(c->pg) && PQisBusy(c->pg))
        if (poll(&p, 1, (int)(every * 1000)) == 0)
            probe_blocker(c);
}

static int pg_exec(godwit_conn *c, const char *sql, size_t len,
                   godwit_berror *err)
{
    PGresult *res;
    long i = 0;
    int rc = 0;

    (void)len; /* sql[len] is the NUL the ABI promises */
    c->blocker[0] = '\0';
    if ((rc = pg_ready(c, err)) < 0)
        return rc;
    if (!PQsendQuery(c->pg, sql))
        rc = pg_fail(c, NULL, NULL, -1, err);
    while (rc == 0 && (await_result(c), res = PQgetResult(c->pg)) != NULL) {
        ExecStatusType st = PQresultStatus(res);

        if (st == PGRES_COPY_IN)
            PQputCopyEnd(c->pg, "godwit does not feed COPY FROM STDIN");
        if (st == PGRES_FATAL_ERROR && rc == 0)
            rc = pg_fail(c, res, sql, i, err);
        i++;
        PQclear(res);
    }
    while (rc != 0 && (res = PQgetResult(c->pg)) != NULL)
        PQclear(res);
    PQfinish(c->probe);
    c->probe = NULL;
    return rc;
}

int pg_query_as(godwit_conn *c, const char *sql, int nparams,
                const char *const *params, int binary, PGresult **out,
                godwit_berror *err)
{
    PGresult *res;
    ExecStatusType st;

    *out = NULL;
    if (pg_ready(c, err) < 0)
        return GODWIT_ERROR;
    res = PQexecParams(c->pg, sql, nparams, NULL, params, NULL, NULL, binary);
    st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        pg_fail(c, res, NULL, -1, err);
        PQclear(res);
        return GODWIT_ERROR;
    }
    *out = res;
    return 0;
}

int pg_query(godwit_conn *c, const char *sql, int nparams,
             const char *const *params, PGresult **out, godwit_berror *err)
{
    return pg_query_as(c, sql, nparams, params, 0, out, err);
}

static void pg_disconnect(godwit_conn *c)
{
    if (c == NULL)
        return;
    PQfreeCancel(c->cancel);
    PQfinish(c->pg);
    free(c->url);
    free(c->table);
    free(c->schema);
    free(c->explicit_schema);
    PQclear(c->history);
    free(c);
}

/* Replaces every occurrence of the URL's password in msg with "***". */
static void redact(char *msg, const char *url)
{
    PQconninfoOption *opts = PQconninfoParse(url, NULL), *o;
    char *hit;

    for (o = opts; o != NULL && o->keyword != NULL; o++) {
        size_t n;

        if (strcmp(o->keyword, "password") != 0 || o->val == NULL ||
            (n = strlen(o->val)) == 0)
            continue;
        while ((hit = strstr(msg, o->val)) != NULL) {
            memmove(hit + 3, hit + n, strlen(hit + n) + 1);
            memcpy(hit, "***", 3);
        }
    }
    PQconninfoFree(opts);
}

/* The URL's settings, then UTF-8 whatever it says (migration files are
 * UTF-8): a keyword after dbname overrides the URL's, and a second dbname
 * (a scratch database) is a plain name that overrides the URL's. */
static int open_pg(godwit_conn *c, const godwit_target *t, godwit_berror *err)
{
    const char *keys[] = {"dbname", "client_encoding",
                          "fallback_application_name", "dbname", NULL};
    const char *vals[] = {t->url, "UTF8", "godwit", pg_scratch_database(t),
                          NULL};

    if (vals[3] == NULL)
        keys[3] = NULL;

    c->pg = PQconnectdbParams(keys, vals, 1);
    if (c->pg == NULL)
        return GODWIT_ENOMEM;
    if (PQstatus(c->pg) != CONNECTION_OK) {
        pg_fail(c, NULL, NULL, -1, err);
        redact(err->message, t->url);
        return GODWIT_ERROR;
    }
    PQsetNoticeProcessor(c->pg, ignore_notice, NULL);
    return 0;
}

static int pg_connect(godwit_conn **out, const godwit_target *t,
                      godwit_berror *err)
{
    godwit_conn *c = calloc(1, sizeof(*c));
    int rc;

    *out = NULL;
    if (c == NULL || (c->table = strdup(t->table)) == NULL ||
        (c->url = strdup(t->url)) == NULL) {
        pg_disconnect(c);
        return GODWIT_ENOMEM;
    }
    c->lock_timeout = t->lock_timeout;
    /* Every statement waits for a lock at most --lock-timeout (0: at
     * once), so that a migration queued behind a long reader gives up
     * instead of stopping every later reader of the table behind it; the
     * set-up that says so goes with the first query. */
    snprintf(c->lock_ms, sizeof(c->lock_ms), "%ld",
             pg_lock_ms(t->lock_timeout));
    if ((t->schema != NULL && *t->schema != '\0' &&
         (c->explicit_schema = strdup(t->schema)) == NULL)) {
        pg_disconnect(c);
        return GODWIT_ENOMEM;
    }
    if ((rc = open_pg(c, t, err)) < 0) {
        pg_disconnect(c);
        return rc;
    }
    c->cancel = PQgetCancel(c->pg);
    *out = c;
    return 0;
}

/* libpq's cancel request: the server stops the statement c runs, which
 * then fails with SQLSTATE 57014, a wait for a lock included. */
static void pg_cancel(godwit_conn *c)
{
    char why[256];

    if (c->cancel != NULL)
        PQcancel(c->cancel, why, sizeof(why));
}

static int pg_select(godwit_conn *c, const char *sql, godwit_row_fn fn,
                     void *ctx, godwit_berror *err)
{
    const char *values[64];
    PGresult *res;
    int i, j, n, rc;

    if ((rc = pg_query(c, sql, 0, NULL, &res, err)) < 0)
        return rc;
    n = PQnfields(res) < 64 ? PQnfields(res) : 64;
    for (i = 0; rc == 0 && i < PQntuples(res); i++) {
        for (j = 0; j < n; j++)
            values[j] = PQgetisnull(res, i, j) ? NULL : PQgetvalue(res, i, j);
        rc = fn(ctx, n, values);
    }
    PQclear(res);
    return rc;
}

static int pg_ping(godwit_conn *c, godwit_berror *err)
{
    PGresult *res;
    int rc = pg_query(c, "SELECT 1", 0, NULL, &res, err);

    PQclear(res);
    return rc;
}

static const godwit_backend backend = {
    GODWIT_BACKEND_INIT,
    .name = "postgres",
    .schemes = schemes,
    .caps = GODWIT_CAP_TRANSACTIONAL_DDL | GODWIT_CAP_SESSION_LOCK |
            GODWIT_CAP_SCRATCH_SCHEMA | GODWIT_CAP_SCRATCH_DATABASE,
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .exec = pg_exec,
    .render = pg_render,
    .history_read = pg_history_read,
    .history_has = pg_history_has,
    .lock = pg_lock,
    .unlock = pg_unlock,
    .ping = pg_ping,
    .snapshot = pg_snapshot,
    .lock_holder = pg_lock_holder,
    .cancel = pg_cancel,
    .query = pg_select,
};

const godwit_backend *godwit_backend_postgres(unsigned host_abi);

const godwit_backend *godwit_backend_postgres(unsigned host_abi)
{
    return host_abi == GODWIT_BACKEND_ABI ? &backend : NULL;
}
