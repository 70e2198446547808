/*
 * commands.c - the library calls behind godwit's commands: load the
 * migration set, connect, lock, read history, check, plan, run.
 */
#include <stdio.h>
#include <string.h>

#include "godwit-int.h"

typedef int (*planner)(godwit_plan *p, const godwit_view *v, const char *target,
                       godwit_err *e);

/* Takes the migration lock, where the backend has one: one try, and if
 * another migrator holds it, says so (GODWIT_EVENT_LOCK_WAIT) and waits
 * up to --lock-timeout. */
static int lock(godwit *g, godwit_loaded *st)
{
    godwit_berror be;
    char holder[512];
    int rc;

    godwit__berror_init(&be);
    if ((rc = godwit__session_lock(g, 0, &be)) == GODWIT_ELOCKED &&
        g->lock_timeout > 0) {
        godwit__berror_init(&be);
        if (godwit__session_lock_holder(g, holder, sizeof(holder), &be) != 1)
            snprintf(holder, sizeof(holder), "another migrator");
        godwit__emit(g, GODWIT_EVENT_LOCK_WAIT, NULL, 0, holder);
        godwit__berror_init(&be);
        rc = godwit__session_lock(g, g->lock_timeout, &be);
    }
    if (rc == GODWIT_ENOTSUP)
        return 0;
    if (rc < 0)
        return godwit__berr(&g->err, &be, "cannot take the migration lock");
    st->locked = 1;
    return 0;
}

void godwit__unload(godwit *g, godwit_loaded *st)
{
    godwit_berror be;

    if (st->locked) {
        godwit__berror_init(&be);
        godwit__session_unlock(g, &be);
    }
    godwit__view_free(&st->view);
    godwit__history_free(&st->history);
    godwit__set_free(st->set);
}

/* godwit_script without a connection: the history says that every migration
 * up to from is applied, as its file is now. */
static int assume_history(godwit *g, godwit_loaded *st, const char *from)
{
    godwit_history_row row;
    size_t i;

    if (from != NULL && strcmp(from, "base") != 0 &&
        godwit__set_find(st->set, from) == NULL)
        return godwit__err_set(&g->err, GODWIT_ENOTFOUND,
                               "--from %s: no migration has that version; "
                               "see godwit status",
                               from);
    for (i = 0; from != NULL && i < st->set->n; i++) {
        const godwit_migration *m = st->set->items[i];

        if (strcmp(from, "base") == 0 ||
            godwit__version_cmp(m->version, from) > 0)
            break;
        godwit__engine_row(m, 0, &row);
        row.applied_at = "";
        if (godwit__history_add(&st->history, &row) < 0)
            return godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
    }
    return 0;
}

/* The backend and history without a connection (godwit_script --backend
 * or --from); needs the migration set. */
static int assume(godwit *g, godwit_loaded *st, const godwit_print *pr)
{
    int rc;

    if (g->module == NULL &&
        (rc = pr->backend ? godwit__load_module(g, pr->backend)
                          : godwit__connect_module(g)) < 0)
        return rc;
    return assume_history(g, st, pr->from);
}

/* Whether godwit_script is to reach no database. */
static int offline(const godwit_print *pr)
{
    return pr != NULL && (pr->backend != NULL || pr->from != NULL);
}

static int add_row(void *history, const godwit_history_row *row)
{
    return godwit__history_add(history, row);
}

/* Reads the whole history, in version order. */
static int read_history(godwit *g, godwit_history *h)
{
    godwit_berror be;
    int rc;

    godwit__berror_init(&be);
    rc = godwit__session_history_read(g, add_row, h, &be);
    if (rc == GODWIT_ENOMEM)
        return godwit__err_set(&g->err, rc, "out of memory reading history");
    if (rc < 0)
        return godwit__berr(&g->err, &be, "cannot read the history table");
    godwit__history_sort(h);
    return 0;
}

/* Connects, takes the lock for a change, reads the history.  Nothing is
 * written: the migration files may yet turn out to be bad. */
static int reach(godwit *g, godwit_loaded *st, int lock_it)
{
    int rc;

    if ((rc = godwit__connect(g)) < 0 || (lock_it && (rc = lock(g, st)) < 0))
        return rc;
    return read_history(g, &st->history);
}

