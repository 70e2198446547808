/*
 * fake.h - the fake backend's control panel, for tests/check_fake.c.
 *
 * tests/modules/fake.so is a backend plugin (scheme "fake:") whose
 * "database" is a few arrays in the plugin's memory: a history table and
 * a set of named objects.  Its exec understands a little language, one
 * statement per ';':
 *
 *     CREATE name    adds an object (error if it exists)
 *     DROP name      removes one (error if it is missing)
 *     FAIL text      fails with text
 *     LOCKED         fails with GODWIT_ELOCKED while locked_statements > 0
 *     anything else  succeeds and does nothing
 *
 * and what its render writes: BEGIN, COMMIT, ROLLBACK, HISTORY_CREATE,
 * HISTORY_UPGRADE, SCRATCH_DROP, and RECORD / UNRECORD / UPDATE with the
 * row's fields quoted.  A test reaches the panel with dlopen and
 * dlsym("fake_panel") on the same file the loader opens: both see one
 * copy of it.
 */
#ifndef GODWIT_FAKE_H
#define GODWIT_FAKE_H

#include "godwit-backend.h"

#define FAKE_MAX 64

/* How exec reports where a script failed. */
enum { FAKE_AT_OFFSET = 0, FAKE_AT_STATEMENT, FAKE_AT_NOWHERE };

/* Optional methods to leave out (NULL), for fake_panel.omit. */
enum {
    FAKE_NO_LOCK = 0x1, /* lock, unlock and lock_holder */
    FAKE_NO_PING = 0x2,
    FAKE_NO_SNAPSHOT = 0x4,
    FAKE_NO_CANCEL = 0x8
};

typedef struct fake_row {
    char version[32], name[64], checksum[80], in_progress[8], error[256];
    long duration_ms, statements_done;
} fake_row;

typedef struct fake_db {
    int has_history;
    int format; /* what its format row says; 1: as godwit 0.1 wrote it */
    fake_row rows[FAKE_MAX];
    int nrows;
    char objects[FAKE_MAX][32];
    int nobjects;
} fake_db;

typedef struct fake_control {
    /* read when the loader opens the plugin */
    unsigned caps;        /* GODWIT_CAP_* it declares */
    unsigned omit;        /* FAKE_NO_*: methods left NULL */
    unsigned struct_size; /* 0: the whole struct; else cut to this */
    unsigned dialect;     /* GODWIT_DIALECT_* it declares, and speaks */

    /* read on every call */
    int report;                 /* FAKE_AT_*: where exec says it failed */
    char fail_prefix[32];       /* the next statements starting with this */
    int fail_times;             /*   this many of them, fail */
    int fail_code;              /*   with this code (0: GODWIT_ERROR) */
    char fail_sqlstate[6];      /*   and this SQLSTATE */
    int fail_render;            /* render of this godwit_sql fails (0: none) */
    int locked_statements;      /* LOCKED fails while this is > 0 */
    char race_version[32];      /* at the next BEGIN, "another migrator"
                                   records this version */
    int lock_taken_by_other;    /* lock with timeout 0 says ELOCKED; a
                                   longer wait gets the lock */
    int lock_wait_fails;        /* ...and the longer wait fails too */
    void (*on_exec)(void *ctx); /* called at the start of each exec */
    void *on_exec_ctx;

    /* what happened */
    int calls_connect, calls_disconnect, calls_exec, calls_render,
        calls_history_read, calls_history_has, calls_lock, calls_unlock,
        calls_ping, calls_snapshot, calls_lock_holder, calls_cancel;
    int statements;  /* statements exec ran, including the failed one */
    char log[16384]; /* every exec'd script, each followed by "|\n" */

    fake_db db;
} fake_control;

/* The panel itself (dlsym "fake_panel").  All zero, as at load: no
 * caps, nothing omitted, nothing injected, an empty database. */
extern fake_control fake_panel;

#endif
