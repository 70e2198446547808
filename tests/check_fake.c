/*
 * check_fake.c - the core against the fake backend (tests/modules/fake.c),
 * as libgit2 tests its object database with a fake one: the paths a real
 * database rarely or never takes.  Capabilities, missing methods and
 * injected failures are set on the plugin's panel; its call counters say
 * what the core asked of it.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../tests/modules/fake.h"
#include "godwit-model.h"
#include "godwit.h"
#include "testutil.h"

static fake_control *panel;
static char *mdir;
static char events[4096];
static godwit *interrupt_me; /* godwit_interrupt()ed by on_exec */
static const char *interrupt_at;

static void on_event(const godwit_event *ev, void *ctx)
{
    static const char *const names[GODWIT_EVENT_STATEMENT + 1] = {
        "",  "A+", "A.", "R+", "R.", "S", "F", "W",
        "C", "T",  "H",  "!",  "V",  "U", "I", "N"};
    size_t n = strlen(events);

    (void)ctx;
    if (ev->type == GODWIT_EVENT_STATEMENT)
        return; /* each statement of a statement-by-statement section */
    snprintf(events + n, sizeof(events) - n, "%s%s%s", n ? " " : "",
             names[ev->type], ev->mversion ? ev->mversion : "");
}

/* The fake plugin as the loader will find it, and its panel, zeroed. */
static void fresh(const char *name)
{
    const char *modules = getenv("TEST_MODULES");
    char *path, *dir;
    void *dl;

    ck_assert_ptr_nonnull(modules);
    path = tu_path(modules, "fake.so");
    dl = dlopen(path, RTLD_NOW);
    ck_assert_msg(dl != NULL, "%s", dlerror());
    panel = dlsym(dl, "fake_panel");
    ck_assert_ptr_nonnull(panel);
    memset(panel, 0, sizeof(*panel));
    panel->caps = GODWIT_CAP_TRANSACTIONAL_DDL; /* as the in-tree backends */
    free(path);
    dir = tu_tmpdir(name);
    free(mdir);
    mdir = tu_path(dir, "m");
    ck_assert_int_eq(mkdir(mdir, 0777), 0);
    free(dir);
    events[0] = '\0';
    interrupt_me = NULL;
    interrupt_at = NULL;
}

static godwit *open_fake(int lock_retries)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    godwit *g;

    o.url = "fake:db";
    o.dir = mdir;
    o.backend_path = getenv("TEST_MODULES");
    o.lock_timeout = 1;
    o.lock_retries = lock_retries;
    o.progress = on_event;
    ck_assert_msg(godwit_open(&g, &o) == 0, "%s", godwit_errmsg(g));
    return g;
}

static void write_two(void)
{
    tu_write(mdir, "0001_a.sql",
             "-- godwit:up\nCREATE a;\n"
             "-- godwit:down\nDROP a;\n");
    tu_write(mdir, "0002_b.sql",
             "-- godwit:up\nCREATE b;\nCREATE b2;\n"
             "-- godwit:down\nDROP b2;\nDROP b;\n");
}

static void assert_errmsg(godwit *g, const char *expect)
{
    ck_assert_msg(strstr(godwit_errmsg(g), expect) != NULL,
                  "expected \"%s\" in \"%s\"", expect, godwit_errmsg(g));
}

/* Opens a handle and runs up, which must fail saying `expect`. */
static godwit *up_fails(const char *expect)
{
    godwit *g = open_fake(0);

    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ERROR);
    assert_errmsg(g, expect);
    return g;
}

static int has_object(const char *name)
{
    int i;

    for (i = 0; i < panel->db.nobjects; i++)
        if (strcmp(panel->db.objects[i], name) == 0)
            return 1;
    return 0;
}

/* With GODWIT_CAP_SESSION_LOCK a transactional migration is one exec:
 * BEGIN, its SQL, the history row and COMMIT in one script, and history
 * is never re-checked inside it. */
