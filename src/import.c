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
             {"goose", GODWIT_IMPORT_GOOSE},
             {"sqlx", GODWIT_IMPORT_SQLX},
             {"diesel", GODWIT_IMPORT_DIESEL},
             {"flyway", GODWIT_IMPORT_FLYWAY}};

static int ends_sql(const char *name, size_t *n)
{
    *n = strlen(name);
    return *n > 4 && strcmp(name + *n - 4, ".sql") == 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* golang-migrate, goose and sqlx apply in the numeric order of the
 * versions (golang-migrate-style sets: a shared version in the order of
 * the names). */
static int numeric_order(const void *a, const void *b)
{
    const godwit_imported *x = a, *y = b;
    int c = godwit__version_cmp(x->version, y->version);

    return c ? c : strcmp(x->name, y->name);
}

/* dbmate applies in the order of the file names, as text. */
static int file_order(const void *a, const void *b)
{
    return strcmp(((const godwit_imported *)a)->from,
                  ((const godwit_imported *)b)->from);
}

/* diesel, in the order of the version strings, as text. */
static int text_order(const void *a, const void *b)
{
    return strcmp(((const godwit_imported *)a)->key,
                  ((const godwit_imported *)b)->key);
}

/* Flyway: part by part (1.1 < 1.2 < 1.10 < 2), each a number. */
static int parts_order(const void *a, const void *b)
{
    return godwit__import_parts_cmp(((const godwit_imported *)a)->key,
                                    ((const godwit_imported *)b)->key);
}

static int (*const order[])(const void *, const void *) = {
    [GODWIT_IMPORT_MIGRATE] = numeric_order,
    [GODWIT_IMPORT_DBMATE] = file_order,
    [GODWIT_IMPORT_GOOSE] = numeric_order,
    [GODWIT_IMPORT_SQLX] = numeric_order,
    [GODWIT_IMPORT_DIESEL] = text_order,
    [GODWIT_IMPORT_FLYWAY] = parts_order};

typedef struct names {
    char **v;
    size_t n, cap;
} names;

static void names_free(names *l)
{
    while (l->n > 0)
        free(l->v[--l->n]);
    free(l->v);
}

static int names_add(names *l, const char *sub, const char *name)
{
    godwit_buf b = GODWIT_BUF_INIT;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        char **v = realloc(l->v, cap * sizeof(*v));

        if (v == NULL)
            return GODWIT_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    if (godwit__buf_printf(&b, "%s%s%s", sub ? sub : "", sub ? "/" : "", name) <
            0 ||
        (l->v[l->n] = godwit__buf_detach(&b)) == NULL)
        return GODWIT_ENOMEM;
    l->n++;
    return 0;
}

/* The files of dir/sub (sub NULL: of dir), as "name" or "sub/name", and
 * with deep those of its directories too, one level down; hidden ones
 * left out. */
static int list_files(godwit *g, const char *dir, const char *sub, int deep,
                      names *out)
{
    godwit_buf path = GODWIT_BUF_INIT;
    struct dirent *de;
    struct stat st;
    DIR *d;
    int rc = 0;

    if (godwit__buf_printf(&path, "%s%s%s", dir, sub ? "/" : "",
                           sub ? sub : "") < 0)
        return godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
    if ((d = opendir(path.ptr)) == NULL) {
        rc = godwit__err_set(&g->err, GODWIT_EUSAGE, "%s: cannot open: %s",
                             path.ptr, strerror(errno));
        godwit__buf_free(&path);
        return rc;
    }
    while (rc == 0 && (de = readdir(d)) != NULL) {
        size_t at = path.len;

        if (de->d_name[0] == '.' ||
            godwit__buf_printf(&path, "/%s", de->d_name) < 0 ||
            stat(path.ptr, &st) != 0)
            ;
        else if (S_ISREG(st.st_mode))
            rc = names_add(out, sub, de->d_name);
        else if (S_ISDIR(st.st_mode) && deep)
            rc = list_files(g, dir, de->d_name, 0, out);
        path.len = at;
        path.ptr[at] = '\0';
    }
    closedir(d);
    godwit__buf_free(&path);
    if (rc == GODWIT_ENOMEM)
        godwit__err_set(&g->err, rc, "out of memory");
    if (rc == 0 && sub == NULL)
        qsort(out->v, out->n, sizeof(*out->v), by_name);
    return rc;
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
    names l = {NULL, 0, 0};
    size_t i;
    int rc = list_files(g, src, NULL, tool == GODWIT_IMPORT_DIESEL, &l);

    for (i = 0; rc == 0 && i < l.n; i++) {
        godwit_buf path = GODWIT_BUF_INIT, text = GODWIT_BUF_INIT;

        if (godwit__buf_printf(&path, "%s/%s", src, l.v[i]) < 0 ||
            godwit__buf_puts(&text, "") < 0)
            rc = godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
        else if (read_all(path.ptr, &text) < 0)
            rc = godwit__err_set(&g->err, GODWIT_ERROR, "%s: cannot read: %s",
                                 path.ptr, strerror(errno));
        else
            rc = godwit__import_read(set, tool, l.v[i], text.ptr, text.len,
                                     &g->err);
        godwit__buf_free(&path);
        godwit__buf_free(&text);
    }
    names_free(&l);
    for (i = 0; rc == 0 && i < set->n; i++)
        if (!(set->v[i].up.flags & GODWIT_IMPORT_PRESENT))
            rc = godwit__err_set(&g->err, GODWIT_ERROR,
                                 "%s: no up to go with it", set->v[i].from);
    if (rc == 0 && set->n == 0)
        rc = godwit__err_set(
            &g->err, GODWIT_EUSAGE, "%s holds no %s migrations to import", src,
            tool == GODWIT_IMPORT_MIGRATE ? "golang-migrate" : "such");
    return rc;
}

/* 0 when godwit's order of the versions is the tool's and each is its
 * digits alone (then they are kept), else how wide the new sequential
 * versions are. */
static int renumber_width(const godwit_import_set *set, int spelled)
{
    size_t i, width = 4, n = set->n;

    for (i = 0; i < set->n; i++)
        if ((i > 0 && godwit__version_cmp(set->v[i - 1].version,
                                          set->v[i].version) >= 0) ||
            (spelled && strcmp(set->v[i].key, set->v[i].version) != 0))
            break;
    if (i == set->n)
        return 0;
    for (; n >= 10000; n /= 10)
        width++;
    return (int)width;
}

static void header(godwit_buf *b, const char *kind, const godwit_import_sql *s,
                   unsigned flags)
{
    godwit__buf_printf(
        b, "-- godwit:%s%s\n", kind,
        (s->flags | flags) & GODWIT_IMPORT_NO_TX ? " transaction=off" : "");
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
    if (strcmp(version, it->key) != 0)
        godwit__buf_printf(b, " (version %s there)", it->key);
    godwit__buf_puts(b, ".\n");
    if (!(it->down.flags & GODWIT_IMPORT_PRESENT))
        godwit__buf_puts(b, "-- It has no down: irreversible.\n");
    header(b, "up", &it->up, it->flags);
    if (it->down.flags & GODWIT_IMPORT_PRESENT)
        header(b, "down", &it->down, it->flags);
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
    names l = {NULL, 0, 0};
    size_t i, n;
    int rc;

    if (mkdir(dir, 0777) == 0)
        return 0;
    if (errno != EEXIST)
        return godwit__err_set(&g->err, GODWIT_ERROR, "%s: cannot create: %s",
                               dir, strerror(errno));
    rc = list_files(g, dir, NULL, 0, &l);
    for (i = 0; rc == 0 && i < l.n; i++)
        if (ends_sql(l.v[i], &n))
            rc = godwit__err_set(&g->err, GODWIT_EUSAGE,
                                 "%s already holds migrations (%s); import "
                                 "writes a whole set into an empty directory",
                                 dir, l.v[i]);
    names_free(&l);
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
    if (renumbered || strcmp(it->key, it->version) != 0)
        godwit__buf_printf(&d, " (version %s there)", it->key);
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

/* The set's notes: what of the tool's was left out, one warning each. */
static void tell_notes(godwit *g, godwit_import_set *set)
{
    char *p = set->notes.ptr, *nl;

    for (; p != NULL && *p != '\0'; p = nl + 1) {
        if ((nl = strchr(p, '\n')) == NULL)
            break;
        *nl = '\0';
        godwit__emit(g, GODWIT_EVENT_WARNING, NULL, 0, p);
    }
}

int godwit_import(godwit *g, const char *tool, const char *src)
{
    godwit_import_set set;
    godwit_import_tool t;
    size_t i, n = sizeof(tools) / sizeof(*tools);
    int rc;

    godwit__err_clear(&g->err);
    memset(&set, 0, sizeof(set));
    for (i = 0; i < n && strcmp(tools[i].name, tool) != 0; i++)
        ;
    if (i == n)
        return godwit__err_set(&g->err, GODWIT_EUSAGE,
                               "import: no reader for \"%s\"; it reads "
                               "golang-migrate, dbmate, goose, sqlx, diesel "
                               "and flyway sets",
                               tool);
    t = tools[i].tool;
    if ((rc = read_set(g, t, src, &set)) == 0 &&
        (rc = check_dir(g, g->cfg.value[GODWIT_KEY_DIR])) == 0) {
        qsort(set.v, set.n, sizeof(*set.v), order[t]);
        rc = write_set(g, tools[i].name, &set,
                       renumber_width(&set, t == GODWIT_IMPORT_FLYWAY));
    }
    if (rc == 0)
        tell_notes(g, &set);
    godwit__import_set_free(&set);
    return rc;
}
