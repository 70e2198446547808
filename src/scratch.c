/*
 * scratch.c - the throwaway place on the database's own server where
 * verify and diff replay migrations: a scratch database beside the URL's
 * where the backend can make one, else a scratch schema in the URL's
 * database.  Never the URL's own schema or database.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "godwit-int.h"

/* Renders `what` for the scratch target and runs it on the handle's own
 * session, which stays on the URL's database. */
static int run_on_home(godwit *g, const godwit_scratch *sc, godwit_sql what,
                       const char *failure)
{
    godwit_session on = g->session; /* borrows its connection */
    godwit_sink home = {g, &on, NULL};

    on.target = sc->target;
    return godwit__engine_bookkeep(&home, what, NULL, 0, failure);
}

/* A database of its own.  Refused for want of privilege (SQLSTATE 42501)
 * is 1 where a schema will do; any other failure is the caller's. */
static int create_database(godwit *g, godwit_scratch *sc)
{
    int rc;

    sc->target.database = sc->name;
    if ((rc = run_on_home(g, sc, GODWIT_SQL_SCRATCH_CREATE,
                          "cannot create a scratch database")) == 0) {
        sc->database = 1;
        return 0;
    }
    sc->target.database = NULL;
    if (rc != GODWIT_ERROR || strcmp(g->err.sqlstate, "42501") != 0 ||
        !godwit__session_can(&g->session, GODWIT_CAP_SCRATCH_SCHEMA))
        return rc;
    snprintf(sc->denied, sizeof(sc->denied), "%s", godwit_errmsg(g));
    godwit__err_clear(&g->err);
    return 1;
}

int godwit__scratch_create(godwit *g, godwit_scratch *sc, const char *purpose)
{
    int rc;

    memset(sc, 0, sizeof(*sc));
    sc->target = g->session.target;
    if ((rc = godwit__connect(g, &g->session)) < 0)
        return rc;
    snprintf(sc->name, sizeof(sc->name), "godwit_%s_%ld", purpose,
             (long)getpid());
    if (godwit__session_can(&g->session, GODWIT_CAP_SCRATCH_DATABASE) &&
        (rc = create_database(g, sc)) <= 0) {
        if (rc < 0)
            sc->name[0] = '\0';
        return rc;
    }
    if (!godwit__session_can(&g->session, GODWIT_CAP_SCRATCH_SCHEMA)) {
        sc->name[0] = '\0';
        return GODWIT_ENOTSUP;
    }
    sc->target.schema = sc->name; /* HISTORY_CREATE makes it */
    return 0;
}

void godwit__scratch_warn(godwit *g, const godwit_scratch *sc,
                          const char *command)
{
    char w[1600];

    if (sc->denied[0] == '\0')
        return;
    snprintf(w, sizeof(w),
             "%s runs in the scratch schema %s of %s, not in a database of "
             "its own (%s): there a migration's search path is that schema "
             "alone, and what it makes elsewhere (an extension in public, "
             "what it names with a schema) is made in that database; grant "
             "the role CREATEDB for a scratch database",
             command, sc->name, g->redacted_url, sc->denied);
    godwit__emit(g, GODWIT_EVENT_WARNING, NULL, 0, w);
}

int godwit__scratch_drop(godwit *g, godwit_scratch *sc, int rc)
{
    godwit_err keep = GODWIT_ERR_INIT;
    int dropped;

    if (sc->name[0] == '\0' || g->session.conn == NULL)
        return rc;
    godwit__err_move(&keep, &g->err);
    dropped = run_on_home(g, sc, GODWIT_SQL_SCRATCH_DROP,
                          sc->database ? "cannot drop the scratch database"
                                       : "cannot drop the scratch schema");
    sc->name[0] = '\0';
    if (rc < 0)
        godwit__err_move(&g->err, &keep);
    godwit__err_clear(&keep);
    return rc < 0 ? rc : dropped;
}
