/* testdb.c - databases for the suites that run once per backend. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef WITH_POSTGRES
#include <libpq-fe.h>
#endif
#ifdef WITH_MYSQL
#include <mysql.h>
#endif

#include "testdb.h"

/* The advisory lock key of "public"."godwit_migrations".  Pinned: every
 * godwit version must use the same key, or two versions deployed side by
 * side would migrate at once. */
#define PG_LOCK_KEY "2677817879560451861"

const char *tdb_backend(void)
{
    const char *b = getenv("GODWIT_TEST_BACKEND");

    return b && *b ? b : "sqlite";
}

int tdb_postgres(void)
{
    return strcmp(tdb_backend(), "postgres") == 0;
}

int tdb_mysql(void)
{
    return strcmp(tdb_backend(), "mysql") == 0;
}

/* tests/mysql.sh has checked the server and the build. */
static void require_mysql(void)
{
#ifndef WITH_MYSQL
    fprintf(stderr, "the MySQL tests need a build with --with-mysql\n");
    exit(99);
#endif
    if (getenv("GODWIT_TEST_MY_SOCKET") == NULL ||
        getenv("GODWIT_TEST_MY_USER") == NULL) {
        fprintf(stderr, "MySQL tests need GODWIT_TEST_MY_SOCKET and "
                        "GODWIT_TEST_MY_USER (run the *-mysql.test "
                        "wrappers)\n");
        exit(99);
    }
}

void tdb_require(void)
{
    const char *required = getenv("GODWIT_REQUIRE_POSTGRES");

    if (tdb_mysql()) {
        require_mysql();
        return;
    }
    if (!tdb_postgres())
        return;
#ifdef WITH_POSTGRES
    if (getenv("GODWIT_TEST_POSTGRES_URL") != NULL) {
        if (getenv("GODWIT_TEST_PG_HOST") && getenv("GODWIT_TEST_PG_PORT") &&
            getenv("GODWIT_TEST_PG_USER"))
            return;
        fprintf(stderr, "PostgreSQL tests need GODWIT_TEST_PG_HOST, "
                        "GODWIT_TEST_PG_PORT and GODWIT_TEST_PG_USER beside "
                        "GODWIT_TEST_POSTGRES_URL (tests/postgres.sh derives "
                        "them; run the *-postgres.test wrappers)\n");
        exit(99);
    }
#endif
    if (required != NULL && strcmp(required, "1") == 0) {
        fprintf(stderr, "PostgreSQL tests are required but no server was "
                        "given (GODWIT_TEST_POSTGRES_URL)\n");
        exit(99);
    }
    printf("no PostgreSQL server given: skipped\n");
    exit(77);
}

#ifdef WITH_POSTGRES
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static PGconn *pg_open(const char *url)
{
    PGconn *pg = PQconnectdb(url);

    ck_assert_msg(PQstatus(pg) == CONNECTION_OK, "%s", PQerrorMessage(pg));
    PQsetNoticeProcessor(pg, quiet, NULL);
    return pg;
}

static PGresult *pg_run(PGconn *pg, const char *sql)
{
    PGresult *res = PQexec(pg, sql);

    ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK ||
                      PQresultStatus(res) == PGRES_COMMAND_OK,
                  "%s: %s", sql, PQerrorMessage(pg));
    return res;
}
#endif

#ifdef WITH_MYSQL
/* A connection to the test server's database db (NULL: none), as its
 * test user, on its socket. */
static MYSQL *my_open(const char *db)
{
    MYSQL *my = mysql_init(NULL);

    ck_assert_ptr_nonnull(my);
    ck_assert_msg(mysql_real_connect(my, NULL, getenv("GODWIT_TEST_MY_USER"),
                                     NULL, db, 0,
                                     getenv("GODWIT_TEST_MY_SOCKET"), 0),
                  "%s", mysql_error(my));
    return my;
}

static void my_run(MYSQL *my, const char *sql)
{
    ck_assert_msg(mysql_query(my, sql) == 0, "%s: %s", sql, mysql_error(my));
}

/* The database of a mysql:// URL that tdb_create made. */
static MYSQL *my_open_url(const char *url)
{
    char db[96];
    const char *p = strchr(url + strlen("mysql://"), '/') + 1;

    snprintf(db, sizeof(db), "%.*s", (int)strcspn(p, "?"), p);
    return my_open(db);
}
#endif

