/* history.c - the applied migrations as the backend records them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-model.h"

static int by_version(const void *a, const void *b)
{
    return godwit__version_cmp(((const godwit_applied *)a)->version,
                               ((const godwit_applied *)b)->version);
}

/* The table's format row: version "" (no migration's), checksum
 * "format:N". */
static int format_row(godwit_history *h, const godwit_history_row *r)
{
    const char *n = r->checksum ? r->checksum : "";
    char *end = NULL;
    long v;

    if (r->version[0] != '\0')
        return 0;
    v = strncmp(n, "format:", 7) == 0 ? strtol(n + 7, &end, 10) : -1;
    h->format = v > 0 && v < 1000000 && *end == '\0' ? (int)v : -1;
    snprintf(h->format_text, sizeof(h->format_text), "%.24s%s", n,
             strlen(n) > 24 ? "..." : "");
    return 1;
}

int godwit__history_add(godwit_history *h, const godwit_history_row *r)
{
    const char *src[7];
    char *dst[7];
    godwit_applied *a, *grown;

    if (format_row(h, r))
        return 0;
    if ((grown = godwit__grow(h->rows, &h->cap, h->n, sizeof(*grown))) == NULL)
        return GODWIT_ENOMEM;
    h->rows = grown;
    src[0] = r->version;
    src[1] = r->name ? r->name : "";
    src[2] = r->checksum ? r->checksum : "";
    src[3] = r->applied_at ? r->applied_at : "";
    src[4] = r->in_progress;
    src[5] = r->in_progress ? r->error : NULL;
    src[6] = r->applied_by;
    if (godwit__strpack(dst, src, 7) < 0)
        return GODWIT_ENOMEM;
    a = &h->rows[h->n++];
    a->version = dst[0];
    a->name = dst[1];
    a->checksum = dst[2];
    a->applied_at = dst[3];
    a->in_progress = dst[4];
    a->error = dst[5];
    a->applied_by = dst[6];
    a->duration_ms = r->duration_ms;
    a->statements_done = r->statements_done;
    return 0;
}

/* Rows usually come in the order they were written: by version. */
static int sorted(const godwit_history *h)
{
    size_t i;

    for (i = 1; i < h->n; i++)
        if (by_version(&h->rows[i - 1], &h->rows[i]) > 0)
            return 0;
    return 1;
}

void godwit__history_sort(godwit_history *h)
{
    if (!sorted(h)) /* and qsort(NULL, 0, ...) would be undefined */
        qsort(h->rows, h->n, sizeof(*h->rows), by_version);
}

void godwit__history_free(godwit_history *h)
{
    size_t i;

    if (h == NULL)
        return;
    for (i = 0; i < h->n; i++)
        free(h->rows[i].version); /* and the row's other strings */
    free(h->rows);
    memset(h, 0, sizeof(*h));
}
