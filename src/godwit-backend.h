/*
 * godwit-backend.h - the ABI between libgodwit and its backend plugins.
 *
 * A backend is a shared object named <name>.so, installed in the backend
 * directory, that exports exactly one symbol:
 *
 *     const struct godwit_backend *godwit_backend_<name>(unsigned host_abi);
 *
 * The host passes the GODWIT_BACKEND_ABI it was built with; the plugin
 * returns its backend description, or NULL to refuse a host it cannot
 * serve.  The description is static: the host never frees it.
 *
 * Versioning (the SQLite VFS way): the struct starts with the ABI version
 * and the struct's own size.  The host refuses a plugin whose abi_version
 * differs from its own, and never calls a method that lies beyond the
 * plugin's struct_size, so methods are only ever appended.  Fill the struct
 * with GODWIT_BACKEND_INIT and designated initialisers.
 *
 * Rules for backends:
 *   - Never print.  Report failures in the caller's godwit_berror.
 *   - What a backend allocates, the backend frees.
 *   - No global mutable state: everything lives in the connection.
 *   - Methods marked "optional" may be NULL; the host then does without.
 *
 * See godwit-backend(7) for a walk-through.  This header compiles as C89
 * and as C++; GODWIT_BACKEND_INIT needs C99 (designated initialisers).
 */
#ifndef GODWIT_BACKEND_H
#define GODWIT_BACKEND_H

#include <stddef.h>

#include "godwit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes.  Bumped only for incompatible changes
 * (2: lock takes its timeout; 3: history rows have applied_by). */
#define GODWIT_BACKEND_ABI 3

/*
 * The format of godwit's history table, which a backend creates and
 * reads.  Format 2 has the columns version (the key), name, checksum,
 * applied_at, duration_ms, in_progress, statements_done, error and
 * applied_by, and one row that is not a migration: version "" (empty,
 * which no migration's is), checksum "format:2", name "godwit history
 * table format", written by HISTORY_CREATE and reported by history_read
 * like the others.  A table without the applied_by column is format 1
 * (godwit 0.1 before formats): history_read reads its rows and reports,
 * with them, a row whose version is "" and checksum "format:1";
 * HISTORY_UPGRADE brings it to this format in place.  A later format only ever
 * adds columns, so that an older godwit can read the format row and refuse the
 * table.
 */
#define GODWIT_HISTORY_FORMAT 2

/* A backend's connection, defined by the backend. */
typedef struct godwit_conn godwit_conn;

/*
 * A failure, filled by the backend.  The host zeroes it before each call
 * and sets offset and statement to -1.
 */
typedef struct godwit_berror {
    int code;           /* GODWIT_ERROR, GODWIT_ELOCKED, ... */
    char sqlstate[6];   /* SQLSTATE or "" */
    long offset;        /* byte offset into the script passed to exec of
                           the error (or of the failing statement), or -1 */
    long statement;     /* else: 0-based index of the failing statement in
                           that script, or -1; the host finds its offset */
    char message[1024]; /* one line, never a password */
} godwit_berror;

/* 2: database, for scratch databases. */
#define GODWIT_TARGET_VERSION 2

/*
 * Where a backend connects and keeps its history.  Borrowed by the backend
 * for the call only (copy what a connection keeps).
 */
typedef struct godwit_target {
    unsigned version;     /* GODWIT_TARGET_VERSION */
    const char *url;      /* the full URL, scheme included */
    const char *table;    /* history table name, never NULL */
    const char *schema;   /* history schema or NULL */
    double lock_timeout;  /* seconds to wait for locks */
    unsigned flags;       /* GODWIT_TARGET_* */
    const char *database; /* (version 2) with GODWIT_CAP_SCRATCH_DATABASE:
                             a scratch database on the URL's server, which
                             connect opens in place of the URL's (same
                             user, password and other settings), and which
                             SCRATCH_CREATE and SCRATCH_DROP name; else
                             NULL */
} godwit_target;

