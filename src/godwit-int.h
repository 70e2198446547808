/*
 * godwit-int.h - internals shared between libgodwit's source files.
 * Not installed.  Names here are godwit__<noun>_<verb>.
 */
#ifndef GODWIT_INT_H
#define GODWIT_INT_H

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>

#include "godwit-backend.h"
#include "godwit.h"

#if defined(__GNUC__)
#define GODWIT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define GODWIT_PRINTF(f, a)
#endif

/* ---- diag.c: an error being carried up to the handle ---- */

typedef struct godwit_err {
    int code;       /* GODWIT_OK or a GODWIT_E* code */
    char msg[1536]; /* one line */
} godwit_err;

/* Records code and message in e (if e is not NULL) and returns code. */
int godwit__err_set(godwit_err *e, int code, const char *fmt, ...)
    GODWIT_PRINTF(3, 4);

/* Resets e to "no error". */
void godwit__err_clear(godwit_err *e);

/* Prepares a backend error for a call: zeroed, no offset or statement. */
void godwit__berror_init(godwit_berror *be);

/* ---- job.c: a piece of work on a second CPU ---- */

typedef struct godwit_job {
    void (*fn)(void *arg);
    void *arg;
    int threaded; /* fn runs on `thread`: godwit__job_wait joins it */
    pthread_t thread;
} godwit_job;

/* Starts fn(arg) on a thread of its own, on another CPU, taking no
 * signals; with one CPU, or when no thread can be had, runs it before
 * returning.  Until godwit__job_wait returns, arg belongs to fn. */
void godwit__job_start(godwit_job *j, void (*fn)(void *), void *arg);

/* Returns once fn has finished. */
void godwit__job_wait(godwit_job *j);

/* ---- buf.c: a growable NUL-terminated byte buffer ---- */

typedef struct godwit_buf {
    char *ptr;  /* NULL until something is written; owned */
    size_t len; /* bytes used, excluding the NUL */
    size_t cap;
} godwit_buf;

#define GODWIT_BUF_INIT                                                        \
    {                                                                          \
        NULL, 0, 0                                                             \
    }

/* Append bytes / a string / formatted text.  0 or GODWIT_ENOMEM. */
int godwit__buf_put(godwit_buf *b, const char *s, size_t n);
int godwit__buf_puts(godwit_buf *b, const char *s);
int godwit__buf_printf(godwit_buf *b, const char *fmt, ...) GODWIT_PRINTF(2, 3);
int godwit__buf_vprintf(godwit_buf *b, const char *fmt, va_list ap);

/* Ensures room for n more bytes plus the NUL.  0 or GODWIT_ENOMEM. */
int godwit__buf_grow(godwit_buf *b, size_t n);

/* Releases the memory; the buffer can be reused.  NULL-safe. */
void godwit__buf_free(godwit_buf *b);

/* Returns the string (caller frees; "" if empty) and resets b. */
char *godwit__buf_detach(godwit_buf *b);

/* strdup that accepts NULL (returning NULL). */
char *godwit__strdup(const char *s);

/* Copies up to 8 strings into one allocation: dst[i] = a copy of src[i], or
 * NULL where src[i] is NULL.  src[0] must not be NULL: the allocation
 * starts at dst[0], and free(dst[0]) frees them all. */
int godwit__strpack(char **dst, const char *const *src, size_t n);

/* An array v of *cap elements of size bytes, n of them used, with room
 * for one more: v itself, or v grown (to 64, then doubling), or NULL if
 * memory ran out (v is then as it was). */
void *godwit__grow(void *v, size_t *cap, size_t n, size_t size);

/* ---- pool.c: memory handed out in pieces and freed all at once ---- */

typedef struct godwit_pool {
    struct godwit_chunk *chunks; /* newest first; owned */
} godwit_pool;

#define GODWIT_POOL_INIT                                                       \
    {                                                                          \
        NULL                                                                   \
    }

/* n bytes, aligned for any type, not zeroed; NULL when out of memory.
 * A request that does not fit the current chunk starts a new one, twice
 * as large (or n). */
void *godwit__pool_alloc(godwit_pool *p, size_t n);

/* Frees everything handed out; the pool can be used again. */
void godwit__pool_free(godwit_pool *p);

