/*
 * sqlite_history.c - the SQLite dialect of godwit's bookkeeping: the
 * history table, transactions, and reading history back.
 */
#include <stdio.h>
#include <string.h>

#include "sqlite-int.h"
#include "sqlwriter.h"

#define UTC_NOW "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

static void history_create(sqlw *w, const godwit_target *t)
{
    sqlw_raw(w, "CREATE TABLE IF NOT EXISTS ");
    sqlw_ident(w, t->table);
    sqlw_raw(w, " (\n    version TEXT NOT NULL PRIMARY KEY,\n"
                "    name TEXT NOT NULL,\n"
                "    checksum TEXT NOT NULL,\n"
                "    applied_at TEXT NOT NULL,\n"
                "    duration_ms INTEGER NOT NULL,\n"
                "    in_progress TEXT,\n"
                "    statements_done INTEGER,\n"
                "    error TEXT,\n"
                "    applied_by TEXT\n);\n");
    sqlw_history_format(w, "INSERT OR IGNORE INTO", NULL, t->table, UTC_NOW,
                        "");
}

/* Format 1 had no applied_by; nothing else changed. */
static void history_upgrade(sqlw *w, const godwit_target *t)
{
    sqlw_raw(w, "ALTER TABLE ");
    sqlw_ident(w, t->table);
    sqlw_raw(w, " ADD COLUMN applied_by TEXT;\n");
    sqlw_history_format(w, "INSERT OR IGNORE INTO", NULL, t->table, UTC_NOW,
                        "");
}

int sqlite_render(const godwit_target *t, godwit_sql what,
                  const godwit_history_row *row, char *buf, size_t cap)
{
    sqlw w;

    sqlw_init(&w, buf, cap);
    switch (what) {
    case GODWIT_SQL_HISTORY_CREATE: history_create(&w, t); break;
    case GODWIT_SQL_BEGIN: sqlw_raw(&w, "BEGIN IMMEDIATE;\n"); break;
    case GODWIT_SQL_COMMIT: sqlw_raw(&w, "COMMIT;\n"); break;
    case GODWIT_SQL_ROLLBACK: sqlw_raw(&w, "ROLLBACK;\n"); break;
    case GODWIT_SQL_RECORD:
        /* SQLite keeps no transaction start time: an unknown duration
         * is recorded as 0 */
        sqlw_history_insert(&w, NULL, t->table, row, UTC_NOW, "0");
        break;
    case GODWIT_SQL_UNRECORD:
        sqlw_history_delete(&w, NULL, t->table, row->version);
        break;
    case GODWIT_SQL_UPDATE: sqlw_history_update(&w, NULL, t->table, row); break;
    case GODWIT_SQL_HISTORY_UPGRADE:
        if (row == NULL || row->statements_done != 1)
            return GODWIT_ENOTSUP;
        history_upgrade(&w, t);
        break;
    case GODWIT_SQL_FK_OFF: sqlw_raw(&w, "PRAGMA foreign_keys = OFF;\n"); break;
    case GODWIT_SQL_FK_ON: sqlw_raw(&w, "PRAGMA foreign_keys = ON;\n"); break;
    case GODWIT_SQL_FK_CHECK:
        sqlw_raw(&w, "PRAGMA foreign_key_check;\n");
        break;
    default: return GODWIT_ENOTSUP;
    }
    return sqlw_finish(&w);
}

/* Prepares a statement naming the history table: fmt has one %s. */
static int prepare(godwit_conn *c, const char *fmt, sqlite3_stmt **st,
                   godwit_berror *err)
{
    char ident[512], sql[1024];
    sqlw w;
    int rc;

    sqlw_init(&w, ident, sizeof(ident));
    sqlw_ident(&w, c->table);
    if (sqlw_finish(&w) >= (int)sizeof(ident)) {
        err->code = GODWIT_EUSAGE;
        snprintf(err->message, sizeof(err->message),
                 "history table name is too long");
        return GODWIT_EUSAGE;
    }
    snprintf(sql, sizeof(sql), fmt, ident);
    rc = sqlite3_prepare_v2(c->db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? 0 : sqlite_fail(c, rc, err);
}

static int table_exists(godwit_conn *c, int *exists, godwit_berror *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(c->db,
                                "SELECT 1 FROM sqlite_master WHERE "
                                "type = 'table' AND name = ?1",
                                -1, &st, NULL);

    if (rc != SQLITE_OK)
        return sqlite_fail(c, rc, err);
    sqlite3_bind_text(st, 1, c->table, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    *exists = rc == SQLITE_ROW;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sqlite_fail(c, rc, err);
}

/* Whether the history table is missing, rather than unreadable. */
static int missing(godwit_conn *c)
{
    godwit_berror ignored;
    int exists = 1;

    table_exists(c, &exists, &ignored);
    return !exists;
}

static const char *column(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

#define COLUMNS_1                                                              \
    "SELECT version, name, checksum, applied_at, duration_ms, in_progress, "   \
    "statements_done, error"

/* A format-1 table (no applied_by): its rows, and a format row saying so,
 * or an error when it is no history table of godwit's at all. */
static int legacy(godwit_conn *c, sqlite3_stmt **st, godwit_history_fn fn,
                  void *ctx, godwit_berror *err)
{
    int rc;

    if ((rc = sqlw_report_format1(fn, ctx, err)) != 0)
        return rc;
    return prepare(c, COLUMNS_1 ", NULL FROM %s", st, err);
}

int sqlite_history_read(godwit_conn *c, godwit_history_fn fn, void *ctx,
                        godwit_berror *err)
{
    godwit_history_row row;
    sqlite3_stmt *st;
    int rc;

    if (c->db == NULL)
        return 0; /* no file, no history */
    /* Straight to the rows, and only if that fails, whether the table is
     * there: looking it up in sqlite_master first scans every row of a
     * schema that may hold thousands of objects. */
    if ((rc = prepare(c, COLUMNS_1 ", applied_by FROM %s", /* core sorts */
                      &st, err)) < 0) {
        if (missing(c))
            return 0;
        if ((rc = legacy(c, &st, fn, ctx, err)) != 0)
            return rc;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        row.version = column(st, 0);
        row.name = column(st, 1);
        row.checksum = column(st, 2);
        row.applied_at = column(st, 3);
        row.duration_ms = (long)sqlite3_column_int64(st, 4);
        row.in_progress = column(st, 5);
        row.statements_done = (long)sqlite3_column_int64(st, 6);
        row.error = column(st, 7);
        row.applied_by = column(st, 8);
        if (row.version == NULL)
            continue;
        if ((rc = fn(ctx, &row)) != 0) {
            sqlite3_finalize(st);
            return rc;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : sqlite_fail(c, rc, err);
}

int sqlite_history_has(godwit_conn *c, const char *version, int *applied,
                       godwit_berror *err)
{
    int rc;

    if (sqlite_need_db(c, err) < 0)
        return GODWIT_ERROR;
    if (c->has == NULL &&
        (rc = prepare(c, "SELECT 1 FROM %s WHERE version = ?1", &c->has, err)) <
            0)
        return rc;
    sqlite3_bind_text(c->has, 1, version, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(c->has);
    *applied = rc == SQLITE_ROW;
    sqlite3_reset(c->has);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sqlite_fail(c, rc, err);
}
