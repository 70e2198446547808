/*
 * migration_set.c - a directory of migration files, ordered by version.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-model.h"

#define DIGITS "0123456789"

/* File names by the versions they start with, then by name. */
static int by_version(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    int c = godwit__version_ncmp(x, strspn(x, DIGITS), y, strspn(y, DIGITS));

    return c != 0 ? c : strcmp(x, y);
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
    return rc;
}

/*
 * A directory being read, by one thread or two.  The first helper lists
 * the names and sorts them by version; then each helper takes the next
 * name under the lock and reads that file into its own slot with its own
 * pool, so helpers share nothing else.  The first bad file in version
 * order is reported (a badly named one after all others): once a file
 * fails, no helper takes one after it.
 */
struct godwit_reading {
    godwit_set *s; /* s->items[i] is read from name[i] */
    const char *dir;
    const godwit_embedded *emb;      /* or NULL: the directory */
    const godwit_embedded_file **ef; /* with emb: ef[i] is name[i] */
    int missing_ok;
    DIR *d;             /* files are opened relative to it */
    godwit_pool memory; /* of the names */
    char **name;        /* the file names, in version order once listed */
    size_t n, cap;
    pthread_mutex_t lock; /* guards everything below, and the listing */
    int listed;
    size_t next;    /* the next name to read */
    size_t bad;     /* the first name that failed, when rc says one did */
    int readers;    /* how many have helped: each has a pool */
    int rc;         /* 0, or why the reading failed: */
    godwit_err err; /* at name[bad], or listing the directory */
};

/* Records that name i failed, unless one before it did (e is taken
 * either way).  Locked. */
static void fail_at(godwit_reading *r, size_t i, godwit_err *e)
{
    if (r->rc == 0 || i < r->bad) {
        r->bad = i;
        r->rc = e->code;
        godwit__err_move(&r->err, e);
    }
    godwit__err_clear(e);
}

static int add_name(godwit_reading *r, const char *file)
{
    size_t len = strlen(file) + 1;
    char **grown = godwit__grow(r->name, &r->cap, r->n, sizeof(*grown));

    if (grown == NULL)
        return GODWIT_ENOMEM;
    r->name = grown;
    if ((r->name[r->n] = godwit__pool_alloc(&r->memory, len)) == NULL)
        return GODWIT_ENOMEM;
    memcpy(r->name[r->n++], file, len);
    return 0;
}

/* Lists the migration files in version order; a badly named one is an
 * error, but the others are listed all the same. */
static int list_names(godwit_reading *r, godwit_err *e)
{
    struct dirent *de;
    godwit_err named = GODWIT_ERR_INIT;
    int rc = 0, misnamed = 0;

    while ((errno = 0, de = readdir(r->d)) != NULL) {
        if ((rc = check_file_name(r->dir, de->d_name, &named)) == 0 &&
            add_name(r, de->d_name) < 0) {
            godwit__err_clear(&named);
            return godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
        }
        if (rc != GODWIT_ENOTFOUND && rc < 0 && !misnamed++)
            godwit__err_move(e, &named); /* the first; files are still read */
    }
    godwit__err_clear(&named);
    if (errno != 0)
        return godwit__err_set(e, GODWIT_ERROR, "%s: cannot read: %s", r->dir,
                               strerror(errno));
    if (r->n > 1)
        qsort(r->name, r->n, sizeof(*r->name), by_version);
    return misnamed ? e->code : 0;
}

static int by_file_version(const void *a, const void *b)
{
    const godwit_embedded_file *x = *(const godwit_embedded_file *const *)a,
                               *y = *(const godwit_embedded_file *const *)b;

    return by_version(&x->name, &y->name);
}

/* Lists an embedded set's files, as list_names a directory's. */
static int list_embedded(godwit_reading *r, godwit_err *e)
{
    size_t i;
    int rc;

    if ((r->ef = calloc(r->emb->n ? r->emb->n : 1, sizeof(*r->ef))) == NULL)
        return godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
    for (i = 0; i < r->emb->n; i++)
        r->ef[i] = &r->emb->files[i];
    qsort(r->ef, r->emb->n, sizeof(*r->ef), by_file_version);
    for (i = 0; i < r->emb->n; i++) {
        if ((rc = check_file_name(r->dir, r->ef[i]->name, e)) < 0)
            return rc == GODWIT_ENOTFOUND
                       ? godwit__err_set(e, GODWIT_ERROR,
                                         "%s/%s: not a migration file name "
                                         "in the embedded set",
                                         r->dir, r->ef[i]->name)
                       : rc;
        if (add_name(r, r->ef[i]->name) < 0)
            return godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
    }
    return 0;
}

/* Opens and lists the directory.  Locked.  A failure counts as the
 * file after the last one listed: a bad file among those comes first. */
static void list(godwit_reading *r)
{
    godwit_err e = GODWIT_ERR_INIT;
    int err;

    r->listed = 1;
    if (r->emb != NULL) {
        if (list_embedded(r, &e) < 0)
            fail_at(r, r->n, &e);
    } else if ((r->d = opendir(r->dir)) == NULL) {
        if ((err = errno) == ENOENT && r->missing_ok)
            return; /* no files */
        godwit__err_set(
            &e, err == ENOENT ? GODWIT_ENOTFOUND : GODWIT_ERROR,
            "%s: cannot open migration directory: %s%s", r->dir, strerror(err),
            err == ENOENT ? "; create it with godwit new, or pass --dir" : "");
        fail_at(r, 0, &e);
        return;
    } else if (list_names(r, &e) < 0) {
        fail_at(r, r->n, &e);
    }
    if (r->n > 0 &&
        (r->s->items = calloc(r->n, sizeof(*r->s->items))) == NULL) {
        godwit__err_set(&e, GODWIT_ENOMEM, "out of memory");
        fail_at(r, 0, &e);
        r->n = 0; /* nowhere to put them */
    }
}

