/*
 * state.c - the migration set and the history side by side: what is
 * pending, applied, changed or missing, and the checks made before any
 * change.
 */
#include <stdlib.h>
#include <string.h>

#include "godwit-model.h"

static void entry(godwit_entry *en, godwit_migration *m,
                  const godwit_applied *row)
{
    en->m = m;
    en->row = row;
    en->version = m ? m->version : row->version;
    if (row == NULL)
        en->state = GODWIT_STATE_PENDING;
    else if (row->in_progress != NULL)
        en->state = GODWIT_STATE_INTERRUPTED;
    else if (m == NULL)
        en->state = GODWIT_STATE_MISSING;
    else if (strcmp(m->checksum, row->checksum) != 0)
        en->state = GODWIT_STATE_CHANGED;
    else
        en->state = GODWIT_STATE_APPLIED;
}

int godwit__view_build(godwit_view *v, const godwit_set *s,
                       const godwit_history *h, godwit_err *e)
{
    size_t i = 0, j = 0;

    v->n = 0;
    v->entries = calloc(s->n + h->n + 1, sizeof(*v->entries));
    if (v->entries == NULL)
        return godwit__err_set(e, GODWIT_ENOMEM, "out of memory");
    while (i < s->n || j < h->n) {
        int c = i == s->n   ? 1
                : j == h->n ? -1
                            : godwit__version_cmp(s->items[i]->version,
                                                  h->rows[j].version);
        godwit_migration *m = c <= 0 ? s->items[i++] : NULL;
        const godwit_applied *row = c >= 0 ? &h->rows[j++] : NULL;

        entry(&v->entries[v->n++], m, row);
    }
    return 0;
}

void godwit__view_free(godwit_view *v)
{
    if (v == NULL)
        return;
    free(v->entries);
    v->entries = NULL;
    v->n = 0;
}

long godwit__view_current(const godwit_view *v)
{
    size_t i;

    for (i = v->n; i > 0; i--)
        if (v->entries[i - 1].row != NULL)
            return (long)(i - 1);
    return -1;
}

/* Files and history that disagree: the serious conflicts.  An
 * interrupted entry that stopped with no error is running, not dead, when
 * its migrator holds the lock (holder). */
static int check_recorded(const godwit_entry *en, unsigned flags,
                          const char *holder, godwit_err *e)
{
    if (en->state == GODWIT_STATE_INTERRUPTED && en->row->error == NULL &&
        holder != NULL)
        return godwit__err_set(
            e, GODWIT_ECONFLICT,
            "%s %s is running: %ld statement%s done, by %s; wait for it to "
            "finish (godwit status shows how far it is)",
            en->m ? en->m->path : en->version, en->row->in_progress,
            en->row->statements_done, en->row->statements_done == 1 ? "" : "s",
            holder);
    if (en->state == GODWIT_STATE_INTERRUPTED)
        return godwit__err_set(
            e, GODWIT_ECONFLICT,
            "%s %s was interrupted after %ld statement%s%s%s; fix the "
            "cause, then run godwit repair --resume to go on from there, "
            "or --mark-applied / --mark-reverted if you finished or undid "
            "it by hand",
            en->m ? en->m->path : en->version, en->row->in_progress,
            en->row->statements_done, en->row->statements_done == 1 ? "" : "s",
            en->row->error ? ": " : " (the migrator died)",
            en->row->error ? en->row->error : "");
    if (en->state == GODWIT_STATE_MISSING &&
        !(flags & GODWIT_OPT_IGNORE_MISSING))
        return godwit__err_set(
            e, GODWIT_ECONFLICT,
            "migration %s (%s) is applied but its file is missing; restore "
            "the file, or pass --ignore-missing",
            en->version, en->row->name);
    if (en->state == GODWIT_STATE_CHANGED)
        return godwit__err_set(
            e, GODWIT_ECONFLICT,
            "%s was changed after it was applied (recorded %.19s..., file "
            "%.19s...); undo the edit and put the change in a new migration",
            en->m->path, en->row->checksum, en->m->checksum);
    return 0;
}

static int check_order(const godwit_entry *en, const char *newest,
                       unsigned flags, godwit_err *e)
{
    if (en->state == GODWIT_STATE_PENDING && newest != NULL &&
        !(flags & GODWIT_OPT_ALLOW_OUT_OF_ORDER) &&
        godwit__version_cmp(en->version, newest) < 0)
        return godwit__err_set(
            e, GODWIT_ECONFLICT,
            "%s is pending but older than the newest applied migration %s; "
            "give it a newer version, or pass --allow-out-of-order",
            en->m->path, newest);
    return 0;
}

int godwit__view_check(const godwit_view *v, unsigned flags, const char *holder,
                       godwit_err *e)
{
    long cur = godwit__view_current(v);
    const char *newest = cur >= 0 ? v->entries[cur].version : NULL;
    size_t i;
    int rc;

    for (i = 0; i < v->n; i++)
        if ((rc = check_recorded(&v->entries[i], flags, holder, e)) < 0)
            return rc;
    for (i = 0; i < v->n; i++)
        if ((rc = check_order(&v->entries[i], newest, flags, e)) < 0)
            return rc;
    return 0;
}
