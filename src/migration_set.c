/*
 * migration_set.c - a directory of migration files, ordered by version.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-int.h"

static int by_version(const void *a, const void *b)
{
    const godwit_migration *x = *(godwit_migration *const *)a;
    const godwit_migration *y = *(godwit_migration *const *)b;

    return godwit__version_cmp(x->version, y->version);
}

static int check_file_name(const char *dir, const char *file, godwit_err *e)
{
    size_t digits;
    int rc;

    if (file[0] == '.')
        return GODWIT_ENOTFOUND; /* hidden: editor and VCS files */
    rc = godwit__migration_name(file, &digits);
    if (rc == GODWIT_ERROR)
        return godwit__err_set(e, GODWIT_ERROR,
                               "%s/%s: no version prefix; name migration "
                               "files <version>_<name>.sql, e.g. "
                               "0001_create_users.sql",
                               dir, file);
    if (rc == GODWIT_EUSAGE)
        return godwit__err_set(e, GODWIT_ERROR,
                               "%s/%s: the version has %zu digits, at most "
                               "%d are allowed; use a sequence number or a "
                               "14-digit timestamp",
                               dir, file, strspn(file, "0123456789"),
                               GODWIT_VERSION_MAX);
    return rc;
}

/* A directory being read. */
typedef struct loader {
    godwit_set *s;
    size_t cap;
    const char *dir;
    int dirfd;
    godwit_buf path; /* "dir/", then the file being read */
    godwit_err *e;
} loader;

static int add(loader *l, godwit_migration *m)
{
    godwit_set *s = l->s;

    if (s->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        godwit_migration **p = realloc(s->items, ncap * sizeof(*p));

        if (p == NULL) {
            godwit__migration_free(m);
            return godwit__err_set(l->e, GODWIT_ENOMEM, "out of memory");
        }
        s->items = p;
        l->cap = ncap;
    }
    s->items[s->n++] = m;
    return 0;
}

static int load_entry(loader *l, const char *file)
{
    size_t dirlen = l->path.len;
    godwit_migration *m;
    int rc = check_file_name(l->dir, file, l->e);

    if (rc == GODWIT_ENOTFOUND)
        return 0;
    if (rc < 0)
        return rc;
    if (godwit__buf_puts(&l->path, file) < 0)
        return godwit__err_set(l->e, GODWIT_ENOMEM, "out of memory");
    rc = godwit__migration_load(&m, l->dirfd, file, l->path.ptr, &l->s->pool,
                                l->e);
    l->path.ptr[l->path.len = dirlen] = '\0';
    return rc < 0 ? rc : add(l, m);
}

static int check_duplicates(const godwit_set *s, godwit_err *e)
{
    const godwit_migration *a, *b;
    size_t i;

    for (i = 1; i < s->n; i++) {
        a = s->items[i - 1];
        b = s->items[i];
        if (godwit__version_cmp(a->version, b->version) != 0)
            continue;
        if (strcmp(a->path, b->path) > 0) { /* name them in a stable order */
            a = s->items[i];
            b = s->items[i - 1];
        }
        return godwit__err_set(e, GODWIT_ERROR,
                               "duplicate version %s: %s and %s; give one of "
                               "them a new version",
                               a->version, a->path, b->path);
    }
    return 0;
}

static int read_dir(godwit_set *s, DIR *d, const char *dir, godwit_err *e)
{
    loader l = {0};
    struct dirent *de;
    int rc;

    l.s = s;
    l.dir = dir;
    l.dirfd = dirfd(d);
    l.e = e;
    if ((rc = godwit__buf_printf(&l.path, "%s/", dir)) < 0)
        rc = godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
    errno = 0;
    while (rc == 0 && (de = readdir(d)) != NULL)
        rc = load_entry(&l, de->d_name);
    if (rc == 0 && errno != 0)
        rc = godwit__err_set(e, GODWIT_ERROR, "%s: cannot read: %s", dir,
                             strerror(errno));
    godwit__buf_free(&l.path);
    if (rc == 0 && s->n > 1) {
        qsort(s->items, s->n, sizeof(*s->items), by_version);
        rc = check_duplicates(s, e);
    }
    return rc;
}

int godwit__set_load(godwit_set **out, const char *dir, int missing_ok,
                     godwit_err *e)
{
    godwit_set *s;
    DIR *d;
    int rc;

    *out = NULL;
    if ((s = calloc(1, sizeof(*s))) == NULL)
        return godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
    if ((d = opendir(dir)) == NULL) {
        if (errno == ENOENT && missing_ok) {
            *out = s;
            return 0;
        }
        rc = godwit__err_set(
            e, errno == ENOENT ? GODWIT_ENOTFOUND : GODWIT_ERROR,
            "%s: cannot open migration directory: %s%s", dir, strerror(errno),
            errno == ENOENT ? "; create it with godwit new, or pass --dir"
                            : "");
        free(s);
        return rc;
    }
    rc = read_dir(s, d, dir, e);
    closedir(d);
    if (rc < 0) {
        godwit__set_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void godwit__set_free(godwit_set *s)
{
    if (s == NULL)
        return;
    free(s->items);
    godwit__pool_free(&s->pool); /* the migrations */
    free(s);
}

godwit_migration *godwit__set_find(const godwit_set *s, const char *version)
{
    size_t lo = 0, hi = s->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = godwit__version_cmp(s->items[mid]->version, version);

        if (c == 0)
            return s->items[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
