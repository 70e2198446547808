/*
 * commands.c - the commands through libgodwit, as godwit(1) runs them,
 * on a migration set of the program's own: up, down, redo, goto, a
 * failure located at file:line:col and left interrupted, repair --resume,
 * stamp, two migrators at once applying each migration once, and a lock
 * timeout.  The SQL is what SQLite, PostgreSQL and MySQL all take.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance.h"
#include "godwit.h"

typedef struct run {
    cf *c;
    char dir[64];    /* the migration directory */
    char table[64];  /* the history table */
    char prefix[32]; /* of every table the migrations make */
    int applied;     /* migrations applied, counted from events */
} run;

static void counted(const godwit_event *ev, void *ctx)
{
    if (ev->type == GODWIT_EVENT_APPLY_END)
        ((run *)ctx)->applied++;
}

static godwit *handle(run *r, double lock_timeout)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    godwit *g;

    o.url = r->c->url;
    o.dir = r->dir;
    o.table = r->table;
    o.schema = r->c->target.schema;
    o.backend_path = r->c->backend_path;
    o.lock_timeout = lock_timeout;
    o.progress = counted;
    o.progress_ctx = r;
    if (godwit_open(&g, &o) != 0) {
        cf_check(r->c, 0, "commands", "godwit_open: %s",
                 g ? godwit_errmsg(g) : "out of memory");
        godwit_close(g);
        return NULL;
    }
    return g;
}

/* Writes fmt, each %s the tables' prefix, into the directory. */
static void file(run *r, const char *name, const char *fmt)
{
    char path[128];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", r->dir, name);
    if ((f = fopen(path, "w")) == NULL)
        return;
    fprintf(f, fmt, r->prefix, r->prefix, r->prefix, r->prefix, r->prefix,
            r->prefix);
    fclose(f);
}

static const char *const names[] = {"0001_a.sql", "0002_b.sql", "0003_c.sql"};

/* Three migrations; the third runs statement by statement and fails at
 * its second statement (line 3) until the table it reads exists. */
static void write_set(run *r)
{
    file(r, names[0],
         "-- godwit:up\nCREATE TABLE %sa (id INT);\nINSERT INTO %sa VALUES "
         "(1);\n-- godwit:down\nDROP TABLE %sa;\n");
    file(r, names[1],
         "-- godwit:up\nCREATE TABLE %sb (id INT);\n-- godwit:down\nDROP "
         "TABLE %sb;\n");
    file(r, names[2],
         "-- godwit:up transaction=off\nCREATE TABLE %sc (id INT);\nINSERT "
         "INTO %sc SELECT id FROM %smissing;\nCREATE TABLE %sd (id INT);\n"
         "-- godwit:down transaction=off\nDROP TABLE %sd;\nDROP TABLE %sc;\n");
}

/* Counts rc == want; when not, says what godwit said.  (godwit_errmsg is
 * read here, after the call: as an argument beside the call, it could be
 * read before the call frees it.) */
static void expect_rc(run *r, godwit *g, int rc, int want, const char *what)
{
    cf_check(r->c, rc == want, "commands", "%s: %s", what,
             rc == want ? "" : godwit_errmsg(g));
}

static int current_is(run *r, godwit *g, const char *want, const char *after)
{
    godwit_status *s = NULL;
    const char *v;
    int ok = godwit_status_read(g, &s) == 0;

    v = ok ? godwit_status_current(s) : NULL;
    ok = ok && (want ? v != NULL && strcmp(v, want) == 0 : v == NULL);
    cf_check(r->c, ok, "commands", "after %s the current version is %s, not %s",
             after, v ? v : "base", want ? want : "base");
    godwit_status_free(s);
    return ok;
}

/* SQL of the program's own on the scratch target (a table to create or
 * drop); failures are the backend's, already checked elsewhere. */
static void sql(run *r, const char *fmt)
{
    godwit_berror be;
    godwit_conn *conn;
    char text[256];

    snprintf(text, sizeof(text), fmt, r->prefix);
    if ((conn = cf_connect(r->c, "commands")) == NULL)
        return;
    cf_berror(&be);
    r->c->vt->exec(conn, text, strlen(text), &be);
    r->c->vt->disconnect(conn);
}

static void tour(run *r, godwit *g)
{
    expect_rc(r, g, godwit_up(g, "0002"), 0, "up 0002");
    current_is(r, g, "0002", "up 0002");
    expect_rc(r, g, godwit_down(g, NULL), 0, "down");
    current_is(r, g, "0001", "down");
    expect_rc(r, g, godwit_redo(g), 0, "redo");
    current_is(r, g, "0001", "redo");
    expect_rc(r, g, godwit_goto(g, "0002"), 0, "goto 0002");
    current_is(r, g, "0002", "goto 0002");
}

