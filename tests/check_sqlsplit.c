/* check_sqlsplit.c - statement boundaries, table-driven. */
#include <stdlib.h>
#include <string.h>

#include "godwit-backend.h"
#include "godwit-util.h"
#include "testutil.h"

/* Each input and its statements joined by " | ". */
static const struct {
    const char *sql;
    const char *expect;
} cases[] = {
    {"", ""},
    {"  -- only a comment\n/* and another */\n", ""},
    {"SELECT 1", "SELECT 1"},
    {"SELECT 1;SELECT 2;", "SELECT 1 | SELECT 2"},
    {";;  SELECT 1 ;; ; SELECT 2", "SELECT 1 | SELECT 2"},
    {"SELECT 'a;b'; SELECT 2", "SELECT 'a;b' | SELECT 2"},
    {"SELECT 'it''s;'; SELECT 2", "SELECT 'it''s;' | SELECT 2"},
    {"SELECT \"we;ird\"\"col\" FROM t; SELECT 2",
     "SELECT \"we;ird\"\"col\" FROM t | SELECT 2"},
    {"SELECT E'a\\';b'; SELECT 2", "SELECT E'a\\';b' | SELECT 2"},
    {"SELECT e'\\\\'; SELECT 2", "SELECT e'\\\\' | SELECT 2"},
    /* a backslash in a plain string is no escape */
    {"SELECT 'a\\'; SELECT 2", "SELECT 'a\\' | SELECT 2"},
    {"SELECT $$a;b$$; SELECT 2", "SELECT $$a;b$$ | SELECT 2"},
    {"CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; "
     "$body$ LANGUAGE plpgsql; SELECT 2",
     "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; "
     "$body$ LANGUAGE plpgsql | SELECT 2"},
    {"DO $x$ BEGIN PERFORM $$;$$; END $x$; SELECT 2",
     "DO $x$ BEGIN PERFORM $$;$$; END $x$ | SELECT 2"},
    /* $1 is a parameter, a$b$ an identifier: no dollar quote */
    {"SELECT $1; SELECT a$b$ FROM t; SELECT 3",
     "SELECT $1 | SELECT a$b$ FROM t | SELECT 3"},
    {"SELECT 1 /* a; /* nested; */ still; */; SELECT 2", "SELECT 1 | SELECT 2"},
    {"SELECT /* a; /* b; */ c; */ 1; SELECT 2",
     "SELECT /* a; /* b; */ c; */ 1 | SELECT 2"},
    {"SELECT 1 -- trailing; comment\n; SELECT 2", "SELECT 1 | SELECT 2"},
    {"CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); "
     "UPDATE c SET x = 1; END; SELECT 2",
     "CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); "
     "UPDATE c SET x = 1; END | SELECT 2"},
    {"create trigger t after insert on a begin select case when 1 then 2 "
     "else 3 end; end; select 2",
     "create trigger t after insert on a begin select case when 1 then 2 "
     "else 3 end; end | select 2"},
    {"SELECT CASE WHEN a THEN 'x;' ELSE 'y' END FROM t; SELECT 2",
     "SELECT CASE WHEN a THEN 'x;' ELSE 'y' END FROM t | SELECT 2"},
    /* a transaction's BEGIN is a statement of its own */
    {"BEGIN; SELECT 1; END;", "BEGIN | SELECT 1 | END"},
    {"BEGIN TRANSACTION; COMMIT", "BEGIN TRANSACTION | COMMIT"},
    /* a table or column called like a keyword opens no block */
    {"CREATE TABLE trigger_log (begin_at TEXT); SELECT 2",
     "CREATE TABLE trigger_log (begin_at TEXT) | SELECT 2"},
    {"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; "
     "END; SELECT 2",
     "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; "
     "END | SELECT 2"},
    {"SELECT `a;b` FROM t; SELECT 2", "SELECT `a;b` FROM t | SELECT 2"},
    {"CREATE INDEX CONCURRENTLY ix ON t (a);\nVACUUM;\n",
     "CREATE INDEX CONCURRENTLY ix ON t (a) | VACUUM"},
};

static char *split_all(const char *sql)
{
    godwit_buf out = GODWIT_BUF_INIT;
    godwit_span st;
    const char *why = NULL;
    size_t pos = 0;
    int rc;

    while ((rc = godwit__sql_next(0, sql, strlen(sql), &pos, &st, &why)) == 1) {
        if (out.len > 0)
            godwit__buf_puts(&out, " | ");
        godwit__buf_put(&out, sql + st.start, st.end - st.start);
    }
    ck_assert_msg(rc == 0, "unexpected error: %s", why ? why : "?");
    return godwit__buf_detach(&out);
}

START_TEST(splits)
{
    char *got = split_all(cases[_i].sql);

    ck_assert_msg(strcmp(got, cases[_i].expect) == 0,
                  "input: %s\nexpected: %s\ngot:      %s", cases[_i].sql,
                  cases[_i].expect, got);
    free(got);
}
END_TEST