int godwit__reading_new(godwit_reading **out, const char *dir, int missing_ok,
                        godwit_err *e)
{
    godwit_reading *r = calloc(1, sizeof(*r));

    *out = NULL;
    if (r == NULL || (r->s = calloc(1, sizeof(*r->s))) == NULL ||
        pthread_mutex_init(&r->lock, NULL) != 0) {
        if (r != NULL)
            free(r->s);
        free(r);
        return godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
    }
    r->dir = dir;
    r->missing_ok = missing_ok;
    *out = r;
    return 0;
}

int godwit__reading_embedded(godwit_reading **out, const godwit_embedded *emb,
                             godwit_err *e)
{
    int rc = godwit__reading_new(out, emb->dir ? emb->dir : ".", 0, e);

    if (rc == 0)
        (*out)->emb = emb;
    return rc;
}

/* Reads name[i] into s->items[i]: from the directory (path is dir/name),
 * or from the embedded set, whose checksum must be the text's. */
static int read_one(godwit_reading *r, size_t i, const char *path,
                    godwit_pool *pool, godwit_err *e)
{
    const godwit_embedded_file *f;
    int rc;

    if (r->emb == NULL)
        return godwit__migration_load(&r->s->items[i], dirfd(r->d), r->name[i],
                                      path, pool, e);
    f = r->ef[i];
    if ((rc = godwit__migration_from(&r->s->items[i], path, f->text, f->len,
                                     pool, e)) < 0)
        return rc;
    if (f->checksum != NULL &&
        strcmp(f->checksum, r->s->items[i]->checksum) == 0)
        return 0;
    return godwit__err_set(e, GODWIT_ERROR,
                           "%s: the embedded set says its checksum is %s, and "
                           "its text's is %s; generate the set again with "
                           "godwit embed",
                           path, f->checksum ? f->checksum : "(none)",
                           r->s->items[i]->checksum);
}

/* The next name to read, or r->n when none is left. */
static size_t take(godwit_reading *r)
{
    size_t i;

    pthread_mutex_lock(&r->lock);
    if (r->next < r->n && (r->rc == 0 || r->next < r->bad))
        i = r->next++;
    else
        i = r->n;
    pthread_mutex_unlock(&r->lock);
    return i;
}

/* Takes a pool, listing the directory first if no one has: -1 if
 * GODWIT_READERS have helped already. */
static int join_in(godwit_reading *r)
{
    int k;

    pthread_mutex_lock(&r->lock);
    if (!r->listed)
        list(r);
    k = r->readers < GODWIT_READERS ? r->readers++ : -1;
    pthread_mutex_unlock(&r->lock);
    return k;
}

void godwit__reading_help(godwit_reading *r)
{
    godwit_buf path = GODWIT_BUF_INIT;
    int k = join_in(r), rc;
    godwit_err e = GODWIT_ERR_INIT;
    size_t i;

    if (k < 0 || godwit__buf_printf(&path, "%s/", r->dir) < 0) {
        godwit__buf_free(&path);
        return; /* finish says out of memory if no one read the files */
    }
    while ((i = take(r)) < r->n) {
        size_t dirlen = path.len;

        rc = godwit__buf_puts(&path, r->name[i]) < 0
                 ? godwit__err_set(&e, GODWIT_ENOMEM, "out of memory")
                 : read_one(r, i, path.ptr, &r->s->pools[k], &e);
        path.ptr[path.len = dirlen] = '\0';
        if (rc < 0) {
            pthread_mutex_lock(&r->lock);
            fail_at(r, i, &e);
            pthread_mutex_unlock(&r->lock);
        }
    }
    godwit__buf_free(&path);
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

static void reading_free(godwit_reading *r)
{
    if (r->d != NULL)
        closedir(r->d);
    godwit__pool_free(&r->memory);
    free(r->name);
    free(r->ef);
    pthread_mutex_destroy(&r->lock);
    godwit__err_clear(&r->err);
    godwit__set_free(r->s);
    free(r);
}

int godwit__reading_finish(godwit_reading *r, godwit_set **out, godwit_err *e)
{
    godwit_set *s = r->s;
    size_t i;
    int rc = r->rc;

    *out = NULL;
    for (i = 0; rc == 0 && i < r->n; i++)
        if (s->items[i] == NULL) /* no helper could start */
            rc = godwit__err_set(&r->err, GODWIT_ENOMEM, "out of memory");
    if (rc < 0) {
        godwit__err_move(e, &r->err);
        reading_free(r);
        return rc;
    }
    s->n = r->n; /* in version order, as their names were */
    r->s = NULL;
    reading_free(r);
    if ((rc = check_duplicates(s, e)) < 0) {
        godwit__set_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int godwit__set_load(godwit_set **out, const char *dir, int missing_ok,
                     godwit_err *e)
{
    godwit_reading *r;
    int rc;

    *out = NULL;
    if ((rc = godwit__reading_new(&r, dir, missing_ok, e)) < 0)
        return rc;
    godwit__reading_help(r);
    return godwit__reading_finish(r, out, e);
}

void godwit__set_free(godwit_set *s)
{
    int k;

    if (s == NULL)
        return;
    free(s->items);
    for (k = 0; k < GODWIT_READERS; k++)
        godwit__pool_free(&s->pools[k]); /* the migrations */
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
