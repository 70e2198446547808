/*
 * fleet.c - up and status on many databases at once: a SQLite file per
 * tenant, a schema per customer, shards.
 *
 * The targets come from --fleet FILE (a URL or schema=NAME per line) or
 * from several --url.  Each target gets a handle of its own, so its own
 * connection, migration lock and history, exactly as one godwit run per
 * target would; -j workers take the targets in order.  A failing target
 * is its own line and never stops the others, unless --fail-fast, after
 * which no new target starts.  SIGINT interrupts every target at work
 * (signals.c, through c->busy) and starts no other.
 *
 * Ownership: the fleet owns the file's text (targets point into it) and
 * every target's result; a worker writes a target's result only while it
 * holds the target, and prints under c->lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* What became of a target. */
typedef enum outcome {
    WAITING = 0, /* not started: skipped, in the end */
    CHANGED,     /* up: applied migrations */
    CURRENT,     /* up: nothing to apply; status: nothing pending */
    BEHIND,      /* status: pending, changed, missing or interrupted */
    FAILED
} outcome;

typedef struct target {
    const char *url;    /* NULL: the URL of --url or the settings */
    const char *schema; /* schema=NAME, or NULL */
    char *shown;        /* the redacted URL or "schema=NAME", printed */
    unsigned line;      /* in the fleet file, or 0 */
    outcome result;
    int exit;      /* the exit code of this target alone */
    int applied;   /* up: migrations applied */
    int states[8]; /* status: entries per godwit_state */
    char *current; /* status: the newest applied version; up: the
                      last one this run applied; or NULL */
    char *error;   /* why it failed */
    long ms;
} target;

typedef struct fleet {
    cli *c;
    int up; /* up, else status */
    target *t;
    size_t n;
    size_t next; /* the next target to start; under c->lock */
    int stop;    /* --fail-fast saw a failure; under c->lock */
    int width;   /* of the widest name shown */
    char *text;  /* the fleet file */
} fleet;

int cli_fleet_wanted(const cli *c)
{
    if ((c->local & LOCAL_FLEET) || c->nurls > 1)
        return 1;
    if ((c->local & (LOCAL_JOBS | LOCAL_FAIL_FAST)) ||
        (c->cmd->run == cmd_up && (c->local & LOCAL_FORMAT))) {
        cli_error(c, "%s goes with a fleet: --fleet FILE or several --url",
                  c->local & LOCAL_JOBS        ? "-j"
                  : c->local & LOCAL_FAIL_FAST ? "--fail-fast"
                                               : "up --format");
        return -1;
    }
    return 0;
}

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Reads all of path ("-": standard input) into *out, NUL-terminated;
 * -1 with errno set (EINVAL: it holds a NUL byte). */
static int slurp(const char *path, char **out)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t n = 0, cap = 4096, got;
    char *buf = NULL, *grown;
    int err = 0;

    if (f == NULL)
        return -1;
    do {
        if (cap - n < 2 || buf == NULL) {
            if ((grown = realloc(buf, buf ? cap *= 2 : cap)) == NULL) {
                err = ENOMEM;
                break;
            }
            buf = grown;
        }
        n += got = fread(buf + n, 1, cap - n - 1, f);
    } while (got > 0);
    if (err == 0 && ferror(f))
        err = errno ? errno : EIO;
    if (err == 0 && memchr(buf, '\0', n) != NULL)
        err = EINVAL;
    if (f != stdin)
        fclose(f);
    if (err != 0) {
        free(buf);
        errno = err;
        return -1;
    }
    buf[n] = '\0';
    *out = buf;
    return 0;
}

static int add(fleet *f, const char *url, const char *schema, unsigned line)
{
    target *t = realloc(f->t, (f->n + 1) * sizeof(*t));

    if (t == NULL)
        return -1;
    f->t = t;
    t += f->n++;
    memset(t, 0, sizeof(*t));
    t->url = url;
    t->schema = schema;
    t->line = line;
    if (schema != NULL) {
        size_t len = strlen(schema) + sizeof("schema=");

        if ((t->shown = malloc(len)) != NULL)
            snprintf(t->shown, len, "schema=%s", schema);
    } else {
        t->shown = godwit_redact_url(url);
    }
    return t->shown != NULL ? 0 : -1;
}

/* The target that is the same as t, before it; or NULL. */
static const target *earlier(const fleet *f, const target *t)
{
    const target *o;

    for (o = f->t; o < t; o++)
        if ((o->url && t->url && strcmp(o->url, t->url) == 0) ||
            (o->schema && t->schema && strcmp(o->schema, t->schema) == 0))
            return o;
    return NULL;
}

