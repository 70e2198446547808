/*
 * check_engine.c - the library API end to end against a real database of
 * the backend under test (tests/testdb.h): applying, reverting, failures,
 * state conflicts, locks, progress, new.  One source for every backend;
 * expectations differ only where the databases' own messages do.
 */
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "godwit-int.h"
#include "testdb.h"
#include "testutil.h"

/* The expected text on SQLite and on PostgreSQL, and with BK3 on MySQL. */
#define BK(lite, pg)      (tdb_postgres() ? (pg) : (lite))
#define BK3(lite, pg, my) (tdb_mysql() ? (my) : BK(lite, pg))

static char *dir;  /* this test's directory */
static char *mdir; /* its migrations */
static char url[4200];
static char events[4096];

static void on_event(const godwit_event *ev, void *ctx)
{
    /* one per godwit_event_type, the last STATEMENT (not logged: each
     * statement of a transaction=off section, which cli.test shows) */
    static const char *const names[GODWIT_EVENT_STATEMENT + 1] = {
        "",  "A+", "A.", "R+", "R.", "S", "F", "W",
        "C", "T",  "H",  "!",  "V",  "U", "I", NULL};
    size_t n = strlen(events);

    if (ev->type == GODWIT_EVENT_STATEMENT)
        return;
    ck_assert_ptr_nonnull(names[ev->type]);
    (void)ctx;
    snprintf(events + n, sizeof(events) - n, "%s%s%s", n ? " " : "",
             names[ev->type], ev->mversion ? ev->mversion : "");
}

static void fresh(const char *name)
{
    free(dir);
    free(mdir);
    dir = tu_tmpdir(name);
    mdir = tu_path(dir, "m");
    ck_assert_int_eq(mkdir(mdir, 0777), 0);
    tdb_create(name, dir, url, sizeof(url));
    events[0] = '\0';
}

static godwit *open_with(const char *table, double lock_timeout, unsigned flags)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    godwit *g;

    o.url = url;
    o.dir = mdir;
    o.table = table;
    o.lock_timeout = lock_timeout;
    o.flags = flags;
    o.progress = on_event;
    ck_assert_msg(godwit_open(&g, &o) == 0, "%s", godwit_errmsg(g));
    return g;
}

static godwit *open_default(void)
{
    return open_with(NULL, 5, 0);
}

static long query(const char *sql)
{
    return tdb_query(url, sql);
}

/* How many migrations the history table (a quoted name) records: its rows
 * but the table's format row. */
static long migrations_in(const char *table)
{
    char sql[256];

    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE version <> ''",
             table);
    return query(sql);
}

static long tables_named(const char *name)
{
    return tdb_tables(url, name);
}

static const char *current(godwit *g)
{
    static char buf[64];
    godwit_status *s;

    ck_assert_msg(godwit_status_read(g, &s) == 0, "%s", godwit_errmsg(g));
    snprintf(buf, sizeof(buf), "%s",
             godwit_status_current(s) ? godwit_status_current(s) : "base");
    godwit_status_free(s);
    return buf;
}

static void write_three(void)
{
    tu_write(mdir, "0001_a.sql",
             "-- godwit:up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n"
             "-- godwit:down\nDROP TABLE a;\n");
    tu_write(mdir, "0002_b.sql",
             "-- godwit:up\nCREATE TABLE b (id INTEGER PRIMARY KEY, a_id "
             "INTEGER REFERENCES a (id));\n-- godwit:down\nDROP TABLE b;\n");
    tu_write(mdir, "0003_c.sql",
             "-- godwit:up\nCREATE TABLE c (id INTEGER);\n"
             "-- godwit:down\nDROP TABLE c;\n");
}

static void assert_errmsg(godwit *g, const char *expect)
{
    ck_assert_msg(strstr(godwit_errmsg(g), expect) != NULL,
                  "expected \"%s\" in \"%s\"", expect, godwit_errmsg(g));
    ck_assert_ptr_null(strchr(godwit_errmsg(g), '\n'));
}

/* Opens the default handle and runs up, which must fail saying `expect`. */
static godwit *up_fails(const char *expect)
{
    godwit *g = open_default();

    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ERROR);
    assert_errmsg(g, expect);
    return g;
}

START_TEST(up_down_and_status)
{
    godwit *g;
    godwit_status *s;

    fresh("engine-updown");
    write_three();
    g = open_default();
    ck_assert_str_eq(current(g), "base");
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_str_eq(events, "A+0001 A.0001 A+0002 A.0002 A+0003 A.0003");
    ck_assert_int_eq(tables_named("c"), 1);
    ck_assert_str_eq(current(g), "0003");
    ck_assert_int_eq(godwit_status_read(g, &s), 0);
    ck_assert_uint_eq(godwit_status_count(s), 3);
    ck_assert_int_eq(godwit_status_state(s, 1), GODWIT_STATE_APPLIED);
    ck_assert_str_eq(godwit_status_name(s, 1), "b");
    ck_assert_ptr_nonnull(godwit_status_applied_at(s, 1));
    ck_assert_int_ge(godwit_status_duration_ms(s, 1), 0);
    godwit_status_free(s);
    ck_assert_int_eq(godwit_down(g, NULL), 0);
    ck_assert_int_eq(tables_named("c"), 0);
    ck_assert_str_eq(current(g), "0002");
    ck_assert_int_eq(godwit_down(g, "base"), 0);
    ck_assert_int_eq(tables_named("a"), 0);
    ck_assert_str_eq(current(g), "base");
    ck_assert_int_eq(migrations_in("godwit_migrations"), 0);
    godwit_close(g);
}
END_TEST

START_TEST(redo_goto_and_targets)
{
    godwit *g;

    fresh("engine-goto");
    write_three();
    g = open_default();
    ck_assert_int_eq(godwit_up(g, "+1"), 0);
    ck_assert_str_eq(current(g), "0001");
    ck_assert_int_eq(godwit_goto(g, "0003"), 0);
    ck_assert_str_eq(current(g), "0003");
    events[0] = '\0';
    ck_assert_int_eq(godwit_redo(g), 0);
    ck_assert_str_eq(events, "R+0003 R.0003 A+0003 A.0003");
    ck_assert_int_eq(godwit_goto(g, "1"), 0);
    ck_assert_str_eq(current(g), "0001");
    ck_assert_int_eq(godwit_up(g, "2"), 0);
    ck_assert_str_eq(current(g), "0002");
    ck_assert_int_eq(godwit_up(g, "sideways"), GODWIT_EUSAGE);
    assert_errmsg(g, "invalid target \"sideways\"");
    ck_assert_int_eq(godwit_goto(g, "42"), GODWIT_ENOTFOUND);
    assert_errmsg(g, "no migration with version 42");
    godwit_close(g);
}
END_TEST

/* A failing statement rolls its migration back, names file:line:col,
 * the statement and the database's message, and stops the run. */
START_TEST(failure_rolls_back_and_points_at_source)
{
    godwit *g;

    fresh("engine-fail");
    write_three();
    tu_write(mdir, "0002_b.sql",
             "-- Orders.\n-- godwit:up\nCREATE TABLE b (id INTEGER);\n"
             "INSERT INTO b VALUES (1);\n"
             "CREATE TABLEE broken (\n    id INTEGER\n);\n"
             "-- godwit:down\nDROP TABLE b;\n");
    g = up_fails("/m/0002_b.sql:5:8: up failed: ");
    assert_errmsg(g, BK("near \"TABLEE\": syntax error (in",
                        "syntax error at or near \"TABLEE\" (SQLSTATE 42601) "
                        "(in"));
    assert_errmsg(g, "(in \"CREATE TABLEE broken (\"); the migration was "
                     "rolled back");
    ck_assert_str_eq(events, "A+0001 A.0001 A+0002 F0002");
    ck_assert_int_eq(tables_named("a"), 1);
    ck_assert_int_eq(tables_named("b"), 0);
    ck_assert_int_eq(tables_named("c"), 0);
    ck_assert_int_eq(migrations_in("godwit_migrations"), 1);
    godwit_close(g);
}
END_TEST