/* ---- sha256.c: FIPS 180-4 SHA-256 ---- */

typedef struct godwit_sha256 {
    unsigned int h[8];
    unsigned char block[64];
    unsigned long long total; /* bytes hashed */
    size_t used;              /* bytes in block */
} godwit_sha256;

void godwit__sha256_init(godwit_sha256 *s);
void godwit__sha256_update(godwit_sha256 *s, const void *data, size_t n);
void godwit__sha256_final(godwit_sha256 *s, unsigned char digest[32]);

/* For tests: on = 0 puts every block through the portable rounds, on = 1
 * through the CPU's SHA instructions where it has them (the default).
 * Returns whether the instructions are now in use.  Not thread-safe. */
int godwit__sha256_accelerate(int on);

/* Writes "sha256:<64 lowercase hex digits>" and a NUL into out. */
#define GODWIT_CHECKSUM_SIZE 72
void godwit__checksum(const void *data, size_t n,
                      char out[GODWIT_CHECKSUM_SIZE]);

/* ---- text.c: positions in text ---- */

/* 1-based line and column (in bytes) of byte offset off in s. */
void godwit__text_pos(const char *s, size_t off, unsigned *line, unsigned *col);

/* Copies the line starting at s (at most max bytes, trimmed, "..." if
 * cut) into out, which has room for max + 4 bytes. */
void godwit__text_line(const char *s, size_t len, char *out, size_t max);

/* Compares version strings of digits numerically (any length); ncmp
 * takes the first na and nb bytes. */
int godwit__version_cmp(const char *a, const char *b);
int godwit__version_ncmp(const char *a, size_t na, const char *b, size_t nb);

/* ---- sqlsplit.c: statement boundaries ---- */

typedef struct godwit_span {
    size_t start; /* first byte of the statement (comments skipped) */
    size_t end;   /* one past its last byte, the ';' excluded */
} godwit_span;

/*
 * Finds the next statement in s[*pos, len).  Returns 1 and fills stmt,
 * advancing *pos past its terminator; 0 when only blanks and comments are
 * left; GODWIT_ERROR for an unterminated quote, identifier, dollar-quoted
 * body or comment, with stmt->start at its opening and *why naming it.
 */
int godwit__sql_next(const char *s, size_t len, size_t *pos, godwit_span *stmt,
                     const char **why);

/* ---- migration.c: one migration file ---- */

typedef enum godwit_kind {
    GODWIT_KIND_UP = 0,
    GODWIT_KIND_DOWN,
    GODWIT_KIND_VERIFY
} godwit_kind;

#define GODWIT_NAME_MAX 32

typedef struct godwit_section {
    godwit_kind kind;
    char backend[GODWIT_NAME_MAX]; /* "" for the generic section */
    int transactional;             /* 0 with transaction=off */
    size_t start, end;             /* body: byte range in the file text */
    unsigned line;                 /* line of the header */
} godwit_section;

typedef struct godwit_migration {
    /* path, version, name and text are in the same allocation as the
     * struct; sections is allocated on its own (both from `pool` when it
     * is set). */
    char *path;    /* directory + "/" + file name */
    char *version; /* leading digits of the file name */
    char *name;    /* the rest, without "_" and ".sql" */
    char *text;    /* contents, BOM dropped, CRLF -> LF, NUL-terminated */
    size_t len;
    char checksum[GODWIT_CHECKSUM_SIZE];
    godwit_section *sections;
    size_t nsections;
    godwit_pool *pool; /* where all of it came from, or NULL: malloc */
} godwit_migration;

/*
 * Checks a file name: <version>_<name>.sql.  Returns 0 with *digits the
 * length of the version (the name follows after "_"), GODWIT_ENOTFOUND
 * when it does not end in ".sql" (not a migration), GODWIT_ERROR when it
 * ends in ".sql" but has no version prefix.  A version has any number of
 * digits: versions compare as numbers (godwit__version_cmp).
 */
int godwit__migration_name(const char *file, size_t *digits);

/*
 * Parses len bytes of text as the migration file path into *out, and checks
 * the SQL of every section (godwit__migration_check); both are copied.
 * Errors name path:line:col.
 */
int godwit__migration_parse(godwit_migration **out, const char *path,
                            const char *text, size_t len, godwit_err *e);