void tdb_create(const char *name, const char *dir, char *url, size_t cap)
{
    static int n;

#ifdef WITH_MYSQL
    if (tdb_mysql()) {
        MYSQL *my = my_open(NULL);
        char db[64], sql[128];

        snprintf(db, sizeof(db), "gw_%.30s_%d_%d", name, (int)getpid(), n++);
        for (char *p = db; *p; p++)
            if (*p == '-')
                *p = '_';
        snprintf(sql, sizeof(sql), "CREATE DATABASE `%s`", db);
        my_run(my, sql);
        mysql_close(my);
        snprintf(url, cap, "mysql://%s@localhost/%s?socket=%s",
                 getenv("GODWIT_TEST_MY_USER"), db,
                 getenv("GODWIT_TEST_MY_SOCKET"));
        return;
    }
#endif
    if (!tdb_postgres()) {
        snprintf(url, cap, "sqlite:%s/%s.db", dir, name);
        return;
    }
#ifdef WITH_POSTGRES
    {
        PGconn *pg = pg_open(getenv("GODWIT_TEST_POSTGRES_URL"));
        char db[64], sql[128];

        snprintf(db, sizeof(db), "gw_%.30s_%d_%d", name, (int)getpid(), n++);
        for (char *p = db; *p; p++)
            if (*p == '-')
                *p = '_';
        snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\"", db);
        PQclear(pg_run(pg, sql));
        PQfinish(pg);
        snprintf(url, cap, "postgresql://%s@/%s?host=%s&port=%s",
                 getenv("GODWIT_TEST_PG_USER"), db,
                 getenv("GODWIT_TEST_PG_HOST"), getenv("GODWIT_TEST_PG_PORT"));
    }
#endif
}

long tdb_query(const char *url, const char *sql)
{
    long v = -1;

#ifdef WITH_MYSQL
    if (tdb_mysql()) {
        MYSQL *my = my_open_url(url);
        MYSQL_RES *res;
        MYSQL_ROW row;

        my_run(my, sql);
        res = mysql_store_result(my);
        if (res != NULL && (row = mysql_fetch_row(res)) != NULL && row[0])
            v = atol(row[0]);
        mysql_free_result(res);
        mysql_close(my);
        return v;
    }
#endif
    if (!tdb_postgres()) {
        sqlite3 *db;
        sqlite3_stmt *st;

        ck_assert_int_eq(sqlite3_open(url + strlen("sqlite:"), &db), SQLITE_OK);
        ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK,
                      "%s: %s", sql, sqlite3_errmsg(db));
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return v;
    }
#ifdef WITH_POSTGRES
    {
        PGconn *pg = pg_open(url);
        PGresult *res = pg_run(pg, sql);

        if (PQntuples(res) > 0)
            v = atol(PQgetvalue(res, 0, 0));
        PQclear(res);
        PQfinish(pg);
    }
#endif
    return v;
}

long tdb_tables(const char *url, const char *name)
{
    char sql[512];

    if (tdb_mysql())
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM information_schema.TABLES WHERE "
                 "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '%s'",
                 name);
    else if (tdb_postgres())
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON "
                 "n.oid = c.relnamespace WHERE relkind IN ('r', 'v') AND "
                 "relname = '%s' AND nspname NOT IN ('pg_catalog', "
                 "'information_schema')",
                 name);
    else
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM sqlite_master WHERE type IN "
                 "('table', 'view') AND name = '%s'",
                 name);
    return tdb_query(url, sql);
}

void *tdb_hold_lock(const char *url)
{
#ifdef WITH_MYSQL
    if (tdb_mysql()) { /* the lock's name is pinned: godwit:DB.TABLE */
        MYSQL *my = my_open_url(url);

        my_run(my, "SELECT GET_LOCK(CONCAT('godwit:', DATABASE(), "
                   "'.godwit_migrations'), 0)");
        mysql_free_result(mysql_store_result(my));
        return my;
    }
#endif
    if (!tdb_postgres()) {
        sqlite3 *db;

        ck_assert_int_eq(sqlite3_open(url + strlen("sqlite:"), &db), SQLITE_OK);
        ck_assert_int_eq(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
                         SQLITE_OK);
        return db;
    }
#ifdef WITH_POSTGRES
    {
        PGconn *pg = pg_open(url);

        PQclear(pg_run(pg, "SELECT pg_advisory_lock(" PG_LOCK_KEY ")"));
        return pg;
    }
#endif
    return NULL;
}

void tdb_release(void *h)
{
#ifdef WITH_MYSQL
    if (tdb_mysql()) {
        mysql_close(h);
        return;
    }
#endif
    if (!tdb_postgres()) {
        sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(h);
        return;
    }
#ifdef WITH_POSTGRES
    PQfinish(h);
#endif
}
