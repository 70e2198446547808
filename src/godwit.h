/*
 * godwit.h - the public API of libgodwit, a schema-migration engine.
 *
 * An application opens a handle with godwit_open(), runs commands on it
 * (godwit_up(), godwit_down(), godwit_status_read(), ...) and closes it with
 * godwit_close().  Every command the godwit(1) program offers is one call
 * here; the program only parses arguments and renders results.
 *
 * Conventions:
 *   - Functions return 0 on success or a negative GODWIT_E* code.  The
 *     message for the last failure lives on the handle: godwit_errmsg().
 *   - An out-parameter is set to NULL on entry and assigned only on
 *     success; what it receives belongs to the caller and is released with
 *     the matching NULL-safe godwit_*_free().
 *   - A returned const pointer is borrowed from the object it came from and
 *     stays valid until that object is freed.
 *   - There is no global state: separate handles may be used from separate
 *     threads.  One handle must not be used by two threads at once.
 *
 * This header also compiles as C89.
 */
#ifndef GODWIT_H
#define GODWIT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes.  Values are stable; new codes are only ever added. */
#define GODWIT_OK        0
#define GODWIT_ERROR     -1 /* SQL, connection or I/O failure */
#define GODWIT_ENOTFOUND -2 /* no such migration, backend, file or target */
#define GODWIT_ECONFLICT -3 /* recorded history and files disagree */
#define GODWIT_ELOCKED   -4 /* the migration lock was not granted in time */
#define GODWIT_ENOTSUP   -5 /* the backend does not offer this */
#define GODWIT_EABI      -6 /* a backend plugin is incompatible */
#define GODWIT_EUSAGE    -7 /* invalid argument (bad target, bad name...) */
#define GODWIT_ENOMEM    -8 /* out of memory */
#define GODWIT_EINTR     -9 /* stopped by godwit_interrupt() */

/* The library version, "MAJOR.MINOR.PATCH". */
const char *godwit_version(void);

/* The backend ABI this library speaks (its GODWIT_BACKEND_ABI), and the
 * plugin directory it was built with, searched last. */
unsigned godwit_backend_abi(void);
const char *godwit_backend_dir(void);

/* An open migration engine: configuration, migration set, connection. */
typedef struct godwit godwit;

/* What happened, reported through godwit_progress_fn while a command runs. */
typedef enum godwit_event_type {
    GODWIT_EVENT_APPLY_BEGIN = 1, /* about to apply a migration */
    GODWIT_EVENT_APPLY_END,       /* applied; duration_ms is set */
    GODWIT_EVENT_REVERT_BEGIN,    /* about to revert a migration */
    GODWIT_EVENT_REVERT_END,      /* reverted; duration_ms is set */
    GODWIT_EVENT_SKIP,            /* another process already did this step */
    GODWIT_EVENT_FAIL,            /* the step failed and was rolled back */
    GODWIT_EVENT_LOCK_WAIT,       /* waiting for another migrator's lock */
    GODWIT_EVENT_CONNECT_RETRY,   /* godwit_wait: an attempt failed; detail
                                     is why, duration_ms the next delay */
    GODWIT_EVENT_STAMP,           /* godwit_stamp: detail says what was
                                     recorded or removed */
    GODWIT_EVENT_REPAIR,          /* godwit_repair: detail says what was
                                     done to the migration */
    GODWIT_EVENT_WARNING,         /* godwit_validate: something likely wrong
                                     that is not an error; detail says what */
    GODWIT_EVENT_VERIFIED,        /* godwit_verify: a migration passed;
                                     detail says what was checked */
    GODWIT_EVENT_UPGRADE,         /* the history table, written by an
                                     earlier godwit, was upgraded in place
                                     before the first change; detail says
                                     how */
    GODWIT_EVENT_IMPORT,          /* godwit_import: a file was written;
                                     detail says which, from what */
    GODWIT_EVENT_STATEMENT        /* a section that runs statement by
                                     statement finished one: detail is
                                     "3/7" */
} godwit_event_type;

#define GODWIT_EVENT_VERSION 1

