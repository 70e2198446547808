/*
 * sqlite.c - the SQLite backend: URLs, connections, running scripts.
 *
 * URLs: sqlite:relative/path.db, sqlite:///absolute/path.db,
 * sqlite::memory:.  Foreign keys are on.  Migrators are serialised by a
 * lock file held for the run (sqlite_lock.c), and each migration by BEGIN
 * IMMEDIATE; the engine re-checks history inside each transaction.  All
 * the waiting of a connection, for the lock file and in SQLite's busy
 * handler, comes out of one budget of --lock-timeout seconds, so that
 * --lock-timeout 2 gives up after 2 s, not after 2 s per lock.  A file that
 * does not exist yet is created by the first write, so reading commands and a
 * run that stops at a bad migration file leave no empty database behind.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sqlite-int.h"

static const char *const schemes[] = {"sqlite", NULL};

/*
 * With the process to itself (GODWIT_TARGET_OWN_PROCESS), the backend has
 * SQLite keep no memory statistics: they take a mutex on every allocation,
 * and the first statement parses the whole schema (some 8,000 lasting
 * allocations for a thousand tables with an index each; lookaside is off
 * while the schema is parsed), 0.6 ms of 4.7 (bench/README.md).
 * sqlite3_config works only before SQLite's first use, so once, before the
 * first connection; if the library is already in use it refuses, and
 * nothing changes.
 */
static pthread_once_t tuned = PTHREAD_ONCE_INIT;

static void tune(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int fail_msg(godwit_berror *err, int code, const char *msg)
{
    err->code = code;
    snprintf(err->message, sizeof(err->message), "%s", msg);
    return code;
}

int sqlite_fail(godwit_conn *c, int rc, godwit_berror *err)
{
    int busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;

    err->code = busy ? GODWIT_ELOCKED : GODWIT_ERROR;
    if (busy && __atomic_load_n(&c->stopped, __ATOMIC_RELAXED))
        snprintf(err->message, sizeof(err->message),
                 "%s: stopped after waiting %.1f s for another process's "
                 "write lock",
                 sqlite3_errmsg(c->db), c->waited);
    else if (busy)
        snprintf(err->message, sizeof(err->message),
                 "%s after waiting %g s: another process holds the "
                 "database's write lock; raise --lock-timeout or try again",
                 sqlite3_errmsg(c->db), c->lock_timeout);
    else if ((rc & 0xff) == SQLITE_READONLY)
        snprintf(err->message, sizeof(err->message),
                 "%s; the database file and its directory must be writable "
                 "by this user (SQLite writes a journal beside the file)",
                 sqlite3_errmsg(c->db));
    else
        snprintf(err->message, sizeof(err->message), "%s",
                 sqlite3_errmsg(c->db));
    return err->code;
}

/* The file name of a sqlite: URL. */
static const char *url_path(const char *url)
{
    const char *p = url + strlen("sqlite:");

    if (strncmp(p, "//", 2) == 0)
        p += 2;
    return p;
}

static void sqlite_disconnect(godwit_conn *c)
{
    if (c == NULL)
        return;
    sqlite_unlock(c, NULL);
    free(c->lock_path);
    sqlite3_finalize(c->has);
    sqlite3_close(c->db);
    pthread_mutex_destroy(&c->db_lock);
    free(c->path);
    free(c->table);
    free(c);
}

/* "cannot open SQLite database PATH: WHY; ..." */
static int cannot_open(godwit_berror *err, const char *path, const char *why)
{
    err->code = GODWIT_ERROR;
    snprintf(err->message, sizeof(err->message),
             "cannot open SQLite database \"%s\": %s; check that the "
             "directory exists and is writable",
             path, why);
    return GODWIT_ERROR;
}

/* Stops the statement running (SQLITE_INTERRUPT) and all waiting for
 * locks: the budget is spent (sqlite_wait sees stopped).  From another
 * thread: db is read under db_lock, which open_db publishes it under. */
static void sqlite_cancel(godwit_conn *c)
{
    __atomic_store_n(&c->stopped, 1, __ATOMIC_RELAXED);
    pthread_mutex_lock(&c->db_lock);
    if (c->db != NULL)
        sqlite3_interrupt(c->db);
    pthread_mutex_unlock(&c->db_lock);
}

/* SQLite's busy handler: waits while the budget lasts, 1 ms doubling to
 * 50 ms between tries. */
static int busy(void *arg, int tries)
{
    return sqlite_wait(arg, tries < 6 ? 1L << tries : 50);
}

static int open_db(godwit_conn *c, const char *path, godwit_berror *err)
{
    /* One thread at a time uses a connection: no mutex on every call. */
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(
        path, &db,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);

    if (rc != SQLITE_OK) {
        cannot_open(err, path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return GODWIT_ERROR;
    }
    pthread_mutex_lock(&c->db_lock);
    c->db = db;
    pthread_mutex_unlock(&c->db_lock);
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_handler(c->db, busy, c);
    rc = sqlite3_exec(c->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : sqlite_fail(c, rc, err);
}

int sqlite_need_db(godwit_conn *c, godwit_berror *err)
{
    if (c->db != NULL)
        return 0;
    if (open_db(c, c->path, err) < 0)
        return GODWIT_ERROR;
    free(c->path);
    c->path = NULL;
    return 0;
}

/* A file that does not exist yet can be created: its directory is there
 * and writable. */
static int can_create(const char *path, godwit_berror *err)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];

    if (slash == NULL)
        snprintf(dir, sizeof(dir), ".");
    else
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path + 1), path);
    if (access(dir, W_OK | X_OK) == 0)
        return 0;
    return cannot_open(err, path, strerror(errno));
}

