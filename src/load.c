/*
 * load.c - what every command starts with: the migration files read on a
 * second CPU while the database is reached, locked (for a change) and its
 * history read; or, for a script printed offline, the history assumed.
 */
#include <stdio.h>
#include <string.h>

#include "godwit-int.h"

static int read_history(godwit *g, godwit_history *h);

/* Takes the migration lock, where the backend has one: one try, and if
 * another migrator holds it, says so (GODWIT_EVENT_LOCK_WAIT) and waits
 * up to --lock-timeout. */
static int lock(godwit *g, godwit_loaded *st)
{
    godwit_berror be;
    char holder[512];
    int rc;

    godwit__berror_init(&be);
    if ((rc = godwit__session_lock(&g->session, 0, &be)) == GODWIT_ELOCKED &&
        g->lock_timeout > 0) {
        godwit__berror_init(&be);
        if (godwit__session_lock_holder(&g->session, holder, sizeof(holder),
                                        &be) != 1)
            snprintf(holder, sizeof(holder), "another migrator");
        godwit__emit(g, GODWIT_EVENT_LOCK_WAIT, NULL, 0, holder);
        godwit__berror_init(&be);
        rc = godwit__session_lock(&g->session, g->lock_timeout, &be);
    }
    if (rc == GODWIT_ENOTSUP)
        return 0;
    if (rc < 0)
        return godwit__berr(&g->err, &be, "cannot take the migration lock");
    st->locked = 1;
    return 0;
}

int godwit__load_lock(godwit *g, godwit_loaded *st)
{
    int rc;

    godwit__view_free(&st->view);
    godwit__history_free(&st->history);
    if ((rc = lock(g, st)) < 0 || (rc = read_history(g, &st->history)) < 0)
        return rc;
    return godwit__view_build(&st->view, st->set, &st->history, &g->err);
}

void godwit__unload(godwit *g, godwit_loaded *st)
{
    godwit_berror be;

    if (st->locked) {
        godwit__berror_init(&be);
        godwit__session_unlock(&g->session, &be);
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
    st->history.format = st->history.n > 0 ? GODWIT_HISTORY_FORMAT : 0;
    return 0;
}

/* The backend and history without a connection (godwit_script --backend
 * or --from); needs the migration set. */
static int assume(godwit *g, godwit_loaded *st, const godwit_print *pr)
{
    int rc;

    if (g->session.module == NULL &&
        (rc = pr->backend ? godwit__load_module(g, pr->backend)
                          : godwit__connect_module(g)) < 0)
        return rc;
    return assume_history(g, st, pr->from);
}

int godwit__print_offline(const godwit_print *pr)
{
    return pr != NULL && (pr->backend != NULL || pr->from != NULL);
}

static int add_row(void *history, const godwit_history_row *row)
{
    return godwit__history_add(history, row);
}

/* The history table's format: its format row; for a table with rows and
 * none, 1 (written before formats); else 0, no table yet.  A format this
 * godwit does not know is refused before anything reads the rows, which
 * it could misread, or writes to the table. */
static int check_format(godwit *g, godwit_history *h)
{
    if (h->format == 0 && h->n > 0)
        h->format = 1;
    if (h->format >= 0 && h->format <= GODWIT_HISTORY_FORMAT)
        return 0;
    if (h->format < 0)
        return godwit__err_set(
            &g->err, GODWIT_ECONFLICT,
            "the history table %s is in a format this godwit (%s) cannot "
            "read (its format row says \"%s\"); use the godwit that wrote it",
            g->cfg.value[GODWIT_KEY_TABLE], godwit_version(), h->format_text);
    return godwit__err_set(
        &g->err, GODWIT_ECONFLICT,
        "the history table %s is in format %d, which this godwit (%s) does "
        "not know: it reads formats 1 to %d; use the godwit that wrote it, or "
        "a later one",
        g->cfg.value[GODWIT_KEY_TABLE], h->format, godwit_version(),
        GODWIT_HISTORY_FORMAT);
}

/* Reads the whole history, in version order. */
static int read_history(godwit *g, godwit_history *h)
{
    godwit_berror be;
    int rc;

    godwit__berror_init(&be);
    rc = godwit__session_history_read(&g->session, add_row, h, &be);
    if (rc == GODWIT_ENOMEM)
        return godwit__err_set(&g->err, rc, "out of memory reading history");
    if (rc < 0)
        return godwit__berr(&g->err, &be, "cannot read the history table");
    godwit__history_sort(h);
    return check_format(g, h);
}

/* Connects, takes the lock for a change, reads the history.  Nothing is
 * written: the migration files may yet turn out to be bad. */
static int reach(godwit *g, godwit_loaded *st, int lock_it)
{
    int rc;

    if ((rc = godwit__connect(g, &g->session)) < 0 ||
        (lock_it && (rc = lock(g, st)) < 0))
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

int godwit__reading_for(godwit *g, godwit_reading **r, int missing_ok)
{
    if (g->embedded != NULL)
        return godwit__reading_embedded(r, g->embedded, &g->err);
    return godwit__reading_new(r, g->cfg.value[GODWIT_KEY_DIR], missing_ok,
                               &g->err);
}

int godwit__set_read(godwit *g, godwit_set **out, int missing_ok)
{
    godwit_reading *r;
    int rc;

    *out = NULL;
    if ((rc = godwit__reading_for(g, &r, missing_ok)) < 0)
        return rc;
    godwit__reading_help(r);
    return godwit__reading_finish(r, out, &g->err);
}

int godwit__load(godwit *g, godwit_loaded *st, int change,
                 const godwit_print *pr)
{
    godwit_reading *files;
    godwit_job job;
    int rc = 0, rc_files;

    memset(st, 0, sizeof(*st));
    godwit__err_clear(&g->err);
    if ((rc = godwit__reading_for(g, &files, 0)) < 0)
        return rc;
    godwit__job_start(&job, read_files, files);
    if (!godwit__print_offline(pr))
        rc = reach(g, st, change && pr == NULL);
    godwit__reading_help(files); /* the files left, if any */
    godwit__job_wait(&job);
    /* a bad file's error replaces the database's: it is what to fix */
    if ((rc_files = godwit__reading_finish(files, &st->set, &g->err)) < 0)
        return rc_files;
    if (rc < 0 || (godwit__print_offline(pr) && (rc = assume(g, st, pr)) < 0))
        return rc;
    return godwit__view_build(&st->view, st->set, &st->history, &g->err);
}