/*
 * One progress event.  All pointers are borrowed for the duration of the
 * callback.  Fields are only ever appended; check `version`.
 */
typedef struct godwit_event {
    unsigned version; /* GODWIT_EVENT_VERSION of the library */
    godwit_event_type type;
    const char *mversion; /* migration version, e.g. "0003" */
    const char *name;     /* migration name, e.g. "add_orders" */
    const char *path;     /* migration file as given by the directory */
    long duration_ms;     /* for *_END events, else 0 */
    const char *detail;   /* extra text (lock holder, skip reason) or NULL */
} godwit_event;

typedef void (*godwit_progress_fn)(const godwit_event *ev, void *ctx);

/* Flags for godwit_options.flags. */
#define GODWIT_OPT_ENV                                                         \
    0x1 /* read GODWIT_DATABASE_URL, DATABASE_URL and                          \
           godwit.conf for settings left NULL */
#define GODWIT_OPT_ALLOW_OUT_OF_ORDER                                          \
    0x2 /* apply pending migrations older                                      \
           than the newest applied one */
#define GODWIT_OPT_IGNORE_MISSING                                              \
    0x4 /* go on when applied migrations have                                  \
           no file */
#define GODWIT_OPT_OWN_PROCESS                                                 \
    0x8 /* nothing else in this process uses                                   \
           the database libraries: backends may                                \
           change their process-wide settings                                  \
           for speed (see libgodwit(3)) */
#define GODWIT_OPT_STRICT                                                      \
    0x10 /* godwit_verify: a changed column order                              \
            fails, as any other difference; without                            \
            it, it is a GODWIT_EVENT_WARNING */
#define GODWIT_OPT_DROP_SOURCE_HISTORY                                         \
    0x20 /* godwit_import_history: drop the other                              \
            tool's history table once godwit's is                              \
            written */

/*
 * A migration set compiled into the program (godwit embed writes one as C
 * source): each file's name, its bytes and the checksum godwit embed
 * computed, which godwit checks again at run time.  Static, borrowed.
 */
typedef struct godwit_embedded_file {
    const char *name;     /* "0001_create_users.sql" */
    const char *text;     /* the file's bytes (BOM and CR already gone) */
    size_t len;           /* how many */
    const char *checksum; /* "sha256:..." */
} godwit_embedded_file;

#define GODWIT_EMBEDDED_VERSION 1

typedef struct godwit_embedded {
    unsigned version; /* GODWIT_EMBEDDED_VERSION */
    const char *dir;  /* the directory it was made from: file paths in
                         messages and status read dir/name */
    size_t n;
    const godwit_embedded_file *files;
} godwit_embedded;

/* 2: embedded. */
#define GODWIT_OPTIONS_VERSION 2

/*
 * How to open a handle.  Start from GODWIT_OPTIONS_INIT and set what you
 * need; a NULL string means "not given here".  With GODWIT_OPT_ENV, unset
 * settings come from the environment and the configuration file, in the
 * order documented in godwit(1); otherwise from the built-in defaults.
 * The strings are copied by godwit_open().
 */
typedef struct godwit_options {
    unsigned version;            /* GODWIT_OPTIONS_VERSION */
    unsigned flags;              /* GODWIT_OPT_* */
    const char *url;             /* database URL, e.g. "sqlite:app.db" */
    const char *dir;             /* migration directory ("migrations") */
    const char *table;           /* history table ("godwit_migrations") */
    const char *schema;          /* history schema, where supported */
    const char *backend_path;    /* colon-separated plugin directories,
                                    searched before GODWIT_BACKEND_PATH */
    const char *config_file;     /* configuration file; NULL: godwit.conf
                                    if present (only with GODWIT_OPT_ENV) */
    double lock_timeout;         /* seconds to wait for a lock: for the
                                    migration lock, and on PostgreSQL for
                                    each statement; negative: not given
                                    here */
    godwit_progress_fn progress; /* may be NULL */
    void *progress_ctx;
    int lock_retries; /* times to retry a transactional migration that a
                         lock timeout rolled back; negative: not given */
    const godwit_embedded *embedded; /* (version 2) the migration set, in
                                        place of the directory dir; NULL:
                                        the directory */
} godwit_options;

