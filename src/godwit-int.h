/*
 * godwit-int.h - libgodwit's core: the handle, the backend loader, the
 * session that talks to a backend, the sink a command's SQL goes to, and
 * the engine that runs a plan.  Built on the model (godwit-model.h) and
 * the utilities (godwit-util.h).  Not installed.  Names here are
 * godwit__<noun>_<verb>.
 */
#ifndef GODWIT_INT_H
#define GODWIT_INT_H

#include <pthread.h>
#include <signal.h>

#include "godwit-model.h"

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

/* ---- session.c: a backend's module, a connection and a target ----
 *
 * The one place that calls through the backend table: one wrapper per
 * method of godwit_backend.  An optional method the plugin lacks (beyond
 * its struct_size, or NULL) returns GODWIT_ENOTSUP, and the caller does
 * without it.  Required methods are checked when the plugin is loaded.
 *
 * The handle has one session, for the database it is configured with;
 * verify opens a second on a scratch schema, borrowing the handle's
 * module, so that the handle's settings never change.
 */

typedef struct godwit_session {
    godwit_module *module; /* NULL until loaded; owned when own_module */
    int own_module;
    godwit_conn *conn;      /* NULL while not connected; written under
                               guard */
    pthread_mutex_t *guard; /* the handle's (godwit.guard), or NULL */
    godwit_target target;   /* strings borrowed: the handle's settings, or
                               a scratch schema its opener owns */
} godwit_session;

/* Prepares a backend error for a call: zeroed, no offset or statement. */
void godwit__berror_init(godwit_berror *be);

/* "..." when the backend's message fills its buffer (it was likely cut
 * there), else "": appended wherever the message is shown. */
const char *godwit__berror_cut(const godwit_berror *be);

/* connect to s->target: sets s->conn on success. */
int godwit__session_open(godwit_session *s, godwit_berror *be);

/* disconnect, NULL-safe; s->conn is NULL afterwards. */
void godwit__session_close(godwit_session *s);

/* Closes, and releases the module if s owns it. */
void godwit__session_free(godwit_session *s);

/* Runs sql[0, len).  The byte at sql[len] is borrowed for the call (made
 * a NUL for the backend, then put back): a slice of a migration's text
 * or a godwit_buf, never const. */
int godwit__session_exec(godwit_session *s, char *sql, size_t len,
                         godwit_berror *be);

/* render needs no connection, only the module and target. */
int godwit__session_render(const godwit_session *s, godwit_sql what,
                           const godwit_history_row *row, char *buf,
                           size_t cap);
int godwit__session_history_read(godwit_session *s, godwit_history_fn fn,
                                 void *ctx, godwit_berror *be);
int godwit__session_history_has(godwit_session *s, const char *version,
                                int *applied, godwit_berror *be);

/* Optional: GODWIT_ENOTSUP when the plugin lacks them. */
int godwit__session_lock(godwit_session *s, double timeout, godwit_berror *be);
int godwit__session_unlock(godwit_session *s, godwit_berror *be);
int godwit__session_lock_holder(godwit_session *s, char *out, size_t cap,
                                godwit_berror *be);
int godwit__session_snapshot(godwit_session *s, godwit_line_fn fn, void *ctx,
                             godwit_berror *be);
int godwit__session_ping(godwit_session *s, godwit_berror *be);
int godwit__session_query(godwit_session *s, const char *sql, godwit_row_fn fn,
                          void *ctx, godwit_berror *be);

/* cancel, from another thread, with s's guard held (godwit_interrupt):
 * open and close change s->conn only under it, so the connection cannot
 * be freed while it is cancelled.  Does nothing without a connection or
 * the method. */
void godwit__session_cancel(godwit_session *s);

/* The backend's name, whether it declares capability cap, and its
 * lexical dialect (GODWIT_DIALECT_*; 0 when the plugin's struct ends
 * before the member). */
const char *godwit__session_backend(const godwit_session *s);
int godwit__session_can(const godwit_session *s, unsigned cap);
unsigned godwit__session_dialect(const godwit_session *s);

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
    godwit *g;          /* the handle, either way: errors, events */
    godwit_session *s;  /* the session its SQL is for */
    godwit_buf *script; /* NULL: live */
} godwit_sink;

#define GODWIT_SINK_LIVE(s) ((s)->script == NULL)

/* What godwit__sink_exec is given. */
enum {
    GODWIT_SINK_RENDERED = 0, /* a backend's render: whole statements */
    GODWIT_SINK_BODY,         /* a section's SQL, its last ';' maybe missing */
    GODWIT_SINK_STATEMENT     /* one statement of a section, without ';' */
};

