/*
 * session.c - a connection at work: scripts of several statements, an
 * error located at its statement, the migration lock between two
 * connections, and the schema snapshot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conformance.h"

static int exec_str(cf *c, godwit_conn *conn, const char *sql,
                    godwit_berror *be)
{
    cf_berror(be);
    return c->vt->exec(conn, sql, strlen(sql), be);
}

void cf_exec(cf *c)
{
    static const char bad[] =
        "SELECT 1;\nSELECT 2;\nSELECT * FROM gw_conformance_no_such_table;\n"
        "SELECT 4;\n";
    size_t at = strstr(bad, "SELECT *") - bad,
           end = strstr(bad, ";\nSELECT 4") - bad;
    godwit_berror be;
    godwit_conn *conn;

    if ((conn = cf_connect(c, "exec")) == NULL)
        return;
    cf_check(c, exec_str(c, conn, "SELECT 1; SELECT 2;", &be) == 0, "exec",
             "a script of two SELECTs failed: %s", be.message);
    cf_check(c, exec_str(c, conn, "SELECT 3", &be) == 0, "exec",
             "the statement after a script with results failed: %s; drain "
             "every result before exec returns",
             be.message);
    cf_check(c, exec_str(c, conn, bad, &be) < 0 && be.code < 0, "exec",
             "a script whose third statement fails did not fail");
    cf_check(c,
             (be.offset >= (long)at && be.offset < (long)end) ||
                 (be.offset < 0 && be.statement == 2),
             "exec",
             "the failure of statement 2 (0-based) was reported at offset "
             "%ld, statement %ld; set offset inside it (%zu to %zu) or "
             "statement to 2",
             be.offset, be.statement, at, end);
    cf_check(c, be.message[0] != '\0' && strchr(be.message, '\n') == NULL,
             "exec", "the failure's message is empty or has a newline: \"%s\"",
             be.message);
    cf_check(c, exec_str(c, conn, "SELECT 5", &be) == 0, "exec",
             "the connection is unusable after a failed script: %s",
             be.message);
    c->vt->disconnect(conn);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* With a lock held by a and b's own: b's tries fail in time, and say
 * who holds it. */
static void contended(cf *c, godwit_conn *b)
{
    godwit_berror be;
    char holder[256] = "";
    double t0;
    int rc;

    cf_berror(&be);
    cf_check(c, c->vt->lock(b, 0, &be) == GODWIT_ELOCKED, "lock",
             "a second connection took the lock another holds (or failed "
             "otherwise: %s); return GODWIT_ELOCKED",
             be.message);
    cf_berror(&be);
    t0 = now();
    rc = c->vt->lock(b, 0.3, &be);
    cf_check(c, rc == GODWIT_ELOCKED && now() - t0 >= 0.2 && now() - t0 < 10,
             "lock",
             "lock with a 0.3 s timeout returned %d after %.2f s; wait about "
             "that long, then return GODWIT_ELOCKED",
             rc, now() - t0);
    cf_check(c, be.message[0] != '\0', "lock",
             "a lock timeout says nothing; name the holder");
    if (!CF_HAS(c->vt, lock_holder))
        return;
    cf_berror(&be);
    cf_check(c,
             c->vt->lock_holder(b, holder, sizeof(holder), &be) == 1 &&
                 holder[0] != '\0',
             "lock", "lock_holder does not see the holder");
}

/* A process that takes the lock and dies without unlocking: its lock goes
 * with it, and b gets it within the 5 s it waits. */