START_TEST(session_lock_one_trip_per_migration)
{
    godwit *g;

    fresh("fake-join");
    write_two();
    panel->caps |= GODWIT_CAP_SESSION_LOCK;
    g = open_fake(0);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(panel->calls_exec, 1 + 2); /* history table, 2 steps */
    ck_assert_int_eq(panel->calls_history_has, 0);
    ck_assert_int_eq(panel->calls_lock, 1);
    ck_assert_int_eq(panel->calls_unlock, 1);
    ck_assert_ptr_nonnull(strstr(panel->log, "BEGIN;\nCREATE b;\nCREATE b2;\n"
                                             "RECORD '0002' 'b' "));
    ck_assert_ptr_nonnull(strstr(panel->log, " -1;\nCOMMIT;\n|"));
    ck_assert_int_eq(panel->db.nrows, 2);
    ck_assert_str_eq(events, "A+0001 A.0001 A+0002 A.0002");
    godwit_close(g);
}
END_TEST

/* Without it, four trips, and history is re-checked in each transaction:
 * a step another migrator did meanwhile is skipped (rolled back, its SQL
 * not run), and the run goes on. */
START_TEST(no_session_lock_rechecks_and_skips)
{
    godwit *g;

    fresh("fake-skip");
    write_two();
    strcpy(panel->race_version, "0002");
    g = open_fake(0);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_str_eq(events, "A+0001 A.0001 A+0002 S0002");
    ck_assert_int_eq(panel->calls_history_has, 2);
    ck_assert_int_eq(has_object("a"), 1);
    ck_assert_int_eq(has_object("b"), 0);
    ck_assert_int_eq(panel->db.nrows, 2);
    /* history table; BEGIN, body, RECORD, COMMIT; BEGIN, ROLLBACK */
    ck_assert_int_eq(panel->calls_exec, 1 + 4 + 2);
    godwit_close(g);
}
END_TEST

/* A backend that says which statement failed by index (no offset): the
 * core finds its line; joined into one script, the index counts BEGIN,
 * and the core takes it off again. */
START_TEST(error_by_statement_index)
{
    static const unsigned caps[] = {0, GODWIT_CAP_SESSION_LOCK};
    const char *file;
    unsigned line, col;
    godwit *g;
    int i;

    for (i = 0; i < 2; i++) {
        fresh(i ? "fake-index-joined" : "fake-index");
        panel->caps |= caps[i];
        panel->report = FAKE_AT_STATEMENT;
        tu_write(mdir, "0001_x.sql",
                 "-- godwit:up\nCREATE x;\n\n"
                 "  FAIL boom;\nCREATE y;\n");
        g = up_fails("0001_x.sql:4:3: up failed: boom (SQLSTATE P0001) "
                     "(in \"FAIL boom;\"); the migration was rolled back");
        ck_assert_int_eq(godwit_errloc(g, &file, &line, &col), 1);
        ck_assert_str_eq(file + strlen(file) - strlen("/0001_x.sql"),
                         "/0001_x.sql");
        ck_assert_uint_eq(line, 4);
        ck_assert_uint_eq(col, 3);
        ck_assert_str_eq(godwit_errsqlstate(g), "P0001");
        ck_assert_int_eq(has_object("x"), 0);
        ck_assert_int_eq(panel->db.nrows, 0);
        godwit_close(g);
    }
}
END_TEST

/* By offset into the joined script, and nowhere at all (the body's
 * start). */
START_TEST(error_by_offset_or_nowhere)
{
    godwit *g;

    fresh("fake-offset");
    panel->caps |= GODWIT_CAP_SESSION_LOCK;
    tu_write(mdir, "0001_x.sql", "-- godwit:up\nCREATE x;\nFAIL late;\n");
    g = up_fails("0001_x.sql:3:1: up failed: late");
    panel->report = FAKE_AT_NOWHERE;
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ERROR);
    assert_errmsg(g, "0001_x.sql:2:1: up failed: late");
    ck_assert_int_eq(has_object("x"), 0);
    godwit_close(g);
}
END_TEST

/* A failure in the history row of a joined script is bookkeeping's, not
 * the migration's: said so, and all of it rolled back. */
START_TEST(joined_bookkeeping_failure)
{
    godwit *g;

    fresh("fake-joined-bookkeeping");
    write_two();
    panel->caps |= GODWIT_CAP_SESSION_LOCK;
    strcpy(panel->fail_prefix, "RECORD '0002'");
    panel->fail_times = 1;
    g = up_fails("0002_b.sql: history bookkeeping failed, the migration "
                 "was rolled back: injected failure");
    ck_assert_int_eq(has_object("a"), 1);
    ck_assert_int_eq(has_object("b"), 0);
    ck_assert_int_eq(panel->db.nrows, 1);
    ck_assert_str_eq(events, "A+0001 A.0001 A+0002 F0002");
    godwit_close(g);
}
END_TEST