static int sqlite_connect(godwit_conn **out, const godwit_target *t,
                          godwit_berror *err)
{
    const char *path = url_path(t->url);
    godwit_conn *c;

    *out = NULL;
    if (t->flags & GODWIT_TARGET_OWN_PROCESS)
        pthread_once(&tuned, tune);
    if (*path == '\0')
        return fail_msg(err, GODWIT_EUSAGE,
                        "a sqlite URL names a file: sqlite:app.db, "
                        "sqlite:///abs/app.db or sqlite::memory:");
    if ((c = calloc(1, sizeof(*c))) == NULL ||
        (c->table = strdup(t->table)) == NULL) {
        free(c);
        return fail_msg(err, GODWIT_ENOMEM, "out of memory");
    }
    c->lock_timeout = c->wait_left = t->lock_timeout;
    c->lock_fd = -1;
    pthread_mutex_init(&c->db_lock, NULL);
    if (strcmp(path, ":memory:") != 0 && access(path, F_OK) != 0 &&
        errno == ENOENT) { /* created by the first write */
        if (can_create(path, err) < 0) {
            sqlite_disconnect(c);
            return GODWIT_ERROR;
        }
        if ((c->path = strdup(path)) == NULL) {
            sqlite_disconnect(c);
            return fail_msg(err, GODWIT_ENOMEM, "out of memory");
        }
        *out = c;
        return 0;
    }
    if (open_db(c, path, err) < 0) {
        sqlite_disconnect(c);
        return GODWIT_ERROR;
    }
    *out = c;
    return 0;
}

/* Skips blanks and comments SQLite would skip before a statement. */
static const char *skip_blank(const char *p, const char *end)
{
    while (p < end) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ';')
            p++;
        else if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            while (p < end && *p != '\n')
                p++;
        else if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
            const char *q = p + 2;

            while (q + 1 < end && !(q[0] == '*' && q[1] == '/'))
                q++;
            p = q + 1 < end ? q + 2 : end;
        } else
            break;
    }
    return p;
}

static int step_all(sqlite3_stmt *st)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Runs every statement of the script in turn. */
static int sqlite_exec(godwit_conn *c, const char *sql, size_t len,
                       godwit_berror *err)
{
    const char *p = sql, *end = sql + len, *tail;
    sqlite3_stmt *st;
    int rc = SQLITE_OK;

    if (sqlite_need_db(c, err) < 0)
        return GODWIT_ERROR;
    while (rc == SQLITE_OK && (p = skip_blank(p, end)) < end) {
        /* the length includes the NUL at sql[len]: no copy is made */
        rc = sqlite3_prepare_v2(c->db, p, (int)(end - p) + 1, &st, &tail);
        if (rc == SQLITE_OK && st != NULL) {
            rc = step_all(st);
            sqlite3_finalize(st);
        }
        if (rc != SQLITE_OK)
            break;
        p = tail;
    }
    if (rc == SQLITE_OK)
        return 0;
    err->offset = (long)(p - sql);
#if SQLITE_VERSION_NUMBER >= 3038000
    if (sqlite3_error_offset(c->db) >= 0)
        err->offset += sqlite3_error_offset(c->db);
#endif
    return sqlite_fail(c, rc, err);
}

static int sqlite_query(godwit_conn *c, const char *sql, godwit_row_fn fn,
                        void *ctx, godwit_berror *err)
{
    const char *values[64];
    sqlite3_stmt *st;
    int i, n, rc;

    if (sqlite_need_db(c, err) < 0)
        return GODWIT_ERROR;
    if ((rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) != SQLITE_OK)
        return sqlite_fail(c, rc, err);
    n = sqlite3_column_count(st);
    n = n < 64 ? n : 64;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (i = 0; i < n; i++)
            values[i] = (const char *)sqlite3_column_text(st, i);
        if ((rc = fn(ctx, n, values)) != 0) {
            sqlite3_finalize(st);
            return rc;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : sqlite_fail(c, rc, err);
}

static int sqlite_ping(godwit_conn *c, godwit_berror *err)
{
    int rc;

    if (c->db == NULL)
        return 0; /* nothing to reach until the file is created */
    rc = sqlite3_exec(c->db, "SELECT 1", NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : sqlite_fail(c, rc, err);
}

static const godwit_backend backend = {
    GODWIT_BACKEND_INIT,
    .name = "sqlite",
    .schemes = schemes,
    .caps = GODWIT_CAP_TRANSACTIONAL_DDL | GODWIT_CAP_FOREIGN_KEYS,
    .connect = sqlite_connect,
    .disconnect = sqlite_disconnect,
    .exec = sqlite_exec,
    .render = sqlite_render,
    .history_read = sqlite_history_read,
    .history_has = sqlite_history_has,
    .lock = sqlite_lock,
    .unlock = sqlite_unlock,
    .ping = sqlite_ping,
    .snapshot = sqlite_snapshot,
    .lock_holder = sqlite_lock_holder,
    .cancel = sqlite_cancel,
    .query = sqlite_query,
};

const godwit_backend *godwit_backend_sqlite(unsigned host_abi);

const godwit_backend *godwit_backend_sqlite(unsigned host_abi)
{
    return host_abi == GODWIT_BACKEND_ABI ? &backend : NULL;
}
