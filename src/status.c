/* status.c - godwit_status: a caller-owned copy of migration states. */
#include <stdlib.h>
#include <string.h>

#include "godwit-model.h"

typedef struct status_entry {
    char *version; /* one allocation with name, path, applied_at and by */
    char *name, *path, *applied_at, *applied_by, *note;
    long duration_ms;
    godwit_state state;
} status_entry;

struct godwit_status {
    status_entry *e;
    size_t n;
    char *current;
};

/* "up stopped after 2 statements: why" for an interrupted migration; with
 * a live lock holder, "up running, 2 statements done, by HOLDER". */
static char *note(const godwit_applied *row, const char *holder)
{
    godwit_buf b = GODWIT_BUF_INIT;
    int rc;

    if (row == NULL || row->in_progress == NULL)
        return NULL;
    if (holder != NULL)
        rc = godwit__buf_printf(&b, "%s running, %ld statement%s done, by %s",
                                row->in_progress, row->statements_done,
                                row->statements_done == 1 ? "" : "s", holder);
    else
        rc = godwit__buf_printf(&b, "%s stopped after %ld statement%s: %s",
                                row->in_progress, row->statements_done,
                                row->statements_done == 1 ? "" : "s",
                                row->error ? row->error : "the migrator died");
    if (rc < 0) {
        godwit__buf_free(&b);
        return NULL;
    }
    return godwit__buf_detach(&b);
}

static int copy_entry(status_entry *d, const godwit_entry *en,
                      const char *holder)
{
    int interrupted = en->state == GODWIT_STATE_INTERRUPTED;
    const char *src[5];
    char *dst[5];

    src[0] = en->version;
    src[1] = en->m ? en->m->name : en->row->name;
    src[2] = en->m ? en->m->path : NULL;
    src[3] = en->row ? en->row->applied_at : NULL;
    src[4] = en->row ? en->row->applied_by : NULL;
    if (godwit__strpack(dst, src, 5) < 0)
        return GODWIT_ENOMEM;
    d->version = dst[0];
    d->name = dst[1];
    d->path = dst[2];
    d->applied_at = dst[3];
    d->applied_by = dst[4];
    d->duration_ms = en->row ? en->row->duration_ms : -1;
    d->state = en->state;
    /* a stop with no error is the migrator's: alive if it holds the lock */
    if (interrupted && holder != NULL && en->row->error == NULL)
        d->state = GODWIT_STATE_RUNNING;
    d->note = note(en->row, d->state == GODWIT_STATE_RUNNING ? holder : NULL);
    return d->note || !interrupted ? 0 : GODWIT_ENOMEM;
}

/* History order: when applied, then version. */
static int by_applied(const void *a, const void *b)
{
    const status_entry *x = a, *y = b;
    int c = strcmp(x->applied_at, y->applied_at);

    return c != 0 ? c : godwit__version_cmp(x->version, y->version);
}

int godwit__status_build(godwit_status **out, const godwit_view *v,
                         int history_only, const char *holder, godwit_err *e)
{
    godwit_status *s = calloc(1, sizeof(*s));
    long cur = godwit__view_current(v);
    size_t i;

    *out = NULL;
    if (s == NULL || (s->e = calloc(v->n + 1, sizeof(*s->e))) == NULL)
        goto oom;
    for (i = 0; i < v->n; i++) {
        if (history_only && v->entries[i].row == NULL)
            continue;
        if (copy_entry(&s->e[s->n++], &v->entries[i], holder) < 0)
            goto oom;
    }
    if (history_only)
        qsort(s->e, s->n, sizeof(*s->e), by_applied);
    if (cur >= 0 &&
        (s->current = godwit__strdup(v->entries[cur].version)) == NULL)
        goto oom;
    *out = s;
    return 0;
oom:
    godwit_status_free(s);
    return godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
}

void godwit_status_free(godwit_status *s)
{
    size_t i;

    if (s == NULL)
        return;
    for (i = 0; i < s->n; i++) {
        free(s->e[i].version); /* and name, path, applied_at and by */
        free(s->e[i].note);
    }
    free(s->e);
    free(s->current);
    free(s);
}

size_t godwit_status_count(const godwit_status *s)
{
    return s->n;
}

const char *godwit_status_current(const godwit_status *s)
{
    return s->current;
}

const char *godwit_status_version(const godwit_status *s, size_t i)
{
    return s->e[i].version;
}

const char *godwit_status_name(const godwit_status *s, size_t i)
{
    return s->e[i].name;
}

godwit_state godwit_status_state(const godwit_status *s, size_t i)
{
    return s->e[i].state;
}

const char *godwit_status_path(const godwit_status *s, size_t i)
{
    return s->e[i].path;
}

const char *godwit_status_applied_at(const godwit_status *s, size_t i)
{
    return s->e[i].applied_at;
}

const char *godwit_status_applied_by(const godwit_status *s, size_t i)
{
    return s->e[i].applied_by;
}

long godwit_status_duration_ms(const godwit_status *s, size_t i)
{
    return s->e[i].duration_ms;
}

const char *godwit_status_note(const godwit_status *s, size_t i)
{
    return s->e[i].note;
}

const char *godwit_state_name(godwit_state st)
{
    switch (st) {
    case GODWIT_STATE_PENDING: return "pending";
    case GODWIT_STATE_APPLIED: return "applied";
    case GODWIT_STATE_CHANGED: return "changed";
    case GODWIT_STATE_MISSING: return "missing";
    case GODWIT_STATE_INTERRUPTED: return "interrupted";
    case GODWIT_STATE_RUNNING: return "running";
    }
    return "unknown";
}