/* A backend that cannot render a piece of bookkeeping stops the run
 * before the migration's SQL. */
START_TEST(render_failure)
{
    godwit *g;

    fresh("fake-render");
    write_two();
    panel->fail_render = GODWIT_SQL_RECORD;
    g = up_fails("backend fake cannot render SQL for step 5");
    ck_assert_int_eq(has_object("a"), 0);
    ck_assert_int_eq(panel->db.nrows, 0);
    godwit_close(g);
}
END_TEST

/* A plugin whose struct ends before the optional methods: the core does
 * without them.  No lock is taken, history is re-checked, dump says the
 * backend cannot describe its schema, and godwit_wait and
 * godwit_interrupt need neither ping nor cancel. */
START_TEST(optional_methods_absent)
{
    godwit *g;
    char *dump;

    fresh("fake-minimal");
    write_two();
    panel->caps |= GODWIT_CAP_SESSION_LOCK; /* claimed, but no lock method */
    panel->struct_size = (unsigned)offsetof(godwit_backend, lock);
    g = open_fake(0);
    ck_assert_msg(godwit_wait(g, 1) == 0, "%s", godwit_errmsg(g));
    ck_assert_msg(godwit_up(g, "0001") == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(panel->calls_lock + panel->calls_ping, 0);
    ck_assert_int_eq(godwit_dump(g, &dump), GODWIT_ENOTSUP);
    assert_errmsg(g, "backend fake cannot describe its schema");
    godwit_interrupt(g);
    ck_assert_int_eq(panel->calls_cancel, 0);
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_EINTR);
    ck_assert_int_eq(panel->db.nrows, 1);
    godwit_close(g);
}
END_TEST

/* The same, method by method: each NULL member is skipped. */
START_TEST(optional_methods_null)
{
    godwit *g;

    fresh("fake-null");
    write_two();
    panel->omit = FAKE_NO_LOCK | FAKE_NO_PING | FAKE_NO_CANCEL;
    g = open_fake(0);
    ck_assert_msg(godwit_wait(g, 1) == 0, "%s", godwit_errmsg(g));
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(panel->calls_lock + panel->calls_ping, 0);
    ck_assert_msg(godwit_down(g, "base") == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(panel->db.nobjects, 0);
    godwit_close(g);
}
END_TEST

/* Another migrator holds the lock: one try, then LOCK_WAIT naming the
 * holder, then the wait; a wait that fails runs nothing. */
START_TEST(lock_wait_event)
{
    godwit *g;

    fresh("fake-lockwait");
    write_two();
    panel->lock_taken_by_other = 1;
    g = open_fake(0);
    ck_assert_msg(godwit_up(g, "0001") == 0, "%s", godwit_errmsg(g));
    ck_assert_str_eq(events, "W A+0001 A.0001");
    ck_assert_int_eq(panel->calls_lock, 2);
    ck_assert_int_eq(panel->calls_lock_holder, 1);
    events[0] = '\0';
    panel->lock_taken_by_other = 1;
    panel->lock_wait_fails = 1;
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ELOCKED);
    assert_errmsg(g, "cannot take the migration lock: the migration lock is "
                     "held by pid 42");
    ck_assert_str_eq(events, "W");
    ck_assert_int_eq(has_object("b"), 0);
    godwit_close(g);
}
END_TEST

/* A transactional migration that lost to a lock timeout is tried again
 * with --lock-retries, after a warning; without, it fails as ELOCKED. */
START_TEST(lock_timeout_retried)
{
    godwit *g;

    fresh("fake-retry");
    tu_write(mdir, "0001_x.sql", "-- godwit:up\nCREATE x;\nLOCKED;\n");
    panel->locked_statements = 1;
    g = open_fake(0);
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ELOCKED);
    assert_errmsg(g, "or retry automatically with --lock-retries");
    godwit_close(g);
    events[0] = '\0';
    panel->locked_statements = 1;
    g = open_fake(1);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_str_eq(events, "A+0001 F0001 !0001 A+0001 A.0001");
    ck_assert_int_eq(has_object("x"), 1);
    godwit_close(g);
}
END_TEST