static const struct {
    const char *sql;
    size_t at;
    const char *why;
} bad[] = {
    {"SELECT 'abc", 7, "unterminated string literal"},
    {"SELECT 1; SELECT \"abc", 17, "unterminated quoted identifier"},
    {"SELECT $f$ body", 7, "unterminated dollar-quoted string"},
    {"SELECT 1; /* never /* closed */", 10, "unterminated /* comment"},
    {"SELECT E'\\'", 7, "unterminated E'' string"},
    {"SELECT 1;\n  delimiter $$\nCREATE PROCEDURE p() BEGIN END$$", 12,
     "DELIMITER is a command of the mysql client, not SQL; leave it out: "
     "godwit finds where a BEGIN ... END body ends by itself"},
};

START_TEST(unterminated)
{
    const char *sql = bad[_i].sql, *why = NULL;
    godwit_span st;
    size_t pos = 0;
    int rc;

    while ((rc = godwit__sql_next(0, sql, strlen(sql), &pos, &st, &why)) == 1)
        ;
    ck_assert_int_eq(rc, GODWIT_ERROR);
    ck_assert_uint_eq(st.start, bad[_i].at);
    ck_assert_str_eq(why, bad[_i].why);
}
END_TEST

/* The same script in SQLite's and PostgreSQL's dialect (0) and in MySQL's:
 * backslash escapes, # comments, '$' in names, BEGIN ... END routines. */
static const struct {
    unsigned dialect;
    const char *sql, *expect;
} dialects[] = {
    {GODWIT_DIALECT_BACKSLASH, "INSERT INTO t VALUES ('a\\'b;c'); SELECT 2",
     "INSERT INTO t VALUES ('a\\'b;c') | SELECT 2"},
    {GODWIT_DIALECT_BACKSLASH, "SELECT \"x\\\";y\"; SELECT 2",
     "SELECT \"x\\\";y\" | SELECT 2"},
    {0, "SELECT 'a\\'; SELECT 2", "SELECT 'a\\' | SELECT 2"},
    {GODWIT_DIALECT_HASH_COMMENT, "# one; two\nSELECT 1; # three; four\n",
     "SELECT 1"},
    {GODWIT_DIALECT_HASH_COMMENT, "SELECT 1 # end; not a statement\n;",
     "SELECT 1"}, /* one statement, its comment left out */
    {0, "SELECT a#b FROM t; SELECT 2", "SELECT a#b FROM t | SELECT 2"},
    {GODWIT_DIALECT_NO_DOLLAR, "SELECT $a FROM t; SELECT $b$;",
     "SELECT $a FROM t | SELECT $b$"},
    {GODWIT_DIALECT_NO_DOLLAR | GODWIT_DIALECT_BACKSLASH,
     "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 'x\\';'; END; CALL p()",
     "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 'x\\';'; END | CALL p()"},
    {0,
     "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM t; "
     "END; SELECT 1",
     "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM t; END | "
     "SELECT 1"},
};

START_TEST(dialect_splits)
{
    const char *sql = dialects[_i].sql, *why = NULL;
    godwit_buf out = GODWIT_BUF_INIT;
    godwit_span st;
    size_t pos = 0;
    int rc;

    while ((rc = godwit__sql_next(dialects[_i].dialect, sql, strlen(sql), &pos,
                                  &st, &why)) == 1) {
        if (out.len > 0)
            godwit__buf_puts(&out, " | ");
        godwit__buf_put(&out, sql + st.start, st.end - st.start);
    }
    ck_assert_msg(rc == 0, "%s: %s", sql, why ? why : "?");
    ck_assert_str_eq(out.ptr ? out.ptr : "", dialects[_i].expect);
    godwit__buf_free(&out);
}
END_TEST

START_TEST(text_positions)
{
    const char *t = "ab\ncd\n\nefg";
    unsigned line, col;
    char first[84];

    godwit__text_pos(t, 0, &line, &col);
    ck_assert_uint_eq(line, 1);
    ck_assert_uint_eq(col, 1);
    godwit__text_pos(t, 4, &line, &col);
    ck_assert_uint_eq(line, 2);
    ck_assert_uint_eq(col, 2);
    godwit__text_pos(t, 9, &line, &col);
    ck_assert_uint_eq(line, 4);
    ck_assert_uint_eq(col, 3);
    godwit__text_line("  CREATE TABLE x (\n  a INT);", 27, first, 80);
    ck_assert_str_eq(first, "CREATE TABLE x (");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sqlsplit");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, splits, 0, (int)(sizeof(cases) / sizeof(*cases)));
    tcase_add_loop_test(tc, unterminated, 0, (int)(sizeof(bad) / sizeof(*bad)));
    tcase_add_loop_test(tc, dialect_splits, 0,
                        (int)(sizeof(dialects) / sizeof(*dialects)));
    tcase_add_test(tc, text_positions);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
