/*
 * minisqlite.c - a complete, minimal godwit backend: SQLite through its C
 * API, with the six required methods and nothing else, for plugin authors
 * to start from (godwit-backend(7) explains each rule it follows).
 *
 * Build it against the installed header, install it where godwit looks,
 * and check it:
 *
 *   cc -shared -fPIC -o minisqlite.so minisqlite.c \
 *       $(pkg-config --cflags libgodwit sqlite3) $(pkg-config --libs sqlite3)
 *   cp minisqlite.so "$(pkg-config --variable=backenddir libgodwit)"
 *   godwit-conformance minisqlite:check.db
 *   godwit -u minisqlite:app.db up
 *
 * Without the optional methods the host does without: no lock (so each
 * migration's transaction takes SQLite's write lock, BEGIN IMMEDIATE, and
 * the host re-checks history inside it; a second migrator refuses, as
 * interrupted, a transaction=off migration the first still runs), no
 * snapshot (no dump or verify), no cancel (Ctrl-C stops between
 * statements).
 */
#include <godwit-backend.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const schemes[] = {"minisqlite", NULL};

/* The connection: the backend's own type, opaque to the host. */
struct godwit_conn {
    sqlite3 *db;
    char *table; /* the history table's name, copied from the target */
};

/* Fills err from the database's last error, with the 0-based index of
 * the failing statement in exec's script (-1: not in one); a message,
 * never printed. */
static int fail(godwit_conn *c, long statement, godwit_berror *err)
{
    err->code = GODWIT_ERROR;
    err->statement = statement;
    snprintf(err->message, sizeof(err->message), "%s", sqlite3_errmsg(c->db));
    return GODWIT_ERROR;
}

static void mini_disconnect(godwit_conn *c)
{
    if (c == NULL)
        return;
    sqlite3_close(c->db);
    free(c->table);
    free(c);
}

/* "minisqlite:PATH": the file is made when missing.  A schema means
 * nothing to SQLite and is ignored. */
static int mini_connect(godwit_conn **out, const godwit_target *t,
                        godwit_berror *err)
{
    godwit_conn *c = calloc(1, sizeof(*c));
    const char *path =
        strchr(t->url, ':') + 1; /* the host checked the scheme */

    *out = NULL;
    if (c == NULL || (c->table = strdup(t->table)) == NULL) {
        free(c);
        return GODWIT_ENOMEM;
    }
    if (sqlite3_open(path, &c->db) != SQLITE_OK) {
        fail(c, -1, err);
        mini_disconnect(c);
        return GODWIT_ERROR;
    }
    sqlite3_busy_timeout(c->db, (int)(t->lock_timeout * 1000));
    *out = c;
    return 0;
}

/* Statement after statement, results read and dropped; the index of the
 * failing statement tells the host where the error is (it finds the
 * statement with its own lexer). */
static int mini_exec(godwit_conn *c, const char *sql, size_t len,
                     godwit_berror *err)
{
    const char *p = sql, *end = sql + len;
    long i;

    for (i = 0; p < end; i++) {
        sqlite3_stmt *st;
        const char *next;
        int rc;

        if (sqlite3_prepare_v2(c->db, p, (int)(end - p), &st, &next) !=
            SQLITE_OK)
            return fail(c, i, err);
        if (st == NULL) /* only blanks or comments were left */
            break;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            ;
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return fail(c, i, err);
        p = next;
    }
    return 0;
}

/* The SQL of each piece of bookkeeping, whole statements ending in ";\n",
 * written without a connection (sqlite3_snprintf's %w and %Q quote a name
 * and a literal).  Returns the length it needs, as snprintf does. */
