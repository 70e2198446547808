/*
 * godwit-model.h - what godwit reasons about, without a database: a
 * migration file, a directory of them, the history as recorded, the two
 * side by side, and the plan from one state to another.  Built on the
 * utilities; knows nothing of the handle, sessions or backends' code.
 * Not installed.
 */
#ifndef GODWIT_MODEL_H
#define GODWIT_MODEL_H

#include "godwit-backend.h"
#include "godwit-util.h"

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
    int foreign_keys_off;          /* foreign_keys=off: enforcement off
                                      around the section's transaction,
                                      the keys checked before it commits */
    int irreversible;              /* a down marked irreversible: there is
                                      no down for its backend(s) */
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
 * the SQL of every section (godwit__migration_check, as SQLite and
 * PostgreSQL read it); both are copied.
 * Errors name path:line:col.
 */
int godwit__migration_parse(godwit_migration **out, const char *path,
                            const char *text, size_t len, godwit_err *e);

/* Parses len bytes of text, from an embedded set, as migration path in
 * pool, as godwit__migration_load does a file's. */
int godwit__migration_from(godwit_migration **out, const char *path,
                           const char *text, size_t len, godwit_pool *pool,
                           godwit_err *e);

/* Reads and parses one file: `file` opened relative to the directory
 * dirfd (or AT_FDCWD), `path` naming it in messages and in the
 * migration.  The text must be valid and its headers right; the SQL in the
 * sections is not looked at until it is about to run. */
int godwit__migration_load(godwit_migration **out, int dirfd, const char *file,
                           const char *path, godwit_pool *pool, godwit_err *e);

/* Checks that a section's SQL lexes in dialect (GODWIT_DIALECT_*): no
 * unterminated quote, dollar-quoted body or comment, which would swallow
 * the rest of the file, and no DELIMITER command.  Errors name
 * path:line:col. */
int godwit__section_check(const godwit_migration *m, const godwit_section *s,
                          unsigned dialect, godwit_err *e);

/* godwit__section_check on every section of m. */
int godwit__migration_check(const godwit_migration *m, unsigned dialect,
                            godwit_err *e);

/* NULL-safe; does nothing for a migration from a pool. */
void godwit__migration_free(godwit_migration *m);

/* The section of kind for backend: its own override, else the generic
 * one, else NULL (also for a down marked irreversible). */
const godwit_section *godwit__migration_section(const godwit_migration *m,
                                                godwit_kind kind,
                                                const char *backend);

/* The header line of the down marked irreversible that applies to
 * backend, or 0 when none does. */
unsigned godwit__migration_irreversible(const godwit_migration *m,
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

/* A reading of an embedded set instead of a directory: its files are
 * taken from memory and their checksums checked against what godwit
 * embed computed.  emb is borrowed. */
int godwit__reading_embedded(godwit_reading **out, const godwit_embedded *emb,
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
    char *error;      /* or NULL */
    char *applied_by; /* or NULL */
} godwit_applied;

typedef struct godwit_history {
    godwit_applied *rows; /* ordered by version; owned */
    size_t n, cap;
    int format; /* the table's format row (GODWIT_HISTORY_FORMAT): 0 when
                   there was none, -1 when it was unreadable */
    char format_text[32]; /* with -1: what it said, cut with "..." */
} godwit_history;

/* Appends a copy of row (rows stay in the order added); h starts zeroed.
 * The table's format row is not a migration: it sets h->format instead.
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

/* State checks; flags are GODWIT_OPT_*.  holder (or NULL) describes the
 * migrator that holds the lock: a migration in progress that stopped with
 * no error is then running, and said to be.  GODWIT_ECONFLICT on the
 * first problem. */
int godwit__view_check(const godwit_view *v, unsigned flags, const char *holder,
                       godwit_err *e);

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

#endif /* GODWIT_MODEL_H */
