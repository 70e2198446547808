/*
 * config.c - settings and where each came from.
 *
 * Precedence, highest first: options given by the caller (the command
 * line) -> GODWIT_DATABASE_URL -> DATABASE_URL -> the configuration file
 * -> built-in defaults.  The file is "key = value" lines; values may use
 * ${VAR} so that secrets stay in the environment.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-int.h"

static const char *const key_names[GODWIT_KEY_COUNT] = {
    "url",          "dir",          "table",       "schema",
    "lock_timeout", "backend_path", "lock_retries"};

static const char *const defaults[GODWIT_KEY_COUNT] = {"sqlite:godwit.db",
                                                       "migrations",
                                                       "godwit_migrations",
                                                       NULL,
                                                       "30",
                                                       NULL,
                                                       "0"};

#define DEFAULT_FILE "godwit.conf"

int godwit__config_key(const char *name)
{
    int k;

    for (k = 0; k < GODWIT_KEY_COUNT; k++)
        if (strcmp(name, key_names[k]) == 0)
            return k;
    return -1;
}

/* Sets key k unless already set.  Takes ownership of value. */
static int set(godwit_config *c, int k, char *value, const char *source)
{
    if (value == NULL)
        return GODWIT_ENOMEM;
    if (c->value[k] != NULL) {
        free(value);
        return 0;
    }
    c->value[k] = value;
    c->source[k] = godwit__strdup(source);
    return c->source[k] ? 0 : GODWIT_ENOMEM;
}

static int set_env(godwit_config *c, int k, const char *var)
{
    const char *v = getenv(var);

    if (v == NULL || *v == '\0')
        return 0;
    return set(c, k, godwit__strdup(v), var);
}

/* Expands ${VAR} in v[0, n) into out. */
static int expand(godwit_buf *out, const char *v, size_t n, const char *path,
                  unsigned line, const char *bol, godwit_err *e)
{
    const char *end = v + n, *p;

    for (p = v; p < end; p++) {
        const char *close, *val;
        char name[128];

        if (!(p[0] == '$' && p + 1 < end && p[1] == '{')) {
            if (godwit__buf_put(out, p, 1) < 0)
                return godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
            continue;
        }
        close = memchr(p, '}', (size_t)(end - p));
        if (close == NULL || close - p - 2 <= 0 ||
            (size_t)(close - p - 2) >= sizeof(name))
            return godwit__err_at(e, GODWIT_ERROR, path, line,
                                  (unsigned)(p - bol) + 1,
                                  "unterminated or empty ${...}");
        memcpy(name, p + 2, (size_t)(close - p - 2));
        name[close - p - 2] = '\0';
        if ((val = getenv(name)) == NULL)
            return godwit__err_at(e, GODWIT_ERROR, path, line,
                                  (unsigned)(p - bol) + 1,
                                  "environment variable %s is not set; export "
                                  "it or edit the file",
                                  name);
        if (godwit__buf_puts(out, val) < 0)
            return godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
        p = close;
    }
    return 0;
}

static const char *trim(const char *p, const char *end, const char **tail)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    *tail = end;
    return p;
}

static int parse_line(godwit_config *c, const char *path, unsigned line,
                      const char *bol, const char *eol, godwit_err *e)
{
    const char *k, *kend, *v, *vend, *eq;
    godwit_buf val = GODWIT_BUF_INIT;
    char where[512], name[32];
    int key, rc;

    k = trim(bol, eol, &kend);
    if (k == kend || *k == '#')
        return 0;
    if ((eq = memchr(k, '=', (size_t)(kend - k))) == NULL)
        return godwit__err_at(e, GODWIT_ERROR, path, line,
                              (unsigned)(k - bol) + 1, "expected key = value");
    v = trim(eq + 1, kend, &vend);
    trim(k, eq, &kend);
    snprintf(name, sizeof(name), "%.*s", (int)(kend - k), k);
    if ((key = godwit__config_key(name)) < 0)
        return godwit__err_at(
            e, GODWIT_ERROR, path, line, (unsigned)(k - bol) + 1,
            "unknown setting \"%s\"; known: url, dir, table, schema, "
            "lock_timeout, lock_retries, backend_path",
            name);
    if (vend - v >= 2 && *v == '"' && vend[-1] == '"')
        v++, vend--;
    if ((rc = expand(&val, v, (size_t)(vend - v), path, line, bol, e)) < 0) {
        godwit__buf_free(&val);
        return rc;
    }
    snprintf(where, sizeof(where), "%s:%u", path, line);
    if (set(c, key, godwit__buf_detach(&val), where) < 0)
        return godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
    return 0;
}