/* Reads and parses one file: `file` opened relative to the directory
 * dirfd (or AT_FDCWD), `path` naming it in messages and in the
 * migration.  The text must be valid and its headers right; the SQL in the
 * sections is not looked at until it is about to run. */
int godwit__migration_load(godwit_migration **out, int dirfd, const char *file,
                           const char *path, godwit_pool *pool, godwit_err *e);

/* Checks that a section's SQL lexes: no unterminated quote, dollar-quoted
 * body or comment, which would swallow the rest of the file.  Errors name
 * path:line:col. */
int godwit__section_check(const godwit_migration *m, const godwit_section *s,
                          godwit_err *e);

/* godwit__section_check on every section of m. */
int godwit__migration_check(const godwit_migration *m, godwit_err *e);

/* NULL-safe; does nothing for a migration from a pool. */
void godwit__migration_free(godwit_migration *m);

/* The section of kind for backend: its own override, else the generic
 * one, else NULL. */
const godwit_section *godwit__migration_section(const godwit_migration *m,
                                                godwit_kind kind,
                                                const char *backend);

/* Whether m overrides up for a backend but not down, or the reverse (the
 * usual way one dialect's revert goes stale); if so, writes a one-line
 * warning into out. */
int godwit__migration_lopsided(const godwit_migration *m, char *out,
                               size_t cap);

/* ---- migration_set.c: a directory of migrations ---- */

/* Threads that may read one directory's files together. */
#define GODWIT_READERS 2

typedef struct godwit_set {
    godwit_migration **items; /* ordered by version; owned */
    size_t n;
    godwit_pool pools[GODWIT_READERS]; /* the migrations' memory, by reader */
} godwit_set;

/*
 * Loads every *.sql file of dir.  A missing directory is an empty set
 * when missing_ok, else GODWIT_ENOTFOUND.
 */
int godwit__set_load(godwit_set **out, const char *dir, int missing_ok,
                     godwit_err *e);

/*
 * godwit__set_load in three steps, so that up to GODWIT_READERS threads
 * can read the files together.  Each thread calls help, which lists the
 * directory if no one has yet, then reads files until none is left
 * (thread-safe; a call beyond GODWIT_READERS reads nothing).  finish,
 * once every help has returned, makes the set or reports the first bad
 * file by version (or the directory's error), and frees the
 * reading.  The reading keeps dir; only new can fail (out of memory).
 */
typedef struct godwit_reading godwit_reading;

int godwit__reading_new(godwit_reading **out, const char *dir, int missing_ok,
                        godwit_err *e);
void godwit__reading_help(godwit_reading *r);
int godwit__reading_finish(godwit_reading *r, godwit_set **out, godwit_err *e);

void godwit__set_free(godwit_set *s);

/* The migration with this version (numerically), or NULL. */
godwit_migration *godwit__set_find(const godwit_set *s, const char *version);

/* ---- history.c: the applied migrations as recorded ---- */

typedef struct godwit_applied {
    char *version; /* one allocation with the other strings: free(version) */
    char *name, *checksum, *applied_at;
    long duration_ms;
    char *in_progress; /* "up"/"down" when interrupted, else NULL */
    long statements_done;
    char *error; /* or NULL */
} godwit_applied;

typedef struct godwit_history {
    godwit_applied *rows; /* ordered by version; owned */
    size_t n, cap;
} godwit_history;

/* Appends a copy of row (rows stay in the order added); h starts zeroed.
 * 0 or GODWIT_ENOMEM. */
int godwit__history_add(godwit_history *h, const godwit_history_row *row);

/* Puts the rows in version order (they usually are already). */
void godwit__history_sort(godwit_history *h);

void godwit__history_free(godwit_history *h);

/* ---- state.c: migration set and history side by side ---- */

typedef struct godwit_entry {
    const char *version;
    godwit_migration *m;       /* NULL when the file is missing */
    const godwit_applied *row; /* NULL when not applied */
    godwit_state state;
} godwit_entry;

typedef struct godwit_view {
    godwit_entry *entries; /* ordered by version; owned */
    size_t n;
} godwit_view;

/* Joins set and history by version.  Borrows both. */
int godwit__view_build(godwit_view *v, const godwit_set *s,
                       const godwit_history *h, godwit_err *e);