#define GODWIT_OPTIONS_INIT                                                    \
    {                                                                          \
        GODWIT_OPTIONS_VERSION, 0, NULL, NULL, NULL, NULL, NULL, NULL, -1.0,   \
            NULL, NULL, -1, NULL                                               \
    }

/*
 * Opens a handle: resolves the configuration, nothing more (no file is
 * read and no connection is made until a command needs it).
 *
 * Like sqlite3_open(), *out receives a handle even when configuration
 * fails, so that godwit_errmsg() can say why; only on GODWIT_ENOMEM is it
 * NULL.  Close it with godwit_close() in every case.
 */
int godwit_open(godwit **out, const godwit_options *opts);

/* Disconnects and frees everything.  NULL-safe. */
void godwit_close(godwit *g);

/*
 * The message of the last failure on this handle, one line, never
 * containing a password, and whole however long (a backend's message that
 * filled its buffer ends in "...").  "no error" when the last call
 * succeeded.  Borrowed until the next call on the handle.
 */
const char *godwit_errmsg(const godwit *g);

/* The code of the last failure on this handle (GODWIT_OK if none). */
int godwit_errcode(const godwit *g);

/* What an error code means, in a few words ("the lock was not granted in
 * time"); "unknown error code" for one this library does not know.  A
 * static string. */
const char *godwit_errstr(int code);

/*
 * Where the last failure on this handle is, when it is in a file: a
 * migration's SQL or header, or the configuration file.  Returns 1 and
 * sets *file (borrowed until the next call on the handle), *line and
 * *column (1-based; column 0 when only the line is known); else returns 0
 * and sets them to NULL and 0.  Any pointer may be NULL.
 */
int godwit_errloc(const godwit *g, const char **file, unsigned *line,
                  unsigned *column);

/* The database's SQLSTATE for the last failure on this handle (5
 * characters, "42P01"), or NULL when the database gave none. */
const char *godwit_errsqlstate(const godwit *g);

/*
 * Asks the call running on g (in another thread) to stop: the backend
 * asks the server to cancel the statement it runs, the migration's
 * transaction is rolled back (a transaction=off section is recorded as
 * interrupted at the statement that was cancelled), no further statement
 * or migration starts, and the call returns GODWIT_EINTR with a message
 * that says what state the database is in.  The only call that may be
 * made on a handle while another runs on it; not async-signal-safe: call
 * it from a thread that waits for signals (sigwait), as godwit(1) does.
 * Made while no call runs, it stops the next one before it changes
 * anything; once a call has returned GODWIT_EINTR, the handle is as new.
 */
void godwit_interrupt(godwit *g);

/*
 * The resolved value of a setting ("url", "dir", "table", "schema",
 * "lock_timeout", "lock_retries", "backend_path", "config") for display:
 * passwords in the
 * URL are redacted.  *source, if not NULL, receives where it came from
 * ("command line", "GODWIT_DATABASE_URL", "godwit.conf:3", "default").
 * Returns NULL for an unknown key or an unset setting.  Borrowed.
 */
const char *godwit_setting(const godwit *g, const char *key,
                           const char **source);

/*
 * url as godwit prints it: the password of its user:password part and of
 * its password= and similar parameters replaced by "***" (the function
 * every URL passes on its way to godwit's output and messages).  The
 * caller's to free(); NULL when url is NULL or memory runs out.
 */
char *godwit_redact_url(const char *url);

/*
 * Targets, as strings: "head", "base", a version ("0003",
 * "20261122093000"), "+N" or "-N".  NULL means the command's default.
 */

/*
 * Waits until the database accepts a connection, retrying with exponential
 * backoff (100 ms doubling, at most 2 s apart) for up to timeout seconds,
 * and reporting each failed attempt as GODWIT_EVENT_CONNECT_RETRY.  The
 * connection is kept for the next command; one kept from an earlier call
 * is checked first (the backend's ping) and, if the server has ended it,
 * made again.  GODWIT_ERROR with the last
 * error after the timeout; a bad URL or missing backend fails at once.
 */
int godwit_wait(godwit *g, double timeout);

