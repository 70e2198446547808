/*
 * loader.c - finding, loading and checking backend plugins.
 *
 * Search order: the caller's directories (--backend-path), then
 * GODWIT_BACKEND_PATH, then the directory fixed at configure time.  Empty
 * components are skipped: the current directory is never searched unless
 * it is named.  Every refusal is one line naming the file, the step that
 * failed and why.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "godwit-int.h"

#ifndef GODWIT_BACKEND_DIR
#define GODWIT_BACKEND_DIR "/usr/local/lib/godwit"
#endif

/* A backend once loaded stays loaded until the process exits: libpq and
 * the TLS library it brings are not made to be unloaded and loaded again,
 * and unloading would only add to the end of every run. */
#ifdef RTLD_NODELETE
#define KEEP_LOADED RTLD_NODELETE
#else
#define KEEP_LOADED 0
#endif

char *godwit__module_search_path(const char *extra)
{
    godwit_buf b = GODWIT_BUF_INIT;
    const char *env = getenv("GODWIT_BACKEND_PATH");

    if ((extra && *extra && godwit__buf_printf(&b, "%s:", extra) < 0) ||
        (env && *env && godwit__buf_printf(&b, "%s:", env) < 0) ||
        godwit__buf_puts(&b, GODWIT_BACKEND_DIR) < 0) {
        godwit__buf_free(&b);
        return NULL;
    }
    return godwit__buf_detach(&b);
}

/* The backend name of a plugin file: its basename without ".so". */
static int module_name(const char *path, char *out, size_t cap)
{
    const char *base = strrchr(path, '/');
    size_t n, i;

    base = base ? base + 1 : path;
    n = strlen(base);
    if (n <= 3 || strcmp(base + n - 3, ".so") != 0 || n - 3 >= cap)
        return -1;
    for (i = 0; i < n - 3; i++)
        if (!((base[i] >= 'a' && base[i] <= 'z') ||
              (base[i] >= '0' && base[i] <= '9') || base[i] == '_'))
            return -1;
    memcpy(out, base, n - 3);
    out[n - 3] = '\0';
    return 0;
}

static const char *missing_method(const godwit_backend *vt)
{
    if (vt->connect == NULL)
        return "connect";
    if (vt->disconnect == NULL)
        return "disconnect";
    if (vt->exec == NULL)
        return "exec";
    if (vt->render == NULL)
        return "render";
    if (vt->history_read == NULL)
        return "history_read";
    if (vt->history_has == NULL)
        return "history_has";
    if (vt->schemes == NULL || vt->schemes[0] == NULL)
        return "schemes";
    return NULL;
}

/* Checks the description a plugin returned. */
static int check_vtable(const godwit_backend *vt, const char *path,
                        const char *name, godwit_err *e)
{
    const size_t required = offsetof(godwit_backend, lock);
    const char *missing;

    if (vt->abi_version != GODWIT_BACKEND_ABI)
        return godwit__err_set(e, GODWIT_EABI,
                               "%s: built for backend ABI %u, this godwit "
                               "speaks ABI %d; rebuild the plugin against "
                               "this godwit's godwit-backend.h",
                               path, vt->abi_version, GODWIT_BACKEND_ABI);
    if (vt->struct_size < required)
        return godwit__err_set(e, GODWIT_EABI,
                               "%s: backend struct is %u bytes, ABI %d "
                               "needs at least %u; rebuild the plugin",
                               path, vt->struct_size, GODWIT_BACKEND_ABI,
                               (unsigned)required);
    if (vt->name == NULL || strcmp(vt->name, name) != 0)
        return godwit__err_set(e, GODWIT_EABI,
                               "%s: plugin calls itself \"%s\", not \"%s\"; "
                               "rename the file or fix the plugin",
                               path, vt->name ? vt->name : "", name);
    if ((missing = missing_method(vt)) != NULL)
        return godwit__err_set(e, GODWIT_EABI,
                               "%s: plugin lacks required member %s; "
                               "fix the plugin",
                               path, missing);
    return 0;
}

