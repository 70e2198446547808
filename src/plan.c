/*
 * plan.c - from the state of the migrations and a target to the ordered
 * steps that reach it.  Nothing here touches a database.
 *
 * Targets: "head", "base", a version, "+N", "-N".
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-model.h"

static int add_step(godwit_plan *p, const godwit_entry *en, int up,
                    godwit_err *e)
{
    godwit_step *s = realloc(p->steps, (p->n + 1) * sizeof(*s));

    if (s == NULL)
        return godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
    p->steps = s;
    if (en->m == NULL)
        return godwit__err_set(
            e, GODWIT_ERROR,
            "cannot revert %s (%s): its file is missing; restore it first",
            en->version, en->row->name);
    s[p->n].m = en->m;
    s[p->n].up = up;
    s[p->n].resume_at = -1;
    p->n++;
    return 0;
}

/* Parses "+N"/"-N" (sign must match) into *n >= 1. */
static int parse_count(const char *target, char sign, long *n)
{
    char *end;

    if (target[0] != sign || target[1] < '0' || target[1] > '9')
        return -1;
    errno = 0;
    *n = strtol(target + 1, &end, 10);
    return (*end != '\0' || errno != 0 || *n < 1) ? -1 : 0;
}

static int is_version(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

static int find_version(const godwit_view *v, const char *version,
                        godwit_err *e)
{
    size_t i;

    for (i = 0; i < v->n; i++)
        if (godwit__version_cmp(v->entries[i].version, version) == 0)
            return 0;
    return godwit__err_set(e, GODWIT_ENOTFOUND,
                           "no migration with version %s; see godwit status",
                           version);
}

/* Applies pending entries with version <= upto (NULL: all), at most max. */
static int apply_until(godwit_plan *p, const godwit_view *v, const char *upto,
                       long max, godwit_err *e)
{
    size_t i;
    int rc;

    for (i = 0; i < v->n && (long)p->n < max; i++) {
        const godwit_entry *en = &v->entries[i];

        if (upto != NULL && godwit__version_cmp(en->version, upto) > 0)
            break;
        if (en->state == GODWIT_STATE_PENDING &&
            (rc = add_step(p, en, 1, e)) < 0)
            return rc;
    }
    return 0;
}

/* Reverts applied entries with version > above (NULL: all), at most max,
 * newest first. */
static int revert_until(godwit_plan *p, const godwit_view *v, const char *above,
                        long max, godwit_err *e)
{
    size_t i, n0 = p->n;
    int rc;

    for (i = v->n; i > 0 && (long)(p->n - n0) < max; i--) {
        const godwit_entry *en = &v->entries[i - 1];

        if (above != NULL && godwit__version_cmp(en->version, above) <= 0)
            break;
        if (en->row != NULL && (rc = add_step(p, en, 0, e)) < 0)
            return rc;
    }
    return 0;
}

int godwit__plan_up(godwit_plan *p, const godwit_view *v, const char *target,
                    godwit_err *e)
{
    long n;
    int rc;

    memset(p, 0, sizeof(*p));
    if (target == NULL || strcmp(target, "head") == 0)
        return apply_until(p, v, NULL, LONG_MAX, e);
    if (parse_count(target, '+', &n) == 0)
        return apply_until(p, v, NULL, n, e);
    if (!is_version(target))
        return godwit__err_set(e, GODWIT_EUSAGE,
                               "up: invalid target \"%s\"; use head, a "
                               "version or +N",
                               target);
    if ((rc = find_version(v, target, e)) < 0)
        return rc;
    return apply_until(p, v, target, LONG_MAX, e);
}

int godwit__plan_down(godwit_plan *p, const godwit_view *v, const char *target,
                      godwit_err *e)
{
    long n;
    int rc;

    memset(p, 0, sizeof(*p));
    if (target == NULL)
        return revert_until(p, v, NULL, 1, e);
    if (strcmp(target, "base") == 0)
        return revert_until(p, v, NULL, LONG_MAX, e);
    if (parse_count(target, '-', &n) == 0)
        return revert_until(p, v, NULL, n, e);
    if (!is_version(target))
        return godwit__err_set(e, GODWIT_EUSAGE,
                               "down: invalid target \"%s\"; use base, a "
                               "version or -N",
                               target);
    if ((rc = find_version(v, target, e)) < 0)
        return rc;
    return revert_until(p, v, target, LONG_MAX, e);
}

int godwit__plan_redo(godwit_plan *p, const godwit_view *v, godwit_err *e)
{
    long cur = godwit__view_current(v);
    int rc;

    memset(p, 0, sizeof(*p));
    if (cur < 0)
        return godwit__err_set(e, GODWIT_ERROR,
                               "redo: no migration is applied");
    if ((rc = add_step(p, &v->entries[cur], 0, e)) < 0)
        return rc;
    return add_step(p, &v->entries[cur], 1, e);
}

int godwit__plan_goto(godwit_plan *p, const godwit_view *v, const char *version,
                      godwit_err *e)
{
    int rc;

    memset(p, 0, sizeof(*p));
    if (version == NULL || !is_version(version))
        return godwit__err_set(e, GODWIT_EUSAGE,
                               "goto: invalid version \"%s\"; give the "
                               "version to move to",
                               version ? version : "");
    if ((rc = find_version(v, version, e)) < 0 ||
        (rc = revert_until(p, v, version, LONG_MAX, e)) < 0)
        return rc;
    return apply_until(p, v, version, LONG_MAX, e);
}

void godwit__plan_free(godwit_plan *p)
{
    if (p == NULL)
        return;
    free(p->steps);
    p->steps = NULL;
    p->n = 0;
}
