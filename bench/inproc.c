/*
 * inproc.c - "migrate on start" inside a running program, for
 * bench/library: godwit_up with every migration applied, against the
 * bare history query in the same process, both with nothing to start
 * (no process, the plugin and the database libraries already loaded).
 *
 *   inproc RUNS URL DIR
 *
 * Prints the median microseconds of four things, a line each:
 *   up, kept handle     godwit_up on one handle (its connection kept)
 *   up, new handle      godwit_open, godwit_up, godwit_close (another
 *                       open handle keeps the plugin loaded)
 *   query, kept         the history query on one connection
 *   query, new          connect, the history query, disconnect
 * through libpq for postgres URLs, SQLite's API for sqlite: ones.
 */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "godwit.h"

#define HISTORY "SELECT version, checksum FROM godwit_migrations"

typedef struct bench {
    const char *url, *dir;
    godwit *kept;
    PGconn *pg;
    sqlite3 *db;
} bench;

static double now_us(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void die(const char *what)
{
    fprintf(stderr, "inproc: %s\n", what);
    exit(1);
}

static godwit *open_handle(const bench *b)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    godwit *g;

    o.url = b->url;
    o.dir = b->dir;
    if (godwit_open(&g, &o) < 0)
        die(godwit_errmsg(g));
    return g;
}

static int is_pg(const bench *b)
{
    return strncmp(b->url, "postgres", 8) == 0;
}

/* The history query, on c (NULL: a connection of its own). */
static void query(bench *b, int kept)
{
    if (is_pg(b)) {
        PGconn *pg = kept ? b->pg : PQconnectdb(b->url);
        PGresult *res = PQexec(pg, HISTORY);

        if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) == 0)
            die(PQerrorMessage(pg));
        PQclear(res);
        if (!kept)
            PQfinish(pg);
    } else {
        sqlite3 *db = b->db;
        sqlite3_stmt *st;
        int rows = 0;

        if (!kept && sqlite3_open(b->url + 7, &db) != SQLITE_OK)
            die("sqlite3_open");
        if (sqlite3_prepare_v2(db, HISTORY, -1, &st, NULL) != SQLITE_OK)
            die(sqlite3_errmsg(db));
        while (sqlite3_step(st) == SQLITE_ROW)
            rows++;
        sqlite3_finalize(st);
        if (!kept)
            sqlite3_close(db);
        if (rows == 0)
            die("no history");
    }
}

static void up(bench *b, int kept)
{
    godwit *g = kept ? b->kept : open_handle(b);

    if (godwit_up(g, NULL) < 0)
        die(godwit_errmsg(g));
    if (!kept)
        godwit_close(g);
}

static int by_value(const void *x, const void *y)
{
    double a = *(const double *)x, c = *(const double *)y;

    return a < c ? -1 : a > c;
}

int main(int argc, char **argv)
{
    static const char *names[] = {"up, kept handle", "up, new handle",
                                  "query, kept", "query, new"};
    bench b;
    double *t[4], t0;
    int runs, i, k;

    if (argc != 4 || (runs = atoi(argv[1])) < 1) {
        fprintf(stderr, "usage: inproc RUNS URL DIR\n");
        return 2;
    }
    memset(&b, 0, sizeof(b));
    b.url = argv[2];
    b.dir = argv[3];
    b.kept = open_handle(&b);
    if (is_pg(&b) ? PQstatus(b.pg = PQconnectdb(b.url)) != CONNECTION_OK
                  : sqlite3_open(b.url + 7, &b.db) != SQLITE_OK)
        die("cannot connect");
    for (k = 0; k < 4; k++)
        if ((t[k] = calloc((size_t)runs, sizeof(double))) == NULL)
            die("out of memory");
    for (i = -1; i < runs; i++) /* one warm-up: loads the plugin */
        for (k = 0; k < 4; k++) {
            t0 = now_us();
            if (k < 2)
                up(&b, k == 0);
            else
                query(&b, k == 2);
            if (i >= 0)
                t[k][i] = now_us() - t0;
        }
    for (k = 0; k < 4; k++) {
        qsort(t[k], (size_t)runs, sizeof(double), by_value);
        printf("%-16s %10.0f us\n", names[k], t[k][runs / 2]);
    }
    godwit_close(b.kept);
    PQfinish(b.pg);
    sqlite3_close(b.db);
    return 0;
}
