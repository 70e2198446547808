/* godwit.c - the handle: configuration, errors, connection. */
#include "config.h"

#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "godwit-int.h"

static char applier[320];
static pthread_once_t applier_once = PTHREAD_ONCE_INIT;

static void find_applier(void)
{
    struct passwd pw, *found = NULL;
    char buf[1024], host[256], uid[32];
    const char *user = uid;

    snprintf(uid, sizeof(uid), "uid %ld", (long)geteuid());
    if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &found) == 0 &&
        found != NULL)
        user = found->pw_name;
    if (gethostname(host, sizeof(host)) != 0)
        snprintf(host, sizeof(host), "?");
    host[sizeof(host) - 1] = '\0';
    snprintf(applier, sizeof(applier), "%s@%s", user, host);
}

const char *godwit__applied_by(void)
{
    pthread_once(&applier_once, find_applier);
    return applier;
}

const char *godwit_version(void)
{
    return PACKAGE_VERSION;
}

/* lock_timeout and lock_retries, from text to numbers. */
static int parse_lock_settings(godwit *g)
{
    const char *v = g->cfg.value[GODWIT_KEY_LOCK_TIMEOUT];
    const char *r = g->cfg.value[GODWIT_KEY_LOCK_RETRIES];
    char *end;
    long n;

    g->lock_timeout = strtod(v, &end);
    if (end == v || *end != '\0' || !(g->lock_timeout >= 0))
        return godwit__err_set(&g->err, GODWIT_EUSAGE,
                               "lock_timeout \"%s\" (from %s) is not a "
                               "number of seconds",
                               v, g->cfg.source[GODWIT_KEY_LOCK_TIMEOUT]);
    n = strtol(r, &end, 10);
    if (end == r || *end != '\0' || n < 0 || n > 1000)
        return godwit__err_set(&g->err, GODWIT_EUSAGE,
                               "lock_retries \"%s\" (from %s) is not a "
                               "number from 0 to 1000",
                               r, g->cfg.source[GODWIT_KEY_LOCK_RETRIES]);
    g->lock_retries = (int)n;
    return 0;
}

/* Refuses, before any backend sees it, a URL whose password could be
 * split two ways (url.c); the message quotes none of it. */
static int check_url(godwit *g)
{
    const char *why = godwit__url_check(g->cfg.value[GODWIT_KEY_URL]);

    if (why == NULL)
        return 0;
    return godwit__err_set(&g->err, GODWIT_EUSAGE,
                           "the database URL (from %s) can be read more than "
                           "one way: %s; percent-encode these characters in "
                           "a password or database name: @ as %%40, / as "
                           "%%2F, ? as %%3F, # as %%23, %% as %%25, & as %%26",
                           g->cfg.source[GODWIT_KEY_URL], why);
}

/* The configured database, as a backend is told it. */
static void target(const godwit *g, godwit_target *t)
{
    memset(t, 0, sizeof(*t));
    t->version = GODWIT_TARGET_VERSION;
    t->url = g->cfg.value[GODWIT_KEY_URL];
    t->table = g->cfg.value[GODWIT_KEY_TABLE];
    t->schema = g->cfg.value[GODWIT_KEY_SCHEMA];
    t->lock_timeout = g->lock_timeout;
    if (g->flags & GODWIT_OPT_OWN_PROCESS)
        t->flags |= GODWIT_TARGET_OWN_PROCESS;
}

