/*
 * job.c - a piece of work on a second CPU.
 *
 * godwit reads the migration files while the database is being reached
 * (and the caller helps with the files left once it has the history):
 * the two take about as long each (SQLite parses its whole schema before
 * the first query; a server answers over a socket), so side by side they
 * nearly halve a no-op run.  The thread is placed on another CPU than the
 * caller's from the start: left to the scheduler it starts on the
 * caller's CPU and the two take turns for milliseconds, which on a small
 * virtual machine is longer than the work itself.  With one CPU there is
 * nothing to gain and the work runs in the caller.
 */
#define _GNU_SOURCE /* sched_getcpu, CPU_SET, pthread_attr_setaffinity_np */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>

#include "godwit-util.h"

#if defined(HAVE_SCHED_GETCPU) && defined(HAVE_PTHREAD_ATTR_SETAFFINITY_NP)
/* Pins attr to the next CPU after the caller's that the process may use.
 * Returns 0 if there is none (one CPU), 1 if pinned or unknown. */
static int place(pthread_attr_t *attr)
{
    cpu_set_t allowed, one;
    int here = sched_getcpu(), i;

    if (here < 0 || sched_getaffinity(0, sizeof(allowed), &allowed) != 0)
        return 1;
    if (CPU_COUNT(&allowed) < 2)
        return 0;
    for (i = 1; i < CPU_SETSIZE; i++) {
        int cpu = (here + i) % CPU_SETSIZE;

        if (CPU_ISSET(cpu, &allowed)) {
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            pthread_attr_setaffinity_np(attr, sizeof(one), &one);
            break;
        }
    }
    return 1;
}
#else
static int place(pthread_attr_t *attr)
{
    (void)attr;
    return 1;
}
#endif

static void *run(void *arg)
{
    godwit_job *j = arg;

#ifdef HAVE_PTHREAD_SETNAME_NP
    pthread_setname_np(pthread_self(), "godwit-files"); /* for top, gdb */
#endif
    j->fn(j->arg);
    return NULL;
}

void godwit__job_start(godwit_job *j, void (*fn)(void *), void *arg)
{
    pthread_attr_t attr;
    sigset_t all, old;

    j->fn = fn;
    j->arg = arg;
    j->threaded = 0;
    if (pthread_attr_init(&attr) != 0)
        goto inline_run;
    /* The thread starts with every signal blocked: they keep going to the
     * caller's threads, as they would without godwit. */
    sigfillset(&all);
    if (place(&attr) && pthread_sigmask(SIG_SETMASK, &all, &old) == 0) {
        j->threaded = pthread_create(&j->thread, &attr, run, j) == 0;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    pthread_attr_destroy(&attr);
inline_run:
    if (!j->threaded)
        fn(arg);
}

void godwit__job_wait(godwit_job *j)
{
    if (j->threaded)
        pthread_join(j->thread, NULL);
    j->threaded = 0;
}
