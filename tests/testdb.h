/*
 * testdb.h - a fresh database of the backend under test, and plain queries
 * on it, for suites that run once per backend.  The backend is
 * $GODWIT_TEST_BACKEND ("sqlite" by default, "postgres", which needs
 * $GODWIT_TEST_POSTGRES_URL from tools/pg-server, or "mysql", which needs
 * the GODWIT_TEST_MY_* variables of tools/mariadb-server).
 */
#ifndef GODWIT_TESTDB_H
#define GODWIT_TESTDB_H

/* "sqlite" or "postgres". */
const char *tdb_backend(void);

/* Whether the backend under test is PostgreSQL, or MySQL. */
int tdb_postgres(void);
int tdb_mysql(void);

/* Exits 77 (skip) when the backend under test cannot run here, or 99
 * when $GODWIT_REQUIRE_POSTGRES says it must. */
void tdb_require(void);

/* Writes the URL of a new, empty database named after name (in dir for
 * SQLite) into url. */
void tdb_create(const char *name, const char *dir, char *url, size_t cap);

/* The first column of the first row of sql on url, as a number (-1 when
 * there is no row). */
long tdb_query(const char *url, const char *sql);

/* How many tables or views called name the database has. */
long tdb_tables(const char *url, const char *name);

/* Holds the migration lock of url's default history table from another
 * session until tdb_release(); returns a handle. */
void *tdb_hold_lock(const char *url);
void tdb_release(void *h);

#endif