static void killed_holder(cf *c, godwit_conn *b)
{
    godwit_berror be;
    int ready[2], status;
    char byte = 0;
    pid_t pid;

    if (pipe(ready) != 0)
        return;
    if ((pid = fork()) == 0) {
        godwit_conn *a;

        cf_berror(&be);
        if (c->vt->connect(&a, &c->target, &be) == 0 &&
            c->vt->lock(a, 0, &be) == 0)
            byte = 1;
        if (write(ready[1], &byte, 1) != 1 || byte == 0)
            _exit(1);
        sleep(1);
        _exit(0); /* killed, as far as the lock knows: never unlocked */
    }
    close(ready[1]);
    if (pid < 0 || read(ready[0], &byte, 1) != 1 || byte == 0) {
        cf_check(c, 0, "lock", "a child process could not take the lock");
    } else {
        cf_berror(&be);
        cf_check(c, c->vt->lock(b, 0, &be) == GODWIT_ELOCKED, "lock",
                 "the lock another process holds was taken (or failed "
                 "otherwise: %s)",
                 be.message);
        waitpid(pid, &status, 0);
        cf_berror(&be);
        cf_check(c, c->vt->lock(b, 5, &be) == 0, "lock",
                 "the lock of a process that died holding it was not "
                 "released within 5 s (%s); tie it to the session or "
                 "process, so that a crashed migrator leaves none behind",
                 be.message);
        cf_berror(&be);
        c->vt->unlock(b, &be);
    }
    if (pid > 0)
        waitpid(pid, &status, 0);
    close(ready[0]);
}

void cf_lock(cf *c)
{
    godwit_conn *a, *b;
    godwit_berror be;

    if (!CF_HAS(c->vt, lock))
        return; /* the host serialises migrators with BEGIN */
    cf_check(c, CF_HAS(c->vt, unlock), "lock", "lock without unlock");
    if ((a = cf_connect(c, "lock")) == NULL)
        return;
    if ((b = cf_connect(c, "lock")) != NULL) {
        cf_berror(&be);
        if (cf_check(c, c->vt->lock(a, 0, &be) == 0, "lock",
                     "a free lock could not be taken: %s", be.message)) {
            contended(c, b);
            cf_berror(&be);
            cf_check(c, c->vt->unlock(a, &be) == 0, "lock", "unlock failed: %s",
                     be.message);
            cf_berror(&be);
            cf_check(c, c->vt->lock(b, 0, &be) == 0, "lock",
                     "the lock is still held after unlock: %s", be.message);
            cf_berror(&be);
            c->vt->unlock(b, &be);
            killed_holder(c, b);
        }
        c->vt->disconnect(b);
    }
    c->vt->disconnect(a);
}

typedef struct lines {
    char **v; /* owned */
    size_t n;
    int named_history; /* a line names the history table */
} lines;

static int add_line(void *ctx, const char *line)
{
    lines *l = ctx;
    char **grown = realloc(l->v, (l->n + 1) * sizeof(*l->v));

    if (grown == NULL)
        return GODWIT_ENOMEM;
    l->v = grown;
    if ((l->v[l->n] = strdup(line)) == NULL)
        return GODWIT_ENOMEM;
    l->n++;
    l->named_history |= strstr(line, "gw conformance") != NULL;
    return 0;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether two snapshots hold the same lines, in any order. */
static int same_lines(lines *a, lines *b)
{
    size_t i;

    if (a->n != b->n)
        return 0;
    if (a->n < 2) /* qsort wants an array, even of none */
        return a->n == 0 || strcmp(a->v[0], b->v[0]) == 0;
    qsort(a->v, a->n, sizeof(*a->v), by_text);
    qsort(b->v, b->n, sizeof(*b->v), by_text);
    for (i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return 0;
    return 1;
}

static void lines_free(lines *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

void cf_snapshot(cf *c)
{
    lines one, two;
    godwit_berror be;
    godwit_conn *conn;

    if (!CF_HAS(c->vt, snapshot) || (conn = cf_connect(c, "snapshot")) == NULL)
        return;
    memset(&one, 0, sizeof(one));
    memset(&two, 0, sizeof(two));
    cf_berror(&be);
    cf_check(c, c->vt->snapshot(conn, add_line, &one, &be) == 0, "snapshot",
             "snapshot failed: %s", be.message);
    cf_berror(&be);
    c->vt->snapshot(conn, add_line, &two, &be);
    cf_check(c, same_lines(&one, &two), "snapshot",
             "two snapshots of one schema differ; leave out whatever is "
             "not the schema");
    cf_check(c, !one.named_history, "snapshot",
             "the snapshot describes the history table; leave it out");
    lines_free(&one);
    lines_free(&two);
    c->vt->disconnect(conn);
}