/*
 * The process is the host's alone: nothing else in it uses the backend's
 * database library, so the backend may change that library's process-wide
 * settings for speed (before it first uses the library, once).  Without
 * it, a backend leaves them as the application set them.
 */
#define GODWIT_TARGET_OWN_PROCESS 0x1

/*
 * One history row.  On insert, applied_at may be NULL: the backend then
 * uses the database's clock (UTC).  Strings are borrowed.
 */
typedef struct godwit_history_row {
    const char *version; /* digits, as in the file name */
    const char *name;
    const char *checksum;    /* "sha256:<64 hex digits>" */
    const char *applied_at;  /* ISO 8601 UTC, or NULL on insert */
    long duration_ms;        /* on insert, -1: the database's own measure of
                                the time since the transaction began (0
                                where it has none) */
    const char *in_progress; /* "up" or "down" while a transaction=off
                                section runs, and after it was interrupted;
                                NULL for a plain applied migration */
    long statements_done;    /* with in_progress: statements completed */
    const char *error;       /* with in_progress: why it stopped, or NULL
                                when the migrator died */
    const char *applied_by;  /* who applied it, "user@host", or NULL (a
                                format-1 table's rows); RECORD writes it,
                                UPDATE leaves it */
} godwit_history_row;

/* Called by snapshot for each line of the schema's description; a
 * non-zero return stops the snapshot and is returned by it. */
typedef int (*godwit_line_fn)(void *ctx, const char *line);

/* Called by history_read for each row; a non-zero return stops the read
 * and is returned by history_read. */
typedef int (*godwit_history_fn)(void *ctx, const godwit_history_row *row);

/* Called by query for each row: values[i] is column i as text, NULL for
 * an SQL NULL; a non-zero return stops the query and is returned by it. */
typedef int (*godwit_row_fn)(void *ctx, int ncols, const char *const *values);

/* What render produces. */
typedef enum godwit_sql {
    GODWIT_SQL_HISTORY_CREATE = 1, /* create the history table if missing,
                                      with its format row */
    GODWIT_SQL_BEGIN, /* start a migration's transaction (and take the
                         database's write lock where that is how the
                         backend serialises migrators) */
    GODWIT_SQL_COMMIT,
    GODWIT_SQL_ROLLBACK,
    GODWIT_SQL_RECORD,          /* insert `row` into history */
    GODWIT_SQL_UNRECORD,        /* delete `row->version` from history */
    GODWIT_SQL_UPDATE,          /* set checksum, duration_ms, in_progress,
                                   statements_done and error of `row->version`;
                                   used outside transactions too */
    GODWIT_SQL_SCRATCH_DROP,    /* drop the target's scratch database (its
                                   database set), or else its schema, and
                                   everything in it */
    GODWIT_SQL_HISTORY_UPGRADE, /* bring the history table from the format
                                   in row->statements_done to
                                   GODWIT_HISTORY_FORMAT, in place: add the
                                   columns it lacks, write the format row */
    GODWIT_SQL_SCRATCH_CREATE,  /* with GODWIT_CAP_SCRATCH_DATABASE: create
                                   the target's database, empty (the
                                   database's pristine template) */
    GODWIT_SQL_FK_OFF,          /* with GODWIT_CAP_FOREIGN_KEYS: turn the
                                   connection's foreign key enforcement
                                   off (run outside a transaction) */
    GODWIT_SQL_FK_ON,           /* ... and back on */
    GODWIT_SQL_FK_CHECK         /* ... a query, for query, whose rows are
                                   the rows that break a foreign key:
                                   table, row, parent table */
} godwit_sql;

/*
 * Lexical dialects, for godwit_backend.dialect: how the host finds where a
 * statement ends (to run a section statement by statement, to locate an
 * error, for validate and --sql).  0 is SQLite's and PostgreSQL's:
 * '...' with '' inside, E'...' with backslashes, "..." and `...`
 * identifiers, $tag$ ... $tag$ bodies, -- and nested slash-star comments,
 * and BEGIN ... END / CASE ... END blocks in CREATE TRIGGER, FUNCTION,
 * PROCEDURE and EVENT.  The flags change it:
 */