int godwit_open(godwit **out, const godwit_options *opts)
{
    godwit *g;
    int rc;

    *out = NULL;
    if ((g = calloc(1, sizeof(*g))) == NULL)
        return GODWIT_ENOMEM;
    *out = g;
    pthread_mutex_init(&g->guard, NULL);
    g->session.guard = &g->guard;
    g->current = &g->session;
    godwit__err_clear(&g->err);
    if (opts == NULL || opts->version < 1 ||
        opts->version > GODWIT_OPTIONS_VERSION)
        return godwit__err_set(&g->err, GODWIT_EUSAGE,
                               "godwit_open: options must start from "
                               "GODWIT_OPTIONS_INIT");
    if (opts->version >= 2 && (g->embedded = opts->embedded) != NULL &&
        g->embedded->version != GODWIT_EMBEDDED_VERSION)
        return godwit__err_set(&g->err, GODWIT_EUSAGE,
                               "godwit_open: the embedded set is of version "
                               "%u, and this libgodwit reads %d; generate it "
                               "again with this godwit's godwit embed",
                               g->embedded->version, GODWIT_EMBEDDED_VERSION);
    g->flags = opts->flags;
    g->progress = opts->progress;
    g->progress_ctx = opts->progress_ctx;
    if ((rc = godwit__config_resolve(&g->cfg, opts, &g->err)) < 0 ||
        (rc = parse_lock_settings(g)) < 0 || (rc = check_url(g)) < 0)
        return rc;
    g->redacted_url = godwit__url_redact(g->cfg.value[GODWIT_KEY_URL]);
    if (g->redacted_url == NULL)
        return godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
    target(g, &g->session.target);
    g->session.own_module = 1;
    return 0;
}

void godwit_close(godwit *g)
{
    if (g == NULL)
        return;
    godwit__session_free(&g->session);
    godwit__config_free(&g->cfg);
    godwit__err_clear(&g->err);
    free(g->redacted_url);
    free(g->search);
    pthread_mutex_destroy(&g->guard);
    free(g);
}

const char *godwit_errmsg(const godwit *g)
{
    return g == NULL ? "out of memory" : godwit__err_msg(&g->err);
}

int godwit_errcode(const godwit *g)
{
    return g == NULL ? GODWIT_ENOMEM : g->err.code;
}

const char *godwit_errstr(int code)
{
    static const char *const what[] = {
        "no error",
        "SQL, connection or I/O failure",
        "not found",
        "history and migration files disagree",
        "the lock was not granted in time",
        "not supported by the backend",
        "incompatible backend plugin",
        "invalid argument",
        "out of memory",
        "interrupted",
    };

    if (code > 0 || (size_t)-code >= sizeof(what) / sizeof(*what))
        return "unknown error code";
    return what[-code];
}

int godwit_errloc(const godwit *g, const char **file, unsigned *line,
                  unsigned *column)
{
    const godwit_err *e = g != NULL ? &g->err : NULL;
    int known = e != NULL && e->file != NULL;

    if (file != NULL)
        *file = known ? e->file : NULL;
    if (line != NULL)
        *line = known ? e->line : 0;
    if (column != NULL)
        *column = known ? e->column : 0;
    return known;
}

const char *godwit_errsqlstate(const godwit *g)
{
    return g != NULL && g->err.sqlstate[0] != '\0' ? g->err.sqlstate : NULL;
}

int godwit__interrupted(godwit *g)
{
    int on;

    pthread_mutex_lock(&g->guard);
    on = g->interrupted;
    pthread_mutex_unlock(&g->guard);
    return on;
}

void godwit__use_session(godwit *g, godwit_session *s)
{
    pthread_mutex_lock(&g->guard);
    g->current = s;
    pthread_mutex_unlock(&g->guard);
}

int godwit__stopped(godwit *g, int rc)
{
    int was;

    pthread_mutex_lock(&g->guard);
    was = g->interrupted;
    g->interrupted = 0;
    pthread_mutex_unlock(&g->guard);
    if (!was)
        return rc;
    if (rc >= 0 || rc == GODWIT_EINTR)
        return rc;
    return godwit__err_set(&g->err, GODWIT_EINTR, "interrupted: %s",
                           godwit__err_msg(&g->err));
}

void godwit_interrupt(godwit *g)
{
    pthread_mutex_lock(&g->guard);
    g->interrupted = 1;
    godwit__session_cancel(g->current);
    pthread_mutex_unlock(&g->guard);
}