/* Applies pending migrations up to target (default "head"). */
int godwit_up(godwit *g, const char *target);

/* Reverts applied migrations down to target (default "-1"). */
int godwit_down(godwit *g, const char *target);

/* Reverts the last applied migration and applies it again. */
int godwit_redo(godwit *g);

/* Moves up or down to exactly version. */
int godwit_goto(godwit *g, const char *version);

/*
 * Runs the state checks (missing files, changed checksums, out-of-order
 * pending migrations) and changes nothing.  Returns GODWIT_ECONFLICT with
 * the first problem as message when any check fails, GODWIT_ERROR when the
 * SQL of any section of any file does not lex (an unterminated quote,
 * dollar-quoted body or comment; the other calls check only the sections
 * they are about to run).  Also reports, as
 * GODWIT_EVENT_WARNING, migrations that override up for a backend but not
 * down, or the reverse: the usual way one dialect's revert goes stale.
 */
int godwit_validate(godwit *g);

/*
 * Records migrations as applied, or removes their records, without running
 * any SQL, so that afterwards exactly the migrations up to target are
 * recorded (adopting a database made by hand or by another tool).  target
 * is "head", "base" or a version.  Each record made or removed is reported
 * as GODWIT_EVENT_STAMP.
 */
int godwit_stamp(godwit *g, const char *target);

/* What godwit_repair() does. */
typedef enum godwit_repair_mode {
    GODWIT_REPAIR_CHECKSUMS = 1, /* re-record the checksums of applied
                                    migrations whose files changed */
    GODWIT_REPAIR_RESUME,        /* run an interrupted transaction=off
                                    section on from the statement that
                                    failed, reading the file as it is now */
    GODWIT_REPAIR_MARK_APPLIED,  /* record an interrupted migration as
                                    applied (finished by hand) */
    GODWIT_REPAIR_MARK_REVERTED  /* remove an interrupted migration's record
                                    (undone by hand) */
} godwit_repair_mode;

/*
 * Resolves what the state checks refuse.  Each migration touched is
 * reported as GODWIT_EVENT_REPAIR.  GODWIT_ERROR when a resumed migration
 * fails again (it stays interrupted, at its new position).
 */
int godwit_repair(godwit *g, godwit_repair_mode mode);

/*
 * The schema as text: one line per fact ("table t column c TEXT not null",
 * "index i on t: ...", "view v: ..."), sorted, the history table left out.
 * Two dumps of one database are byte-identical.  *out is the caller's to
 * free().  GODWIT_ENOTSUP if the backend cannot describe its schema.
 */
int godwit_dump(godwit *g, char **out);

/*
 * Proves each migration on a scratch database: for each migration in
 * order, snapshot the schema, apply it, run its verify section, snapshot,
 * revert it and compare with the first snapshot, apply it again and
 * compare with the second.  Irreversible migrations are applied and
 * reported, not reverted.  The handle's database must be a scratch one:
 * an empty database, or - on backends with GODWIT_CAP_SCRATCH_SCHEMA - any
 * database, where a schema is created for the run and dropped afterwards.
 * The first difference fails with GODWIT_ERROR and a message naming the
 * migration and the objects that differ.  Each migration that passes is
 * reported as GODWIT_EVENT_VERIFIED.
 */
int godwit_verify(godwit *g);

/*
 * Drift: the database's schema against what its history says it should
 * be.  The applied migrations are replayed, in version order and from
 * their files, on a scratch database - scratch_url, which must be empty,
 * or with NULL a scratch schema of the database's own, created and
 * dropped, on backends with GODWIT_CAP_SCRATCH_SCHEMA - and both are
 * dumped (godwit_dump) and compared.  *out (the caller's to free()) has a
 * line per difference, sorted: "- LINE" for what the replay has and the
 * database lacks, "+ LINE" for what only the database has; "" when there
 * is none.  GODWIT_ECONFLICT when history and files disagree (an applied
 * migration changed, missing or interrupted): there is nothing to replay.
 */
int godwit_diff(godwit *g, const char *scratch_url, char **out);