static int bad_line(const cli *c, unsigned line, size_t col, const char *why)
{
    cli_error(c, "%s:%u:%zu: %s", c->fleet, line, col, why);
    return -1;
}

/* One line of the fleet file, cut out and trimmed: a target, or nothing. */
static int parse_line(fleet *f, char *s, unsigned line)
{
    char *start = s, *end;

    s += strspn(s, " \t");
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        *--end = '\0';
    if (*s == '\0' || *s == '#')
        return 0;
    if (s[strcspn(s, " \t")] != '\0')
        return bad_line(f->c, line, (size_t)(s - start) + strcspn(s, " \t") + 1,
                        "one target per line: a URL, or schema=NAME; this "
                        "line has a blank inside (write a blank in a URL as "
                        "%20)");
    if (strncmp(s, "schema=", 7) == 0) {
        if (s[7] == '\0')
            return bad_line(f->c, line, (size_t)(s - start) + 8,
                            "schema= needs the schema's name");
        return add(f, NULL, s + 7, line);
    }
    if (strchr(s, ':') == NULL)
        return bad_line(f->c, line, (size_t)(s - start) + 1,
                        "not a target: give a database URL (scheme:...) or "
                        "schema=NAME");
    return add(f, s, NULL, line);
}

static int read_fleet(fleet *f)
{
    char *p, *nl;
    unsigned line = 1;

    if (slurp(f->c->fleet, &f->text) < 0) {
        cli_error(f->c, "--fleet %s: cannot read it: %s", f->c->fleet,
                  errno == EINVAL ? "it holds a NUL byte" : strerror(errno));
        return -1;
    }
    for (p = f->text; *p != '\0'; p = nl + 1, line++) {
        if ((nl = strchr(p, '\n')) != NULL)
            *nl = '\0';
        if (parse_line(f, p, line) < 0)
            return -1;
        if (nl == NULL)
            break;
    }
    return 0;
}

/* The targets of --fleet, or of the --url given, checked. */
static int targets(fleet *f)
{
    cli *c = f->c;
    const target *t, *o;
    int i;

    if ((c->local & LOCAL_FLEET) && c->nurls > 1) {
        cli_error(c, "give the fleet's targets in --fleet FILE or as several "
                     "--url, not both (one --url is the database of the "
                     "file's schema= lines)");
        return -1;
    }
    if (c->local & LOCAL_FLEET) {
        if (read_fleet(f) < 0)
            return -1;
    } else {
        for (i = 0; i < c->nurls; i++)
            if (add(f, c->urls[i], NULL, 0) < 0)
                return -1;
    }
    if (f->n == 0) {
        cli_error(c,
                  "--fleet %s names no target: give a URL or schema=NAME "
                  "per line",
                  c->fleet);
        return -1;
    }
    for (t = f->t; t < f->t + f->n; t++) {
        if (t->shown == NULL) {
            cli_error(c, "out of memory");
            return -1;
        }
        if ((o = earlier(f, t)) != NULL && t->line > 0) {
            cli_error(c,
                      "%s:%u:1: the same target as line %u; give each "
                      "target once",
                      c->fleet, t->line, o->line);
            return -1;
        }
        if (o != NULL) {
            cli_error(c, "--url %s is given twice; give each target once",
                      t->shown);
            return -1;
        }
        if ((int)strlen(t->shown) > f->width)
            f->width = (int)strlen(t->shown);
    }
    if (f->width > 40)
        f->width = 40;
    return 0;
}

static void count(const godwit_event *ev, void *ctx)
{
    target *t = ctx;

    if (ev->type == GODWIT_EVENT_APPLY_END) {
        t->applied++;
        free(t->current);
        t->current = strdup(ev->mversion);
    }
}

/* status: the counts per state, and the current version. */
static int read_status(godwit *g, target *t)
{
    godwit_status *s;
    size_t i;
    int rc = godwit_status_read(g, &s);

    if (rc < 0)
        return rc;
    for (i = 0; i < godwit_status_count(s); i++)
        t->states[godwit_status_state(s, i) & 7]++;
    if (godwit_status_current(s) != NULL)
        t->current = strdup(godwit_status_current(s));
    godwit_status_free(s);
    return 0;
}

/* status: how many migrations are not simply applied. */
static int behind(const target *t)
{
    return t->states[GODWIT_STATE_PENDING] + t->states[GODWIT_STATE_CHANGED] +
           t->states[GODWIT_STATE_MISSING] +
           t->states[GODWIT_STATE_INTERRUPTED] +
           t->states[GODWIT_STATE_RUNNING];
}