static void interrupt_now(void *ctx)
{
    (void)ctx;
    if (interrupt_me != NULL && strstr(panel->log, interrupt_at) != NULL) {
        godwit_interrupt(interrupt_me);
        interrupt_me = NULL;
    }
}

/* transaction=off: an interruption during one statement stops the run
 * before the next; history says where, and the backend was asked to
 * cancel. */
START_TEST(interrupt_between_statements)
{
    godwit_status *s;
    godwit *g;

    fresh("fake-interrupt");
    tu_write(mdir, "0001_x.sql",
             "-- godwit:up transaction=off\nCREATE x1;\n"
             "CREATE x2;\nCREATE x3;\n");
    g = open_fake(0);
    interrupt_me = g;
    interrupt_at = "CREATE x1";
    panel->on_exec = interrupt_now;
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_EINTR);
    assert_errmsg(g, "0001_x.sql:3:1: up failed: interrupted");
    ck_assert_int_eq(panel->calls_cancel, 1);
    ck_assert_int_eq(has_object("x1"), 1);
    ck_assert_int_eq(has_object("x2"), 0);
    ck_assert_int_eq(godwit_status_read(g, &s), 0);
    ck_assert_int_eq(godwit_status_state(s, 0), GODWIT_STATE_INTERRUPTED);
    godwit_status_free(s);
    ck_assert_str_eq(panel->db.rows[0].in_progress, "up");
    ck_assert_int_eq(panel->db.rows[0].statements_done, 1);
    godwit_close(g);
}
END_TEST

/* The cancel meant for a migration's statement can land on the history
 * row after it (SQLSTATE 57014): the row is written again, so history
 * keeps up with what was done, and the run stops before the next step. */
START_TEST(cancelled_bookkeeping_rerun)
{
    godwit *g;

    fresh("fake-57014");
    write_two();
    g = open_fake(0);
    interrupt_me = g;
    interrupt_at = "CREATE a";
    panel->on_exec = interrupt_now;
    strcpy(panel->fail_prefix, "RECORD '0001'");
    panel->fail_times = 1;
    strcpy(panel->fail_sqlstate, "57014");
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_EINTR);
    assert_errmsg(g, "interrupted before ");
    assert_errmsg(g, "0002_b.sql: nothing of it ran");
    ck_assert_int_eq(panel->db.nrows, 1);
    ck_assert_str_eq(panel->db.rows[0].version, "0001");
    ck_assert_int_eq(has_object("b"), 0);
    godwit_close(g);
}
END_TEST

/* A database whose DDL commits by itself (no GODWIT_CAP_TRANSACTIONAL_DDL):
 * every section runs statement by statement with its progress recorded,
 * so that a failure says what is done, never "rolled back", and resumes
 * where it stopped. */