/* A runtime error (not a syntax error) in a later statement. */
START_TEST(runtime_error_and_foreign_keys)
{
    godwit *g;

    fresh("engine-fk");
    write_three();
    tu_write(mdir, "0004_d.sql",
             "-- godwit:up\nINSERT INTO a VALUES (1);\n"
             "INSERT INTO b VALUES (1, 1);\nINSERT INTO b VALUES (2, 99);\n"
             "-- godwit:down\n");
    g = up_fails("0004_d.sql:4:1: up failed: ");
    assert_errmsg(g, BK("FOREIGN KEY constraint failed (in",
                        "violates foreign key constraint \"b_a_id_fkey\"; "
                        "DETAIL: Key (a_id)=(99) is not present in table "
                        "\"a\". (SQLSTATE 23503) (in"));
    assert_errmsg(g, "(in \"INSERT INTO b VALUES (2, 99);\")");
    ck_assert_int_eq(query("SELECT count(*) FROM a"), 0);
    ck_assert_str_eq(current(g), "0003");
    godwit_close(g);
}
END_TEST

/* A migration that breaks the bookkeeping (here: drops the history
 * table) is rolled back whole, and the error says it is the bookkeeping. */
START_TEST(bookkeeping_failure_rolls_back)
{
    godwit *g;

    fresh("engine-books");
    write_three();
    tu_write(mdir, "0004_d.sql",
             "-- godwit:up\nCREATE TABLE d (id INTEGER);\n"
             "DROP TABLE godwit_migrations;\n-- godwit:down\nDROP TABLE d;\n");
    g = up_fails("0004_d.sql: history bookkeeping failed, the migration "
                 "was rolled back: ");
    assert_errmsg(g, BK("no such table", "does not exist"));
    ck_assert_int_eq(tables_named("d"), 0);
    ck_assert_int_eq(migrations_in("godwit_migrations"), 3);
    ck_assert_str_eq(current(g), "0003");
    godwit_close(g);
}
END_TEST

START_TEST(backend_override_and_transaction_off)
{
    godwit *g;

    fresh("engine-override");
    tu_write(mdir, "0001_a.sql",
             "-- godwit:up\nCREATE TABLE generic (id INT);\n"
             "-- godwit:up backend=sqlite\nCREATE TABLE lite (id INT);\n"
             "-- godwit:up backend=postgres\nCREATE TABLE pg (id INT);\n"
             "-- godwit:up backend=mysql\nCREATE TABLE my (id INT);\n"
             "-- godwit:down\nDROP TABLE generic;\n"
             "-- godwit:down backend=sqlite\nDROP TABLE lite;\n"
             "-- godwit:down backend=postgres\nDROP TABLE pg;\n"
             "-- godwit:down backend=mysql\nDROP TABLE my;\n");
    /* a statement that cannot run in a transaction, and on MySQL one that
     * returns rows, left unread by the migration */
    tu_write(mdir, "0002_vacuum.sql",
             "-- godwit:up transaction=off\nCREATE TABLE v (x TEXT);\n"
             "VACUUM;\nINSERT INTO v VALUES ('a;b');\n"
             "-- godwit:up backend=mysql transaction=off\n"
             "CREATE TABLE v (x TEXT);\nOPTIMIZE TABLE v;\n"
             "INSERT INTO v VALUES ('a;b');\n-- godwit:down\n"
             "-- godwit:down backend=mysql\n");
    g = open_default();
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(tables_named("lite"), !tdb_postgres() && !tdb_mysql());
    ck_assert_int_eq(tables_named("pg"), tdb_postgres());
    ck_assert_int_eq(tables_named("my"), tdb_mysql());
    ck_assert_int_eq(tables_named("generic"), 0);
    ck_assert_int_eq(query("SELECT count(*) FROM v WHERE x = 'a;b'"), 1);
    ck_assert_int_eq(godwit_down(g, "base"), 0);
    ck_assert_int_eq(tables_named("lite"), 0);
    ck_assert_int_eq(tables_named("pg"), 0);
    ck_assert_int_eq(tables_named("my"), 0);
    ck_assert_int_eq(tables_named("v"), 1); /* empty down: a no-op */
    godwit_close(g);
}
END_TEST

START_TEST(transaction_off_failure_is_reported)
{
    godwit *g;

    fresh("engine-txoff-fail");
    tu_write(mdir, "0001_a.sql",
             "-- godwit:up transaction=off\nCREATE TABLE t1 (x INT);\n"
             "INSERT INTO nope VALUES (1);\n-- godwit:down\n");
    g = up_fails(BK3("0001_a.sql:3:1: up failed: no such table: nope",
                     "0001_a.sql:3:13: up failed: relation \"nope\" does "
                     "not exist (SQLSTATE 42P01)",
                     "0001_a.sql:3:1: up failed: Table '"));
    assert_errmsg(g, BK3("nope", "nope",
                         ".nope' doesn't exist (MySQL error "
                         "1146) (SQLSTATE 42S02)"));
    assert_errmsg(g, "transaction=off: the statements before this one stay "
                     "done and the migration is recorded as interrupted; fix "
                     "the cause, then run godwit repair --resume");
    ck_assert_int_eq(tables_named("t1"), 1);
    godwit_close(g);
}
END_TEST

/* A transaction=off section whose first statement fails has changed
 * nothing: the migration stays as it was (pending, or applied), not
 * "interrupted after 0 statements", and the next command is not refused. */