/* Runs the command on t, in a handle of its own in slot. */
static void run_target(fleet *f, target *t, int slot)
{
    cli *c = f->c;
    godwit_options o = c->opts;
    godwit *g;
    long started = now_ms();
    int rc;

    if (t->schema != NULL)
        o.schema = t->schema;
    if (t->url != NULL)
        o.url = t->url;
    o.progress = count;
    o.progress_ctx = t;
    rc = godwit_open(&g, &o);
    cli_use_slot(c, slot, g);
    if (rc == 0 && (c->local & LOCAL_WAIT))
        rc = godwit_wait(g, c->timeout);
    if (rc == 0)
        rc = f->up ? godwit_up(g, c->nargs > 0 ? c->args[0] : NULL)
                   : read_status(g, t);
    cli_use_slot(c, slot, NULL);
    t->ms = now_ms() - started;
    if (rc < 0) {
        t->result = FAILED;
        t->exit = cli_exit_code(rc);
        t->error = strdup(g ? godwit_errmsg(g) : "out of memory");
    } else if (f->up) {
        t->result = t->applied > 0 ? CHANGED : CURRENT;
    } else {
        t->result = behind(t) ? BEHIND : CURRENT;
    }
    godwit_close(g);
}

/* status: ", 3 pending, 1 changed" for what is not applied. */
static void print_states(const target *t)
{
    static const godwit_state shown[] = {
        GODWIT_STATE_PENDING, GODWIT_STATE_CHANGED, GODWIT_STATE_MISSING,
        GODWIT_STATE_INTERRUPTED, GODWIT_STATE_RUNNING};
    size_t i;
    const char *sep = ": ";

    for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
        if (t->states[shown[i]] > 0) {
            printf("%s%d %s", sep, t->states[shown[i]],
                   godwit_state_name(shown[i]));
            sep = ", ";
        }
}

/* A target's line; c->lock held. */
static void print_target(const fleet *f, const target *t)
{
    const cli *c = f->c;
    int on = c->color_out;

    if (c->json || (c->quiet && t->result != FAILED))
        return;
    cli_text(stdout, t->shown, f->width);
    fputs("  ", stdout);
    switch (t->result) {
    case CHANGED:
        printf("%smigrated%s: %d applied, now at %s (%ld ms)",
               cli_paint(on, GREEN), cli_paint(on, RESET), t->applied,
               t->current ? t->current : "?", t->ms);
        break;
    case CURRENT:
        if (f->up)
            printf("up to date (%ld ms)", t->ms);
        else
            printf("at %s: up to date", t->current ? t->current : "base");
        break;
    case BEHIND:
        printf("%sat %s%s", cli_paint(on, YELLOW),
               t->current ? t->current : "base", cli_paint(on, RESET));
        print_states(t);
        break;
    case FAILED:
        printf("%sFAILED%s (exit %d): ", cli_paint(on, RED),
               cli_paint(on, RESET), t->exit);
        cli_text(stdout, t->error ? t->error : "out of memory", 0);
        break;
    case WAITING:
        printf("%sskipped%s (%s)", cli_paint(on, YELLOW), cli_paint(on, RESET),
               c->signal ? "interrupted"
                         : "--fail-fast: another target failed");
        break;
    }
    putchar('\n');
    fflush(stdout);
}

typedef struct worker {
    fleet *f;
    int slot;
    pthread_t thread;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    fleet *f = w->f;
    cli *c = f->c;
    target *t;

    for (;;) {
        pthread_mutex_lock(&c->lock);
        t = f->next < f->n && !f->stop && !c->signal ? &f->t[f->next++] : NULL;
        pthread_mutex_unlock(&c->lock);
        if (t == NULL)
            return NULL;
        run_target(f, t, w->slot);
        pthread_mutex_lock(&c->lock);
        if (t->result == FAILED && (c->local & LOCAL_FAIL_FAST))
            f->stop = 1;
        print_target(f, t);
        pthread_mutex_unlock(&c->lock);
    }
}

/* Runs the workers (-j of them, at most one per target) to the end. */
static int run_all(fleet *f)
{
    cli *c = f->c;
    int jobs = c->jobs > 0 ? c->jobs : 1, i, started = 0;
    worker *w;

    if ((size_t)jobs > f->n)
        jobs = (int)f->n;
    w = calloc((size_t)jobs, sizeof(*w));
    c->busy = calloc((size_t)jobs, sizeof(*c->busy));
    if (w == NULL || c->busy == NULL) {
        free(w);
        cli_error(c, "out of memory");
        return -1;
    }
    pthread_mutex_lock(&c->lock);
    c->nbusy = jobs;
    pthread_mutex_unlock(&c->lock);
    for (i = 0; i < jobs; i++) {
        w[i].f = f;
        w[i].slot = i;
        if (i > 0 && pthread_create(&w[i].thread, NULL, work, &w[i]) != 0)
            break; /* fewer workers, then */
        started = i + 1;
    }
    work(&w[0]);
    for (i = 1; i < started; i++)
        pthread_join(w[i].thread, NULL);
    free(w);
    return 0;
}

