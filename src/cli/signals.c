/*
 * signals.c - SIGINT and SIGTERM while godwit works.
 *
 * The signals are blocked in every thread but one that waits for them
 * with sigwait(), so nothing runs in a signal handler: that thread calls
 * godwit_interrupt() on the handle in use, and the library cancels the
 * statement on the server and stops at the next statement, leaving the
 * database in a state its message names (main.c exits 128 + the signal).
 * A second signal exits at once: the server then ends the session when
 * it notices the client is gone, as after SIGKILL.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Interrupts every handle at work; c->lock held. */
static void interrupt_all(cli *c)
{
    int i;

    if (c->g != NULL)
        godwit_interrupt(c->g);
    for (i = 0; i < c->nbusy; i++)
        if (c->busy[i] != NULL)
            godwit_interrupt(c->busy[i]);
}

static void *watch(void *arg)
{
    cli *c = arg;
    sigset_t set;
    int sig;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    for (;;) {
        if (sigwait(&set, &sig) != 0)
            continue;
        pthread_mutex_lock(&c->lock);
        if (c->signal != 0) {
            fprintf(stderr,
                    "godwit: %s again: exiting at once; a migration still "
                    "running ends when the server notices (see godwit "
                    "status)\n",
                    sig == SIGINT ? "SIGINT" : "SIGTERM");
            _exit(EXIT_SIGNAL(sig));
        }
        c->signal = sig;
        interrupt_all(c);
        pthread_mutex_unlock(&c->lock);
    }
    return NULL;
}

int cli_signals_start(cli *c)
{
    pthread_t thread;
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
        return -1;
    if (pthread_create(&thread, NULL, watch, c) != 0) {
        pthread_sigmask(SIG_UNBLOCK, &set, NULL); /* the default, then */
        return -1;
    }
    pthread_detach(thread);
    return 0;
}

godwit *cli_use(cli *c, godwit *g)
{
    godwit *old;

    pthread_mutex_lock(&c->lock);
    old = c->g;
    c->g = g;
    if (g != NULL && c->signal != 0)
        godwit_interrupt(g); /* it came before this handle existed */
    pthread_mutex_unlock(&c->lock);
    return old;
}

void cli_use_slot(cli *c, int slot, godwit *g)
{
    pthread_mutex_lock(&c->lock);
    c->busy[slot] = g;
    if (g != NULL && c->signal != 0)
        godwit_interrupt(g);
    pthread_mutex_unlock(&c->lock);
}