START_TEST(transaction_off_first_statement)
{
    godwit_status *s;
    godwit *g;

    fresh("engine-txoff-first");
    tu_write(mdir, "0001_a.sql",
             "-- godwit:up transaction=off\nINSERT INTO nope VALUES (1);\n"
             "CREATE TABLE t1 (x INT);\n-- godwit:down transaction=off\n"
             "DROP TABLE t1;\n");
    g = up_fails("0001_a.sql:2:");
    assert_errmsg(g, "transaction=off: nothing of it ran, the migration is "
                     "not applied");
    ck_assert_str_eq(current(g), "base");
    ck_assert_int_eq(migrations_in("godwit_migrations"), 0);
    tu_write(mdir, "0001_a.sql",
             "-- godwit:up transaction=off\nCREATE TABLE t1 (x INT);\n"
             "-- godwit:down transaction=off\nDROP TABLE nope;\n"
             "DROP TABLE t1;\n");
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(godwit_repair(g, GODWIT_REPAIR_CHECKSUMS), 0);
    ck_assert_int_eq(godwit_down(g, NULL), GODWIT_ERROR);
    assert_errmsg(g, "0001_a.sql:4:");
    assert_errmsg(g, "transaction=off: nothing of it ran, the migration "
                     "stays applied");
    ck_assert_int_eq(godwit_status_read(g, &s), 0);
    ck_assert_int_eq(godwit_status_state(s, 0), GODWIT_STATE_APPLIED);
    ck_assert_ptr_null(godwit_status_note(s, 0));
    godwit_status_free(s);
    ck_assert_int_eq(tables_named("t1"), 1);
    tu_write(mdir, "0001_a.sql",
             "-- godwit:up transaction=off\nCREATE TABLE t1 (x INT);\n"
             "-- godwit:down transaction=off\nDROP TABLE t1;\n");
    ck_assert_int_eq(godwit_repair(g, GODWIT_REPAIR_CHECKSUMS), 0);
    ck_assert_msg(godwit_down(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(tables_named("t1"), 0);
    godwit_close(g);
}
END_TEST

/* One handle serves any sequence of calls: a script printed without a
 * connection (the crash of issue 14 was godwit_up right after it), live
 * up and down, status, and a script from the database's history, which
 * runs nothing and emits no progress. */
START_TEST(one_handle_any_order)
{
    godwit_status *s;
    godwit *g;
    char *sql;

    fresh("engine-mixed");
    write_three();
    g = open_default();
    ck_assert_int_eq(
        godwit_script(g, GODWIT_COMMAND_UP, NULL, tdb_backend(), NULL, &sql),
        0);
    ck_assert_ptr_nonnull(strstr(sql, "CREATE TABLE c"));
    free(sql);
    ck_assert_str_eq(events, "");
    ck_assert_msg(godwit_up(g, "0002") == 0, "%s", godwit_errmsg(g));
    ck_assert_str_eq(events, "A+0001 A.0001 A+0002 A.0002");
    ck_assert_int_eq(godwit_status_read(g, &s), 0);
    ck_assert_int_eq(godwit_status_state(s, 2), GODWIT_STATE_PENDING);
    godwit_status_free(s);
    events[0] = '\0';
    ck_assert_int_eq(
        godwit_script(g, GODWIT_COMMAND_DOWN, "base", NULL, NULL, &sql), 0);
    ck_assert_ptr_nonnull(strstr(sql, "DROP TABLE b"));
    ck_assert_ptr_null(strstr(sql, "DROP TABLE c")); /* not applied */
    free(sql);
    ck_assert_int_eq(godwit_script(g, GODWIT_COMMAND_STAMP, "head",
                                   tdb_backend(), "0001", &sql),
                     0);
    free(sql);
    ck_assert_str_eq(events, "");
    ck_assert_int_eq(tables_named("b"), 1); /* printing ran nothing */
    ck_assert_str_eq(current(g), "0002");
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(godwit_down(g, "0001"), 0);
    ck_assert_str_eq(current(g), "0001");
    ck_assert_int_eq(tables_named("c"), 0);
    godwit_close(g);
}
END_TEST

/* verify on a handle leaves it as it was: the configured schema (none
 * here), and the next call migrates the real database, not the scratch
 * schema verify dropped (PostgreSQL); on SQLite verify needs an empty
 * database and leaves every migration applied. */
START_TEST(verify_then_up)
{
    const char *src;
    godwit *g;

    fresh("engine-verify-up");
    write_three();
    g = open_default();
    ck_assert_msg(godwit_verify(g) == 0, "%s", godwit_errmsg(g));
    ck_assert_str_eq(events, "A+0001 A.0001 R+0001 R.0001 A+0001 A.0001 V0001 "
                             "A+0002 A.0002 R+0002 R.0002 A+0002 A.0002 V0002 "
                             "A+0003 A.0003 R+0003 R.0003 A+0003 A.0003 V0003");
    ck_assert_ptr_null(godwit_setting(g, "schema", &src));
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_str_eq(current(g), "0003");
    ck_assert_int_eq(tables_named("c"), 1);
    ck_assert_int_eq(migrations_in("godwit_migrations"), 3);
    godwit_close(g);
}
END_TEST

/* What godwit_setting(g, "schema") said during the events of a call. */
static godwit *probed;
static char seen_schema[1024];

static void probe_schema(const godwit_event *ev, void *ctx)
{
    const char *schema = godwit_setting(probed, "schema", NULL);
    size_t n = strlen(seen_schema);

    (void)ctx;
    if (schema != NULL && ev->type != GODWIT_EVENT_STATEMENT)
        snprintf(seen_schema + n, sizeof(seen_schema) - n, "%s;", schema);
}

/* verify between script, up, status and down on one handle: it runs on a
 * session of its own (a scratch schema on PostgreSQL), and the handle's
 * settings stay as they were, even while it runs. */
START_TEST(verify_mixed_with_other_calls)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    godwit_status *s;
    godwit *g;
    char *sql, app[64], twice[130], table[96];

    fresh("engine-verify-mixed");
    write_three();
    /* a schema of the test's own: on MySQL a database, server-wide */
    snprintf(app, sizeof(app), tdb_mysql() ? "gw_app_%ld" : "app",
             (long)getpid());
    snprintf(twice, sizeof(twice), "%s;%s;", app, app);
    snprintf(table, sizeof(table), "%s.godwit_migrations", app);
    o.url = url;
    o.dir = mdir;
    o.schema = tdb_postgres() || tdb_mysql() ? app : NULL;
    o.progress = probe_schema;
    ck_assert_msg(godwit_open(&g, &o) == 0, "%s", godwit_errmsg(g));
    probed = g;
    seen_schema[0] = '\0';
    ck_assert_int_eq(
        godwit_script(g, GODWIT_COMMAND_UP, NULL, tdb_backend(), NULL, &sql),
        0);
    free(sql);
    ck_assert_msg(godwit_verify(g) == 0, "%s", godwit_errmsg(g));
    if (o.schema != NULL) {
        /* 3 migrations x (up, up done, down, down done, up, up done,
         * verified): the configured schema every time */
        ck_assert_uint_eq(strlen(seen_schema), 21 * (strlen(app) + 1));
        ck_assert_ptr_nonnull(strstr(seen_schema, twice));
        ck_assert_ptr_null(strstr(seen_schema, "verify"));
        ck_assert_str_eq(current(g), "base"); /* the real one is untouched */
        ck_assert_msg(godwit_up(g, "0002") == 0, "%s", godwit_errmsg(g));
        ck_assert_int_eq(migrations_in(table), 2);
        ck_assert_msg(godwit_verify(g) == 0, "%s", godwit_errmsg(g));
        ck_assert_str_eq(godwit_setting(g, "schema", NULL), app);
    } else {
        ck_assert_str_eq(current(g), "0003"); /* verified in place */
        ck_assert_int_eq(godwit_down(g, "0002"), 0);
        ck_assert_int_eq(godwit_verify(g), GODWIT_EUSAGE); /* not empty */
        assert_errmsg(g, "is not empty");
    }
    ck_assert_str_eq(current(g), "0002");
    ck_assert_int_eq(
        godwit_script(g, GODWIT_COMMAND_DOWN, "base", NULL, NULL, &sql), 0);
    ck_assert_ptr_nonnull(strstr(sql, "DROP TABLE b"));
    ck_assert_ptr_null(strstr(sql, "DROP TABLE c"));
    free(sql);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(godwit_status_read(g, &s), 0);
    ck_assert_int_eq(godwit_status_state(s, 2), GODWIT_STATE_APPLIED);
    godwit_status_free(s);
    godwit_close(g);
}
END_TEST

/* An interrupted transaction=off migration: status says where it stopped
 * and why, up refuses, and repair --resume runs it on from the statement
 * that failed, reading the file as it is now. */
START_TEST(interrupted_then_resumed)
{
    godwit_status *s;
    godwit *g;

    fresh("engine-resume");
    tu_write(mdir, "0001_a.sql",
             "-- godwit:up transaction=off\nCREATE TABLE t1 (x INT);\n"
             "INSERT INTO t1 VALUES (1);\nINSERT INTO nope VALUES (2);\n"
             "INSERT INTO t1 VALUES (3);\n-- godwit:down transaction=off\n"
             "DROP TABLE t1;\n");
    tu_write(mdir, "0002_b.sql",
             "-- godwit:up\nCREATE TABLE t2 (x INT);\n"
             "-- godwit:down\nDROP TABLE t2;\n");
    g = open_default();
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ERROR);
    ck_assert_int_eq(godwit_status_read(g, &s), 0);
    ck_assert_int_eq(godwit_status_state(s, 0), GODWIT_STATE_INTERRUPTED);
    ck_assert_msg(strncmp(godwit_status_note(s, 0),
                          "up stopped after 2 statements: ", 31) == 0,
                  "%s", godwit_status_note(s, 0));
    ck_assert_ptr_null(godwit_status_note(s, 1));
    godwit_status_free(s);
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ECONFLICT);
    assert_errmsg(g, "0001_a.sql up was interrupted after 2 statements: ");
    assert_errmsg(g, "run godwit repair --resume");
    ck_assert_int_eq(godwit_down(g, NULL), GODWIT_ECONFLICT);
    ck_assert_int_eq(tables_named("t2"), 0);

    /* resuming the unfixed file fails again at the same place */
    ck_assert_int_eq(godwit_repair(g, GODWIT_REPAIR_RESUME), GODWIT_ERROR);
    assert_errmsg(g, "0001_a.sql:4:");
    tu_write(mdir, "0001_a.sql",
             "-- godwit:up transaction=off\nCREATE TABLE t1 (x INT);\n"
             "INSERT INTO t1 VALUES (1);\nINSERT INTO t1 VALUES (2);\n"
             "INSERT INTO t1 VALUES (3);\n-- godwit:down transaction=off\n"
             "DROP TABLE t1;\n");
    ck_assert_msg(godwit_repair(g, GODWIT_REPAIR_RESUME) == 0, "%s",
                  godwit_errmsg(g));
    ck_assert_int_eq(query("SELECT count(*) FROM t1"), 3);
    ck_assert_int_eq(query("SELECT sum(x) FROM t1"), 6);
    ck_assert_int_eq(godwit_validate(g), 0);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(tables_named("t2"), 1);
    /* a transaction=off down runs and unrecords */
    ck_assert_int_eq(godwit_down(g, "base"), 0);
    ck_assert_int_eq(tables_named("t1"), 0);
    ck_assert_str_eq(current(g), "base");
    godwit_close(g);
}
END_TEST