const char *godwit_setting(const godwit *g, const char *key,
                           const char **source)
{
    int k = godwit__config_key(key);

    if (source != NULL)
        *source = NULL;
    if (strcmp(key, "config") == 0) {
        if (source != NULL && g->cfg.file != NULL)
            *source = "file";
        return g->cfg.file;
    }
    if (k < 0 || g->cfg.value[k] == NULL)
        return NULL;
    if (source != NULL)
        *source = g->cfg.source[k];
    return k == GODWIT_KEY_URL ? g->redacted_url : g->cfg.value[k];
}

int godwit__berr(godwit_err *e, const godwit_berror *be, const char *fmt, ...)
{
    godwit_buf what = GODWIT_BUF_INIT;
    int code = be->code < 0 ? be->code : GODWIT_ERROR;
    va_list ap;

    va_start(ap, fmt);
    godwit__buf_vprintf(&what, fmt, ap);
    va_end(ap);
    godwit__err_set(e, code, "%s: %s%s%s%s%s", what.ptr ? what.ptr : "",
                    be->message, godwit__berror_cut(be),
                    be->sqlstate[0] ? " (SQLSTATE " : "", be->sqlstate,
                    be->sqlstate[0] ? ")" : "");
    godwit__err_sqlstate(e, be->sqlstate);
    godwit__buf_free(&what);
    return code;
}

int godwit__load_module(godwit *g, const char *name)
{
    char *search;
    int rc;

    search = godwit__module_search_path(g->cfg.value[GODWIT_KEY_BACKEND_PATH]);
    if (search == NULL)
        return godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
    rc = godwit__module_find(&g->session.module, search, name, &g->err);
    free(search);
    return rc;
}

int godwit__connect_module(godwit *g)
{
    char scheme[GODWIT_NAME_MAX];

    if (g->session.module != NULL)
        return 0;
    if (godwit__url_scheme(g->cfg.value[GODWIT_KEY_URL], scheme,
                           sizeof(scheme)) < 0)
        return godwit__err_set(&g->err, GODWIT_EUSAGE,
                               "invalid database URL \"%s\" (from %s); "
                               "expected e.g. sqlite:app.db",
                               g->redacted_url, g->cfg.source[GODWIT_KEY_URL]);
    return godwit__load_module(g, scheme);
}

int godwit__connect(godwit *g, godwit_session *s)
{
    godwit_berror be;
    int rc;

    if (s->conn != NULL)
        return 0;
    if (s->module == NULL && (rc = godwit__connect_module(g)) < 0)
        return rc;
    godwit__berror_init(&be);
    if (godwit__session_open(s, &be) < 0) {
        godwit__url_scrub(be.message, s->target.url);
        return godwit__berr(&g->err, &be, "cannot connect to %s",
                            g->redacted_url);
    }
    return 0;
}

/* Whether the statement's text ends with its ';' (comments aside). */
static int terminated(unsigned dialect, const char *sql, size_t len)
{
    godwit_span st;
    const char *why;
    size_t pos = 0, end = 0;

    while (godwit__sql_next(dialect, sql, len, &pos, &st, &why) == 1)
        end = pos;
    return end == 0 || sql[end - 1] == ';';
}

int godwit__sql_append(unsigned dialect, godwit_buf *b, const char *sql,
                       size_t len, int statement)
{
    if (godwit__buf_put(b, sql, len) < 0 ||
        (statement && !terminated(dialect, sql, len) &&
         godwit__buf_puts(b, ";") < 0) ||
        (len > 0 && sql[len - 1] != '\n' && godwit__buf_puts(b, "\n") < 0))
        return GODWIT_ENOMEM;
    return 0;
}

void godwit__emit(const godwit *g, godwit_event_type type,
                  const godwit_migration *m, long duration_ms,
                  const char *detail)
{
    godwit_event ev;

    if (g->progress == NULL)
        return;
    memset(&ev, 0, sizeof(ev));
    ev.version = GODWIT_EVENT_VERSION;
    ev.type = type;
    ev.mversion = m ? m->version : NULL;
    ev.name = m ? m->name : NULL;
    ev.path = m ? m->path : NULL;
    ev.duration_ms = duration_ms;
    ev.detail = detail;
    g->progress(&ev, g->progress_ctx);
}