/* The migration files are read on another CPU while the database is
 * reached, and by this thread too once it has the history (at once when
 * there is no database to reach). */
static void read_files(void *reading)
{
    godwit__reading_help(reading);
}

int godwit__load(godwit *g, godwit_loaded *st, int change,
                 const godwit_print *pr)
{
    godwit_reading *files;
    godwit_job job;
    int rc = 0, rc_files;

    memset(st, 0, sizeof(*st));
    godwit__err_clear(&g->err);
    if ((rc = godwit__reading_new(&files, g->cfg.value[GODWIT_KEY_DIR], 0,
                                  &g->err)) < 0)
        return rc;
    godwit__job_start(&job, read_files, files);
    if (!offline(pr))
        rc = reach(g, st, change && pr == NULL);
    godwit__reading_help(files); /* the files left, if any */
    godwit__job_wait(&job);
    /* a bad file's error replaces the database's: it is what to fix */
    if ((rc_files = godwit__reading_finish(files, &st->set, &g->err)) < 0)
        return rc_files;
    if (rc < 0 || (offline(pr) && (rc = assume(g, st, pr)) < 0))
        return rc;
    return godwit__view_build(&st->view, st->set, &st->history, &g->err);
}

/* Loads, checks, plans and runs a command, live or (pr) into a script. */
static int migrate(godwit *g, planner plan, const char *target,
                   unsigned check_flags, const godwit_print *pr)
{
    godwit_sink out = {g, pr ? pr->script : NULL};
    godwit_plan p;
    godwit_loaded st;
    int rc;

    memset(&p, 0, sizeof(p));
    if ((rc = godwit__load(g, &st, 1, pr)) == 0 &&
        (rc = godwit__view_check(&st.view, g->flags | check_flags, &g->err)) ==
            0 &&
        (rc = plan(&p, &st.view, target, &g->err)) == 0)
        rc = godwit__engine_run(&out, &p,
                                st.history.n == 0); /* rows: it exists */
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
        godwit_sink out = {g, pr ? pr->script : NULL};

        return godwit__stopped(g, godwit__stamp(g, target, &out, pr));
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

/* Reports migrations whose dialect overrides are one-sided. */
static void warn_lopsided(godwit *g, const godwit_set *set)
{
    char msg[512];
    size_t i;

    for (i = 0; i < set->n; i++)
        if (godwit__migration_lopsided(set->items[i], msg, sizeof(msg)))
            godwit__emit(g, GODWIT_EVENT_WARNING, set->items[i], 0, msg);
}

/* Every section of every file lexes, whether or not it is to run. */
static int check_sql(godwit *g, const godwit_set *set)
{
    size_t i;

    for (i = 0; i < set->n; i++)
        if (godwit__migration_check(set->items[i], &g->err) < 0)
            return GODWIT_ERROR;
    return 0;
}

int godwit_validate(godwit *g)
{
    godwit_loaded st;
    int rc;

    if ((rc = godwit__load(g, &st, 0, NULL)) == 0 &&
        (rc = check_sql(g, st.set)) == 0) {
        warn_lopsided(g, st.set);
        rc = godwit__view_check(&st.view, g->flags, &g->err);
    }
    godwit__unload(g, &st);
    return rc;
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
    if (godwit__session_lock_holder(g, holder, cap, &be) != 1)
        holder[0] = '\0';
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
    int assumed = offline(pr) && from != NULL && strcmp(from, "base") != 0;

    return godwit__buf_printf(
        b,
        "-- godwit %s: the SQL of `godwit %s` on %s, %s%s%s.\n"
        "-- Nothing below has run; every statement is what the command "
        "would run.\n",
        godwit_version(), what, g->module ? godwit__session_backend(g) : "?",
        !offline(pr) ? "from the database's history"
        : !assumed   ? "assuming nothing is applied"
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
             cmd == GODWIT_COMMAND_UP     ? "up"
             : cmd == GODWIT_COMMAND_DOWN ? "down"
             : cmd == GODWIT_COMMAND_REDO ? "redo"
             : cmd == GODWIT_COMMAND_GOTO ? "goto"
                                          : "stamp",
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