/* --mark-applied and --mark-reverted resolve an interruption by hand. */
START_TEST(interrupted_marked)
{
    godwit_status *s;
    godwit *g;

    fresh("engine-mark");
    tu_write(mdir, "0001_a.sql",
             "-- godwit:up transaction=off\nCREATE TABLE t1 (x INT);\n"
             "INSERT INTO nope VALUES (2);\n-- godwit:down\n");
    g = open_default();
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ERROR);
    ck_assert_int_eq(godwit_repair(g, GODWIT_REPAIR_MARK_APPLIED), 0);
    ck_assert_str_eq(events, "A+0001 F0001 H0001");
    ck_assert_int_eq(godwit_validate(g), 0);
    ck_assert_int_eq(godwit_status_read(g, &s), 0);
    ck_assert_int_eq(godwit_status_state(s, 0), GODWIT_STATE_APPLIED);
    godwit_status_free(s);
    godwit_close(g);

    fresh("engine-mark-reverted");
    tu_write(mdir, "0001_a.sql",
             "-- godwit:up transaction=off\nCREATE TABLE t1 (x INT);\n"
             "INSERT INTO nope VALUES (2);\n-- godwit:down\n");
    g = open_default();
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ERROR);
    ck_assert_int_eq(godwit_repair(g, GODWIT_REPAIR_MARK_REVERTED), 0);
    ck_assert_str_eq(current(g), "base");
    godwit_close(g);
}
END_TEST

/* stamp records without running; stamp base clears; repair re-records
 * checksums of edited files. */
START_TEST(stamp_and_repair_checksums)
{
    godwit *g;

    fresh("engine-stamp");
    write_three();
    g = open_default();
    ck_assert_msg(godwit_stamp(g, "0002") == 0, "%s", godwit_errmsg(g));
    ck_assert_str_eq(events, "T0001 T0002");
    ck_assert_str_eq(current(g), "0002");
    ck_assert_int_eq(tables_named("a"), 0); /* nothing ran */
    ck_assert_int_eq(godwit_stamp(g, "head"), 0);
    ck_assert_str_eq(current(g), "0003");
    events[0] = '\0';
    ck_assert_int_eq(godwit_stamp(g, "1"), 0);
    ck_assert_str_eq(events, "T0003 T0002");
    ck_assert_int_eq(godwit_stamp(g, "base"), 0);
    ck_assert_str_eq(current(g), "base");
    ck_assert_int_eq(godwit_stamp(g, "7"), GODWIT_EUSAGE);
    ck_assert_int_eq(godwit_stamp(g, NULL), GODWIT_EUSAGE);

    ck_assert_int_eq(godwit_up(g, NULL), 0);
    tu_write(mdir, "0002_b.sql",
             "-- b, now documented\n-- godwit:up\nCREATE TABLE b (id INTEGER "
             "PRIMARY KEY, a_id INTEGER REFERENCES a (id));\n-- godwit:down\n"
             "DROP TABLE b;\n");
    ck_assert_int_eq(godwit_validate(g), GODWIT_ECONFLICT);
    events[0] = '\0';
    ck_assert_int_eq(godwit_repair(g, GODWIT_REPAIR_CHECKSUMS), 0);
    ck_assert_str_eq(events, "H0002");
    ck_assert_int_eq(godwit_validate(g), 0);
    godwit_close(g);
}
END_TEST

START_TEST(irreversible_refused_whole)
{
    godwit *g;

    fresh("engine-irreversible");
    write_three();
    tu_write(mdir, "0002_b.sql", "-- godwit:up\nCREATE TABLE b (id INT);\n");
    g = open_default();
    ck_assert_int_eq(godwit_up(g, NULL), 0);
    ck_assert_int_eq(godwit_down(g, "base"), GODWIT_ERROR);
    assert_errmsg(g, "0002_b.sql has no down section: it is irreversible; "
                     "nothing was reverted");
    ck_assert_str_eq(current(g), "0003");
    ck_assert_int_eq(tables_named("c"), 1);
    godwit_close(g);
}
END_TEST

START_TEST(conflicts)
{
    godwit *g;
    char *path;

    fresh("engine-conflicts");
    write_three();
    g = open_default();
    ck_assert_int_eq(godwit_up(g, "+2"), 0);
    ck_assert_int_eq(godwit_validate(g), 0);
    tu_write(mdir, "0002_b.sql", "-- godwit:up\nCREATE TABLE b2 (id INT);\n");
    ck_assert_int_eq(godwit_validate(g), GODWIT_ECONFLICT);
    assert_errmsg(g, "0002_b.sql was changed after it was applied");
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ECONFLICT);
    ck_assert_int_eq(tables_named("c"), 0);
    path = tu_path(mdir, "0002_b.sql");
    ck_assert_int_eq(remove(path), 0);
    free(path);
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ECONFLICT);
    assert_errmsg(g, "migration 0002 (b) is applied but its file is missing");
    godwit_close(g);
    g = open_with(NULL, 5, GODWIT_OPT_IGNORE_MISSING);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(tables_named("c"), 1);
    godwit_close(g);
}
END_TEST

/* Applies 0001 and 0003, then puts 0002 back: pending but older. */
static godwit *with_gap(unsigned flags)
{
    char *path = tu_path(mdir, "0002_b.sql");
    godwit *g;

    write_three();
    ck_assert_int_eq(remove(path), 0);
    g = open_with(NULL, 5, flags);
    ck_assert_int_eq(godwit_up(g, NULL), 0);
    write_three();
    free(path);
    return g;
}

START_TEST(out_of_order)
{
    godwit *g;

    fresh("engine-ooo");
    g = with_gap(0);
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ECONFLICT);
    assert_errmsg(g, "0002_b.sql is pending but older than the newest "
                     "applied migration 0003");
    ck_assert_int_eq(godwit_validate(g), GODWIT_ECONFLICT);
    ck_assert_int_eq(tables_named("b"), 0);
    godwit_close(g);
}
END_TEST

START_TEST(allow_out_of_order)
{
    godwit *g;

    fresh("engine-ooo-allow");
    g = with_gap(GODWIT_OPT_ALLOW_OUT_OF_ORDER);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(tables_named("b"), 1);
    godwit_close(g);
}
END_TEST

