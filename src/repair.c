/*
 * repair.c - godwit_stamp and godwit_repair: changing what the history
 * says without running migrations (except repair --resume, which runs the
 * rest of an interrupted one).  Every change is reported, so that nothing
 * is refused or rewritten silently.
 */
#include <string.h>

#include "godwit-int.h"

/* Reports what was done to an entry, whose file may be missing. */
static void report(const godwit_sink *out, godwit_event_type type,
                   const godwit_entry *en, const char *detail)
{
    godwit_migration stand_in;

    if (en->m != NULL) {
        godwit__sink_emit(out, type, en->m, 0, detail);
        return;
    }
    memset(&stand_in, 0, sizeof(stand_in));
    stand_in.version = (char *)en->version;
    stand_in.name = en->row->name;
    godwit__sink_emit(out, type, &stand_in, 0, detail);
}

static int record(const godwit_sink *out, const godwit_entry *en)
{
    godwit_history_row row;
    int rc;

    godwit__engine_row(en->m, 0, &row);
    if ((rc = godwit__engine_bookkeep(out, GODWIT_SQL_RECORD, &row, 1,
                                      "history bookkeeping failed")) == 0)
        report(out, GODWIT_EVENT_STAMP, en, "recorded as applied");
    return rc;
}

static int unrecord(const godwit_sink *out, const godwit_entry *en,
                    godwit_event_type type, const char *detail)
{
    godwit_history_row row;
    int rc;

    memset(&row, 0, sizeof(row));
    row.version = en->version;
    if ((rc = godwit__engine_bookkeep(out, GODWIT_SQL_UNRECORD, &row, 1,
                                      "history bookkeeping failed")) == 0)
        report(out, type, en, detail);
    return rc;
}

static int refuse_interrupted(godwit *g, const godwit_view *v)
{
    size_t i;

    for (i = 0; i < v->n; i++)
        if (v->entries[i].state == GODWIT_STATE_INTERRUPTED)
            return godwit__err_set(&g->err, GODWIT_ECONFLICT,
                                   "migration %s is interrupted; resolve it "
                                   "with godwit repair first",
                                   v->entries[i].version);
    return 0;
}

/* Which entries stamp keeps recorded: all (head), none (base) or those up
 * to a version. */
static int stamp_upto(godwit *g, const godwit_view *v, const char *target,
                      const char **upto, int *all)
{
    size_t i;

    *upto = NULL;
    *all = target != NULL && strcmp(target, "head") == 0;
    if (*all || (target != NULL && strcmp(target, "base") == 0))
        return 0;
    if (target != NULL && *target &&
        strspn(target, "0123456789") == strlen(target))
        for (i = 0; i < v->n; i++)
            if (godwit__version_cmp(v->entries[i].version, target) == 0) {
                *upto = target;
                return 0;
            }
    return godwit__err_set(&g->err, GODWIT_EUSAGE,
                           "stamp: \"%s\" is not head, base or the version of "
                           "a migration; see godwit status",
                           target ? target : "");
}

static int keep(const godwit_entry *en, const char *upto, int all)
{
    return all || (upto != NULL && godwit__version_cmp(en->version, upto) <= 0);
}

int godwit__stamp(godwit *g, const char *target, const godwit_sink *out,
                  const godwit_print *pr)
{
    godwit_loaded st;
    const char *upto;
    size_t i;
    int all, rc;

    if ((rc = godwit__load(g, &st, 1, pr)) == 0 &&
        (rc = refuse_interrupted(g, &st.view)) == 0 &&
        (rc = stamp_upto(g, &st.view, target, &upto, &all)) == 0)
        rc = godwit__engine_history_ready(out, st.history.format);
    for (i = st.view.n; rc == 0 && i > 0; i--) {
        const godwit_entry *en = &st.view.entries[i - 1];

        if (en->row != NULL && !keep(en, upto, all))
            rc = unrecord(out, en, GODWIT_EVENT_STAMP, "removed from history");
    }
    for (i = 0; rc == 0 && i < st.view.n; i++) {
        const godwit_entry *en = &st.view.entries[i];

        if (en->row == NULL && en->m != NULL && keep(en, upto, all))
            rc = record(out, en);
    }
    godwit__unload(g, &st);
    return rc;
}

/* Records the migration as the file now is: its checksum, not in
 * progress.  Serves an edited file's checksum and --mark-applied alike. */
static int rerecord(const godwit_sink *out, const godwit_entry *en,
                    const char *detail)
{
    godwit_history_row row;
    int rc;

    godwit__engine_row(en->m, en->row->duration_ms, &row);
    if ((rc = godwit__engine_bookkeep(out, GODWIT_SQL_UPDATE, &row, 1,
                                      "history bookkeeping failed")) == 0)
        report(out, GODWIT_EVENT_REPAIR, en, detail);
    return rc;
}

/* Runs an interrupted section on from the statement that stopped it. */
static int resume(const godwit_sink *out, const godwit_entry *en)
{
    godwit_step step;
    godwit_plan plan;

    step.m = en->m;
    step.up = strcmp(en->row->in_progress, "up") == 0;
    step.resume_at = en->row->statements_done;
    plan.steps = &step;
    plan.n = 1;
    report(out, GODWIT_EVENT_REPAIR, en,
           "resuming at the statement that stopped it");
    return godwit__engine_run(out, &plan, GODWIT_HISTORY_FORMAT); /* ready */
}

static int repair_interrupted(const godwit_sink *out, const godwit_entry *en,
                              godwit_repair_mode mode)
{
    if (mode == GODWIT_REPAIR_MARK_REVERTED)
        return unrecord(out, en, GODWIT_EVENT_REPAIR, "marked reverted");
    if (en->m == NULL)
        return godwit__err_set(&out->g->err, GODWIT_ERROR,
                               "migration %s is interrupted and its file is "
                               "missing; restore the file, or use "
                               "--mark-reverted",
                               en->version);
    if (mode == GODWIT_REPAIR_RESUME)
        return resume(out, en);
    return rerecord(out, en, "marked applied");
}

int godwit_repair(godwit *g, godwit_repair_mode mode)
{
    godwit_sink out = {g, &g->session, NULL};
    godwit_loaded st;
    size_t i;
    int rc;

    if (mode < GODWIT_REPAIR_CHECKSUMS || mode > GODWIT_REPAIR_MARK_REVERTED)
        return godwit__err_set(&g->err, GODWIT_EUSAGE,
                               "repair: unknown mode %d", (int)mode);
    rc = godwit__load(g, &st, 1, NULL);
    for (i = 0; rc == 0 && i < st.view.n; i++) {
        const godwit_entry *en = &st.view.entries[i];

        if (mode == GODWIT_REPAIR_CHECKSUMS &&
            en->state == GODWIT_STATE_CHANGED)
            rc = rerecord(&out, en, "checksum re-recorded");
        else if (mode != GODWIT_REPAIR_CHECKSUMS &&
                 en->state == GODWIT_STATE_INTERRUPTED)
            rc = repair_interrupted(&out, en, mode);
    }
    godwit__unload(g, &st);
    return rc;
}