void godwit__view_free(godwit_view *v);

/* Index of the newest applied entry, or -1. */
long godwit__view_current(const godwit_view *v);

/* State checks; flags are GODWIT_OPT_*.  GODWIT_ECONFLICT on the first
 * problem. */
int godwit__view_check(const godwit_view *v, unsigned flags, godwit_err *e);

/* ---- status.c ---- */

/* Copies the view into a caller-owned status; with history_only, only
 * applied entries, in the order they were applied.  holder (or NULL)
 * describes the migrator that holds the lock: an in-progress migration
 * that stopped with no error is then running, not interrupted. */
int godwit__status_build(godwit_status **out, const godwit_view *v,
                         int history_only, const char *holder, godwit_err *e);

/* ---- plan.c: from state and target to steps ---- */

typedef struct godwit_step {
    godwit_migration *m;
    int up;         /* 1: apply, 0: revert */
    long resume_at; /* repair --resume: first statement to run; else -1 */
} godwit_step;

typedef struct godwit_plan {
    godwit_step *steps; /* owned; migrations borrowed from the set */
    size_t n;
} godwit_plan;

int godwit__plan_up(godwit_plan *p, const godwit_view *v, const char *target,
                    godwit_err *e);
int godwit__plan_down(godwit_plan *p, const godwit_view *v, const char *target,
                      godwit_err *e);
int godwit__plan_redo(godwit_plan *p, const godwit_view *v, godwit_err *e);
int godwit__plan_goto(godwit_plan *p, const godwit_view *v, const char *version,
                      godwit_err *e);

void godwit__plan_free(godwit_plan *p);

/* ---- loader.c: backend plugins ---- */

typedef struct godwit_module {
    void *dl;                 /* dlopen handle */
    const godwit_backend *vt; /* borrowed from the module */
    char *name, *path;
} godwit_module;

/* Loads and checks the plugin at path, whose name is its basename. */
int godwit__module_open(godwit_module **out, const char *path, godwit_err *e);

/* dlcloses and frees.  NULL-safe. */
void godwit__module_close(godwit_module *m);

/* Finds the plugin serving a URL scheme on the search path (a
 * colon-separated list of directories). */
int godwit__module_find(godwit_module **out, const char *search,
                        const char *scheme, godwit_err *e);

/* The search path: extra (may be NULL), GODWIT_BACKEND_PATH, built-in
 * directory, colon-separated.  Caller frees. */
char *godwit__module_search_path(const char *extra);

/* Whether a module offers method m (inside its struct_size, non-NULL). */
#define GODWIT_HAS(vt, m)                                                      \
    (offsetof(godwit_backend, m) + sizeof((vt)->m) <= (vt)->struct_size &&     \
     (vt)->m != NULL)

/* ---- url.c ---- */

/* Copies the scheme of url ("sqlite", "postgres") into out; GODWIT_EUSAGE
 * if url has none. */
int godwit__url_scheme(const char *url, char *out, size_t cap);

/* NULL when the URL's user:password part and password= parameter can be
 * read one way only; else why not (a static string that quotes no part of
 * the URL).  libpq and RFC 3986 split a raw "@", "/", "?" or "#" in a
 * password differently, and libpq quotes a token with a stray "%" in its
 * error: either way a piece of the password would reach a message. */
const char *godwit__url_check(const char *url);

/* A copy of url with any password replaced by "***" (everything after the
 * scheme, for a URL godwit__url_check refuses).  Caller frees. */
char *godwit__url_redact(const char *url);

/* Replaces in msg, in place, every occurrence of a password written in url
 * (user:PASSWORD@ or password=PASSWORD) with stars, as the last defence
 * against a backend or library that echoes it.  msg never grows. */
void godwit__url_scrub(char *msg, const char *url);

/* ---- config.c: settings and where they came from ---- */

typedef enum godwit_key {
    GODWIT_KEY_URL = 0,
    GODWIT_KEY_DIR,
    GODWIT_KEY_TABLE,
    GODWIT_KEY_SCHEMA,
    GODWIT_KEY_LOCK_TIMEOUT,
    GODWIT_KEY_BACKEND_PATH,
    GODWIT_KEY_LOCK_RETRIES,
    GODWIT_KEY_COUNT
} godwit_key;

