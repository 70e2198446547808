/*
 * query.c - the optional query method: rows as text, NULL as NULL, a
 * failure reported, and the callback's non-zero return passed back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"

typedef struct seen {
    int rows, ncols, stop;
    char first[3][16];
    int null_second;
} seen;

static int take(void *ctx, int ncols, const char *const *values)
{
    seen *s = ctx;
    int i;

    if (s->rows++ == 0) {
        s->ncols = ncols;
        for (i = 0; i < ncols && i < 3; i++)
            snprintf(s->first[i], sizeof(s->first[i]), "%s",
                     values[i] ? values[i] : "(null)");
        s->null_second = ncols > 1 && values[1] == NULL;
    }
    return s->stop;
}

/* GODWIT_CAP_FOREIGN_KEYS: with enforcement off, a row that breaks a key
 * goes in, and FK_CHECK through query names its table. */
static void foreign_keys(cf *c, godwit_conn *conn)
{
    static const char make[] =
        "CREATE TABLE cf_fk_parent (id INT PRIMARY KEY);\n"
        "CREATE TABLE cf_fk_child (id INT PRIMARY KEY, parent INT "
        "REFERENCES cf_fk_parent (id));\n"
        "INSERT INTO cf_fk_child VALUES (1, 7);\n";
    static const char drop[] = "DROP TABLE cf_fk_child;\n"
                               "DROP TABLE cf_fk_parent;\n";
    char *check = cf_render(c, GODWIT_SQL_FK_CHECK, NULL);
    godwit_berror be;
    seen s;
    size_t n;

    memset(&s, 0, sizeof(s));
    cf_check(c,
             check != NULL && CF_HAS(c->vt, query) &&
                 cf_run(c, conn, GODWIT_SQL_FK_OFF, NULL, &be) == 0 &&
                 c->vt->exec(conn, make, sizeof(make) - 1, &be) == 0,
             "foreign keys",
             "GODWIT_CAP_FOREIGN_KEYS: FK_OFF, FK_CHECK and query are needed, "
             "and with FK_OFF a row that breaks a key must go in (%s)",
             be.message);
    if (check != NULL && CF_HAS(c->vt, query)) {
        for (n = strlen(check); n > 0 && strchr("; \n", check[n - 1]); n--)
            check[n - 1] = '\0';
        cf_berror(&be);
        cf_check(c,
                 c->vt->query(conn, check, take, &s, &be) == 0 && s.rows == 1 &&
                     strcmp(s.first[0], "cf_fk_child") == 0,
                 "foreign keys",
                 "FK_CHECK must give one row, naming table cf_fk_child "
                 "first, for the row that breaks its key (%d rows, %s)%s%s",
                 s.rows, s.first[0], be.message[0] ? "; " : "", be.message);
    }
    cf_run(c, conn, GODWIT_SQL_FK_ON, NULL, &be);
    c->vt->exec(conn, drop, sizeof(drop) - 1, &be);
    free(check);
}

void cf_query(cf *c)
{
    godwit_conn *conn;
    godwit_berror be;
    seen s;
    int rc;

    if ((conn = cf_connect(c, "query")) == NULL)
        return;
    if (!CF_HAS(c->vt, query)) {
        if (c->vt->caps & GODWIT_CAP_FOREIGN_KEYS)
            foreign_keys(c, conn);
        c->vt->disconnect(conn);
        return;
    }
    memset(&s, 0, sizeof(s));
    cf_berror(&be);
    rc = c->vt->query(conn, "SELECT 1, NULL, 'x''y'", take, &s, &be);
    cf_check(c,
             rc == 0 && s.rows == 1 && s.ncols == 3 &&
                 strcmp(s.first[0], "1") == 0 && s.null_second &&
                 strcmp(s.first[2], "x'y") == 0,
             "query",
             "SELECT 1, NULL, 'x''y' gave %d rows of %d columns (%s, %s, "
             "%s)%s%s: each value must be text, and NULL a NULL pointer",
             s.rows, s.ncols, s.first[0], s.first[1], s.first[2],
             be.message[0] ? "; " : "", be.message);
    memset(&s, 0, sizeof(s));
    s.stop = 7;
    cf_berror(&be);
    rc = c->vt->query(conn, "SELECT 1 UNION ALL SELECT 2", take, &s, &be);
    cf_check(c, rc == 7 && s.rows == 1, "query",
             "a callback that returns 7 must stop the query (%d rows seen) "
             "and have query return 7 (it returned %d)",
             s.rows, rc);
    cf_berror(&be);
    rc = c->vt->query(conn, "SELECT x FROM godwit_conformance_no_such_table",
                      take, &s, &be);
    cf_check(c, rc < 0 && be.message[0] != '\0', "query",
             "a query of a missing table must fail with a message");
    if (c->vt->caps & GODWIT_CAP_FOREIGN_KEYS)
        foreign_keys(c, conn);
    c->vt->disconnect(conn);
}