/* Runs sql[0, len), or appends it as script text: with a terminating ';'
 * after a body or statement that lacks one, and ending in a newline; in a
 * GODWIT_DIALECT_CLIENT_DELIMITER dialect, a statement with ';' inside
 * between DELIMITER lines.  Live, the byte at sql[len] is borrowed for the
 * call (godwit__exec): sql is not const. */
int godwit__sink_exec(const godwit_sink *s, char *sql, size_t len, int what,
                      godwit_berror *be);

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

/* Whether godwit_script is to reach no database (pr may be NULL). */
int godwit__print_offline(const godwit_print *pr);

/* ---- load.c: what a command loads ---- */

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
/* The handle's migration files: its embedded set, or its directory
 * (missing_ok: a missing directory holds none). */
int godwit__reading_for(godwit *g, godwit_reading **r, int missing_ok);
int godwit__set_read(godwit *g, godwit_set **out, int missing_ok);

int godwit__load(godwit *g, godwit_loaded *st, int change,
                 const godwit_print *pr);

/* After a load without the lock (change 0): takes it, reads the history
 * again under it and rebuilds the view; the set stays. */
int godwit__load_lock(godwit *g, godwit_loaded *st);

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

/* Connects s and reads the backend's snapshot, sorted. */
int godwit__schema_read(godwit *g, godwit_session *s, godwit_lines *l);

void godwit__lines_free(godwit_lines *l);

/* Calls fn for each line of the sorted a and b that the other lacks, in
 * order: side -1 for a line only a has, +1 for one only b has.  A
 * non-zero return of fn stops the walk and is returned. */
int godwit__lines_walk(const godwit_lines *a, const godwit_lines *b,
                       int (*fn)(void *ctx, int side, const char *line),
                       void *ctx);

/* ---- godwit.c: the handle ---- */

struct godwit {
    godwit_config cfg;
    unsigned flags;
    double lock_timeout;
    int lock_retries;
    godwit_progress_fn progress;
    void *progress_ctx;
    godwit_err err;
    pthread_mutex_t guard; /* godwit_interrupt, from another thread,
                              against the call running: guards
                              interrupted, current and the sessions'
                              conn */
    int interrupted;       /* godwit_interrupt() was called */
    char *redacted_url;
    godwit_session session;          /* the configured database */
    godwit_session *current;         /* the one a call is running on: what
                                        godwit_interrupt cancels */
    const godwit_embedded *embedded; /* the migration set, or NULL: the
                                        directory; borrowed */
    char *search; /* godwit_backend_path, once asked; owned */
};

/* Whether godwit_interrupt() came (and is not yet reported). */
int godwit__interrupted(godwit *g);

/* Makes s the session godwit_interrupt cancels. */
void godwit__use_session(godwit *g, godwit_session *s);

/* rc, or, when godwit_interrupt() came meanwhile, GODWIT_EINTR with the
 * failure's message after "interrupted: " (the flag is cleared: the
 * interruption has reached the caller). */
int godwit__stopped(godwit *g, int rc);

/* Connects session s (the handle's own, or verify's scratch one) unless
 * it is connected, loading the backend for the URL first if the session
 * has none; errors go to the handle. */
int godwit__connect(godwit *g, godwit_session *s);

/* Appends sql (in a backend's dialect) to b as a script line: with a
 * terminating ';' when `statement` and it lacks one, and ending in a
 * newline. */
int godwit__sql_append(unsigned dialect, godwit_buf *b, const char *sql,
                       size_t len, int statement);

/* Loads the backend plugin named name (or serving that URL scheme) into
 * the handle's session. */
int godwit__load_module(godwit *g, const char *name);

/* Loads the backend plugin of the URL's scheme into the handle's session,
 * without connecting; nothing if it has one. */
int godwit__connect_module(godwit *g);

/* Emits a progress event if a callback is set (godwit__sink_emit for
 * what a printed script would only pretend to do). */
void godwit__emit(const godwit *g, godwit_event_type type,
                  const godwit_migration *m, long duration_ms,
                  const char *detail);

/* Sets e to a backend's error, after what was being done (formatted):
 * "what: message (SQLSTATE xxxxx)", the SQLSTATE also kept apart. */
int godwit__berr(godwit_err *e, const godwit_berror *be, const char *fmt, ...)
    GODWIT_PRINTF(3, 4);

/* ---- scratch.c: where verify and diff replay migrations ----
 *
 * On a server, a scratch database beside the URL's where the backend can
 * make one (GODWIT_CAP_SCRATCH_DATABASE: from the pristine template,
 * where a migration sees the world it sees under up), else a scratch
 * schema of the URL's database (GODWIT_CAP_SCRATCH_SCHEMA: created with
 * the history table).  Both are dropped at the end, from the handle's
 * own session, which never leaves the URL's database.
 */
