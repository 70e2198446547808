/*
 * query.c - the optional query method: rows as text, NULL as NULL, a
 * failure reported, and the callback's non-zero return passed back.
 */
#include <stdio.h>
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

void cf_query(cf *c)
{
    godwit_conn *conn;
    godwit_berror be;
    seen s;
    int rc;

    if (!CF_HAS(c->vt, query) || (conn = cf_connect(c, "query")) == NULL)
        return;
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
    c->vt->disconnect(conn);
}
