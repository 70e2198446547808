/*
 * history.c - the history table: created twice, read when missing, and
 * every column of a row through RECORD, UPDATE, a rollback and UNRECORD.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conformance.h"

/* The rows read back, as copies. */
typedef struct rows {
    int n;
    char version[8][64], name[8][128], checksum[8][64], applied_at[8][64];
    char in_progress[8][8], error[8][64], applied_by[8][64];
    long duration_ms[8], statements_done[8];
} rows;

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "(null)");
}

static int add(void *ctx, const godwit_history_row *r)
{
    rows *rs = ctx;
    int i = rs->n;

    if (i == 8)
        return 0;
    copy(rs->version[i], sizeof(rs->version[i]), r->version);
    copy(rs->name[i], sizeof(rs->name[i]), r->name);
    copy(rs->checksum[i], sizeof(rs->checksum[i]), r->checksum);
    copy(rs->applied_at[i], sizeof(rs->applied_at[i]), r->applied_at);
    copy(rs->in_progress[i], sizeof(rs->in_progress[i]), r->in_progress);
    copy(rs->error[i], sizeof(rs->error[i]), r->error);
    copy(rs->applied_by[i], sizeof(rs->applied_by[i]), r->applied_by);
    rs->duration_ms[i] = r->duration_ms;
    rs->statements_done[i] = r->statements_done;
    rs->n++;
    return 0;
}

static int read_rows(cf *c, godwit_conn *conn, rows *rs)
{
    godwit_berror be;

    memset(rs, 0, sizeof(*rs));
    cf_berror(&be);
    return cf_check(c, c->vt->history_read(conn, add, rs, &be) == 0, "history",
                    "history_read failed: %s", be.message);
}

static int find(const rows *rs, const char *version)
{
    int i;

    for (i = 0; i < rs->n; i++)
        if (strcmp(rs->version[i], version) == 0)
            return i;
    return -1;
}

/* A table that is not there has no rows, and is no error. */
static void missing_table(cf *c)
{
    godwit_target saved = c->target;
    char table[64];
    godwit_conn *conn;
    rows rs;

    snprintf(table, sizeof(table), "gw conformance missing %ld",
             (long)getpid());
    c->target.table = table;
    if ((conn = cf_connect(c, "history")) != NULL) {
        if (read_rows(c, conn, &rs))
            cf_check(c, rs.n == 0, "history",
                     "history_read of a missing table reported %d rows; a "
                     "missing table has none",
                     rs.n);
        c->vt->disconnect(conn);
    }
    c->target = saved;
}

static void created(cf *c, godwit_conn *conn)
{
    godwit_berror be;
    char format[32];
    rows rs;
    int i;

    cf_check(c, cf_run(c, conn, GODWIT_SQL_HISTORY_CREATE, NULL, &be) == 0,
             "history", "HISTORY_CREATE failed: %s", be.message);
    cf_check(c, cf_run(c, conn, GODWIT_SQL_HISTORY_CREATE, NULL, &be) == 0,
             "history",
             "HISTORY_CREATE failed on a table that exists: %s; it must "
             "create the table and its format row only if missing",
             be.message);
    if (!read_rows(c, conn, &rs))
        return;
    snprintf(format, sizeof(format), "format:%d", GODWIT_HISTORY_FORMAT);
    i = find(&rs, "");
    cf_check(c, rs.n == 1 && i == 0 && strcmp(rs.checksum[0], format) == 0,
             "history",
             "a new history table must hold one row, the format row "
             "(version \"\", checksum \"%s\"); read %d rows",
             format, rs.n);
}