/* 0003 fails at line 3, stays interrupted, and resumes from there. */
static void interrupted(run *r, godwit *g)
{
    const char *f = NULL;
    unsigned line = 0, col = 0;
    cf *c = r->c;

    cf_check(c, godwit_up(g, NULL) == GODWIT_ERROR, "commands",
             "up of a migration whose second statement fails did not fail");
    godwit_errloc(g, &f, &line, &col);
    cf_check(c, f && strstr(f, "0003_c.sql") && line == 3 && col >= 1,
             "commands",
             "the failure is located at %s:%u:%u, not in 0003_c.sql line 3; "
             "report the failing statement's index or offset",
             f ? f : "(none)", line, col);
    current_is(r, g, "0003", "a failure at 0003's second statement");
    cf_check(c, godwit_up(g, NULL) == GODWIT_ECONFLICT, "commands",
             "up over an interrupted migration was not refused");
    sql(r, "CREATE TABLE %smissing (id INT)");
    expect_rc(r, g, godwit_repair(g, GODWIT_REPAIR_RESUME), 0,
              "repair --resume");
    expect_rc(r, g, godwit_validate(g), 0, "after repair --resume, validate");
}

static void stamped(run *r, godwit *g)
{
    expect_rc(r, g, godwit_stamp(g, "base"), 0, "stamp base");
    current_is(r, g, NULL, "stamp base");
    expect_rc(r, g, godwit_stamp(g, "head"), 0, "stamp head");
    current_is(r, g, "0003", "stamp head");
}

/* A child process: runs up on a handle of its own, and exits with how
 * many migrations it applied, or after writing why it failed to fd with
 * 100 when it refused a migration another migrator had begun (exit 4),
 * 101 for any other failure. */
static void migrator(run *r, int fd)
{
    godwit *g;
    int rc;

    r->applied = 0;
    g = handle(r, 30);
    rc = g ? godwit_up(g, NULL) : -1;
    if (rc != 0 && g != NULL &&
        write(fd, godwit_errmsg(g), strlen(godwit_errmsg(g))) < 0)
        rc = -1;
    godwit_close(g);
    _exit(rc == 0 ? r->applied : rc == GODWIT_ECONFLICT ? 100 : 101);
}

/* Two processes run up at once; between them each migration is applied
 * once, and both succeed.  Without a lock a migrator cannot tell that
 * another still runs a transaction=off migration it has begun: it may
 * refuse it as interrupted (godwit-backend(7), lock_holder). */
static void concurrent(run *r)
{
    char why[512] = "";
    pid_t pid[2];
    int i, status, total = 0, failed = 0, refused = 0, out[2];
    ssize_t n;

    if (pipe(out) != 0)
        return;
    for (i = 0; i < 2; i++)
        if ((pid[i] = fork()) == 0)
            migrator(r, out[1]);
    close(out[1]);
    for (i = 0; i < 2; i++) {
        if (pid[i] < 0 || waitpid(pid[i], &status, 0) < 0 || !WIFEXITED(status))
            failed++;
        else if (WEXITSTATUS(status) == 100)
            refused++;
        else if (WEXITSTATUS(status) > 100)
            failed++;
        else
            total += WEXITSTATUS(status);
    }
    n = read(out[0], why, sizeof(why) - 1);
    why[n > 0 ? n : 0] = '\0';
    close(out[0]);
    if (!CF_HAS(r->c->vt, lock))
        refused = 0;
    cf_check(r->c, failed + refused == 0 && total == 3, "commands",
             "two migrators at once: %d failed%s%s, %d migrations applied "
             "between them instead of 3; serialise them with lock, or with "
             "BEGIN and history_has",
             failed + refused, why[0] ? ": " : "", why, total);
}

/* Another session holds the migration lock: down gives up in time. */
static void lock_timeout(run *r, godwit *g)
{
    godwit_target t = r->c->target;
    godwit_berror be;
    godwit_conn *holder;

    if (!CF_HAS(r->c->vt, lock))
        return;
    t.table = r->table;
    cf_berror(&be);
    if (r->c->vt->connect(&holder, &t, &be) != 0)
        return;
    cf_berror(&be);
    if (r->c->vt->lock(holder, 0, &be) == 0)
        expect_rc(r, g, godwit_down(g, NULL), GODWIT_ELOCKED,
                  "down while another session holds the lock did not fail with "
                  "GODWIT_ELOCKED (godwit exits 5)");
    r->c->vt->disconnect(holder);
}

void cf_commands(cf *c)
{
    char path[128];
    run r;
    godwit *g;
    int i;

    memset(&r, 0, sizeof(r));
    r.c = c;
    snprintf(r.dir, sizeof(r.dir), "/tmp/godwit-conformance-XXXXXX");
    snprintf(r.table, sizeof(r.table), "gwc%ld_history", (long)getpid());
    snprintf(r.prefix, sizeof(r.prefix), "gwc%ld_", (long)getpid());
    if (mkdtemp(r.dir) == NULL)
        return;
    write_set(&r);
    if ((g = handle(&r, 0.2)) != NULL) {
        tour(&r, g);
        interrupted(&r, g);
        stamped(&r, g);
        expect_rc(&r, g, godwit_down(g, "base"), 0, "down base");
        concurrent(&r);
        current_is(&r, g, "0003", "two migrators' up");
        lock_timeout(&r, g);
        expect_rc(&r, g, godwit_down(g, "base"), 0, "down base");
        godwit_close(g);
    }
    sql(&r, "DROP TABLE %smissing");
    sql(&r, "DROP TABLE %shistory");
    for (i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/%s", r.dir, names[i]);
        remove(path);
    }
    rmdir(r.dir);
}
