/*
 * import.c - godwit import: another tool's migration set written as
 * godwit migration files.  The SQL bytes of every section are kept; only
 * the headers change, and each file says where it came from.  The set
 * keeps the order the other tool applies it in: where godwit's numeric
 * order of the versions would differ, every file is renumbered, and each
 * one's comment keeps its version.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "godwit-int.h"

static const struct {
    const char *name;
    godwit_import_tool tool;
} tools[] = {{"golang-migrate", GODWIT_IMPORT_MIGRATE},
             {"migrate", GODWIT_IMPORT_MIGRATE},
             {"dbmate", GODWIT_IMPORT_DBMATE},
             {"goose", GODWIT_IMPORT_GOOSE}};

static void set_free(godwit_import_set *set)
{
    size_t i;

    for (i = 0; i < set->n; i++) {
        free(set->v[i].version);
        free(set->v[i].name);
        free(set->v[i].from);
        free(set->v[i].up.text);
        free(set->v[i].down.text);
    }
    free(set->v);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* golang-migrate and goose apply in the numeric order of the versions
 * (golang-migrate: a shared version in the order of the names). */
static int numeric_order(const void *a, const void *b)
{
    const godwit_imported *x = a, *y = b;
    int c = godwit__version_cmp(x->version, y->version);

    return c ? c : strcmp(x->name, y->name);
}

/* dbmate applies in the order of the file names, as text. */
static int text_order(const void *a, const void *b)
{
    return strcmp(((const godwit_imported *)a)->from,
                  ((const godwit_imported *)b)->from);
}

/* The names of dir's *.sql files, sorted; *others: how many files it
 * holds besides (listed as warnings by the caller's reader). */
static int list_sql(godwit *g, const char *dir, char ***names, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t cap = 0;

    *names = NULL;
    *n = 0;
    if (d == NULL)
        return godwit__err_set(&g->err, GODWIT_EUSAGE, "%s: cannot open: %s",
                               dir, strerror(errno));
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);

        if (len < 5 || strcmp(de->d_name + len - 4, ".sql") != 0)
            continue;
        if (*n == cap) {
            char **v = realloc(*names, (cap = cap ? cap * 2 : 32) * sizeof(*v));

            if (v == NULL)
                break;
            *names = v;
        }
        if (((*names)[*n] = strdup(de->d_name)) == NULL)
            break;
        ++*n;
    }
    closedir(d);
    if (de != NULL)
        return godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
    qsort(*names, *n, sizeof(**names), by_name);
    return 0;
}