#define GODWIT_DIALECT_BACKSLASH                                               \
    0x1 /* a backslash escapes the next byte                                   \
           in '...' and "..." (MySQL) */
#define GODWIT_DIALECT_HASH_COMMENT                                            \
    0x2 /* # starts a comment to the end of                                    \
           the line (MySQL) */
#define GODWIT_DIALECT_NO_DOLLAR                                               \
    0x4 /* $ is a character of names, and                                      \
           there are no $tag$ bodies */
#define GODWIT_DIALECT_CLIENT_DELIMITER                                        \
    0x8 /* the database's own client ends a                                    \
           statement at every ; and takes                                      \
           DELIMITER lines (mysql): a --sql                                    \
           script writes a statement with ;                                    \
           inside between DELIMITER lines */

/* Capabilities, for godwit_backend.caps. */

/* DDL rolls back with its transaction: each section runs in one
 * transaction.  Without it the host runs every section statement by
 * statement, recording its progress after each, as for transaction=off:
 * a failure leaves the migration interrupted after k statements,
 * resumable, and is never reported as rolled back. */
#define GODWIT_CAP_TRANSACTIONAL_DDL 0x1

/* lock() alone serialises migrators for a whole run, and the host sends
 * each transactional migration as one script: BEGIN, its SQL, RECORD
 * (duration_ms -1) or UNRECORD, COMMIT.  Without the cap (no lock, or one
 * that cannot always be had) the host re-checks history inside each
 * migration's transaction, between BEGIN and the SQL. */
#define GODWIT_CAP_SESSION_LOCK 0x2

/* godwit verify and diff may run in a throwaway schema of the target's
 * database, created by HISTORY_CREATE and dropped by SCRATCH_DROP. */
#define GODWIT_CAP_SCRATCH_SCHEMA 0x4

/* godwit verify and diff may run in a throwaway database on the target's
 * server, where migrations see the world they see under up (the schemas,
 * search path and extensions of a database of their own).  The host runs
 * SCRATCH_CREATE (target.database naming it) on a connection to the URL's
 * database, connects to it with target.database set, and after closing
 * that connection runs SCRATCH_DROP on the first.  Preferred to
 * SCRATCH_SCHEMA; when SCRATCH_CREATE fails for want of privilege
 * (SQLSTATE 42501), the host falls back to a scratch schema if the
 * backend has them, and says so. */
#define GODWIT_CAP_SCRATCH_DATABASE 0x8

/* A section marked foreign_keys=off has meaning here (SQLite, where a
 * table is rebuilt by create, copy, drop, rename): the host runs FK_OFF
 * before the section's transaction, FK_CHECK through query before it
 * commits (rolling back, and naming them, if there are rows), and FK_ON
 * after it.  Needs query.  Without the cap, such a section is refused. */
#define GODWIT_CAP_FOREIGN_KEYS 0x10