typedef struct godwit_config {
    char *value[GODWIT_KEY_COUNT];  /* owned, NULL if unset */
    char *source[GODWIT_KEY_COUNT]; /* owned */
    char *file;                     /* configuration file read, or NULL */
} godwit_config;

/* Resolves settings from opts, then (with GODWIT_OPT_ENV) the environment
 * and configuration file, then defaults. */
int godwit__config_resolve(godwit_config *c, const godwit_options *opts,
                           godwit_err *e);

/* Parses configuration text; path names it in errors.  Sets only keys
 * still unset in c. */
int godwit__config_parse(godwit_config *c, const char *path, const char *text,
                         godwit_err *e);

void godwit__config_free(godwit_config *c);

/* Key by name, or -1. */
int godwit__config_key(const char *name);

/* ---- sink.c: where a command's SQL goes, run or printed ---- */

/* A live sink runs the SQL through the handle's session; a script sink
 * appends it to a buffer (godwit_script).  The engine does not know which
 * it has, but for this: only a live one emits progress events, measures
 * time and re-checks history.  Lives for one call, on its stack. */
typedef struct godwit_sink {
    godwit *g;          /* the handle, either way */
    godwit_buf *script; /* NULL: live */
} godwit_sink;

#define GODWIT_SINK_LIVE(s) ((s)->script == NULL)

/* Runs sql[0, len), or appends it as script text: with a terminating ';'
 * when `statement` and it lacks one, and ending in a newline.  Live, the
 * byte at sql[len] is borrowed for the call (godwit__exec): sql is not
 * const. */
int godwit__sink_exec(const godwit_sink *s, char *sql, size_t len,
                      int statement, godwit_berror *be);

/* A comment line in a script; nothing when live. */
void godwit__sink_note(const godwit_sink *s, const char *fmt, ...)
    GODWIT_PRINTF(2, 3);

/* Emits a progress event from a live sink; nothing for a script. */
void godwit__sink_emit(const godwit_sink *s, godwit_event_type type,
                       const godwit_migration *m, long duration_ms,
                       const char *detail);

/* What godwit_script prints, passed down the call instead of kept on the
 * handle: the script, and without a connection, the backend to render
 * for and the version assumed applied (both NULL: the database's). */
typedef struct godwit_print {
    godwit_buf *script;
    const char *backend, *from;
} godwit_print;

/* ---- commands.c: what a command loads ---- */

typedef struct godwit_loaded {
    godwit_set *set;
    godwit_history history;
    godwit_view view;
    int locked;
} godwit_loaded;

/* Loads files, connects and reads history; with `change`, takes the lock.
 * With pr (godwit_script), takes no lock, and with pr->backend or
 * pr->from makes no connection: the history is assumed.  Writes nothing:
 * with no history rows the history table may be missing, and the caller
 * creates it once it is about to write.  Release with godwit__unload. */
int godwit__load(godwit *g, godwit_loaded *st, int change,
                 const godwit_print *pr);

void godwit__unload(godwit *g, godwit_loaded *st);

/* ---- repair.c ---- */

/* godwit_stamp, its SQL run or printed through out (pr: as for
 * godwit__load). */
int godwit__stamp(godwit *g, const char *target, const godwit_sink *out,
                  const godwit_print *pr);

/* ---- schema.c: the schema as sorted lines ---- */

typedef struct godwit_lines {
    char **v; /* sorted; owned */
    size_t n, cap;
} godwit_lines;

/* Connects and reads the backend's snapshot, sorted. */
int godwit__schema_read(godwit *g, godwit_lines *l);

void godwit__lines_free(godwit_lines *l);

/* ---- godwit.c: the handle ---- */

struct godwit {
    godwit_config cfg;
    unsigned flags;
    double lock_timeout;
    int lock_retries;
    godwit_progress_fn progress;
    void *progress_ctx;
    godwit_err err;
    volatile sig_atomic_t interrupted; /* godwit_interrupt() was called */
    char *redacted_url;
    godwit_module *module; /* loaded on first connect */
    godwit_conn *conn;
};

/* rc, or, when godwit_interrupt() came meanwhile, GODWIT_EINTR with the
 * failure's message after "interrupted: " (the flag is cleared: the
 * interruption has reached the caller). */