/* The same between two databases: "- LINE" only in a's schema, "+ LINE"
 * only in b's. */
int godwit_diff_with(godwit *a, godwit *b, char **out);

/* The commands godwit_script() can print. */
typedef enum godwit_command {
    GODWIT_COMMAND_UP = 1,
    GODWIT_COMMAND_DOWN,
    GODWIT_COMMAND_REDO,
    GODWIT_COMMAND_GOTO,
    GODWIT_COMMAND_STAMP,
    GODWIT_COMMAND_IMPORT_HISTORY /* target: the tool (godwit_import_history) */
} godwit_command;

/*
 * Prints instead of runs: *script receives (caller frees with free()) the
 * exact SQL the command would execute - history table creation, each
 * migration with its transaction boundaries and history bookkeeping,
 * transaction=off sections outside transactions - with a comment naming
 * each migration file.  The same code path produces it as a live run.
 *
 * With backend and from both NULL, the history is read from the database
 * (nothing is locked or written).  Otherwise no connection is made: the
 * SQL is rendered for backend (NULL: the URL's) assuming every migration
 * up to version from is applied (NULL or "base": none).
 */
int godwit_script(godwit *g, godwit_command cmd, const char *target,
                  const char *backend, const char *from, char **script);

/*
 * Creates the next migration file in the migration directory from a
 * template.  *path receives the new file's path (caller frees with free()).
 */
int godwit_new(godwit *g, const char *name, char **path);

/*
 * Writes another tool's migration set, the directory src, as godwit
 * migration files into the migration directory, which must hold none:
 * tool is "golang-migrate", "dbmate", "goose", "sqlx", "diesel" or
 * "flyway".  The SQL bytes of every
 * section are kept, only the headers change (no-transaction flags become
 * transaction=off; a missing down, no down section), and each file's
 * first line names the files it came from.  When godwit's numeric order
 * of the versions would differ from the tool's order, every file is
 * renumbered 0001, 0002, ... in the tool's order, its version kept in that
 * line.  Each file written is reported as GODWIT_EVENT_IMPORT, each of the
 * tool's files that has no counterpart as GODWIT_EVENT_WARNING; nothing
 * is written when any file cannot be imported as it is.
 */
int godwit_import(godwit *g, const char *tool, const char *src);

/*
 * Adopts another tool's history table (tool as for godwit_import) for a set
 * that godwit_import wrote into the migration directory: each file whose
 * first line says it came from that tool is recorded as applied when the
 * tool's table says its version there is applied, and as interrupted,
 * with the reason, when the tool recorded it as failed half-way (a dirty
 * golang-migrate version, a failed sqlx or Flyway row).  godwit's history
 * must be empty; its rows are written in one transaction, each reported
 * as GODWIT_EVENT_STAMP.  A version the tool applied that no file has is
 * refused (GODWIT_ECONFLICT), or left out with GODWIT_OPT_IGNORE_MISSING.
 * The tool's table is left as it is, or dropped afterwards with
 * GODWIT_OPT_DROP_SOURCE_HISTORY.  applied_at is the adoption's time.
 */
int godwit_import_history(godwit *g, const char *tool);

/*
 * Writes into *out (caller frees with free()) a C source file that holds
 * the handle's migration set, every file checked as a command would read
 * it: a godwit_embedded named godwit_embedded_set, for
 * godwit_options.embedded.  The program built with it applies the same
 * files with the same checksums as the directory.
 */
int godwit_embed(godwit *g, char **out);

/* One section of a migration file, as godwit_sections reports it. */
typedef struct godwit_section_info {
    const char *kind;     /* "up", "down" or "verify" */
    const char *backend;  /* backend=NAME, or NULL for the generic one */
    int transaction;      /* 0 with transaction=off */
    int foreign_keys_off; /* foreign_keys=off */
    int irreversible;     /* a down marked irreversible */
    int runs_here;        /* the one the handle's backend runs */
    unsigned line;        /* of its header */
    const char *sql;      /* its SQL, len bytes */
    size_t len;
    const char *checksum; /* the file's, "sha256:..." */
} godwit_section_info;

typedef int (*godwit_section_fn)(const godwit_section_info *s, void *ctx);