/* Finds and calls the entry point; on success m->vt is set. */
static int call_entry(godwit_module *m, godwit_err *e)
{
    char sym[64 + GODWIT_NAME_MAX];
    godwit_backend_entry entry;
    const char *why;

    snprintf(sym, sizeof(sym), "godwit_backend_%s", m->name);
    dlerror();
    *(void **)&entry = dlsym(m->dl, sym);
    if (entry == NULL) {
        why = dlerror();
        return godwit__err_set(e, GODWIT_EABI,
                               "%s: no entry point %s (%s); is this a "
                               "godwit backend?",
                               m->path, sym, why ? why : "symbol is NULL");
    }
    if ((m->vt = entry(GODWIT_BACKEND_ABI)) == NULL)
        return godwit__err_set(e, GODWIT_EABI,
                               "%s: %s refused this godwit (backend ABI "
                               "%d); install a plugin built for it",
                               m->path, sym, GODWIT_BACKEND_ABI);
    return check_vtable(m->vt, m->path, m->name, e);
}

static int open_file(godwit_module *m, godwit_err *e)
{
    struct stat st;
    const char *why;

    if (stat(m->path, &st) != 0)
        return godwit__err_set(
            e, errno == ENOENT ? GODWIT_ENOTFOUND : GODWIT_ERROR,
            "%s: cannot open backend plugin: %s", m->path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return godwit__err_set(e, GODWIT_EABI,
                               "%s: backend plugin is not a regular file",
                               m->path);
    m->dl = dlopen(m->path, RTLD_NOW | RTLD_LOCAL | KEEP_LOADED);
    if (m->dl == NULL) {
        why = dlerror();
        return godwit__err_set(e, GODWIT_EABI,
                               "%s: cannot load backend plugin: %s; check "
                               "its dependencies with ldd(1)",
                               m->path, why ? why : "unknown error");
    }
    return call_entry(m, e);
}

int godwit__module_open(godwit_module **out, const char *path, godwit_err *e)
{
    char name[GODWIT_NAME_MAX];
    godwit_module *m;
    int rc;

    *out = NULL;
    if (module_name(path, name, sizeof(name)) < 0)
        return godwit__err_set(e, GODWIT_EABI,
                               "%s: a backend plugin is named <name>.so, "
                               "name in lowercase letters, digits and _",
                               path);
    if ((m = calloc(1, sizeof(*m))) == NULL ||
        (m->path = godwit__strdup(path)) == NULL ||
        (m->name = godwit__strdup(name)) == NULL) {
        godwit__module_close(m);
        return godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
    }
    if ((rc = open_file(m, e)) < 0) {
        godwit__module_close(m);
        return rc;
    }
    *out = m;
    return 0;
}

void godwit__module_close(godwit_module *m)
{
    if (m == NULL)
        return;
    if (m->dl != NULL)
        dlclose(m->dl);
    free(m->name);
    free(m->path);
    free(m);
}

static int serves(const godwit_backend *vt, const char *scheme)
{
    const char *const *s;

    for (s = vt->schemes; *s != NULL; s++)
        if (strcmp(*s, scheme) == 0)
            return 1;
    return 0;
}

/* Next directory of a colon list; empty components are skipped. */
static int next_dir(const char **list, char *out, size_t cap)
{
    while (**list == ':')
        (*list)++;
    if (**list == '\0')
        return 0;
    snprintf(out, cap, "%.*s", (int)strcspn(*list, ":"), *list);
    *list += strcspn(*list, ":");
    return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int only_so(const struct dirent *de)
{
    size_t n = strlen(de->d_name);

    return n > 3 && strcmp(de->d_name + n - 3, ".so") == 0;
}

/* A plugin file that may serve a scheme, and how to rank it. */
typedef struct candidate {
    size_t like; /* its name's likeness to the scheme: see likeness() */
    int dir;     /* its directory's place in the search path */
    char *path;  /* owned */
} candidate;

typedef struct candidates {
    candidate *c;
    size_t n;
} candidates;

/* Twice the characters a plugin's name shares with the scheme from the
 * start, one more if it is the scheme: "postgresql:" ranks postgresql.so,
 * then postgres.so, then sqlite.so. */
static size_t likeness(const char *name, const char *scheme)
{
    size_t n = 0;

    while (name[n] != '\0' && name[n] == scheme[n])
        n++;
    return 2 * n + (name[n] == '\0' && scheme[n] == '\0');
}

static int by_likeness(const void *a, const void *b)
{
    const candidate *x = a, *y = b;

    if (x->like != y->like)
        return x->like > y->like ? -1 : 1;
    if (x->dir != y->dir)
        return x->dir < y->dir ? -1 : 1;
    return strcmp(x->path, y->path);
}

static void candidates_free(candidates *cs)
{
    size_t i;

    for (i = 0; i < cs->n; i++)
        free(cs->c[i].path);
    free(cs->c);
}

/* Adds the <name>.so files of dir, the k-th directory searched. */
static int add_dir(candidates *cs, const char *dir, int k, const char *scheme)
{
    struct dirent **names;
    godwit_buf path = GODWIT_BUF_INIT;
    int i, n = scandir(dir, &names, only_so, NULL), rc = 0;
    candidate *grown;

    if (n <= 0)
        return 0; /* a missing directory has no plugins */
    if ((grown = realloc(cs->c, (cs->n + (size_t)n) * sizeof(*grown))) == NULL)
        rc = GODWIT_ENOMEM;
    else
        cs->c = grown;
    for (i = 0; i < n; i++) {
        char name[GODWIT_NAME_MAX];

        if (rc == 0 && module_name(names[i]->d_name, name, sizeof(name)) == 0) {
            if (godwit__buf_printf(&path, "%s/%s", dir, names[i]->d_name) < 0) {
                rc = GODWIT_ENOMEM;
            } else {
                cs->c[cs->n].like = likeness(name, scheme);
                cs->c[cs->n].dir = k;
                cs->c[cs->n++].path = godwit__buf_detach(&path);
            }
        }
        free(names[i]);
    }
    free(names);
    godwit__buf_free(&path);
    return rc;
}

/* Tries the candidates in rank order.  One named exactly like the scheme
 * that cannot be loaded is an error worth reporting; any other is not
 * (it may well be some other database's plugin). */
static int try_candidates(godwit_module **out, const candidates *cs,
                          const char *scheme, godwit_err *e)
{
    size_t exact = 2 * strlen(scheme) + 1, i;
    godwit_err ignored = GODWIT_ERR_INIT;
    int rc = GODWIT_ENOTFOUND;

    for (i = 0; i < cs->n; i++) {
        rc = godwit__module_open(out, cs->c[i].path,
                                 cs->c[i].like == exact ? e : &ignored);
        if (rc == 0 && serves((*out)->vt, scheme))
            break;
        godwit__module_close(*out);
        *out = NULL;
        if (rc < 0 && cs->c[i].like == exact)
            break;
        rc = GODWIT_ENOTFOUND;
    }
    godwit__err_clear(&ignored);
    return rc;
}

/*
 * The plugin for a scheme: the plugins named most like it first
 * (postgres.so for "postgresql:"), and among those the earlier directory
 * first.  Only as many are loaded as it takes to find one that serves
 * the scheme: usually one, where loading each in turn would bring in
 * every other database's client library too.
 */
int godwit__module_find(godwit_module **out, const char *search,
                        const char *scheme, godwit_err *e)
{
    candidates cs = {NULL, 0};
    const char *list = search;
    char dir[4096];
    int k = 0, rc = 0;

    *out = NULL;
    while (rc == 0 && next_dir(&list, dir, sizeof(dir)))
        rc = add_dir(&cs, dir, k++, scheme);
    if (rc == 0) {
        if (cs.n > 1) /* qsort(NULL, 0, ...) is undefined */
            qsort(cs.c, cs.n, sizeof(*cs.c), by_likeness);
        rc = try_candidates(out, &cs, scheme, e);
    }
    candidates_free(&cs);
    if (rc == GODWIT_ENOMEM)
        return godwit__err_set(e, rc, "out of memory");
    if (rc == GODWIT_ENOTFOUND)
        return godwit__err_set(e, GODWIT_ENOTFOUND,
                               "no backend plugin for \"%s:\" URLs in %s; see "
                               "godwit backends, or set --backend-path",
                               scheme, search);
    return rc;
}

/* Whether a plugin of this name came earlier in the search. */
static int seen_name(godwit_buf *seen, const char *name)
{
    char key[GODWIT_NAME_MAX + 2];

    snprintf(key, sizeof(key), " %s ", name);
    if (seen->ptr != NULL && strstr(seen->ptr, key) != NULL)
        return 1;
    if (seen->len == 0)
        godwit__buf_puts(seen, " ");
    godwit__buf_printf(seen, "%s ", name);
    return 0;
}

static void report(const char *path, godwit_buf *seen, godwit_backend_fn fn,
                   void *ctx)
{
    godwit_backend_info info;
    godwit_buf schemes = GODWIT_BUF_INIT;
    godwit_module *m;
    godwit_err e = GODWIT_ERR_INIT;
    char name[GODWIT_NAME_MAX];
    const char *const *s;

    memset(&info, 0, sizeof(info));
    info.version = GODWIT_BACKEND_INFO_VERSION;
    info.name = module_name(path, name, sizeof(name)) == 0 ? name : "?";
    info.path = path;
    info.shadowed = seen_name(seen, info.name);
    if (godwit__module_open(&m, path, &e) == 0) {
        for (s = m->vt->schemes; *s != NULL; s++)
            godwit__buf_printf(&schemes, "%s%s", s == m->vt->schemes ? "" : " ",
                               *s);
        info.schemes = schemes.ptr;
    } else {
        info.error = godwit__err_msg(&e);
    }
    fn(&info, ctx);
    godwit__err_clear(&e);
    godwit__module_close(m);
    godwit__buf_free(&schemes);
}

unsigned godwit_backend_abi(void)
{
    return GODWIT_BACKEND_ABI;
}

const char *godwit_backend_dir(void)
{
    return GODWIT_BACKEND_DIR;
}

const char *godwit_backend_path(godwit *g)
{
    if (g->search == NULL)
        g->search =
            godwit__module_search_path(g->cfg.value[GODWIT_KEY_BACKEND_PATH]);
    return g->search;
}

int godwit_backends(godwit *g, godwit_backend_fn fn, void *ctx)
{
    char *search =
        godwit__module_search_path(g->cfg.value[GODWIT_KEY_BACKEND_PATH]);
    godwit_buf seen = GODWIT_BUF_INIT, path = GODWIT_BUF_INIT;
    const char *list = search;
    char dir[4096];

    if (search == NULL)
        return godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
    godwit__err_clear(&g->err);
    while (next_dir(&list, dir, sizeof(dir))) {
        struct dirent **names;
        int i, n = scandir(dir, &names, only_so, by_name);

        for (i = 0; i < n; i++) {
            path.len = 0;
            if (godwit__buf_printf(&path, "%s/%s", dir, names[i]->d_name) == 0)
                report(path.ptr, &seen, fn, ctx);
            free(names[i]);
        }
        if (n >= 0)
            free(names);
    }
    godwit__buf_free(&seen);
    godwit__buf_free(&path);
    free(search);
    return 0;
}
