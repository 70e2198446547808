/*
 * schema.c - godwit_dump: the schema as the backend's canonical lines,
 * sorted, so that two dumps of one database are byte-identical and two
 * databases can be compared line by line.
 */
#include <stdlib.h>
#include <string.h>

#include "godwit-int.h"

static int add_line(void *ctx, const char *line)
{
    godwit_lines *l = ctx;
    char **grown = godwit__grow(l->v, &l->cap, l->n, sizeof(*grown));

    if (grown == NULL)
        return GODWIT_ENOMEM;
    l->v = grown;
    if ((l->v[l->n] = godwit__strdup(line)) == NULL)
        return GODWIT_ENOMEM;
    l->n++;
    return 0;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void godwit__lines_free(godwit_lines *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static int join(const godwit_lines *l, char **out)
{
    godwit_buf b = GODWIT_BUF_INIT;
    size_t i;

    for (i = 0; i < l->n; i++)
        if (godwit__buf_printf(&b, "%s\n", l->v[i]) < 0) {
            godwit__buf_free(&b);
            return GODWIT_ENOMEM;
        }
    *out = godwit__buf_detach(&b);
    return *out ? 0 : GODWIT_ENOMEM;
}

int godwit__schema_read(godwit *g, godwit_session *s, godwit_lines *l)
{
    godwit_berror be;
    int rc;

    memset(l, 0, sizeof(*l));
    if ((rc = godwit__connect(g, s)) < 0)
        return rc;
    godwit__berror_init(&be);
    rc = godwit__session_snapshot(s, add_line, l, &be);
    if (rc == GODWIT_ENOTSUP)
        rc = godwit__err_set(&g->err, rc,
                             "backend %s cannot describe its schema",
                             godwit__session_backend(s));
    else if (rc == GODWIT_ENOMEM)
        rc = godwit__err_set(&g->err, rc, "out of memory");
    else if (rc < 0)
        rc = godwit__berr(&g->err, &be, "cannot read the schema");
    if (rc < 0)
        godwit__lines_free(l);
    else if (l->n > 1)
        qsort(l->v, l->n, sizeof(*l->v), by_text);
    return rc;
}

int godwit_dump(godwit *g, char **out)
{
    godwit_lines l;
    int rc;

    *out = NULL;
    godwit__err_clear(&g->err);
    if ((rc = godwit__schema_read(g, &g->session, &l)) == 0 &&
        join(&l, out) < 0)
        rc = godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
    godwit__lines_free(&l);
    return rc;
}

int godwit__lines_walk(const godwit_lines *a, const godwit_lines *b,
                       int (*fn)(void *ctx, int side, const char *line),
                       void *ctx)
{
    size_t i = 0, j = 0;
    int rc = 0;

    while (rc == 0 && (i < a->n || j < b->n)) {
        int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->v[i], b->v[j]);

        if (c == 0)
            i++, j++;
        else
            rc = fn(ctx, c, c < 0 ? a->v[i++] : b->v[j++]);
    }
    return rc;
}