static void same(cf *c, const rows *rs, int i, const godwit_history_row *r,
                 const char *when)
{
    cf_check(c,
             strcmp(rs->name[i], r->name) == 0 &&
                 strcmp(rs->checksum[i], r->checksum) == 0 &&
                 strcmp(rs->in_progress[i],
                        r->in_progress ? r->in_progress : "(null)") == 0 &&
                 strcmp(rs->error[i], r->error ? r->error : "(null)") == 0 &&
                 rs->statements_done[i] == r->statements_done &&
                 rs->duration_ms[i] == r->duration_ms,
             "history",
             "after %s, the row read back differs from the row written "
             "(name \"%s\", checksum %s, in_progress %s, error \"%s\", "
             "statements_done %ld, duration_ms %ld); quote every literal",
             when, rs->name[i], rs->checksum[i], rs->in_progress[i],
             rs->error[i], rs->statements_done[i], rs->duration_ms[i]);
}

static void round_trip(cf *c, godwit_conn *conn)
{
    godwit_history_row r;
    godwit_berror be;
    rows rs;
    int i, applied = -1;

    cf_hard_row(&r);
    cf_check(c, cf_run(c, conn, GODWIT_SQL_RECORD, &r, &be) == 0, "history",
             "RECORD failed: %s", be.message);
    if (read_rows(c, conn, &rs) &&
        cf_check(c, (i = find(&rs, r.version)) >= 0, "history",
                 "RECORD wrote no row that history_read reports")) {
        same(c, &rs, i, &r, "RECORD");
        cf_check(c, strcmp(rs.applied_by[i], r.applied_by) == 0, "history",
                 "applied_by reads back as \"%s\"", rs.applied_by[i]);
        cf_check(c,
                 strlen(rs.applied_at[i]) == 24 &&
                     rs.applied_at[i][10] == 'T' && rs.applied_at[i][23] == 'Z',
                 "history",
                 "applied_at reads back as \"%s\"; report it as "
                 "YYYY-MM-DDTHH:MM:SS.sssZ, in UTC",
                 rs.applied_at[i]);
    }
    cf_berror(&be);
    cf_check(c,
             c->vt->history_has(conn, r.version, &applied, &be) == 0 &&
                 applied == 1,
             "history", "history_has does not find a recorded version");
    r.checksum = "sha256:4567";
    r.in_progress = NULL;
    r.error = NULL;
    r.statements_done = 0;
    r.duration_ms = 99;
    cf_check(c, cf_run(c, conn, GODWIT_SQL_UPDATE, &r, &be) == 0, "history",
             "UPDATE failed: %s", be.message);
    if (read_rows(c, conn, &rs) && (i = find(&rs, r.version)) >= 0)
        same(c, &rs, i, &r, "UPDATE");
    cf_check(c, cf_run(c, conn, GODWIT_SQL_UNRECORD, &r, &be) == 0, "history",
             "UNRECORD failed: %s", be.message);
    if (read_rows(c, conn, &rs))
        cf_check(c, find(&rs, r.version) < 0, "history",
                 "UNRECORD left the row");
    cf_berror(&be);
    cf_check(c,
             c->vt->history_has(conn, r.version, &applied, &be) == 0 &&
                 applied == 0,
             "history", "history_has finds a version that is not recorded");
}

/* A row written in a transaction that rolls back is not there. */
static void rolled_back(cf *c, godwit_conn *conn)
{
    godwit_history_row r;
    godwit_berror be;
    rows rs;

    cf_plain_row(&r, "20261129130000", "rolled back");
    cf_check(c,
             cf_run(c, conn, GODWIT_SQL_BEGIN, NULL, &be) == 0 &&
                 cf_run(c, conn, GODWIT_SQL_RECORD, &r, &be) == 0 &&
                 cf_run(c, conn, GODWIT_SQL_ROLLBACK, NULL, &be) == 0,
             "history", "BEGIN, RECORD, ROLLBACK failed: %s", be.message);
    if (read_rows(c, conn, &rs))
        cf_check(c, find(&rs, r.version) < 0, "history",
                 "a RECORD rolled back is still there: BEGIN and ROLLBACK "
                 "must enclose it");
}

void cf_history(cf *c)
{
    godwit_conn *conn;

    missing_table(c);
    if ((conn = cf_connect(c, "history")) == NULL)
        return;
    created(c, conn);
    round_trip(c, conn);
    rolled_back(c, conn);
    c->vt->disconnect(conn);
}