/* A table name that would be SQL if pasted unquoted stays a name. */
START_TEST(hostile_table_name)
{
    const char *table = "gw\"; DROP TABLE a; --";
    godwit *g;

    fresh("engine-table");
    write_three();
    g = open_with(table, 5, 0);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(tables_named("a"), 1);
    ck_assert_int_eq(migrations_in(BK3("\"gw\"\"; DROP TABLE a; --\"",
                                       "\"gw\"\"; DROP TABLE a; --\"",
                                       "`gw\"; DROP TABLE a; --`")),
                     3);
    ck_assert_int_eq(godwit_down(g, NULL), 0);
    ck_assert_str_eq(current(g), "0002");
    godwit_close(g);
}
END_TEST

/* Another session holding the lock: give up after the timeout with
 * GODWIT_ELOCKED, having changed nothing. */
START_TEST(lock_timeout)
{
    void *holder;
    godwit *g;

    fresh("engine-lock");
    write_three();
    g = open_with(NULL, 0.2, 0);
    ck_assert_int_eq(godwit_up(g, "+1"), 0);
    godwit_close(g);
    holder = tdb_hold_lock(url);
    g = open_with(NULL, 0.2, 0);
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ELOCKED);
    assert_errmsg(g, BK3("database is locked after waiting 0.2 s",
                         "the migration lock on \"public\".\"godwit_"
                         "migrations\" is held by backend pid ",
                         ".`godwit_migrations` is held by connection "));
    assert_errmsg(g, BK("raise --lock-timeout", "gave up after 0.2 s"));
    /* a migrator that waits for the migration lock says so (LOCK_WAIT);
     * on SQLite this test holds the write lock, not the lock file */
    ck_assert_msg((strstr(events, " W") != NULL) ==
                      (tdb_postgres() || tdb_mysql()),
                  "%s", events);
    tdb_release(holder);
    ck_assert_str_eq(current(g), "0001");
    ck_assert_int_eq(godwit_up(g, NULL), 0);
    godwit_close(g);
}
END_TEST

START_TEST(sqlite_urls)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    char abs[4300];
    godwit *g;

    fresh("engine-urls");
    write_three();
    o.dir = mdir;
    o.url = "sqlite::memory:";
    ck_assert_int_eq(godwit_open(&g, &o), 0);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_str_eq(current(g), "0003");
    godwit_close(g);

    snprintf(abs, sizeof(abs), "sqlite://%s/abs.db", dir);
    ck_assert_int_eq(abs[strlen("sqlite://")], '/');
    o.url = abs;
    ck_assert_int_eq(godwit_open(&g, &o), 0);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    godwit_close(g);
    snprintf(url, sizeof(url), "sqlite:%s/abs.db", dir);
    ck_assert_int_eq(tables_named("c"), 1);

    o.url = "sqlite:/nonexistent/dir/x.db";
    ck_assert_int_eq(godwit_open(&g, &o), 0);
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ERROR);
    assert_errmsg(g, "cannot open SQLite database \"/nonexistent/dir/x.db\"");
    godwit_close(g);

    o.url = "oracle://db/app";
    ck_assert_int_eq(godwit_open(&g, &o), 0);
    ck_assert_int_eq(godwit_status_read(g, &(godwit_status *){NULL}),
                     GODWIT_ENOTFOUND);
    assert_errmsg(g, "no backend plugin for \"oracle:\" URLs");
    godwit_close(g);

    o.url = "app.db";
    ck_assert_int_eq(godwit_open(&g, &o), 0);
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_EUSAGE);
    assert_errmsg(g, "invalid database URL \"app.db\"");
    godwit_close(g);
}
END_TEST

/* What SQLite counts as in use while a handle opened with flags has applied
 * write_three(), in a process where SQLite starts as it would by default
 * (statistics on); tdb's connections are closed. */
static sqlite3_int64 counted_while_connected(unsigned flags)
{
    sqlite3_int64 before, during;
    godwit *g;

    ck_assert_int_eq(sqlite3_shutdown(), SQLITE_OK);
    ck_assert_int_eq(sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1), SQLITE_OK);
    before = sqlite3_memory_used();
    g = open_with(NULL, 5, flags);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    during = sqlite3_memory_used();
    godwit_close(g);
    return during - before;
}

/* GODWIT_OPT_OWN_PROCESS lets the backend change SQLite's process-wide
 * settings (memory statistics off); without it they are left alone. */
START_TEST(sqlite_own_process)
{
    fresh("engine-own");
    write_three();
    ck_assert_int_gt(counted_while_connected(0), 0);
    fresh("engine-own2");
    write_three();
    ck_assert_int_eq(counted_while_connected(GODWIT_OPT_OWN_PROCESS), 0);
    ck_assert_int_eq(tables_named("c"), 1);
}
END_TEST

START_TEST(new_continues_style)
{
    godwit *g;
    char *path;

    fresh("engine-new");
    rmdir(mdir);
    g = open_default();
    ck_assert_int_eq(godwit_new(g, "Create Users!", &path), 0);
    ck_assert_ptr_nonnull(strstr(path, "/m/0001_create_users.sql"));
    free(path);
    ck_assert_int_eq(godwit_new(g, "add orders", &path), 0);
    ck_assert_ptr_nonnull(strstr(path, "/m/0002_add_orders.sql"));
    free(path);
    /* the template is a valid, reversible migration */
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(godwit_down(g, "base"), 0);
    tu_write(mdir, "20260101000000_stamped.sql", "-- godwit:up\n");
    ck_assert_int_eq(godwit_new(g, "next", &path), 0);
    ck_assert_ptr_null(strstr(path, "/m/20260101000000_"));
    ck_assert_uint_eq(strlen(strrchr(path, '/') + 1),
                      strlen("20261122093000_next.sql"));
    free(path);
    tu_write(mdir, "99999999999999_future.sql", "-- godwit:up\n");
    ck_assert_int_eq(godwit_new(g, "after", &path), 0);
    ck_assert_ptr_nonnull(strstr(path, "/m/100000000000000_after.sql"));
    free(path);
    ck_assert_int_eq(godwit_new(g, "!!!", &path), GODWIT_EUSAGE);
    godwit_close(g);
}
END_TEST

START_TEST(errmsg_without_handle)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    godwit *g;

    o.version = 99;
    ck_assert_int_eq(godwit_open(&g, &o), GODWIT_EUSAGE);
    assert_errmsg(g, "GODWIT_OPTIONS_INIT");
    godwit_close(g);
    godwit_close(NULL);
    ck_assert_str_eq(godwit_errmsg(NULL), "out of memory");
}
END_TEST

/* A failing migration's place and SQLSTATE are data (godwit_errloc,
 * godwit_errsqlstate), and its message is whole: here the file's path
 * alone is longer than the 1536 bytes messages used to be cut at. */
/* The history table as godwit 0.1 created it before history had formats
 * (format 1): no applied_by column, no format row. */
static const char *const format1_table[2] = {
    "CREATE TABLE godwit_migrations (version TEXT NOT NULL PRIMARY KEY, "
    "name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL, "
    "duration_ms INTEGER NOT NULL, in_progress TEXT, statements_done "
    "INTEGER, error TEXT)",
    "CREATE TABLE godwit_migrations (version TEXT NOT NULL PRIMARY KEY, "
    "name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT "
    "NULL DEFAULT now(), duration_ms BIGINT NOT NULL, in_progress TEXT, "
    "statements_done BIGINT, error TEXT)"};

/* A format-1 table with the first `applied` of write_three's migrations
 * applied, as godwit 0.1 left it. */
static void format1_fixture(int applied)
{
    static const char *const tables[] = {
        "CREATE TABLE a (id INTEGER PRIMARY KEY)",
        "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a "
        "(id))"};
    godwit_err e = GODWIT_ERR_INIT;
    godwit_set *set;
    char sql[512];
    int i;

    query(format1_table[tdb_postgres()]);
    ck_assert_int_eq(godwit__set_load(&set, mdir, 0, &e), 0);
    for (i = 0; i < applied; i++) {
        const godwit_migration *m = set->items[i];

        query(tables[i]);
        snprintf(sql, sizeof(sql),
                 "INSERT INTO godwit_migrations VALUES ('%s', '%s', '%s', "
                 "'2026-11-22T08:52:0%d.123Z', 3, NULL, NULL, NULL)",
                 m->version, m->name, m->checksum, i);
        query(sql);
    }
    godwit__set_free(set);
}