/*
 * Calls fn for each section of the migration file of version, in file
 * order (godwit show), with which ones this URL's backend runs; a
 * non-zero return of fn stops and is returned.  Reads the files and loads
 * the backend, without connecting.
 */
int godwit_sections(godwit *g, const char *version, godwit_section_fn fn,
                    void *ctx);

/* The state of one migration in a godwit_status. */
typedef enum godwit_state {
    GODWIT_STATE_PENDING = 1, /* file present, not applied */
    GODWIT_STATE_APPLIED,     /* applied, file unchanged */
    GODWIT_STATE_CHANGED,     /* applied, file changed since */
    GODWIT_STATE_MISSING,     /* applied, file gone */
    GODWIT_STATE_INTERRUPTED, /* a transaction=off section stopped part
                                 way; see godwit_status_note() */
    GODWIT_STATE_RUNNING      /* a transaction=off section is in progress
                                 and its migrator still holds the lock;
                                 the note names it */
} godwit_state;

/* A snapshot of migrations and their states; opaque. */
typedef struct godwit_status godwit_status;

/*
 * Reads the migration set and history and reports every migration, in
 * version order.  Does not create the history table.
 */
int godwit_status_read(godwit *g, godwit_status **out);

/*
 * Reads the applied migrations only, in the order they were applied.
 * Entries are never GODWIT_STATE_PENDING.
 */
int godwit_history_read(godwit *g, godwit_status **out);

/* Frees a status.  NULL-safe. */
void godwit_status_free(godwit_status *s);

/* Number of entries. */
size_t godwit_status_count(const godwit_status *s);

/* The newest applied version, or NULL when nothing is applied. */
const char *godwit_status_current(const godwit_status *s);

/* Entry accessors; i < godwit_status_count(s).  Strings are borrowed. */
const char *godwit_status_version(const godwit_status *s, size_t i);
const char *godwit_status_name(const godwit_status *s, size_t i);
godwit_state godwit_status_state(const godwit_status *s, size_t i);
const char *godwit_status_path(const godwit_status *s, size_t i); /* or NULL */
const char *godwit_status_applied_at(const godwit_status *s,
                                     size_t i);                   /* or NULL */
long godwit_status_duration_ms(const godwit_status *s, size_t i); /* or -1 */

/* Who applied it, "user@host" of the migrating process, or NULL: not
 * applied, or recorded before history kept it (a format-1 table). */
const char *godwit_status_applied_by(const godwit_status *s, size_t i);

/* For an interrupted migration, where it stopped and why, e.g. "up stopped
 * after 2 statements: division by zero"; else NULL.  Borrowed. */
const char *godwit_status_note(const godwit_status *s, size_t i);

/* The name of a state: "pending", "applied", "changed", "missing". */
const char *godwit_state_name(godwit_state st);

#define GODWIT_BACKEND_INFO_VERSION 1

/* One backend plugin found on the search path, for godwit_backends(). */
typedef struct godwit_backend_info {
    unsigned version;    /* GODWIT_BACKEND_INFO_VERSION */
    const char *name;    /* from the file name: "sqlite" */
    const char *path;    /* the shared object */
    const char *schemes; /* "sqlite", "postgres postgresql"; NULL if broken */
    const char *error;   /* why it cannot be used, or NULL */
    int shadowed;        /* an earlier directory has a plugin of this name */
} godwit_backend_info;

typedef void (*godwit_backend_fn)(const godwit_backend_info *b, void *ctx);

/*
 * Calls fn for each backend plugin on the search path, in search order,
 * loading each to check it.  Returns 0, or an error if a directory of the
 * search path cannot be read.
 */
int godwit_backends(godwit *g, godwit_backend_fn fn, void *ctx);

/* The directories searched for backend plugins, in order, ':' between
 * them: --backend-path (godwit_options.backend_path), GODWIT_BACKEND_PATH,
 * then godwit_backend_dir().  The handle owns it; NULL when out of
 * memory. */
const char *godwit_backend_path(godwit *g);

#ifdef __cplusplus
}
#endif

#endif /* GODWIT_H */
