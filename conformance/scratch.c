/*
 * scratch.c - GODWIT_CAP_SCRATCH_DATABASE: a scratch database is made
 * empty, is another database than the URL's, and is gone once dropped.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conformance.h"

/* Runs what for the scratch target on the URL's connection. */
static int run_home(cf *c, godwit_conn *home, const char *db, godwit_sql what,
                    godwit_berror *be)
{
    int rc;

    c->target.database = db;
    rc = cf_run(c, home, what, NULL, be);
    c->target.database = NULL;
    return rc;
}

static godwit_conn *connect_to(cf *c, const char *db, godwit_berror *be)
{
    godwit_conn *conn = NULL;

    c->target.database = db;
    cf_berror(be);
    if (c->vt->connect(&conn, &c->target, be) < 0)
        conn = NULL;
    c->target.database = NULL;
    return conn;
}

static int count_line(void *ctx, const char *line)
{
    (void)line;
    ++*(int *)ctx;
    return 0;
}

/* The scratch database holds nothing, and what it gets is not the URL's. */
static void inside(cf *c, godwit_conn *home, godwit_conn *in)
{
    godwit_history_row row;
    godwit_berror be;
    int lines = 0, has = 1;

    if (CF_HAS(c->vt, snapshot)) {
        cf_berror(&be);
        cf_check(
            c, c->vt->snapshot(in, count_line, &lines, &be) == 0 && lines == 0,
            "scratch",
            "the new scratch database is not empty (%d snapshot "
            "lines%s%s): create it from a template that holds nothing",
            lines, be.message[0] ? "; " : "", be.message);
    }
    cf_plain_row(&row, "4242", "scratch");
    cf_check(c,
             cf_run(c, in, GODWIT_SQL_HISTORY_CREATE, NULL, &be) == 0 &&
                 cf_run(c, in, GODWIT_SQL_RECORD, &row, &be) == 0,
             "scratch", "cannot write history in the scratch database: %s",
             be.message);
    cf_berror(&be);
    cf_check(c, c->vt->history_has(home, "4242", &has, &be) == 0 && has == 0,
             "scratch",
             "a row written in the scratch database shows in the URL's "
             "(%s): connect with target.database set must open that "
             "database instead",
             be.message[0] ? be.message : "history_has says it is there");
}

void cf_scratch(cf *c)
{
    char db[64];
    godwit_conn *home, *in, *again;
    godwit_berror be;

    if (!(c->vt->caps & GODWIT_CAP_SCRATCH_DATABASE) ||
        (home = cf_connect(c, "scratch")) == NULL)
        return;
    snprintf(db, sizeof(db), "godwit_conformance_db_%ld", (long)getpid());
    if (run_home(c, home, db, GODWIT_SQL_SCRATCH_CREATE, &be) < 0) {
        cf_check(c, strcmp(be.sqlstate, "42501") == 0, "scratch",
                 "SCRATCH_CREATE failed: %s; a want of privilege must say "
                 "SQLSTATE 42501, so that the host falls back",
                 be.message);
        printf("note: no privilege to create a database here: the scratch "
               "database is not checked\n");
        c->vt->disconnect(home);
        return;
    }
    cf_check(c, (in = connect_to(c, db, &be)) != NULL, "scratch",
             "cannot connect to the scratch database just created: %s",
             be.message);
    if (in != NULL) {
        inside(c, home, in);
        c->vt->disconnect(in);
    }
    cf_check(c, run_home(c, home, db, GODWIT_SQL_SCRATCH_DROP, &be) == 0,
             "scratch", "SCRATCH_DROP of the scratch database failed: %s",
             be.message);
    again = connect_to(c, db, &be);
    cf_check(c, again == NULL, "scratch",
             "the scratch database is still there after SCRATCH_DROP");
    c->vt->disconnect(again);
    c->vt->disconnect(home);
}