static int read_all(const char *path, godwit_buf *b)
{
    FILE *f = fopen(path, "rb");
    char chunk[8192];
    size_t got;
    int rc = 0;

    if (f == NULL)
        return -1;
    while (rc == 0 && (got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = godwit__buf_put(b, chunk, got);
    rc = rc == 0 && !ferror(f) ? 0 : -1;
    fclose(f);
    return rc;
}

/* Reads every file of the tool's set in src. */
static int read_set(godwit *g, godwit_import_tool tool, const char *src,
                    godwit_import_set *set)
{
    char **names;
    size_t i, n;
    int rc;

    if ((rc = list_sql(g, src, &names, &n)) < 0)
        return rc;
    for (i = 0; rc == 0 && i < n; i++) {
        godwit_buf path = GODWIT_BUF_INIT, text = GODWIT_BUF_INIT;

        if (godwit__buf_printf(&path, "%s/%s", src, names[i]) < 0 ||
            godwit__buf_puts(&text, "") < 0)
            rc = godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
        else if (read_all(path.ptr, &text) < 0)
            rc = godwit__err_set(&g->err, GODWIT_ERROR, "%s: cannot read: %s",
                                 path.ptr, strerror(errno));
        else
            rc = godwit__import_read(set, tool, names[i], text.ptr, text.len,
                                     &g->err);
        godwit__buf_free(&path);
        godwit__buf_free(&text);
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc == 0 && set->n == 0)
        rc = godwit__err_set(&g->err, GODWIT_EUSAGE,
                             "%s holds no migration files to import", src);
    return rc;
}

/* Whether godwit's order of the versions is the tool's (then they are
 * kept), else how wide the new sequential versions are. */
static int renumber_width(const godwit_import_set *set)
{
    size_t i, width = 4, n = set->n;

    for (i = 1; i < set->n; i++)
        if (godwit__version_cmp(set->v[i - 1].version, set->v[i].version) >= 0)
            break;
    if (i == set->n)
        return 0;
    for (; n >= 10000; n /= 10)
        width++;
    return (int)width;
}

static void header(godwit_buf *b, const char *kind, const godwit_import_sql *s)
{
    godwit__buf_printf(b, "-- godwit:%s%s\n", kind,
                       s->flags & GODWIT_IMPORT_NO_TX ? " transaction=off"
                                                      : "");
    godwit__buf_put(b, s->text, s->len);
    if (s->len > 0 && s->text[s->len - 1] != '\n')
        godwit__buf_puts(b, "\n");
}

/* A section of the godwit file holds the tool's bytes, no more. */
static int kept(const godwit_migration *m, godwit_kind kind,
                const godwit_import_sql *s)
{
    const godwit_section *sec = godwit__migration_section(m, kind, NULL);
    size_t n;

    if (!(s->flags & GODWIT_IMPORT_PRESENT))
        return sec == NULL;
    if (sec == NULL)
        return 0;
    n = sec->end - sec->start;
    return (n == s->len ||
            (n == s->len + 1 && m->text[sec->end - 1] == '\n')) &&
           memcmp(m->text + sec->start, s->text, s->len) == 0;
}

/* The godwit file of one migration, checked by godwit's own parser. */
static int compose(godwit *g, const char *tool, const godwit_imported *it,
                   const char *version, const char *path, godwit_buf *b)
{
    godwit_migration *m;
    int rc;

    godwit__buf_printf(b, "-- Imported from %s: %s", tool, it->from);
    if (strcmp(version, it->version) != 0)
        godwit__buf_printf(b, " (version %s there)", it->version);
    godwit__buf_puts(b, ".\n");
    if (!(it->down.flags & GODWIT_IMPORT_PRESENT))
        godwit__buf_puts(b, "-- It has no down: irreversible.\n");
    header(b, "up", &it->up);
    if (it->down.flags & GODWIT_IMPORT_PRESENT)
        header(b, "down", &it->down);
    if (godwit__buf_puts(b, "") < 0)
        return godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
    if ((rc = godwit__migration_parse(&m, path, b->ptr, b->len, &g->err)) < 0)
        return godwit__err_set(&g->err, GODWIT_ERROR,
                               "%s: godwit would not read its SQL as it is "
                               "(%s); edit it and import again",
                               it->from, godwit__err_msg(&g->err));
    rc = kept(m, GODWIT_KIND_UP, &it->up) &&
         kept(m, GODWIT_KIND_DOWN, &it->down);
    godwit__migration_free(m);
    return rc ? 0
              : godwit__err_set(&g->err, GODWIT_ERROR,
                                "%s: a line of its SQL reads as a godwit "
                                "header; edit it and import again",
                                it->from);
}

/* The directory must hold no migrations: import writes a whole set. */
static int check_dir(godwit *g, const char *dir)
{
    char **names;
    size_t i, n;
    int rc;

    if (mkdir(dir, 0777) == 0)
        return 0;
    if (errno != EEXIST)
        return godwit__err_set(&g->err, GODWIT_ERROR, "%s: cannot create: %s",
                               dir, strerror(errno));
    if ((rc = list_sql(g, dir, &names, &n)) < 0)
        return rc;
    if (n > 0)
        rc = godwit__err_set(&g->err, GODWIT_EUSAGE,
                             "%s already holds migrations (%s); import "
                             "writes a whole set into an empty directory",
                             dir, names[0]);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static int write_file(godwit *g, const char *path, const godwit_buf *b)
{
    FILE *f = fopen(path, "wx");

    if (f == NULL || fwrite(b->ptr, 1, b->len, f) != b->len || fclose(f) != 0)
        return godwit__err_set(&g->err, GODWIT_ERROR, "%s: cannot write: %s",
                               path, strerror(errno));
    return 0;
}

/* GODWIT_EVENT_IMPORT: "PATH from FILES[, version V there]". */
static void said(godwit *g, const char *path, const godwit_imported *it,
                 int renumbered)
{
    godwit_buf d = GODWIT_BUF_INIT;

    godwit__buf_printf(&d, "%s from %s", path, it->from);
    if (renumbered)
        godwit__buf_printf(&d, " (version %s there)", it->version);
    if (!(it->down.flags & GODWIT_IMPORT_PRESENT))
        godwit__buf_puts(&d, "; no down: irreversible");
    godwit__emit(g, GODWIT_EVENT_IMPORT, NULL, 0, d.ptr ? d.ptr : path);
    godwit__buf_free(&d);
}

/* Composes every file first, then writes them all; a failure removes the
 * ones written. */
static int write_set(godwit *g, const char *tool, const godwit_import_set *set,
                     int width)
{
    const char *dir = g->cfg.value[GODWIT_KEY_DIR];
    godwit_buf *files = calloc(set->n ? set->n : 1, sizeof(*files));
    char **paths = calloc(set->n ? set->n : 1, sizeof(*paths));
    size_t i, written = 0;
    int rc = files && paths ? 0 : GODWIT_ENOMEM;

    for (i = 0; rc == 0 && i < set->n; i++) {
        const godwit_imported *it = &set->v[i];
        godwit_buf p = GODWIT_BUF_INIT;
        char version[32];

        if (width > 0)
            snprintf(version, sizeof(version), "%0*lu", width & 15,
                     (unsigned long)(i + 1));
        if (godwit__buf_printf(&p, "%s/%s_%s.sql", dir,
                               width > 0 ? version : it->version, it->name) < 0)
            rc = GODWIT_ENOMEM;
        else if ((paths[i] = godwit__buf_detach(&p)) == NULL)
            rc = GODWIT_ENOMEM;
        else
            rc = compose(g, tool, it, width > 0 ? version : it->version,
                         paths[i], &files[i]);
    }
    if (rc == GODWIT_ENOMEM)
        godwit__err_set(&g->err, rc, "out of memory");
    for (i = 0; rc == 0 && i < set->n; i++)
        if ((rc = write_file(g, paths[i], &files[i])) == 0)
            written++;
    while (rc < 0 && written > 0)
        remove(paths[--written]);
    for (i = 0; rc == 0 && i < set->n; i++)
        said(g, paths[i], &set->v[i], width > 0);
    for (i = 0; i < set->n; i++) {
        godwit__buf_free(&files[i]);
        free(paths[i]);
    }
    free(files);
    free(paths);
    return rc;
}

int godwit_import(godwit *g, const char *tool, const char *src)
{
    godwit_import_set set;
    size_t i, n = sizeof(tools) / sizeof(*tools);
    int rc;

    godwit__err_clear(&g->err);
    memset(&set, 0, sizeof(set));
    for (i = 0; i < n && strcmp(tools[i].name, tool) != 0; i++)
        ;
    if (i == n)
        return godwit__err_set(&g->err, GODWIT_EUSAGE,
                               "import: no reader for \"%s\"; it reads "
                               "golang-migrate, dbmate and goose sets",
                               tool);
    if ((rc = read_set(g, tools[i].tool, src, &set)) == 0 &&
        (rc = check_dir(g, g->cfg.value[GODWIT_KEY_DIR])) == 0) {
        qsort(set.v, set.n, sizeof(*set.v),
              tools[i].tool == GODWIT_IMPORT_DBMATE ? text_order
                                                    : numeric_order);
        rc = write_set(g, tools[i].name, &set, renumber_width(&set));
    }
    set_free(&set);
    return rc;
}