typedef struct godwit_backend {
    unsigned abi_version;       /* GODWIT_BACKEND_ABI */
    unsigned struct_size;       /* sizeof(struct godwit_backend) */
    const char *name;           /* must equal the <name> of the entry point */
    const char *const *schemes; /* URL schemes, NULL-terminated */
    unsigned caps;              /* GODWIT_CAP_* */

    /* Required.  Opens a connection for `t`.  *out is the caller's to
     * release with disconnect. */
    int (*connect)(godwit_conn **out, const godwit_target *t,
                   godwit_berror *err);

    /* Required.  Closes and frees; NULL-safe. */
    void (*disconnect)(godwit_conn *c);

    /* Required.  Runs a script of one or more statements (one round trip
     * where the database allows it).  sql[len] is always '\0', so the
     * script can be handed on without a copy.  On failure sets err->offset to
     * the byte offset in `sql` of the error, or at least of the failing
     * statement. */
    int (*exec)(godwit_conn *c, const char *sql, size_t len,
                godwit_berror *err);

    /* Required.  Writes the SQL for `what` into buf (NUL-terminated,
     * truncated to cap) and returns the length it needs without the NUL,
     * like snprintf, or a negative code.  `row` is set for RECORD,
     * UNRECORD and UPDATE.  Needs no connection: used for live runs and for
     * printing scripts alike, so both run the very same SQL. */
    int (*render)(const godwit_target *t, godwit_sql what,
                  const godwit_history_row *row, char *buf, size_t cap);

    /* Required.  Calls fn for each history row, in any order (the core
     * sorts them).  A missing history table is no error: it has no rows. */
    int (*history_read)(godwit_conn *c, godwit_history_fn fn, void *ctx,
                        godwit_berror *err);

    /* Required.  Sets *applied to whether `version` has a history row.
     * Called inside a migration's transaction. */
    int (*history_has)(godwit_conn *c, const char *version, int *applied,
                       godwit_berror *err);

    /* Optional.  Takes the migration lock, waiting up to timeout seconds
     * (0: one try, no waiting); GODWIT_ELOCKED with the holder in the
     * message when it is not had in time.  The host tries first with 0,
     * and only if another holds the lock reports that it waits
     * (GODWIT_EVENT_LOCK_WAIT, naming lock_holder's holder) and calls
     * again with the target's lock_timeout.  With GODWIT_CAP_SESSION_LOCK
     * the host relies on it alone. */
    int (*lock)(godwit_conn *c, double timeout, godwit_berror *err);

    /* Optional.  Releases the lock taken by lock. */
    int (*unlock)(godwit_conn *c, godwit_berror *err);

    /* Optional.  Checks that the connection is alive. */
    int (*ping)(godwit_conn *c, godwit_berror *err);

    /* Optional.  Describes the schema (the history table left out) from
     * the catalogs, one fact per line, each line starting with the object
     * it is about ("table t", "table t column c", "index i", "view v",
     * ...), so that two descriptions can be compared line by line.  The
     * host sorts the lines; the text must not depend on anything but the
     * schema (no OIDs, no creation order). */
    int (*snapshot)(godwit_conn *c, godwit_line_fn fn, void *ctx,
                    godwit_berror *err);

    /* Optional (with lock).  Without waiting and without taking it, tells
     * whether another session or process holds the migration lock: 1,
     * with the holder described in out (NUL-terminated, cut to cap) as
     * "pid N ... since T", or 0 when no one does.  The host asks it while
     * a transaction=off migration is recorded as in progress, so that
     * status says "running" rather than "interrupted" while its migrator
     * is still at work. */
    int (*lock_holder)(godwit_conn *c, char *out, size_t cap,
                       godwit_berror *err);

    /* Optional.  Called from another thread while a method runs on c:
     * asks the database to stop what c runs now (the method then fails,
     * as for any error), and to stop waiting for locks.  Must not block
     * for long nor free anything.  Without it, the host stops between
     * statements only. */
    void (*cancel)(godwit_conn *c);

    /* GODWIT_DIALECT_* flags: 0 for SQLite's and PostgreSQL's SQL. */
    unsigned dialect;

    /* Optional.  Runs one query (a SELECT, no parameters, no ';') and
     * calls fn for each row with its values as text, as the database's
     * own client prints them (a boolean the host wants, it asks for as
     * CASE WHEN b THEN 1 ELSE 0 END).  A missing table is an error.  The
     * host reads other tools' tables with it (godwit import --history);
     * without it, it cannot. */
    int (*query)(godwit_conn *c, const char *sql, godwit_row_fn fn, void *ctx,
                 godwit_berror *err);
} godwit_backend;

/* Starts a backend description with the ABI version and size of the
 * header the plugin was compiled against. */
#define GODWIT_BACKEND_INIT                                                    \
    .abi_version = GODWIT_BACKEND_ABI,                                         \
    .struct_size = sizeof(struct godwit_backend)

/* The type of a plugin's entry point. */
typedef const godwit_backend *(*godwit_backend_entry)(unsigned host_abi);

#ifdef __cplusplus
}
#endif

#endif /* GODWIT_BACKEND_H */