static int mini_render(const godwit_target *t, godwit_sql what,
                       const godwit_history_row *r, char *buf, size_t cap)
{
    char *sql = NULL;
    int n;

    switch (what) {
    case GODWIT_SQL_HISTORY_CREATE:
        sql = sqlite3_mprintf(
            "CREATE TABLE IF NOT EXISTS \"%w\" (version TEXT PRIMARY KEY, "
            "name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT "
            "NULL, duration_ms INTEGER NOT NULL, in_progress TEXT, "
            "statements_done INTEGER, error TEXT, applied_by TEXT);\n"
            "INSERT OR IGNORE INTO \"%w\" (version, name, checksum, "
            "applied_at, duration_ms) VALUES ('', 'godwit history table "
            "format', 'format:2', strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ'), 0);\n",
            t->table, t->table);
        break;
    case GODWIT_SQL_BEGIN: sql = sqlite3_mprintf("BEGIN IMMEDIATE;\n"); break;
    case GODWIT_SQL_COMMIT: sql = sqlite3_mprintf("COMMIT;\n"); break;
    case GODWIT_SQL_ROLLBACK: sql = sqlite3_mprintf("ROLLBACK;\n"); break;
    case GODWIT_SQL_RECORD:
        sql = sqlite3_mprintf(
            "INSERT INTO \"%w\" VALUES (%Q, %Q, %Q, coalesce(%Q, "
            "strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ')), %ld, %Q, %ld, %Q, %Q);\n",
            t->table, r->version, r->name, r->checksum, r->applied_at,
            r->duration_ms < 0 ? 0 : r->duration_ms, r->in_progress,
            r->statements_done, r->in_progress ? r->error : NULL,
            r->applied_by);
        break;
    case GODWIT_SQL_UPDATE:
        sql = sqlite3_mprintf(
            "UPDATE \"%w\" SET checksum = %Q, duration_ms = %ld, in_progress "
            "= %Q, statements_done = %ld, error = %Q WHERE version = %Q;\n",
            t->table, r->checksum, r->duration_ms, r->in_progress,
            r->statements_done, r->in_progress ? r->error : NULL, r->version);
        break;
    case GODWIT_SQL_UNRECORD:
        sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE version = %Q;\n",
                              t->table, r->version);
        break;
    default: return GODWIT_ENOTSUP; /* no scratch schema, no format 1 */
    }
    if (sql == NULL)
        return GODWIT_ENOMEM;
    n = (int)strlen(sql);
    if (cap > 0)
        snprintf(buf, cap, "%s", sql);
    sqlite3_free(sql);
    return n;
}

/* Runs a query on the history table; a missing table is no history. */
static int query(godwit_conn *c, const char *fmt, const char *arg,
                 sqlite3_stmt **st, godwit_berror *err)
{
    char *sql = sqlite3_mprintf(fmt, c->table, arg);
    int rc = sqlite3_prepare_v2(c->db, sql, -1, st, NULL);

    sqlite3_free(sql);
    if (rc == SQLITE_OK)
        return 0;
    if (strstr(sqlite3_errmsg(c->db), "no such table") != NULL)
        return 1;
    return fail(c, -1, err);
}

static const char *text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static int mini_history_read(godwit_conn *c, godwit_history_fn fn, void *ctx,
                             godwit_berror *err)
{
    sqlite3_stmt *st;
    int rc = query(c, "SELECT * FROM \"%w\"", NULL, &st, err);

    if (rc != 0)
        return rc > 0 ? 0 : rc;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        godwit_history_row row = {text(st, 0),
                                  text(st, 1),
                                  text(st, 2),
                                  text(st, 3),
                                  sqlite3_column_int64(st, 4),
                                  text(st, 5),
                                  sqlite3_column_int64(st, 6),
                                  text(st, 7),
                                  text(st, 8)};

        rc = fn(ctx, &row);
    }
    sqlite3_finalize(st);
    return rc;
}

static int mini_history_has(godwit_conn *c, const char *version, int *applied,
                            godwit_berror *err)
{
    sqlite3_stmt *st;
    int rc =
        query(c, "SELECT 1 FROM \"%w\" WHERE version = %Q", version, &st, err);

    if (rc != 0) /* inside a migration the table must be there */
        return rc > 0 ? fail(c, -1, err) : rc;
    *applied = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return 0;
}

static const godwit_backend backend = {
    GODWIT_BACKEND_INIT,
    .name = "minisqlite",
    .schemes = schemes,
    .caps = GODWIT_CAP_TRANSACTIONAL_DDL,
    .connect = mini_connect,
    .disconnect = mini_disconnect,
    .exec = mini_exec,
    .render = mini_render,
    .history_read = mini_history_read,
    .history_has = mini_history_has,
};

/* The one exported symbol: godwit_backend_ and the file's name. */
const godwit_backend *godwit_backend_minisqlite(unsigned host_abi);

const godwit_backend *godwit_backend_minisqlite(unsigned host_abi)
{
    return host_abi == GODWIT_BACKEND_ABI ? &backend : NULL;
}