typedef struct godwit_scratch {
    godwit_target target; /* the handle's, with database or schema set
                             to name: for the sessions that work there */
    char name[64];        /* godwit_<purpose>_<pid>; "" once dropped */
    int database;         /* a database, or else a schema */
    char denied[1100];    /* why there is no database, or "" */
} godwit_scratch;

/* Connects the handle's session and makes the scratch place;
 * GODWIT_ENOTSUP when the backend has neither kind. */
int godwit__scratch_create(godwit *g, godwit_scratch *sc, const char *purpose);

/* Warns (GODWIT_EVENT_WARNING) that `command` falls back to a schema,
 * with what that cannot do, when it does. */
void godwit__scratch_warn(godwit *g, const godwit_scratch *sc,
                          const char *command);

/* Drops it, once; every session on it must be closed first.  rc is the
 * caller's outcome so far: a failure there stays the news (its error
 * kept), and else the drop's is returned. */
int godwit__scratch_drop(godwit *g, godwit_scratch *sc, int rc);

/* ---- import.c, import_read.c: other tools' migration sets ---- */

typedef enum godwit_import_tool {
    GODWIT_IMPORT_MIGRATE = 1, /* golang-migrate */
    GODWIT_IMPORT_DBMATE,
    GODWIT_IMPORT_GOOSE,
    GODWIT_IMPORT_SQLX,
    GODWIT_IMPORT_DIESEL,
    GODWIT_IMPORT_FLYWAY
} godwit_import_tool;

#define GODWIT_IMPORT_PRESENT 0x1 /* the section exists */
#define GODWIT_IMPORT_NO_TX   0x2 /* the tool runs it outside a transaction */

typedef struct godwit_import_sql {
    char *text; /* its bytes, as the tool's file has them; owned */
    size_t len;
    unsigned flags; /* GODWIT_IMPORT_* */
} godwit_import_sql;

/* One migration of the other tool's set. */
typedef struct godwit_imported {
    char *key;     /* the version as the tool spells it (2019-01-01-000000,
                      1.1); owned, as all of it */
    char *version; /* its digits alone */
    char *name;
    char *from; /* its files, ", " between them */
    godwit_import_sql up, down;
    unsigned flags; /* GODWIT_IMPORT_NO_TX for the whole migration */
} godwit_imported;

typedef struct godwit_import_set {
    godwit_imported *v;
    size_t n, cap;
    godwit_buf notes; /* lines: files of the tool left out, and why */
} godwit_import_set;

/* Compares two versions as Flyway does, part by part between '.' or '_'
 * (1.1 < 1.2 < 1.10 < 2), each part a number. */
int godwit__import_parts_cmp(const char *a, const char *b);

/* Frees what set holds; it is empty afterwards. */
void godwit__import_set_free(godwit_import_set *set);

/* Reads one of the tool's files (file: its name, text: its bytes) into
 * set; errors name the file. */
int godwit__import_read(godwit_import_set *set, godwit_import_tool tool,
                        const char *file, const char *text, size_t len,
                        godwit_err *e);

/* adopt.c: godwit_import_history, live or (pr) into a script. */
int godwit__adopt(godwit *g, const char *tool, const godwit_sink *out,
                  const godwit_print *pr);

/* ---- engine.c: running a plan ---- */

/* Checks that every step has a section for the backend and that its SQL
 * lexes; then makes the history table ready (godwit__engine_history_ready
 * with its format as read); then runs the steps in order, stopping at the
 * first failure.  A bad section stops the run before anything is
 * written. */
int godwit__engine_run(const godwit_sink *out, const godwit_plan *p,
                       int format);

/* Creates the history table if it is missing. */
int godwit__engine_create_history(const godwit_sink *out);

/* Makes the history table, in format `format` as read (0: none), ready to
 * be written: creates it, or upgrades it in place from an earlier
 * godwit's format (GODWIT_EVENT_UPGRADE), or nothing. */
int godwit__engine_history_ready(const godwit_sink *out, int format);

/* Renders `what` for row (may be NULL) and runs it, in a transaction of
 * its own when `transaction` is set; on failure the message starts with
 * `failure`. */
int godwit__engine_bookkeep(const godwit_sink *out, godwit_sql what,
                            const godwit_history_row *row, int transaction,
                            const char *failure);

/* Who applies migrations from this process, "user@host" (the effective
 * user), for history's applied_by. */
const char *godwit__applied_by(void);

/* The history row of a migration as the engine records it. */
void godwit__engine_row(const godwit_migration *m, long ms,
                        godwit_history_row *row);
#endif /* GODWIT_INT_H */
