/*
 * main.c - godwit-conformance URL: finds the plugin that serves URL's
 * scheme as godwit would, runs every suite against it and prints one line
 * per failure, then "N passed, M failed".  Exit 0 when all passed, 1 when
 * not, 2 on a usage error or a plugin that cannot be found.
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conformance.h"
#include "godwit.h"

int cf_check(cf *c, int ok, const char *area, const char *fmt, ...)
{
    va_list ap;

    if (ok) {
        c->passed++;
        return 1;
    }
    c->failed++;
    printf("FAIL %s: ", area);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    return 0;
}

typedef struct found {
    char scheme[64];
    char *name, *path;
} found;

/* Whether the space-separated list has word w. */
static int listed(const char *list, const char *w)
{
    size_t n = strlen(w);

    while (list != NULL && *list != '\0') {
        if (strncmp(list, w, n) == 0 && (list[n] == ' ' || list[n] == '\0'))
            return 1;
        list = strchr(list, ' ');
        list = list ? list + 1 : NULL;
    }
    return 0;
}

static void pick(const godwit_backend_info *b, void *ctx)
{
    found *f = ctx;

    if (f->path == NULL && !b->shadowed && b->error == NULL &&
        listed(b->schemes, f->scheme)) {
        f->name = strdup(b->name);
        f->path = strdup(b->path);
    }
}

/* The plugin godwit would load for url, as godwit_backends() finds it. */
static int find(const char *url, const char *backend_path, found *f)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    size_t n = strcspn(url, ":");
    godwit *g;
    int rc;

    memset(f, 0, sizeof(*f));
    if (url[n] != ':' || n == 0 || n >= sizeof(f->scheme)) {
        fprintf(stderr, "godwit-conformance: %s: not a database URL\n", url);
        return 2;
    }
    memcpy(f->scheme, url, n);
    o.url = url;
    o.backend_path = backend_path;
    if ((rc = godwit_open(&g, &o)) == 0)
        rc = godwit_backends(g, pick, f);
    if (rc < 0)
        fprintf(stderr, "godwit-conformance: %s\n", godwit_errmsg(g));
    godwit_close(g);
    if (rc == 0 && f->path == NULL)
        fprintf(stderr,
                "godwit-conformance: no usable plugin serves %s: (see godwit "
                "backends; --backend-path adds a directory)\n",
                f->scheme);
    return rc < 0 || f->path == NULL ? 2 : 0;
}

static int open_plugin(cf *c, const found *f, void **dl)
{
    char sym[128];

    if ((*dl = dlopen(f->path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
        fprintf(stderr, "godwit-conformance: %s\n", dlerror());
        return 2;
    }
    snprintf(sym, sizeof(sym), "godwit_backend_%s", f->name);
    *(void **)&c->entry = dlsym(*dl, sym);
    c->name = f->name;
    return 0;
}

/* The program's own history table: quote characters in its name, and a
 * scratch schema where the backend has them, dropped at the end. */
static void target(cf *c)
{
    memset(&c->target, 0, sizeof(c->target));
    c->target.version = GODWIT_TARGET_VERSION;
    c->target.url = c->url;
    snprintf(c->table, sizeof(c->table), "gw conformance \"%ld' x",
             (long)getpid());
    c->target.table = c->table;
    c->target.lock_timeout = 1;
    if (c->vt != NULL && (c->vt->caps & GODWIT_CAP_SCRATCH_SCHEMA)) {
        snprintf(c->schema, sizeof(c->schema), "godwit_conformance_%ld",
                 (long)getpid());
        c->target.schema = c->schema;
    }
}

static void clean_up(cf *c)
{
    godwit_berror be;
    godwit_conn *conn;

    if (c->target.schema == NULL || (conn = cf_connect(c, "clean-up")) == NULL)
        return;
    cf_check(c, cf_run(c, conn, GODWIT_SQL_SCRATCH_DROP, NULL, &be) == 0,
             "clean-up", "SCRATCH_DROP failed: %s", be.message);
    c->vt->disconnect(conn);
}

static int usage(void)
{
    fprintf(stderr, "usage: godwit-conformance [--backend-path DIRS] URL\n"
                    "Checks the backend plugin that serves URL against "
                    "godwit-backend(7); URL names a\nscratch database it may "
                    "write to.\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *backend_path = NULL;
    found f;
    void *dl = NULL;
    cf c;
    int i, rc;

    memset(&c, 0, sizeof(c));
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--backend-path") == 0 && i + 1 < argc)
            backend_path = argv[++i];
        else
            return usage();
    }
    if (i + 1 != argc)
        return usage();
    c.url = argv[i];
    c.backend_path = backend_path;
    if ((rc = find(c.url, backend_path, &f)) != 0 ||
        (rc = open_plugin(&c, &f, &dl)) != 0)
        return rc;
    printf("checking %s (%s) against backend ABI %d\n", f.name, f.path,
           GODWIT_BACKEND_ABI);
    cf_load(&c);
    if (c.entry != NULL)
        cf_exports(&c, f.path);
    if (c.vt != NULL) {
        target(&c);
        cf_render_suite(&c);
        cf_history(&c);
        cf_exec(&c);
        cf_lock(&c);
        cf_snapshot(&c);
        cf_commands(&c);
        cf_password(&c);
        cf_scratch(&c);
        cf_query(&c);
        clean_up(&c);
    }
    printf("%d passed, %d failed\n", c.passed, c.failed);
    dlclose(dl);
    free(f.name);
    free(f.path);
    return c.failed > 0;
}
