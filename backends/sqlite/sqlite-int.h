/* sqlite-int.h - shared by the sqlite backend's files; not installed. */
#ifndef GODWIT_SQLITE_INT_H
#define GODWIT_SQLITE_INT_H

#include <pthread.h>
#include <sqlite3.h>

#include "godwit-backend.h"

struct godwit_conn {
    sqlite3 *db;       /* NULL until the first write when the file did not
                          exist: see sqlite_need_db */
    char *path;        /* with db NULL: the file to create; owned */
    char *table;       /* history table name; owned */
    sqlite3_stmt *has; /* prepared "is this version recorded?" or NULL */
    double lock_timeout;
    double wait_left;        /* seconds this run may still wait for locks: the
                                lock file and the busy handler share them */
    double waited;           /* seconds waited for locks so far, for messages */
    int stopped;             /* cancel came: wait no more (set from another
                                thread: read and written with __atomic) */
    pthread_mutex_t db_lock; /* cancel's view of db against open_db */
    char *lock_path; /* the migration lock's file once lock ran; owned */
    int lock_fd;     /* open on it while the lock is held, else -1 */
};

/* Opens (creating) the database if that was put off; every method that
 * writes calls it first. */
int sqlite_need_db(godwit_conn *c, godwit_berror *err);

/* Copies SQLite's message for rc into err, mapping busy to ELOCKED. */
int sqlite_fail(godwit_conn *c, int rc, godwit_berror *err);

/* The render method: SQL text for history and transactions. */
int sqlite_render(const godwit_target *t, godwit_sql what,
                  const godwit_history_row *row, char *buf, size_t cap);

int sqlite_history_read(godwit_conn *c, godwit_history_fn fn, void *ctx,
                        godwit_berror *err);

int sqlite_history_has(godwit_conn *c, const char *version, int *applied,
                       godwit_berror *err);

/* Sleeps about ms milliseconds (less if c->wait_left runs out first) and
 * takes the time slept from c->wait_left; 0 when nothing was left. */
int sqlite_wait(godwit_conn *c, long ms);

/* The lock and unlock methods (sqlite_lock.c): a file lock beside the
 * database, held for the run. */
int sqlite_lock(godwit_conn *c, double timeout, godwit_berror *err);
int sqlite_unlock(godwit_conn *c, godwit_berror *err);
int sqlite_lock_holder(godwit_conn *c, char *out, size_t cap,
                       godwit_berror *err);

/* The snapshot method: the schema as canonical lines. */
int sqlite_snapshot(godwit_conn *c, godwit_line_fn fn, void *ctx,
                    godwit_berror *err);

#endif