START_TEST(no_transactional_ddl_runs_stepwise)
{
    godwit_status *s;
    godwit *g;
    char *sql;

    fresh("fake-no-tddl");
    panel->caps = 0;
    tu_write(mdir, "0001_x.sql",
             "-- godwit:up\nCREATE x1;\nFAIL boom;\n"
             "CREATE x2;\n-- godwit:down\nDROP x2;\n"
             "DROP x1;\n");
    g = up_fails("0001_x.sql:3:1: up failed: boom (SQLSTATE P0001) (in "
                 "\"FAIL boom;\"); statement by statement (this database "
                 "cannot roll back DDL): the statements before this one stay "
                 "done and the migration is recorded as interrupted");
    ck_assert_ptr_null(strstr(panel->log, "ROLLBACK"));
    ck_assert_int_eq(has_object("x1"), 1);
    ck_assert_int_eq(godwit_status_read(g, &s), 0);
    ck_assert_int_eq(godwit_status_state(s, 0), GODWIT_STATE_INTERRUPTED);
    ck_assert_str_eq(godwit_status_note(s, 0),
                     "up stopped after 1 statement: boom");
    godwit_status_free(s);
    tu_write(mdir, "0001_x.sql",
             "-- godwit:up\nCREATE x1;\nSELECT fixed;\n"
             "CREATE x2;\n-- godwit:down\nDROP x2;\n"
             "DROP x1;\n");
    ck_assert_msg(godwit_repair(g, GODWIT_REPAIR_RESUME) == 0, "%s",
                  godwit_errmsg(g));
    ck_assert_int_eq(has_object("x2"), 1);
    ck_assert_str_eq(panel->db.rows[0].in_progress, "");
    ck_assert_int_eq(
        godwit_script(g, GODWIT_COMMAND_DOWN, NULL, NULL, NULL, &sql), 0);
    ck_assert_ptr_nonnull(strstr(sql, "0001_x.sql: down, statement by "
                                      "statement (this database cannot roll "
                                      "back DDL)"));
    ck_assert_ptr_null(strstr(sql, "BEGIN"));
    free(sql);
    ck_assert_msg(godwit_down(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(panel->db.nobjects + panel->db.nrows, 0);
    godwit_close(g);
}
END_TEST

/* The core reads a backend's SQL in the dialect the backend declares: a
 * MySQL-like fake (backslash escapes, # comments, '$' in names) gets each
 * statement of a transaction=off section whole, validate agrees, and
 * DELIMITER is refused before anything runs.  In the default dialect the
 * same file does not lex. */
START_TEST(dialect_of_the_backend)
{
    static const char text[] =
        "-- godwit:up transaction=off\nCREATE a;\n# one; two\n"
        "INSERT 'it\\'s; here';\nCREATE b$c;\n";
    godwit *g;

    fresh("fake-dialect");
    panel->dialect = GODWIT_DIALECT_BACKSLASH | GODWIT_DIALECT_HASH_COMMENT |
                     GODWIT_DIALECT_NO_DOLLAR;
    tu_write(mdir, "0001_x.sql", text);
    g = open_fake(0);
    ck_assert_msg(godwit_validate(g) == 0, "%s", godwit_errmsg(g));
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_ptr_nonnull(strstr(panel->log, "|\nINSERT 'it\\'s; here'|\n"));
    ck_assert_int_eq(has_object("b$c"), 1);
    tu_write(mdir, "0002_y.sql", "-- godwit:up\nDELIMITER //\nCREATE d//\n");
    ck_assert_int_eq(godwit_validate(g), GODWIT_ERROR);
    assert_errmsg(g, "0002_y.sql:2:1: DELIMITER is a command of the mysql "
                     "client, not SQL; leave it out");
    panel->calls_exec = 0;
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ERROR);
    ck_assert_int_eq(panel->calls_exec, 0);
    godwit_close(g);

    fresh("fake-dialect-default");
    tu_write(mdir, "0001_x.sql", text);
    g = up_fails("0001_x.sql:4:20: unterminated string literal");
    ck_assert_int_eq(panel->calls_exec, 0);
    godwit_close(g);
}
END_TEST

/* A --sql script for a backend whose own client ends a statement at
 * every ';' (GODWIT_DIALECT_CLIENT_DELIMITER) writes a statement with ';'
 * inside between DELIMITER lines, with a delimiter the statement does not
 * hold; other statements, and other dialects' scripts, stay as they are. */
START_TEST(script_delimiter_lines)
{
    static const char text[] =
        "-- godwit:up transaction=off\nCREATE a;\n"
        "CREATE TRIGGER t BEGIN INSERT x; INSERT ';;'; END;\n";
    godwit *g;
    char *sql;

    fresh("fake-delimiter");
    panel->dialect = GODWIT_DIALECT_CLIENT_DELIMITER;
    tu_write(mdir, "0001_x.sql", text);
    g = open_fake(0);
    ck_assert_int_eq(
        godwit_script(g, GODWIT_COMMAND_UP, NULL, NULL, NULL, &sql), 0);
    ck_assert_ptr_nonnull(strstr(sql, "\nCREATE a;\n"));
    ck_assert_msg(strstr(sql, "\nDELIMITER $$\nCREATE TRIGGER t BEGIN INSERT "
                              "x; INSERT ';;'; END$$\nDELIMITER ;\n"),
                  "%s", sql);
    free(sql);
    godwit_close(g);

    fresh("fake-delimiter-none");
    tu_write(mdir, "0001_x.sql", text);
    g = open_fake(0);
    ck_assert_int_eq(
        godwit_script(g, GODWIT_COMMAND_UP, NULL, NULL, NULL, &sql), 0);
    ck_assert_ptr_null(strstr(sql, "DELIMITER"));
    ck_assert_ptr_nonnull(strstr(sql, "INSERT ';;'; END;\n"));
    free(sql);
    godwit_close(g);
}
END_TEST

/* A migration with SQL for other backends only is refused before
 * anything runs. */
START_TEST(no_section_for_backend)
{
    godwit *g;

    fresh("fake-nosection");
    write_two();
    tu_write(mdir, "0003_c.sql", "-- godwit:up backend=sqlite\nCREATE c;\n");
    g = up_fails("0003_c.sql has no up section for backend fake; "
                 "nothing was applied");
    ck_assert_int_eq(panel->calls_exec, 0);
    godwit_close(g);
}
END_TEST

/* Bookkeeping in a transaction of its own (stamp) that fails at COMMIT
 * is rolled back, and says what failed. */
START_TEST(stamp_commit_fails)
{
    godwit *g;

    fresh("fake-stamp");
    write_two();
    g = open_fake(0);
    strcpy(panel->fail_prefix, "COMMIT");
    panel->fail_times = 1;
    ck_assert_int_ne(godwit_stamp(g, "0001"), 0);
    assert_errmsg(g, "injected failure");
    ck_assert_int_eq(panel->db.nrows, 0);
    ck_assert_ptr_nonnull(strstr(panel->log, "ROLLBACK;\n|"));
    godwit_close(g);
}
END_TEST

/* verify on the fake: up, down, up with snapshots compared; a down that
 * leaves something behind is caught; no snapshot, no verify. */
START_TEST(verify_through_the_fake)
{
    godwit *g;

    fresh("fake-verify");
    write_two();
    g = open_fake(0);
    ck_assert_msg(godwit_verify(g) == 0, "%s", godwit_errmsg(g));
    /* is it empty; then before, after, down, up again for 0001; and
     * 0002 starts from 0001's last (a one-object schema, not empty) */
    ck_assert_int_eq(panel->calls_snapshot, 1 + 4 + 3);
    godwit_close(g);
    fresh("fake-verify-bad");
    tu_write(mdir, "0001_a.sql",
             "-- godwit:up\nCREATE a;\nCREATE a2;\n"
             "-- godwit:down\nDROP a;\n");
    g = open_fake(0);
    ck_assert_int_eq(godwit_verify(g), GODWIT_ERROR);
    assert_errmsg(g, "down does not restore the schema: left over: "
                     "\"object a2\"");
    godwit_close(g);
    fresh("fake-verify-nosnapshot");
    write_two();
    panel->omit = FAKE_NO_SNAPSHOT;
    g = open_fake(0);
    ck_assert_int_eq(godwit_verify(g), GODWIT_ENOTSUP);
    assert_errmsg(g, "backend fake cannot describe its schema");
    godwit_close(g);
}
END_TEST

/* A plugin without the optional query method: import --history says it
 * cannot read the other tool's table, and writes nothing. */
START_TEST(import_history_needs_query)
{
    godwit *g;

    fresh("fake-adopt");
    tu_write(mdir, "0001_a.sql",
             "-- Imported from dbmate: 1_a.sql (version 1 there).\n"
             "-- godwit:up\nCREATE a;\n");
    g = open_fake(0);
    ck_assert_int_eq(godwit_import_history(g, "dbmate"), GODWIT_ENOTSUP);
    assert_errmsg(g, "the fake backend cannot read other tables (its "
                     "plugin has no query method)");
    ck_assert_int_eq(panel->db.nrows, 0);
    ck_assert_int_eq(godwit_import_history(g, "liquibase"), GODWIT_EUSAGE);
    assert_errmsg(g, "no reader for \"liquibase\"'s history");
    godwit_close(g);
}
END_TEST

/* A set embedded in the program: migrates as the files would, and one
 * whose checksum is not its text's is refused before anything runs. */
START_TEST(embedded_set)
{
    static const char a[] = "-- godwit:up\nCREATE a;\n-- godwit:down\n"
                            "DROP a;\n",
                      b[] = "-- godwit:up\nCREATE b;\n";
    static const godwit_embedded_file ok[] = {
        {"0001_a.sql", a, sizeof(a) - 1, NULL},
        {"0002_b.sql", b, sizeof(b) - 1, NULL}};
    godwit_embedded_file files[2];
    godwit_embedded set = {GODWIT_EMBEDDED_VERSION, "built-in", 2, files};
    godwit_options o = GODWIT_OPTIONS_INIT;
    godwit_migration *m;
    godwit_err e = GODWIT_ERR_INIT;
    char sums[2][GODWIT_CHECKSUM_SIZE];
    godwit *g;
    int i;

    fresh("fake-embedded");
    for (i = 0; i < 2; i++) { /* the checksums godwit embed would write */
        ck_assert_int_eq(
            godwit__migration_parse(&m, ok[i].name, ok[i].text, ok[i].len, &e),
            0);
        memcpy(sums[i], m->checksum, sizeof(sums[i]));
        godwit__migration_free(m);
        files[i] = ok[i];
        files[i].checksum = sums[i];
    }
    o.url = "fake:db";
    o.dir = "no-such-directory";
    o.backend_path = getenv("TEST_MODULES");
    o.embedded = &set;
    ck_assert_msg(godwit_open(&g, &o) == 0, "%s", godwit_errmsg(g));
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(panel->db.nobjects, 2);
    ck_assert_int_eq(godwit_down(g, "base"), GODWIT_ERROR); /* b: no down */
    assert_errmsg(g, "built-in/0002_b.sql");
    godwit_close(g);
    files[0].checksum = sums[1];
    ck_assert_msg(godwit_open(&g, &o) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(godwit_status_read(g, &(godwit_status *){NULL}),
                     GODWIT_ERROR);
    assert_errmsg(g, "built-in/0001_a.sql: the embedded set says its checksum "
                     "is ");
    godwit_close(g);
}
END_TEST

/* Any order of calls on one handle, printing and running mixed. */
START_TEST(mixed_calls_one_handle)
{
    godwit_status *s;
    godwit *g;
    char *sql;

    fresh("fake-mixed");
    write_two();
    g = open_fake(0);
    ck_assert_int_eq(
        godwit_script(g, GODWIT_COMMAND_UP, NULL, NULL, NULL, &sql), 0);
    ck_assert_ptr_nonnull(strstr(sql, "BEGIN;\nCREATE a;\nRECORD '0001'"));
    free(sql);
    ck_assert_int_eq(panel->db.nrows, 0); /* printed, not run */
    ck_assert_msg(godwit_verify(g) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(godwit_status_read(g, &s), 0);
    ck_assert_int_eq(godwit_status_state(s, 1), GODWIT_STATE_APPLIED);
    godwit_status_free(s);
    ck_assert_msg(godwit_down(g, "0001") == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(
        godwit_script(g, GODWIT_COMMAND_UP, NULL, "fake", "base", &sql), 0);
    ck_assert_ptr_nonnull(strstr(sql, "CREATE a;"));
    free(sql);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(panel->db.nrows, 2);
    godwit_close(g);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fake");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, session_lock_one_trip_per_migration);
    tcase_add_test(tc, no_session_lock_rechecks_and_skips);
    tcase_add_test(tc, error_by_statement_index);
    tcase_add_test(tc, error_by_offset_or_nowhere);
    tcase_add_test(tc, joined_bookkeeping_failure);
    tcase_add_test(tc, render_failure);
    tcase_add_test(tc, optional_methods_absent);
    tcase_add_test(tc, optional_methods_null);
    tcase_add_test(tc, lock_wait_event);
    tcase_add_test(tc, lock_timeout_retried);
    tcase_add_test(tc, interrupt_between_statements);
    tcase_add_test(tc, cancelled_bookkeeping_rerun);
    tcase_add_test(tc, no_section_for_backend);
    tcase_add_test(tc, no_transactional_ddl_runs_stepwise);
    tcase_add_test(tc, dialect_of_the_backend);
    tcase_add_test(tc, script_delimiter_lines);
    tcase_add_test(tc, stamp_commit_fails);
    tcase_add_test(tc, verify_through_the_fake);
    tcase_add_test(tc, import_history_needs_query);
    tcase_add_test(tc, embedded_set);
    tcase_add_test(tc, mixed_calls_one_handle);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
