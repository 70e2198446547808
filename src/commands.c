/*
 * commands.c - the library calls behind godwit's commands: check, plan and
 * run what load.c loaded, live or into a script.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-int.h"

typedef int (*planner)(godwit_plan *p, const godwit_view *v, const char *target,
                       godwit_err *e);

/* Checks and plans what st holds; 0 with an empty plan when there is
 * nothing to do. */
static int check_and_plan(godwit *g, godwit_loaded *st, planner plan,
                          const char *target, unsigned check_flags,
                          godwit_plan *p)
{
    int rc;

    godwit__plan_free(p);
    memset(p, 0, sizeof(*p));
    if ((rc = godwit__view_check(&st->view, g->flags | check_flags, NULL,
                                 &g->err)) < 0)
        return rc;
    return plan(p, &st->view, target, &g->err);
}

/*
 * Loads, checks, plans and runs a command, live or (pr) into a script.
 * A live one first reads the history without the migration lock: when
 * every check passes, the plan is empty and the history table is there
 * in the current format, nothing is to change and nothing is locked (a
 * no-op "up" is then one round trip on a server).  Otherwise, unless
 * godwit_interrupt came meanwhile, it takes the lock, reads the history
 * again under it and plans from that, as another migrator may have moved
 * on meanwhile.
 */
static int migrate(godwit *g, planner plan, const char *target,
                   unsigned check_flags, const godwit_print *pr)
{
    godwit_sink out = {g, &g->session, pr ? pr->script : NULL};
    godwit_plan p;
    godwit_loaded st;
    int rc, loaded;

    memset(&p, 0, sizeof(p));
    loaded = (rc = godwit__load(g, &st, 0, pr)) == 0;
    if (loaded)
        rc = check_and_plan(g, &st, plan, target, check_flags, &p);
    if (loaded && pr == NULL && !godwit__interrupted(g) &&
        (rc < 0 || p.n > 0 || st.history.format != GODWIT_HISTORY_FORMAT)) {
        godwit__err_clear(&g->err);
        if ((rc = godwit__load_lock(g, &st)) == 0)
            rc = check_and_plan(g, &st, plan, target, check_flags, &p);
    }
    if (rc == 0)
        rc = godwit__engine_run(&out, &p, st.history.format);
    godwit__plan_free(&p);
    godwit__unload(g, &st);
    return godwit__stopped(g, rc);
}

static int plan_redo(godwit_plan *p, const godwit_view *v, const char *target,
                     godwit_err *e)
{
    (void)target;
    return godwit__plan_redo(p, v, e);
}

/* Each command: its planner and the state checks it relaxes.  Reverting
 * cannot be disturbed by old pending migrations. */
static int command(godwit *g, godwit_command cmd, const char *target,
                   const godwit_print *pr)
{
    switch (cmd) {
    case GODWIT_COMMAND_UP: return migrate(g, godwit__plan_up, target, 0, pr);
    case GODWIT_COMMAND_DOWN:
        return migrate(g, godwit__plan_down, target,
                       GODWIT_OPT_ALLOW_OUT_OF_ORDER, pr);
    case GODWIT_COMMAND_REDO:
        return migrate(g, plan_redo, NULL, GODWIT_OPT_ALLOW_OUT_OF_ORDER, pr);
    case GODWIT_COMMAND_GOTO:
        return migrate(g, godwit__plan_goto, target, 0, pr);
    case GODWIT_COMMAND_STAMP: {
        godwit_sink out = {g, &g->session, pr ? pr->script : NULL};

        return godwit__stopped(g, godwit__stamp(g, target, &out, pr));
    }
    case GODWIT_COMMAND_IMPORT_HISTORY: {
        godwit_sink out = {g, &g->session, pr ? pr->script : NULL};

        return godwit__stopped(g, godwit__adopt(g, target, &out, pr));
    }
    }
    return godwit__err_set(&g->err, GODWIT_EUSAGE,
                           "godwit_script: unknown command %d", (int)cmd);
}

int godwit_up(godwit *g, const char *target)
{
    return command(g, GODWIT_COMMAND_UP, target, NULL);
}

int godwit_down(godwit *g, const char *target)
{
    return command(g, GODWIT_COMMAND_DOWN, target, NULL);
}

int godwit_redo(godwit *g)
{
    return command(g, GODWIT_COMMAND_REDO, NULL, NULL);
}

int godwit_goto(godwit *g, const char *version)
{
    return command(g, GODWIT_COMMAND_GOTO, version, NULL);
}

int godwit_stamp(godwit *g, const char *target)
{
    return command(g, GODWIT_COMMAND_STAMP, target, NULL);
}

int godwit_import_history(godwit *g, const char *tool)
{
    return command(g, GODWIT_COMMAND_IMPORT_HISTORY, tool, NULL);
}

/* Reports migrations whose dialect overrides are one-sided. */
static void warn_lopsided(godwit *g, const godwit_set *set)
{
    char msg[512];
    size_t i;

    for (i = 0; i < set->n; i++)
        if (godwit__migration_lopsided(set->items[i], msg, sizeof(msg)))
            godwit__emit(g, GODWIT_EVENT_WARNING, set->items[i], 0, msg);
}

/* The dialect a section is read in: its backend's, loaded to ask for
 * another backend's section; -1 when that backend is not installed here
 * (its sections are checked where they run). */