int godwit__config_parse(godwit_config *c, const char *path, const char *text,
                         godwit_err *e)
{
    const char *bol = text;
    unsigned line = 1;
    int rc;

    while (*bol != '\0') {
        const char *eol = bol + strcspn(bol, "\n");

        if ((rc = parse_line(c, path, line++, bol, eol, e)) < 0)
            return rc;
        bol = *eol ? eol + 1 : eol;
    }
    return 0;
}

static int read_file(godwit_config *c, const char *path, int must_exist,
                     godwit_err *e)
{
    godwit_buf text = GODWIT_BUF_INIT;
    char chunk[4096];
    size_t n;
    FILE *f;
    int rc = 0;

    if ((f = fopen(path, "r")) == NULL) {
        if (errno == ENOENT && !must_exist)
            return 0;
        return godwit__err_set(e, GODWIT_ERROR,
                               "%s: cannot open configuration file: %s", path,
                               strerror(errno));
    }
    while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = godwit__buf_put(&text, chunk, n);
    fclose(f);
    if (rc < 0 || (c->file = godwit__strdup(path)) == NULL)
        rc = godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
    else
        rc = godwit__config_parse(c, path, text.ptr ? text.ptr : "", e);
    godwit__buf_free(&text);
    return rc;
}

static int from_options(godwit_config *c, const godwit_options *o)
{
    const char *v[GODWIT_KEY_COUNT];
    char timeout[64], retries[32];
    int k, rc;

    v[GODWIT_KEY_URL] = o->url;
    v[GODWIT_KEY_DIR] = o->dir;
    v[GODWIT_KEY_TABLE] = o->table;
    v[GODWIT_KEY_SCHEMA] = o->schema;
    v[GODWIT_KEY_BACKEND_PATH] = o->backend_path;
    snprintf(timeout, sizeof(timeout), "%g", o->lock_timeout);
    v[GODWIT_KEY_LOCK_TIMEOUT] = o->lock_timeout >= 0 ? timeout : NULL;
    snprintf(retries, sizeof(retries), "%d", o->lock_retries);
    v[GODWIT_KEY_LOCK_RETRIES] = o->lock_retries >= 0 ? retries : NULL;
    for (k = 0; k < GODWIT_KEY_COUNT; k++)
        if (v[k] != NULL &&
            (rc = set(c, k, godwit__strdup(v[k]), "command line")) < 0)
            return rc;
    return 0;
}

static int from_defaults(godwit_config *c)
{
    int k, rc;

    for (k = 0; k < GODWIT_KEY_COUNT; k++)
        if (defaults[k] != NULL &&
            (rc = set(c, k, godwit__strdup(defaults[k]), "default")) < 0)
            return rc;
    return 0;
}

int godwit__config_resolve(godwit_config *c, const godwit_options *opts,
                           godwit_err *e)
{
    int env = (opts->flags & GODWIT_OPT_ENV) != 0, rc;

    if (from_options(c, opts) < 0 ||
        (env && set_env(c, GODWIT_KEY_URL, "GODWIT_DATABASE_URL") < 0) ||
        (env && set_env(c, GODWIT_KEY_URL, "DATABASE_URL") < 0))
        return godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
    if (opts->config_file != NULL)
        rc = read_file(c, opts->config_file, 1, e);
    else
        rc = env ? read_file(c, DEFAULT_FILE, 0, e) : 0;
    if (rc < 0)
        return rc;
    if (from_defaults(c) < 0)
        return godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
    return 0;
}

void godwit__config_free(godwit_config *c)
{
    int k;

    for (k = 0; k < GODWIT_KEY_COUNT; k++) {
        free(c->value[k]);
        free(c->source[k]);
        c->value[k] = c->source[k] = NULL;
    }
    free(c->file);
    c->file = NULL;
}
