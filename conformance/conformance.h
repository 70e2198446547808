/*
 * conformance.h - godwit-conformance: checks a backend plugin against the
 * ABI of godwit-backend.h through the plugin's own table, the way the
 * host uses it, and says what the backend must change.
 */
#ifndef GODWIT_CONFORMANCE_H
#define GODWIT_CONFORMANCE_H

#include "godwit-backend.h"

/* One run: the plugin under test and the tally. */
typedef struct cf {
    const char *url;          /* the database to use; borrowed */
    const char *backend_path; /* --backend-path, or NULL; borrowed */
    const char *name;         /* the plugin's name, from its file */
    const godwit_backend *vt; /* the plugin's table */
    godwit_backend_entry entry;
    godwit_target target; /* a history table of the program's own */
    char table[64];       /* its name, with quote characters in it */
    char schema[64];      /* a scratch schema, where the backend has them */
    int passed, failed;
} cf;

/* Counts a check: with ok, a pass; else a failure, printed as one line
 * "FAIL area: what; fix" (printf-style). Returns ok. */
int cf_check(cf *c, int ok, const char *area, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Whether the plugin's table has member m (inside its struct_size and
 * not NULL). */
#define CF_HAS(vt, m)                                                          \
    (offsetof(godwit_backend, m) + sizeof((vt)->m) <= (vt)->struct_size &&     \
     (vt)->m != NULL)

/* Connects to the run's target; NULL (and a failure counted) if it
 * cannot. */
godwit_conn *cf_connect(cf *c, const char *area);

/* Renders what for row into a buffer the caller frees; NULL when the
 * backend cannot. */
char *cf_render(cf *c, godwit_sql what, const godwit_history_row *row);

/* Renders and runs what; the backend's error in *be. */
int cf_run(cf *c, godwit_conn *conn, godwit_sql what,
           const godwit_history_row *row, godwit_berror *be);

/* A history row that is hard to quote: quotes, a backslash, a newline,
 * UTF-8, a ';' in its error. */
void cf_hard_row(godwit_history_row *r);

/* A row with nothing to quote, of this version and name. */
void cf_plain_row(godwit_history_row *r, const char *version, const char *name);

/* A berror as the host prepares it. */
void cf_berror(godwit_berror *be);

/* The suites, in order. */
void cf_load(cf *c);
void cf_render_suite(cf *c);
void cf_history(cf *c);
void cf_exec(cf *c);
void cf_lock(cf *c);
void cf_snapshot(cf *c);
void cf_commands(cf *c);
void cf_password(cf *c);
void cf_scratch(cf *c);
void cf_query(cf *c);

/* Checks that the plugin file at path exports the entry point alone. */
void cf_exports(cf *c, const char *path);

#endif