static long has_column(const char *column)
{
    char sql[256];

    snprintf(sql, sizeof(sql),
             tdb_postgres() ? "SELECT count(*) FROM information_schema.columns "
                              "WHERE table_name = 'godwit_migrations' AND "
                              "column_name = '%s'"
                            : "SELECT count(*) FROM pragma_table_info("
                              "'godwit_migrations') WHERE name = '%s'",
             column);
    return query(sql);
}

/* A table written by an earlier godwit is read as it is by every command
 * that only reads, and upgraded in place by the first that writes, before
 * its first change (GODWIT_EVENT_UPGRADE); every command works on it. */
START_TEST(history_format1_upgraded)
{
    godwit_status *s;
    godwit *g;
    char *sql;

    fresh("engine-format1");
    write_three();
    format1_fixture(2);
    g = open_default();
    ck_assert_str_eq(current(g), "0002");
    ck_assert_int_eq(godwit_validate(g), 0);
    ck_assert_int_eq(
        godwit_script(g, GODWIT_COMMAND_UP, NULL, NULL, NULL, &sql), 0);
    ck_assert_ptr_nonnull(strstr(sql, "ADD COLUMN"));
    free(sql);
    ck_assert_int_eq(has_column("applied_by"), 0); /* nothing written yet */
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_str_eq(events, "U A+0003 A.0003");
    ck_assert_int_eq(has_column("applied_by"), 1);
    ck_assert_int_eq(query("SELECT count(*) FROM godwit_migrations WHERE "
                           "version = '' AND checksum = 'format:2'"),
                     1);
    ck_assert_int_eq(migrations_in("godwit_migrations"), 3);
    ck_assert_int_eq(godwit_history_read(g, &s), 0);
    ck_assert_uint_eq(godwit_status_count(s), 3);
    ck_assert_ptr_null(godwit_status_applied_by(s, 0)); /* before formats */
    ck_assert_str_eq(godwit_status_applied_by(s, 2), godwit__applied_by());
    godwit_status_free(s);
    events[0] = '\0';
    ck_assert_msg(godwit_redo(g) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(godwit_down(g, "base"), 0);
    ck_assert_int_eq(godwit_stamp(g, "head"), 0);
    ck_assert_int_eq(migrations_in("godwit_migrations"), 3);
    ck_assert_int_eq(godwit_stamp(g, "base"), 0);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_ptr_null(strchr(events, 'U')); /* once is enough */
    ck_assert_str_eq(current(g), "0003");
    godwit_close(g);

    /* an empty one, every migration reverted by godwit 0.1 */
    fresh("engine-format1-empty");
    write_three();
    format1_fixture(0);
    g = open_default();
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_str_eq(events, "U A+0001 A.0001 A+0002 A.0002 A+0003 A.0003");
    ck_assert_int_eq(has_column("applied_by"), 1);
    godwit_close(g);
}
END_TEST

/* A table in a format this godwit does not know (written by a later one)
 * is refused by every command, reading or writing, and left as it is. */
START_TEST(history_format_newer_refused)
{
    godwit_status *s;
    godwit *g;

    fresh("engine-format-newer");
    write_three();
    g = open_default();
    ck_assert_msg(godwit_up(g, "0002") == 0, "%s", godwit_errmsg(g));
    query("UPDATE godwit_migrations SET checksum = 'format:3' WHERE "
          "version = ''");
    ck_assert_int_eq(godwit_status_read(g, &s), GODWIT_ECONFLICT);
    assert_errmsg(g, "the history table godwit_migrations is in format 3, "
                     "which this godwit (");
    assert_errmsg(g, ") does not know: it reads formats 1 to 2; use the "
                     "godwit that wrote it, or a later one");
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ECONFLICT);
    ck_assert_int_eq(godwit_down(g, "base"), GODWIT_ECONFLICT);
    ck_assert_int_eq(godwit_stamp(g, "base"), GODWIT_ECONFLICT);
    ck_assert_int_eq(tables_named("c"), 0);
    ck_assert_int_eq(tables_named("b"), 1);
    ck_assert_int_eq(migrations_in("godwit_migrations"), 2);
    query("UPDATE godwit_migrations SET checksum = 'format:x' WHERE "
          "version = ''");
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ECONFLICT);
    assert_errmsg(g, "is in a format this godwit (");
    assert_errmsg(g, ") cannot read (its format row says \"format:x\")");
    godwit_close(g);
}
END_TEST

START_TEST(errors_as_data)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    godwit_status *s;
    const char *file, *msg;
    char deep[3000], part[201];
    unsigned line, col;
    godwit *g;
    int i;

    fresh("engine-errdata");
    memset(part, 'd', sizeof(part) - 1);
    part[sizeof(part) - 1] = '\0';
    snprintf(deep, sizeof(deep), "%s", mdir);
    for (i = 0; i < 9; i++) {
        snprintf(deep + strlen(deep), sizeof(deep) - strlen(deep), "/%s", part);
        ck_assert_int_eq(mkdir(deep, 0777), 0);
    }
    tu_write(deep, "0001_x.sql",
             "-- godwit:up\nCREATE TABLE x (id INT);\n"
             "  SELECT * FROM no_such_table;\n");
    o.url = url;
    o.dir = deep;
    ck_assert_msg(godwit_open(&g, &o) == 0, "%s", godwit_errmsg(g));
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ERROR);
    msg = godwit_errmsg(g);
    ck_assert_uint_gt(strlen(msg), 1536);
    ck_assert_msg(strncmp(msg, deep, strlen(deep)) == 0, "%s", msg);
    ck_assert_ptr_nonnull(strstr(msg, BK("/0001_x.sql:3:3: up failed: ",
                                         "/0001_x.sql:3:17: up failed: ")));
    ck_assert_ptr_nonnull(
        strstr(msg, BK3("the migration was rolled back and is not applied",
                        "the migration was rolled back and is not applied",
                        "the statements before this one stay done")));
    ck_assert_int_eq(godwit_errloc(g, &file, &line, &col), 1);
    ck_assert_uint_eq(strlen(file), strlen(deep) + strlen("/0001_x.sql"));
    ck_assert_uint_eq(line, 3);
    ck_assert_uint_eq(col, BK(3, 17)); /* PostgreSQL: at the table's name */
    if (tdb_postgres() || tdb_mysql())
        ck_assert_str_eq(godwit_errsqlstate(g), BK3("", "42P01", "42S02"));
    else
        ck_assert_ptr_null(godwit_errsqlstate(g)); /* SQLite has none */
    ck_assert_str_eq(godwit_errstr(godwit_errcode(g)),
                     "SQL, connection or I/O failure");
    ck_assert_int_eq(godwit_status_read(g, &s), 0); /* a success clears it */
    godwit_status_free(s);
    ck_assert_int_eq(godwit_errloc(g, &file, NULL, NULL), 0);
    ck_assert_ptr_null(godwit_errsqlstate(g));
    ck_assert_str_eq(godwit_errmsg(g), "no error");
    godwit_close(g);
}
END_TEST

/* --schema puts history and the session's search_path in a schema. */
START_TEST(postgres_schema)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    godwit *g;

    fresh("engine-schema");
    write_three();
    o.url = url;
    o.dir = mdir;
    o.schema = "app \"one\"";
    ck_assert_int_eq(godwit_open(&g, &o), 0);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_str_eq(current(g), "0003");
    godwit_close(g);
    ck_assert_int_eq(migrations_in("\"app \"\"one\"\"\".godwit_migrations"), 3);
    ck_assert_int_eq(query("SELECT count(*) FROM pg_tables WHERE "
                           "schemaname = 'app \"one\"' AND tablename = 'c'"),
                     1);
    /* the public schema has its own, empty history */
    g = open_default();
    ck_assert_str_eq(current(g), "base");
    godwit_close(g);
}
END_TEST

