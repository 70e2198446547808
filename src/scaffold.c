/*
 * scaffold.c - godwit new: the next migration file from a template.
 *
 * The new version continues the directory's style: 14-digit UTC
 * timestamps if the newest version is one, else the next sequential
 * number with the same zero-padded width (0001 when the set is empty).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "godwit-int.h"

#define TIMESTAMP_DIGITS 14

/* "Add Orders!" -> "add_orders"; NULL if nothing is left. */
static char *slug(const char *name)
{
    char *out = malloc(strlen(name) + 1), *w = out;
    const char *p;

    if (out == NULL)
        return NULL;
    for (p = name; *p != '\0'; p++) {
        char c = *p;

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            *w++ = c;
        else if (w > out && w[-1] != '_')
            *w++ = '_';
    }
    while (w > out && w[-1] == '_')
        w--;
    *w = '\0';
    if (w == out) {
        free(out);
        return NULL;
    }
    return out;
}

/* Adds one to a string of digits, growing it on overflow. */
static void increment(char *digits)
{
    size_t i = strlen(digits);

    while (i > 0 && digits[i - 1] == '9')
        digits[--i] = '0';
    if (i > 0) {
        digits[i - 1]++;
    } else {
        memmove(digits + 1, digits, strlen(digits) + 1);
        digits[0] = '1';
    }
}

/* The next version into out, which has room for the newest version's
 * digits and two more (or a timestamp). */
static void next_version(const godwit_set *s, char *out, size_t cap)
{
    const char *newest = s->n ? s->items[s->n - 1]->version : NULL;
    time_t now = time(NULL);
    struct tm tm;

    if (newest == NULL) {
        snprintf(out, cap, "0001");
    } else if (strlen(newest) >= TIMESTAMP_DIGITS) {
        gmtime_r(&now, &tm);
        strftime(out, cap, "%Y%m%d%H%M%S", &tm);
        if (godwit__version_cmp(out, newest) <= 0) {
            snprintf(out, cap, "%s", newest);
            increment(out);
        }
    } else {
        snprintf(out, cap, "%s", newest);
        increment(out);
    }
}

static int write_template(const char *path, const char *title, godwit_err *e)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    FILE *f;

    if (fd < 0)
        return godwit__err_set(e, GODWIT_ERROR, "%s: cannot create: %s", path,
                               strerror(errno));
    if ((f = fdopen(fd, "w")) == NULL) {
        close(fd);
        return godwit__err_set(e, GODWIT_ERROR, "%s: %s", path,
                               strerror(errno));
    }
    fprintf(f, "-- %s\n-- godwit:up\n\n\n-- godwit:down\n\n", title);
    if (fclose(f) != 0)
        return godwit__err_set(e, GODWIT_ERROR, "%s: write failed: %s", path,
                               strerror(errno));
    return 0;
}

int godwit_new(godwit *g, const char *name, char **path)
{
    const char *dir = g->cfg.value[GODWIT_KEY_DIR];
    godwit_buf file = GODWIT_BUF_INIT;
    godwit_set *s = NULL;
    char *version = NULL, *sl = NULL;
    size_t cap;
    int rc;

    *path = NULL;
    godwit__err_clear(&g->err);
    if (name == NULL || (sl = slug(name)) == NULL)
        return godwit__err_set(&g->err, GODWIT_EUSAGE,
                               "new: give the migration a name of letters "
                               "and digits, e.g. godwit new add_orders");
    if (g->embedded != NULL) {
        rc = godwit__err_set(&g->err, GODWIT_EUSAGE,
                             "new writes a file, and this handle's migrations "
                             "are embedded in the program");
        goto out;
    }
    if ((rc = godwit__set_load(&s, dir, 1, &g->err)) < 0)
        goto out;
    cap = (s->n ? strlen(s->items[s->n - 1]->version) : 0) + 32;
    if ((version = malloc(cap)) == NULL) {
        rc = godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
        goto out;
    }
    next_version(s, version, cap);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        rc = godwit__err_set(&g->err, GODWIT_ERROR, "%s: cannot create: %s",
                             dir, strerror(errno));
        goto out;
    }
    if (godwit__buf_printf(&file, "%s/%s_%s.sql", dir, version, sl) < 0) {
        rc = godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = write_template(file.ptr, name, &g->err)) == 0)
        *path = godwit__buf_detach(&file);
out:
    godwit__buf_free(&file);
    godwit__set_free(s);
    free(version);
    free(sl);
    return rc;
}