static void json_target(const fleet *f, const target *t)
{
    static const char *const results[] = {"skipped", "migrated", "up to date",
                                          "behind", "failed"};

    printf("    {\"target\": ");
    cli_json_string(t->shown);
    printf(", \"result\": \"%s\", \"exit\": %d, \"%s\": ", results[t->result],
           t->result == FAILED ? t->exit : 0,
           f->up ? "last_applied" : "current");
    cli_json_string(t->current);
    if (f->up) {
        printf(", \"applied\": %d", t->applied);
    } else {
        printf(", \"applied\": %d, \"pending\": %d, \"changed\": %d, "
               "\"missing\": %d, \"interrupted\": %d",
               t->states[GODWIT_STATE_APPLIED], t->states[GODWIT_STATE_PENDING],
               t->states[GODWIT_STATE_CHANGED], t->states[GODWIT_STATE_MISSING],
               t->states[GODWIT_STATE_INTERRUPTED] +
                   t->states[GODWIT_STATE_RUNNING]);
    }
    printf(", \"ms\": %ld, \"error\": ", t->ms);
    cli_json_string(t->result == FAILED ? t->error : NULL);
    putchar('}');
}

/* The summary, and every target in JSON; the exit code. */
static int summary(const fleet *f)
{
    const cli *c = f->c;
    size_t i, n[FAILED + 1] = {0};

    for (i = 0; i < f->n; i++)
        n[f->t[i].result]++;
    if (c->json) {
        printf("{\n  \"targets\": [\n");
        for (i = 0; i < f->n; i++) {
            json_target(f, &f->t[i]);
            printf("%s\n", i + 1 < f->n ? "," : "");
        }
        if (f->up)
            printf("  ],\n  \"migrated\": %zu, \"up_to_date\": %zu, "
                   "\"failed\": %zu, \"skipped\": %zu\n}\n",
                   n[CHANGED], n[CURRENT], n[FAILED], n[WAITING]);
        else
            printf("  ],\n  \"up_to_date\": %zu, \"behind\": %zu, "
                   "\"failed\": %zu, \"skipped\": %zu\n}\n",
                   n[CURRENT], n[BEHIND], n[FAILED], n[WAITING]);
    } else if (!c->quiet) {
        if (f->up)
            printf("%zu migrated, %zu up to date, %zu failed, %zu skipped\n",
                   n[CHANGED], n[CURRENT], n[FAILED], n[WAITING]);
        else
            printf("%zu up to date, %zu behind, %zu failed, %zu skipped\n",
                   n[CURRENT], n[BEHIND], n[FAILED], n[WAITING]);
    }
    if (n[FAILED] > 0)
        cli_error(c, "%zu of %zu targets failed; each says why on its line",
                  n[FAILED], f->n);
    if (n[FAILED] > 0 || n[WAITING] > 0)
        return EXIT_FAIL;
    return n[BEHIND] > 0 && (c->local & LOCAL_CHECK) ? EXIT_PENDING : EXIT_OK;
}

static void fleet_free(fleet *f)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        free(f->t[i].shown);
        free(f->t[i].current);
        free(f->t[i].error);
    }
    free(f->t);
    free(f->text);
}

int cli_fleet(cli *c)
{
    fleet f;
    size_t i;
    int rc = EXIT_USAGE;

    memset(&f, 0, sizeof(f));
    f.c = c;
    f.up = c->cmd->run == cmd_up;
    if (c->local & LOCAL_SQL) {
        cli_error(c, "--sql prints one database's script: give one --url, "
                     "not a fleet");
    } else if (targets(&f) == 0 && run_all(&f) == 0) {
        pthread_mutex_lock(&c->lock);
        for (i = 0; i < f.n; i++)
            if (f.t[i].result == WAITING)
                print_target(&f, &f.t[i]);
        pthread_mutex_unlock(&c->lock);
        rc = summary(&f);
    } else if (c->busy != NULL) {
        rc = EXIT_FAIL;
    }
    pthread_mutex_lock(&c->lock);
    c->nbusy = 0;
    pthread_mutex_unlock(&c->lock);
    free(c->busy);
    c->busy = NULL;
    fleet_free(&f);
    return rc;
}