static long section_dialect(godwit *g, const godwit_section *s)
{
    godwit_err ignored = GODWIT_ERR_INIT;
    godwit_session other;
    char *search;
    long dialect = -1;

    if (s->backend[0] == '\0' ||
        strcmp(s->backend, godwit__session_backend(&g->session)) == 0)
        return godwit__session_dialect(&g->session);
    memset(&other, 0, sizeof(other));
    search = godwit__module_search_path(g->cfg.value[GODWIT_KEY_BACKEND_PATH]);
    if (search != NULL &&
        godwit__module_find(&other.module, search, s->backend, &ignored) == 0)
        dialect = godwit__session_dialect(&other);
    godwit__module_close(other.module);
    godwit__err_clear(&ignored);
    free(search);
    return dialect;
}

/* Every section of every file lexes, whether or not it is to run, each in
 * its backend's dialect. */
static int check_sql(godwit *g, const godwit_set *set)
{
    size_t i, j;
    long dialect;

    for (i = 0; i < set->n; i++)
        for (j = 0; j < set->items[i]->nsections; j++) {
            const godwit_section *s = &set->items[i]->sections[j];

            if ((dialect = section_dialect(g, s)) >= 0 &&
                godwit__section_check(set->items[i], s, (unsigned)dialect,
                                      &g->err) < 0)
                return GODWIT_ERROR;
        }
    return 0;
}

/* Whether a migration is recorded in progress, as its migrator does while
 * it runs (and leaves behind if it dies). */
static int in_progress(const godwit_view *v)
{
    size_t i;

    for (i = 0; i < v->n; i++)
        if (v->entries[i].state == GODWIT_STATE_INTERRUPTED)
            return 1;
    return 0;
}

/* Asks, without waiting, who holds the migration lock: into holder, or
 * "" when no one does or the backend cannot tell. */
static void lock_holder(godwit *g, char *holder, size_t cap)
{
    godwit_berror be;

    holder[0] = '\0';
    godwit__berror_init(&be);
    if (godwit__session_lock_holder(&g->session, holder, cap, &be) != 1)
        holder[0] = '\0';
}

int godwit_validate(godwit *g)
{
    godwit_loaded st;
    char holder[512] = "";
    int rc;

    if ((rc = godwit__load(g, &st, 0, NULL)) == 0 &&
        (rc = check_sql(g, st.set)) == 0) {
        warn_lopsided(g, st.set);
        if (in_progress(&st.view))
            lock_holder(g, holder, sizeof(holder));
        rc = godwit__view_check(&st.view, g->flags, holder[0] ? holder : NULL,
                                &g->err);
    }
    godwit__unload(g, &st);
    return rc;
}

static int read_status(godwit *g, godwit_status **out, int history_only)
{
    godwit_loaded st;
    char holder[512] = "";
    int rc;

    *out = NULL;
    if ((rc = godwit__load(g, &st, 0, NULL)) == 0) {
        if (!history_only && in_progress(&st.view))
            lock_holder(g, holder, sizeof(holder));
        rc = godwit__status_build(out, &st.view, history_only,
                                  holder[0] ? holder : NULL, &g->err);
    }
    godwit__unload(g, &st);
    return godwit__stopped(g, rc);
}

int godwit_status_read(godwit *g, godwit_status **out)
{
    return read_status(g, out, 0);
}

int godwit_history_read(godwit *g, godwit_status **out)
{
    return read_status(g, out, 1);
}

/* What the script starts with: what it is for, and how to run it. */
static int script_header(godwit *g, godwit_buf *b, const char *what,
                         const godwit_print *pr)
{
    const char *from = pr->from;
    int assumed =
        godwit__print_offline(pr) && from != NULL && strcmp(from, "base") != 0;

    return godwit__buf_printf(
        b,
        "-- godwit %s: the SQL of `godwit %s` on %s, %s%s%s.\n"
        "-- Nothing below has run; every statement is what the command "
        "would run.\n",
        godwit_version(), what,
        g->session.module ? godwit__session_backend(&g->session) : "?",
        !godwit__print_offline(pr) ? "from the database's history"
        : !assumed                 ? "assuming nothing is applied"
                                   : "assuming migrations up to ",
        assumed ? from : "", assumed ? " are applied" : "");
}

int godwit_script(godwit *g, godwit_command cmd, const char *target,
                  const char *backend, const char *from, char **script)
{
    godwit_buf body = GODWIT_BUF_INIT, out = GODWIT_BUF_INIT;
    godwit_print pr;
    char what[128];
    int rc;

    *script = NULL;
    pr.script = &body;
    pr.backend = backend;
    pr.from = from;
    rc = command(g, cmd, target, &pr);
    snprintf(what, sizeof(what), "%s%s%s",
             cmd == GODWIT_COMMAND_UP      ? "up"
             : cmd == GODWIT_COMMAND_DOWN  ? "down"
             : cmd == GODWIT_COMMAND_REDO  ? "redo"
             : cmd == GODWIT_COMMAND_GOTO  ? "goto"
             : cmd == GODWIT_COMMAND_STAMP ? "stamp"
                                           : "import --history --from",
             target ? " " : "", target ? target : "");
    if (rc == 0 &&
        (script_header(g, &out, what, &pr) < 0 ||
         godwit__buf_put(&out, body.ptr ? body.ptr : "", body.len) < 0))
        rc = godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
    if (rc == 0)
        *script = godwit__buf_detach(&out);
    godwit__buf_free(&out);
    godwit__buf_free(&body);
    return rc;
}
