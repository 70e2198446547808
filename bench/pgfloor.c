/*
 * pgfloor.c - the least any libpq program can do to answer "what is
 * applied": connect, one query, exit without cleaning up.  bench/run times
 * it next to godwit and dbmate on PostgreSQL; what godwit takes beyond it
 * is its own (reading and checksumming the files, the plugin, the state),
 * and dbmate's time over it says how far ahead any libpq client can be.
 *
 *   pgfloor URL
 */
#include <libpq-fe.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    PGconn *pg;
    PGresult *res;

    if (argc != 2) {
        fprintf(stderr, "usage: pgfloor URL\n");
        return 2;
    }
    pg = PQconnectdb(argv[1]);
    res = PQexec(pg, "SELECT version, checksum FROM godwit_migrations");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(stderr, "pgfloor: %s", PQerrorMessage(pg));
        return 1;
    }
    return PQntuples(res) > 0 ? 0 : 1; /* no PQclear, no PQfinish */
}