int godwit__stopped(godwit *g, int rc);

/* Loads the backend for the URL and connects, once per handle. */
int godwit__connect(godwit *g);

/* Runs sql through the connection.  sql must be writable at sql[len]:
 * the byte there is briefly made a NUL for the backend (a slice of a
 * migration's text, or a godwit_buf). */
int godwit__exec(godwit *g, char *sql, size_t len, godwit_berror *be);

/* Appends sql to b as a script line: with a terminating ';' when
 * `statement` and it lacks one, and ending in a newline. */
int godwit__sql_append(godwit_buf *b, const char *sql, size_t len,
                       int statement);

/* Loads the backend plugin named name (or serving that URL scheme). */
int godwit__load_module(godwit *g, const char *name);

/* Loads the backend plugin of the URL's scheme, without connecting. */
int godwit__connect_module(godwit *g);

/* The connection's target description. */
void godwit__target(const godwit *g, godwit_target *t);

/* Emits a progress event if a callback is set (godwit__sink_emit for
 * what a printed script would only pretend to do). */
void godwit__emit(const godwit *g, godwit_event_type type,
                  const godwit_migration *m, long duration_ms,
                  const char *detail);

/* Copies a backend error into e, prefixed with what was being done. */
int godwit__berr(godwit_err *e, const godwit_berror *be, const char *what);

/* ---- session.c: the one place that calls through the backend table ----
 *
 * One wrapper per method of godwit_backend, on the handle's module and
 * connection.  An optional method the plugin lacks (beyond its
 * struct_size, or NULL) returns GODWIT_ENOTSUP, and the caller does
 * without it.  Required methods are checked when the plugin is loaded.
 */

/* connect: sets g->conn on success. */
int godwit__session_open(godwit *g, const godwit_target *t, godwit_berror *be);

/* disconnect, NULL-safe; g->conn is NULL afterwards. */
void godwit__session_close(godwit *g);

int godwit__session_exec(godwit *g, const char *sql, size_t len,
                         godwit_berror *be);

/* render needs no connection, only the module. */
int godwit__session_render(const godwit_module *m, const godwit_target *t,
                           godwit_sql what, const godwit_history_row *row,
                           char *buf, size_t cap);
int godwit__session_history_read(godwit *g, godwit_history_fn fn, void *ctx,
                                 godwit_berror *be);
int godwit__session_history_has(godwit *g, const char *version, int *applied,
                                godwit_berror *be);

/* Optional: GODWIT_ENOTSUP when the plugin lacks them. */
int godwit__session_lock(godwit *g, double timeout, godwit_berror *be);
int godwit__session_unlock(godwit *g, godwit_berror *be);
int godwit__session_lock_holder(godwit *g, char *out, size_t cap,
                                godwit_berror *be);
int godwit__session_snapshot(godwit *g, godwit_line_fn fn, void *ctx,
                             godwit_berror *be);
int godwit__session_ping(godwit *g, godwit_berror *be);

/* cancel, from another thread; does nothing without a connection or the
 * method. */
void godwit__session_cancel(godwit *g);

/* The backend's name, and whether it declares capability cap. */
const char *godwit__session_backend(const godwit *g);
int godwit__session_can(const godwit *g, unsigned cap);

/* ---- engine.c: running a plan ---- */

/* Checks that every step has a section for the backend and that its SQL
 * lexes; then creates the history table if `create_history`; then runs
 * the steps in order, stopping at the first failure.  A bad section
 * stops the run before anything is written. */
int godwit__engine_run(const godwit_sink *out, const godwit_plan *p,
                       int create_history);

/* Creates the history table if it is missing. */
int godwit__engine_create_history(const godwit_sink *out);

/* Renders `what` for row (may be NULL) and runs it, in a transaction of
 * its own when `transaction` is set; on failure the message starts with
 * `failure`. */
int godwit__engine_bookkeep(const godwit_sink *out, godwit_sql what,
                            const godwit_history_row *row, int transaction,
                            const char *failure);

/* The history row of a migration as the engine records it. */
void godwit__engine_row(const godwit_migration *m, long ms,
                        godwit_history_row *row);

#endif /* GODWIT_INT_H */