/* A transactional migration reaches the server as one message: BEGIN,
 * the body, the history row and COMMIT (statement_timestamp(), when the
 * message arrived, is then the transaction's start), and the database
 * measures how long it took.  The migrations run with the handle's lock
 * timeout (5 s) as lock_timeout, so that no statement waits longer for a
 * table's lock. */
START_TEST(postgres_one_round_trip)
{
    godwit *g;

    fresh("engine-trip");
    tu_write(mdir, "0001_t.sql",
             "-- godwit:up\nSELECT pg_sleep(0.2);\n"
             "CREATE TABLE t AS SELECT statement_timestamp() = now() AS one, "
             "current_setting('lock_timeout') AS lt;\n"
             "-- godwit:down\nDROP TABLE t;\n");
    g = open_default();
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    godwit_close(g);
    ck_assert_int_eq(query("SELECT count(*) FROM t WHERE one"), 1);
    ck_assert_int_eq(query("SELECT count(*) FROM t WHERE lt = '5s'"), 1);
    ck_assert_int_eq(query("SELECT count(*) FROM godwit_migrations WHERE "
                           "duration_ms BETWEEN 200 AND 60000"),
                     1);
}
END_TEST

/* A deferred constraint fails at COMMIT, after the body: the migration
 * is rolled back, and the error is not pinned on a line of the body. */
START_TEST(postgres_deferred_constraint)
{
    godwit *g;

    fresh("engine-deferred");
    tu_write(mdir, "0001_p.sql",
             "-- godwit:up\nCREATE TABLE p (id INT PRIMARY KEY);\n"
             "CREATE TABLE ch (p_id INT REFERENCES p DEFERRABLE INITIALLY "
             "DEFERRED);\nINSERT INTO ch VALUES (1);\n"
             "-- godwit:down\nDROP TABLE ch;\nDROP TABLE p;\n");
    g = up_fails("0001_p.sql: history bookkeeping failed, the migration "
                 "was rolled back: ");
    assert_errmsg(g, "violates foreign key constraint");
    ck_assert_str_eq(current(g), "base");
    godwit_close(g);
    ck_assert_int_eq(tables_named("p"), 0);
}
END_TEST

/* transaction=off runs what a transaction block refuses; the same SQL in
 * a transactional section is refused by the server. */
START_TEST(postgres_concurrently)
{
    godwit *g;

    fresh("engine-concurrently");
    tu_write(mdir, "0001_t.sql",
             "-- godwit:up\nCREATE TABLE t (x TEXT);\n"
             "CREATE TYPE mood AS ENUM ('ok');\n-- godwit:down\n");
    tu_write(mdir, "0002_ix.sql",
             "-- godwit:up transaction=off\n"
             "CREATE INDEX CONCURRENTLY ix_t_x ON t (x);\n"
             "ALTER TYPE mood ADD VALUE 'sad';\nVACUUM t;\n"
             "-- godwit:down transaction=off\n"
             "DROP INDEX CONCURRENTLY ix_t_x;\n");
    tu_write(mdir, "0003_tx.sql",
             "-- godwit:up\nSELECT 1;\n"
             "CREATE INDEX CONCURRENTLY ix_t_x2 ON t (x);\n-- godwit:down\n");
    g = up_fails("0003_tx.sql:3:1: up failed: CREATE INDEX CONCURRENTLY "
                 "cannot run inside a transaction block (SQLSTATE 25001)");
    ck_assert_int_eq(query("SELECT count(*) FROM pg_indexes WHERE indexname "
                           "= 'ix_t_x'"),
                     1);
    ck_assert_int_eq(query("SELECT count(*) FROM pg_enum WHERE enumlabel = "
                           "'sad'"),
                     1);
    ck_assert_str_eq(current(g), "0002");
    ck_assert_int_eq(godwit_down(g, NULL), 0);
    ck_assert_int_eq(query("SELECT count(*) FROM pg_indexes WHERE indexname "
                           "= 'ix_t_x'"),
                     0);
    godwit_close(g);
}
END_TEST

/* An error's DETAIL and HINT reach the message. */
START_TEST(postgres_detail_and_hint)
{
    godwit *g;

    fresh("engine-hint");
    tu_write(mdir, "0001_a.sql",
             "-- godwit:up\nDO $$ BEGIN RAISE EXCEPTION 'custom failure' "
             "USING DETAIL = 'the detail', HINT = 'the hint'; END $$;\n");
    g = open_default();
    ck_assert_int_eq(godwit_up(g, NULL), GODWIT_ERROR);
    assert_errmsg(g, "0001_a.sql:2:1: up failed: custom failure; DETAIL: the "
                     "detail; HINT: the hint (SQLSTATE P0001)");
    godwit_close(g);
}
END_TEST

/* A bare postgres:// URL takes everything from libpq's environment. */
START_TEST(postgres_bare_url)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    const char *db;
    char dbname[128];
    godwit *g;

    fresh("engine-bare");
    write_three();
    db = strstr(url, "@/") + 2;
    snprintf(dbname, sizeof(dbname), "%.*s", (int)strcspn(db, "?"), db);
    setenv("PGHOST", getenv("GODWIT_TEST_PG_HOST"), 1);
    setenv("PGPORT", getenv("GODWIT_TEST_PG_PORT"), 1);
    setenv("PGUSER", getenv("GODWIT_TEST_PG_USER"), 1);
    setenv("PGDATABASE", dbname, 1);
    o.url = "postgres://";
    o.dir = mdir;
    ck_assert_int_eq(godwit_open(&g, &o), 0);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    godwit_close(g);
    unsetenv("PGDATABASE");
    ck_assert_int_eq(tables_named("c"), 1);
}
END_TEST

/* Passwords the libpq way: a wrong one is refused with a clear message
 * that does not show it; PGPASSFILE (~/.pgpass) and service files work. */
START_TEST(postgres_passwords)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    char tcp[512], *pgpass, *services, line[512];
    const char *port = getenv("GODWIT_TEST_PG_PORT");
    godwit *g;

    fresh("engine-passwords");
    write_three();
    query("DO $$ BEGIN CREATE ROLE gw_pw LOGIN SUPERUSER PASSWORD "
          "'right-horse'; EXCEPTION WHEN duplicate_object THEN NULL; END "
          "$$");
    o.dir = mdir;
    snprintf(tcp, sizeof(tcp),
             "postgresql://gw_pw:battery-staple@127.0.0.1:%s/postgres", port);
    o.url = tcp;
    ck_assert_int_eq(godwit_open(&g, &o), 0);
    ck_assert_int_eq(godwit_status_read(g, &(godwit_status *){NULL}),
                     GODWIT_ERROR);
    assert_errmsg(g, "password authentication failed for user \"gw_pw\"");
    assert_errmsg(g, "postgresql://gw_pw:***@127.0.0.1:");
    ck_assert_ptr_null(strstr(godwit_errmsg(g), "battery"));
    godwit_close(g);

    pgpass = tu_path(dir, "pgpass");
    snprintf(line, sizeof(line), "127.0.0.1:%s:*:gw_pw:right-horse\n", port);
    tu_write(dir, "pgpass", line);
    ck_assert_int_eq(chmod(pgpass, 0600), 0);
    setenv("PGPASSFILE", pgpass, 1);
    snprintf(tcp, sizeof(tcp), "postgresql://gw_pw@127.0.0.1:%s/%s", port,
             strstr(url, "@/") + 2);
    tcp[strcspn(tcp, "?")] = '\0';
    o.url = tcp;
    ck_assert_int_eq(godwit_open(&g, &o), 0);
    ck_assert_msg(godwit_up(g, "+1") == 0, "%s", godwit_errmsg(g));
    godwit_close(g);

    services = tu_path(dir, "pg_service.conf");
    snprintf(line, sizeof(line),
             "[godwit_test]\nhost=127.0.0.1\nport=%s\nuser=gw_pw\n"
             "dbname=%s\n",
             port, strrchr(tcp, '/') + 1);
    tu_write(dir, "pg_service.conf", line);
    setenv("PGSERVICEFILE", services, 1);
    o.url = "postgresql://?service=godwit_test";
    ck_assert_int_eq(godwit_open(&g, &o), 0);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    godwit_close(g);
    unsetenv("PGPASSFILE");
    unsetenv("PGSERVICEFILE");
    ck_assert_int_eq(tables_named("c"), 1);
    free(pgpass);
    free(services);
}
END_TEST

