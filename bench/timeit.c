/*
 * timeit.c - the median wall time of a command, for bench/run.
 *
 *   timeit [-m] [-n] RUNS PREP CMD [ARG...] [:: CMD [ARG...]]...
 *
 * Runs the shell command PREP (untimed; "" for none) and then CMD, once
 * as a warm-up (not with -n) and then RUNS times, with CMD's output thrown
 * away, and prints the median time of CMD in milliseconds.  With -m, also
 * the largest peak resident set size of CMD in KiB.  Several commands,
 * separated by "::", take turns (PREP before each), so that a machine
 * that slows down or speeds up during the runs (a virtual machine may,
 * by whole seconds) weighs on each alike; one line per command.
 * Exits 1 if a command fails.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Runs argv; returns its wall time in ms, or -1 if it failed. */
static double run(char **argv, long *maxrss)
{
    struct rusage ru;
    double t0 = now_ms(), t;
    int status, null;
    pid_t pid = fork();

    if (pid == 0) {
        null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
        return -1;
    t = now_ms() - t0;
    if (ru.ru_maxrss > *maxrss)
        *maxrss = ru.ru_maxrss;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t : -1;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

#define MAXCMDS 8

int main(int argc, char **argv)
{
    int memory = 0, warm = 1, runs, ncmds = 1, i, k;
    char **cmd[MAXCMDS];
    long maxrss[MAXCMDS] = {0};
    double *t[MAXCMDS];

    for (; argc > 1 && argv[1][0] == '-'; argc--, argv++) {
        if (strcmp(argv[1], "-m") == 0)
            memory = 1;
        else if (strcmp(argv[1], "-n") == 0)
            warm = 0;
        else
            break;
    }
    if (argc < 4 || (runs = atoi(argv[1])) < 1) {
        fprintf(stderr, "usage: timeit [-m] [-n] RUNS PREP CMD [ARG...] "
                        "[:: CMD [ARG...]]...\n");
        return 2;
    }
    cmd[0] = argv + 3;
    for (i = 3; i < argc; i++) {
        if (strcmp(argv[i], "::") != 0)
            continue;
        if (ncmds == MAXCMDS || i + 1 == argc) {
            fprintf(stderr, "timeit: at most %d commands, none empty\n",
                    MAXCMDS);
            return 2;
        }
        argv[i] = NULL;
        cmd[ncmds++] = argv + i + 1;
    }
    for (k = 0; k < ncmds; k++)
        if ((t[k] = calloc((size_t)runs, sizeof(*t[k]))) == NULL)
            return 1;
    for (i = -warm; i < runs; i++) {
        for (k = 0; k < ncmds; k++) {
            double ms;

            if (argv[2][0] != '\0' && system(argv[2]) != 0) {
                fprintf(stderr, "timeit: preparation failed: %s\n", argv[2]);
                return 1;
            }
            if ((ms = run(cmd[k], &maxrss[k])) < 0) {
                fprintf(stderr, "timeit: failed: %s\n", cmd[k][0]);
                return 1;
            }
            if (i >= 0)
                t[k][i] = ms;
        }
    }
    for (k = 0; k < ncmds; k++) {
        qsort(t[k], (size_t)runs, sizeof(*t[k]), by_value);
        printf("%.1f", runs % 2 ? t[k][runs / 2]
                                : (t[k][runs / 2 - 1] + t[k][runs / 2]) / 2);
        if (memory)
            printf(" %ld", maxrss[k]);
        printf("\n");
        free(t[k]);
    }
    return 0;
}
