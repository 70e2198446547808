/*
 * wait.c - godwit_wait: retry connecting until the database is up, for
 * the container start where the application comes up before its database.
 */
#include <stdio.h>
#include <time.h>

#include "godwit-int.h"

#define FIRST_DELAY 0.1
#define MAX_DELAY   2.0

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void pause_for(double seconds)
{
    struct timespec ts;

    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    nanosleep(&ts, NULL);
}

/* Failures that waiting cannot cure. */
static int permanent(int rc)
{
    return rc == GODWIT_EUSAGE || rc == GODWIT_ENOTFOUND || rc == GODWIT_EABI ||
           rc == GODWIT_ENOMEM;
}

/* A connection kept from before must still be alive to count: a server
 * that restarted, or ended the session, is waited for again. */
static void drop_dead(godwit *g)
{
    godwit_berror be;

    godwit__berror_init(&be);
    if (g->session.conn != NULL &&
        godwit__session_ping(&g->session, &be) == GODWIT_ERROR)
        godwit__session_close(&g->session);
}

int godwit_wait(godwit *g, double timeout)
{
    double start = now(), delay = FIRST_DELAY, left;
    int attempts, rc;

    drop_dead(g);
    for (attempts = 1;; attempts++) {
        godwit__err_clear(&g->err);
        if ((rc = godwit__connect(g, &g->session)) == 0 || permanent(rc))
            return godwit__stopped(g, rc);
        left = timeout - (now() - start);
        if (left <= 0 || g->interrupted)
            break;
        if (delay > left)
            delay = left;
        godwit__emit(g, GODWIT_EVENT_CONNECT_RETRY, NULL, (long)(delay * 1000),
                     godwit__err_msg(&g->err));
        pause_for(delay);
        delay = delay * 2 > MAX_DELAY ? MAX_DELAY : delay * 2;
    }
    if (g->interrupted)
        return godwit__stopped(g, rc);
    return godwit__err_set(&g->err, rc,
                           "%s (gave up after %d attempts in %g s)",
                           godwit__err_msg(&g->err), attempts, timeout);
}
