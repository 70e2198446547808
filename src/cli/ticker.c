/*
 * ticker.c - on a terminal, a live elapsed time on the line of a
 * migration that runs longer than a second ("applying 0042_backfill ...
 * 12 s", with ", 3 of 7 statements done" for one that runs statement by
 * statement),
 * rewritten four times a second by a thread of its own.  Never in a pipe
 * nor with -q: there the line is printed once, as before.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Rewrites the line: under c->lock. */
static void redraw(cli *c, long elapsed)
{
    long done, all;

    printf("\r\033[K%s%ld s", c->tick.line, elapsed / 1000);
    if (sscanf(c->tick.detail, "%ld/%ld", &done, &all) == 2)
        printf(", %ld of %ld statements done", done, all);
    fflush(stdout);
    c->tick.drawn = 1;
}

static void *tick(void *arg)
{
    cli *c = arg;
    struct timespec quarter = {0, 250 * 1000000L};

    for (;;) {
        nanosleep(&quarter, NULL);
        pthread_mutex_lock(&c->lock);
        if (c->tick.started > 0 && now_ms() - c->tick.started >= 1000)
            redraw(c, now_ms() - c->tick.started);
        pthread_mutex_unlock(&c->lock);
    }
    return NULL;
}

void cli_ticker_start(cli *c)
{
    pthread_t thread;

    if (c->quiet || !isatty(STDOUT_FILENO) ||
        pthread_create(&thread, NULL, tick, c) != 0)
        return;
    pthread_detach(thread);
    c->tick.on = 1;
}

void cli_ticker_begin(cli *c, const char *line)
{
    pthread_mutex_lock(&c->lock);
    fputs(line, stdout);
    fflush(stdout);
    snprintf(c->tick.line, sizeof(c->tick.line), "%s", line);
    c->tick.detail[0] = '\0';
    c->tick.drawn = 0;
    c->tick.started = c->tick.on ? now_ms() : 0;
    pthread_mutex_unlock(&c->lock);
}

void cli_ticker_detail(cli *c, const char *detail)
{
    pthread_mutex_lock(&c->lock);
    snprintf(c->tick.detail, sizeof(c->tick.detail), "%s", detail);
    if (c->tick.drawn)
        redraw(c, now_ms() - c->tick.started);
    pthread_mutex_unlock(&c->lock);
}

void cli_ticker_end(cli *c, const char *result)
{
    pthread_mutex_lock(&c->lock);
    if (c->tick.drawn)
        printf("\r\033[K%s", c->tick.line); /* the elapsed time goes */
    c->tick.started = 0;
    c->tick.drawn = 0;
    fputs(result, stdout);
    fflush(stdout);
    pthread_mutex_unlock(&c->lock);
}