/* The lock dies with the migrator that held it: one killed in the middle
 * of a migration leaves no lock behind for the next (the server ends the
 * vanished client's session within about a second). */
START_TEST(postgres_lock_dies_with_session)
{
    static const char sleeping[] =
        "SELECT count(*) FROM pg_stat_activity WHERE datname = "
        "current_database() AND application_name = 'victim' AND state = "
        "'active' AND query LIKE '%pg_sleep%'";
    char victim[4400];
    godwit *g;
    pid_t child;
    int status, i;

    fresh("engine-lockdies");
    write_three();
    tu_write(mdir, "0004_wait.sql",
             "-- godwit:up\nSELECT pg_sleep(CASE WHEN current_setting("
             "'application_name') = 'victim' THEN 60 ELSE 0 END);\n"
             "-- godwit:down\n");
    snprintf(victim, sizeof(victim), "%s&application_name=victim", url);
    if ((child = fork()) == 0) { /* a migrator, killed in 0004 */
        godwit_options o = GODWIT_OPTIONS_INIT;
        godwit *v;

        o.url = victim;
        o.dir = mdir;
        if (godwit_open(&v, &o) == 0)
            godwit_up(v, NULL);
        _exit(0);
    }
    for (i = 0; i < 400 && query(sleeping) == 0; i++)
        usleep(50000);
    ck_assert_msg(i < 400, "the migrator never reached 0004");
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    /* the server ends the session of the vanished client, and its lock */
    g = open_with(NULL, 10, 0);
    ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    ck_assert_str_eq(current(g), "0004");
    godwit_close(g);
}
END_TEST

/* In a child: makes the database of late come into being after 0.7 s. */
static int appear_later(const char *late)
{
    char sql[256], path[4300];
    const char *db;

    usleep(700000);
    if (!tdb_postgres()) {
        snprintf(path, sizeof(path), "%s", late + strlen("sqlite:"));
        *strrchr(path, '/') = '\0';
        return mkdir(path, 0777) != 0;
    }
    db = strstr(late, "@/") + 2;
    snprintf(sql, sizeof(sql), "CREATE DATABASE \"%.*s\"",
             (int)strcspn(db, "?"), db);
    return tdb_query(url, sql) != -1;
}

/* godwit_wait returns at once when the database is up, gives up with the
 * last error when it never comes, and connects once it appears. */
START_TEST(wait_for_database)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    char late[4300];
    godwit *g;
    pid_t child;
    int status;

    fresh("engine-wait");
    g = open_default();
    ck_assert_msg(godwit_wait(g, 5) == 0, "%s", godwit_errmsg(g));
    if (tdb_postgres()) { /* the server ends the kept session: made again */
        static const char kill[] = /* this test's database alone */
            "SELECT count(CASE WHEN application_name = 'godwit' AND "
            "datname = current_database() THEN pg_terminate_backend(pid) END) "
            "FROM pg_stat_activity";

        ck_assert_int_eq(query(kill), 1);
        ck_assert_msg(godwit_wait(g, 5) == 0, "%s", godwit_errmsg(g));
        write_three();
        ck_assert_msg(godwit_up(g, NULL) == 0, "%s", godwit_errmsg(g));
    }
    godwit_close(g);
    events[0] = '\0';
    o.url = BK("sqlite:/nonexistent/dir/x.db",
               "postgresql://nobody@/x?host=/nonexistent&port=1");
    o.progress = on_event;
    ck_assert_int_eq(godwit_open(&g, &o), 0);
    ck_assert_int_eq(godwit_wait(g, 0.5), GODWIT_ERROR);
    assert_errmsg(g, "attempts in 0.5 s)");
    assert_errmsg(g,
                  BK("cannot open SQLite database", "/nonexistent/.s.PGSQL.1"));
    ck_assert_msg(strncmp(events, "C C", 3) == 0, "retries: %s", events);
    godwit_close(g);

    /* the database appears 0.7 s after the application starts waiting */
    if (tdb_postgres())
        snprintf(late, sizeof(late), "%.*s_late%s", (int)strcspn(url, "?"), url,
                 strchr(url, '?'));
    else
        snprintf(late, sizeof(late), "sqlite:%s/late/x.db", dir);
    if ((child = fork()) == 0)
        _exit(appear_later(late));
    events[0] = '\0';
    o.url = late;
    ck_assert_int_eq(godwit_open(&g, &o), 0);
    ck_assert_msg(godwit_wait(g, 20) == 0, "%s", godwit_errmsg(g));
    ck_assert_msg(events[0] == 'C', "no retry before: %s", events);
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert_int_eq(status, 0);
    godwit_close(g);
}
END_TEST

int main(void)
{
    Suite *s = suite_create(tdb_backend());
    TCase *tc = tcase_create("engine");

    tdb_require();
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, up_down_and_status);
    tcase_add_test(tc, redo_goto_and_targets);
    /* MySQL cannot roll back DDL: there, the failures these tests see
     * rolled back stop half-way, as commands-mysql.test checks */
    if (!tdb_mysql()) {
        tcase_add_test(tc, failure_rolls_back_and_points_at_source);
        tcase_add_test(tc, runtime_error_and_foreign_keys);
        tcase_add_test(tc, bookkeeping_failure_rolls_back);
    }
    tcase_add_test(tc, backend_override_and_transaction_off);
    tcase_add_test(tc, transaction_off_failure_is_reported);
    tcase_add_test(tc, transaction_off_first_statement);
    tcase_add_test(tc, one_handle_any_order);
    tcase_add_test(tc, verify_then_up);
    tcase_add_test(tc, verify_mixed_with_other_calls);
    tcase_add_test(tc, interrupted_then_resumed);
    tcase_add_test(tc, interrupted_marked);
    tcase_add_test(tc, stamp_and_repair_checksums);
    tcase_add_test(tc, irreversible_refused_whole);
    tcase_add_test(tc, conflicts);
    tcase_add_test(tc, out_of_order);
    tcase_add_test(tc, allow_out_of_order);
    tcase_add_test(tc, hostile_table_name);
    tcase_add_test(tc, lock_timeout);
    tcase_add_test(tc, new_continues_style);
    tcase_add_test(tc, errmsg_without_handle);
    tcase_add_test(tc, errors_as_data);
    if (!tdb_mysql()) /* no MySQL history table was ever format 1 */
        tcase_add_test(tc, history_format1_upgraded);
    tcase_add_test(tc, history_format_newer_refused);
    tcase_add_test(tc, wait_for_database);
    if (tdb_postgres()) {
        tcase_add_test(tc, postgres_schema);
        tcase_add_test(tc, postgres_one_round_trip);
        tcase_add_test(tc, postgres_deferred_constraint);
        tcase_add_test(tc, postgres_concurrently);
        tcase_add_test(tc, postgres_detail_and_hint);
        tcase_add_test(tc, postgres_bare_url);
        tcase_add_test(tc, postgres_passwords);
        tcase_add_test(tc, postgres_lock_dies_with_session);
    } else if (!tdb_mysql()) {
        tcase_add_test(tc, sqlite_urls);
        tcase_add_test(tc, sqlite_own_process);
    }
    suite_add_tcase(s, tc);
    return tu_run(s);
}
