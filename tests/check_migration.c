/* check_migration.c - one migration file: names, sections, errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-model.h"
#include "testutil.h"

static godwit_err err;

/* Parses text as path; returns the migration or NULL (see err). */
static godwit_migration *parse(const char *path, const char *text)
{
    godwit_migration *m = NULL;

    godwit__err_clear(&err);
    godwit__migration_parse(&m, path, text, strlen(text), &err);
    return m;
}

static void assert_error(const char *text, const char *expect)
{
    godwit_migration *m = parse("m/0001_x.sql", text);

    ck_assert_ptr_null(m);
    ck_assert_msg(strstr(err.msg, expect) != NULL, "expected \"%s\" in \"%s\"",
                  expect, err.msg);
}

static char *body(const godwit_migration *m, const godwit_section *s)
{
    return strndup(m->text + s->start, s->end - s->start);
}

START_TEST(file_names)
{
    size_t d;

    ck_assert_int_eq(godwit__migration_name("0001_create_users.sql", &d), 0);
    ck_assert_uint_eq(d, 4);
    ck_assert_int_eq(godwit__migration_name("20261122093000_a_b.sql", &d), 0);
    ck_assert_uint_eq(d, 14);
    ck_assert_int_eq(godwit__migration_name("7.sql", &d), 0);
    ck_assert_uint_eq(d, 1);
    ck_assert_int_eq(godwit__migration_name("README.md", &d), GODWIT_ENOTFOUND);
    ck_assert_int_eq(godwit__migration_name("create_users.sql", &d),
                     GODWIT_ERROR);
    ck_assert_int_eq(godwit__migration_name("0001-users.sql", &d),
                     GODWIT_ERROR);
    /* any length: versions compare as numbers, not as machine integers */
    ck_assert_int_eq(godwit__migration_name("1234567890123456789012345678901234"
                                            "5678901234567890_x.sql",
                                            &d),
                     0);
    ck_assert_uint_eq(d, 50);
}
END_TEST

/* The migration's version and name come from its path's last part. */
START_TEST(names_from_path)
{
    static const char *const cases[][3] = {
        {"a.b/20261122093000_a_b.sql", "20261122093000", "a_b"},
        {"dir/7.sql", "7", ""},
        {"0010_x.sql", "0010", "x"},
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        godwit_migration *m = parse(cases[i][0], "-- godwit:up\nSELECT 1;\n");

        ck_assert_msg(m != NULL, "%s: %s", cases[i][0], err.msg);
        ck_assert_str_eq(m->path, cases[i][0]);
        ck_assert_str_eq(m->version, cases[i][1]);
        ck_assert_str_eq(m->name, cases[i][2]);
        godwit__migration_free(m);
    }
    ck_assert_ptr_null(parse("dir/x_1.sql", "-- godwit:up\nSELECT 1;\n"));
    ck_assert_msg(strstr(err.msg, "not a <version>_<name>.sql") != NULL, "%s",
                  err.msg);
}
END_TEST

START_TEST(sections_and_overrides)
{
    godwit_migration *m = parse(
        "m/0002_orders.sql", "-- Orders.\n\n-- godwit:up\nCREATE TABLE o (id "
                             "INTEGER);\n-- godwit:up backend=postgres\nCREATE "
                             "TABLE o (id BIGSERIAL);\n-- godwit:down\nDROP "
                             "TABLE o;\n-- godwit:verify\nSELECT id FROM o;\n");
    const godwit_section *s;
    char *b;

    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->version, "0002");
    ck_assert_str_eq(m->name, "orders");
    ck_assert_uint_eq(m->nsections, 4);
    s = godwit__migration_section(m, GODWIT_KIND_UP, "sqlite");
    b = body(m, s);
    ck_assert_str_eq(b, "CREATE TABLE o (id INTEGER);\n");
    free(b);
    ck_assert_uint_eq(s->line, 3);
    ck_assert_int_eq(s->transactional, 1);
    s = godwit__migration_section(m, GODWIT_KIND_UP, "postgres");
    b = body(m, s);
    ck_assert_str_eq(b, "CREATE TABLE o (id BIGSERIAL);\n");
    free(b);
    s = godwit__migration_section(m, GODWIT_KIND_DOWN, "postgres");
    b = body(m, s);
    ck_assert_str_eq(b, "DROP TABLE o;\n");
    free(b);
    ck_assert_ptr_nonnull(
        godwit__migration_section(m, GODWIT_KIND_VERIFY, "sqlite"));
    godwit__migration_free(m);
}
END_TEST

START_TEST(transaction_off)
{
    godwit_migration *m =
        parse("m/0003_ix.sql", "-- godwit:up transaction=off  "
                               "backend=postgres\nCREATE INDEX CONCURRENTLY "
                               "ix ON t (a);\n-- godwit:down\n");
    const godwit_section *s;

    ck_assert_ptr_nonnull(m);
    s = godwit__migration_section(m, GODWIT_KIND_UP, "postgres");
    ck_assert_int_eq(s->transactional, 0);
    ck_assert_str_eq(s->backend, "postgres");
    /* no generic up: nothing for sqlite */
    ck_assert_ptr_null(godwit__migration_section(m, GODWIT_KIND_UP, "sqlite"));
    godwit__migration_free(m);
}
END_TEST

START_TEST(irreversible_and_empty_down)
{
    godwit_migration *a = parse("m/0001_a.sql", "-- godwit:up\nSELECT 1;\n");
    godwit_migration *b =
        parse("m/0002_b.sql", "-- godwit:up\nSELECT 1;\n-- godwit:down\n");
    const godwit_section *s;

    ck_assert_ptr_null(godwit__migration_section(a, GODWIT_KIND_DOWN, NULL));
    s = godwit__migration_section(b, GODWIT_KIND_DOWN, NULL);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->start, s->end);
    godwit__migration_free(a);
    godwit__migration_free(b);
}
END_TEST

/* BOM and CRLF do not change the checksum; other bytes do. */
START_TEST(checksum_normalised)
{
    godwit_migration *lf = parse("m/1_a.sql", "-- godwit:up\nSELECT 1;\n");
    godwit_migration *crlf =
        parse("m/1_a.sql", "\xEF\xBB\xBF-- godwit:up\r\nSELECT 1;\r\n");
    godwit_migration *other = parse("m/1_a.sql", "-- godwit:up\nSELECT 2;\n");
    char expect[GODWIT_CHECKSUM_SIZE];

    godwit__checksum("-- godwit:up\nSELECT 1;\n", 23, expect);
    ck_assert_str_eq(lf->checksum, expect);
    ck_assert_str_eq(crlf->checksum, lf->checksum);
    ck_assert_str_ne(other->checksum, lf->checksum);
    ck_assert_int_eq(strncmp(lf->checksum, "sha256:", 7), 0);
    godwit__migration_free(lf);
    godwit__migration_free(crlf);
    godwit__migration_free(other);
}
END_TEST

START_TEST(header_typos)
{
    assert_error("-- godwit:up\nSELECT 1;\n-- godwit:dwon\n",
                 "m/0001_x.sql:3:11: unknown section header \"dwon\"");
    assert_error("-- Godwit:Up\nSELECT 1;\n",
                 "m/0001_x.sql:1:11: unknown section header \"Up\"");
    assert_error("--godwit:\nSELECT 1;\n",
                 "m/0001_x.sql:1:10: no section kind after \"godwit:\"");
    assert_error("-- godwit:up transactoin=off\n",
                 "m/0001_x.sql:1:14: unknown section attribute "
                 "\"transactoin=\"");
    assert_error("-- godwit:up transaction=maybe\n",
                 "m/0001_x.sql:1:26: invalid value \"maybe\"");
    assert_error("-- godwit:up backend=Post-gres\n",
                 "1:22: invalid backend name \"Post-gres\"");
    assert_error("-- godwit:up backend\n", "unknown section attribute");
    assert_error("-- godwit:up backend=a=b\n", "invalid value");
}
END_TEST

START_TEST(structure_errors)
{
    assert_error("CREATE TABLE a (id INT);\n-- godwit:up\n",
                 "m/0001_x.sql:1:1: SQL before the first section header");
    assert_error("-- just a comment\n\n  \n", "m/0001_x.sql:1:1: no sections");
    assert_error("", "m/0001_x.sql: the file is empty");
    assert_error("-- godwit:up\nA;\n-- godwit:down\n-- godwit:up\n",
                 "m/0001_x.sql:4:1: second up section (the first is at line "
                 "1)");
    assert_error("-- godwit:up backend=postgres\nA;\n-- godwit:up "
                 "backend=postgres\n",
                 "second up section for backend=postgres");
}
END_TEST

/* Binary data, broken UTF-8 and unterminated quotes, bodies and comments
 * are refused at load time, where they are, before any SQL runs. */
START_TEST(bad_text)
{
    static const char nul[] = "-- godwit:up\nSELECT 1;\0SELECT 2;\n";
    godwit_migration *m = NULL;

    ck_assert_int_eq(
        godwit__migration_parse(&m, "m/0001_x.sql", nul, sizeof(nul) - 1, &err),
        GODWIT_ERROR);
    ck_assert_msg(strstr(err.msg, "m/0001_x.sql:2:10: binary data (a NUL "
                                  "byte)"),
                  "%s", err.msg);
    assert_error("-- godwit:up\nSELECT 'caf\xC3';\n",
                 "m/0001_x.sql:2:12: invalid UTF-8");
    assert_error("-- godwit:up\nSELECT '\xED\xA0\x80';\n",
                 "2:9: invalid UTF-8");
    assert_error("-- godwit:up\nSELECT '\xC0\xAF';\n", "2:9: invalid UTF-8");
    assert_error("-- godwit:up\nCREATE FUNCTION f() AS $body$\nBEGIN\n"
                 "-- godwit:down\nDROP FUNCTION f;\n",
                 "m/0001_x.sql:2:24: unterminated dollar-quoted string");
    assert_error("-- godwit:up\nSELECT 1; /* never\n  closed\n",
                 "m/0001_x.sql:2:11: unterminated /* comment");
    assert_error("-- godwit:up\nSELECT 1;\n-- godwit:down\nSELECT 'oops;\n",
                 "m/0001_x.sql:4:8: unterminated string literal");
}
END_TEST

/* An override of up without one of down (or the reverse) is flagged;
 * balanced overrides and plain files are not. */
START_TEST(lopsided_overrides)
{
    godwit_migration *up_only = parse(
        "m/0001_a.sql", "-- godwit:up\nA;\n-- godwit:up backend=postgres\nB;\n"
                        "-- godwit:down\nC;\n");
    godwit_migration *down_only =
        parse("m/0002_b.sql", "-- godwit:up\nA;\n-- godwit:down\nC;\n"
                              "-- godwit:down backend=sqlite\nD;\n");
    godwit_migration *balanced = parse(
        "m/0003_c.sql", "-- godwit:up\nA;\n-- godwit:up backend=postgres\nB;\n"
                        "-- godwit:down\nC;\n-- godwit:down backend=postgres\n"
                        "D;\n");
    godwit_migration *irreversible =
        parse("m/0004_d.sql",
              "-- godwit:up\nA;\n-- godwit:up backend=postgres\nB;\n");
    char msg[512];

    ck_assert_int_eq(godwit__migration_lopsided(up_only, msg, sizeof(msg)), 1);
    ck_assert_str_eq(msg, "m/0001_a.sql:3: up is overridden for "
                          "backend=postgres but down is not; the generic "
                          "down (line 5) will revert it there");
    ck_assert_int_eq(godwit__migration_lopsided(down_only, msg, sizeof(msg)),
                     1);
    ck_assert_str_eq(msg, "m/0002_b.sql:5: down is overridden for "
                          "backend=sqlite but up is not; the generic up "
                          "(line 1) will be reverted by it there");
    ck_assert_int_eq(godwit__migration_lopsided(balanced, msg, sizeof(msg)), 0);
    ck_assert_int_eq(godwit__migration_lopsided(irreversible, msg, sizeof(msg)),
                     0);
    godwit__migration_free(up_only);
    godwit__migration_free(down_only);
    godwit__migration_free(balanced);
    godwit__migration_free(irreversible);
}
END_TEST

/* Comments that merely mention godwit stay comments. */
START_TEST(comments_stay_comments)
{
    godwit_migration *m = parse("m/1_a.sql", "-- godwits are birds\n-- "
                                             "godwit:up\n-- the godwit flies\n"
                                             "SELECT 1; -- godwit:down\n"
                                             "-- godwit2 rocks\n");

    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->nsections, 1);
    godwit__migration_free(m);
}
END_TEST

/* Every indentation and case of a valid header starts a section: the DROP
 * below it is never part of up. */
START_TEST(header_any_indentation)
{
    static const char *const spellings[] = {
        "-- godwit:down",   "  -- godwit:down", "\t-- godwit:down",
        "--godwit:down",    "--\tgodwit:down",  " \t --  GODWIT:down",
        "-- Godwit:down  ", "\f-- godwit:down"};
    size_t i;

    for (i = 0; i < sizeof(spellings) / sizeof(*spellings); i++) {
        char text[256];
        godwit_migration *m;
        char *up;

        snprintf(text, sizeof(text),
                 "-- godwit:up\nCREATE TABLE keep (id INT);\n%s\n"
                 "DROP TABLE keep;\n",
                 spellings[i]);
        m = parse("m/0001_x.sql", text);
        ck_assert_msg(m != NULL, "\"%s\": %s", spellings[i], err.msg);
        ck_assert_uint_eq(m->nsections, 2);
        ck_assert_int_eq(m->sections[1].kind, GODWIT_KIND_DOWN);
        up = body(m, &m->sections[0]);
        ck_assert_ptr_null(strstr(up, "DROP"));
        free(up);
        godwit__migration_free(m);
    }
}
END_TEST

/* Everything that looks meant as a header and is not one is an error at
 * its line and column, never a comment. */
START_TEST(header_lookalikes)
{
    static const struct {
        const char *line, *where;
    } cases[] = {
        {"-- godwit down", "3:10: malformed section header: no \":\""},
        {"-- godwit.down", "3:10: malformed section header"},
        {"-- godwit :down", "3:10: malformed section header"},
        {"-- godwit_down", "3:10: malformed section header"},
        {"-- godwit-down", "3:10: malformed section header"},
        {"-- godwit", "3:10: malformed section header"},
        {"-- godwit is a bird", "may not start with the word godwit"},
        {"  -- godwit down", "3:12: malformed section header"},
        {"\t--godwit down", "3:10: malformed section header"},
        {"--- godwit:down", "3:3: malformed section header: more than two"},
        {"-- -godwit:down", "3:4: malformed section header: more than two"},
        {"  --godwit:dwon", "3:12: unknown section header \"dwon\""},
        {"-- godwit: down", "3:11: no section kind after"},
        {"-- godwit:DOWN", "3:11: unknown section header \"DOWN\""},
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char text[256];

        snprintf(text, sizeof(text),
                 "-- godwit:up\nCREATE TABLE keep (id INT);\n%s\n"
                 "DROP TABLE keep;\n",
                 cases[i].line);
        assert_error(text, cases[i].where);
    }
}
END_TEST

/* Block comments may come before the first section, as line comments may;
 * SQL after one may not, nor a header inside one. */
START_TEST(block_comment_preamble)
{
    godwit_migration *m = parse(
        "m/1_a.sql", "/* Orders.\n * Written by hand.\n */\n/* a */ /* b "
                     "/* nested */ */ -- and a line comment\n-- godwit:up\n"
                     "SELECT 1;\n");

    ck_assert_msg(m != NULL, "%s", err.msg);
    ck_assert_uint_eq(m->nsections, 1);
    ck_assert_uint_eq(m->sections[0].line, 5);
    godwit__migration_free(m);
    assert_error("/* a */ SELECT 1;\n-- godwit:up\n",
                 "m/0001_x.sql:1:9: SQL before the first section header");
    assert_error("/* never closed\n-- godwit:up\nSELECT 1;\n",
                 "m/0001_x.sql:2:1: section header inside the /* comment "
                 "opened at line 1");
}
END_TEST

/* "-- godwit:down backend=NAME irreversible": no down on that backend
 * (and no lopsided warning for it), the generic down elsewhere; the flag
 * only on a down, and such a down has no SQL. */
START_TEST(irreversible_on_one_backend)
{
    godwit_migration *m =
        parse("m/0001_x.sql", "-- godwit:up\nCREATE TABLE t (id INT);\n"
                              "-- godwit:down\nDROP TABLE t;\n"
                              "-- godwit:down backend=postgres irreversible\n"
                              "-- nothing can undo it there\n");
    const godwit_section *s;
    char warning[256], *b;

    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_null(
        godwit__migration_section(m, GODWIT_KIND_DOWN, "postgres"));
    ck_assert_uint_eq(godwit__migration_irreversible(m, "postgres"), 5);
    s = godwit__migration_section(m, GODWIT_KIND_DOWN, "sqlite");
    ck_assert_ptr_nonnull(s);
    b = body(m, s);
    ck_assert_str_eq(b, "DROP TABLE t;\n");
    free(b);
    ck_assert_uint_eq(godwit__migration_irreversible(m, "sqlite"), 0);
    ck_assert_int_eq(godwit__migration_lopsided(m, warning, sizeof(warning)),
                     0);
    ck_assert_int_eq(godwit__migration_check(m, 0, &err), 0);
    godwit__migration_free(m);

    /* the generic down marked: irreversible everywhere but where a backend
     * has a down of its own */
    m = parse("m/0001_x.sql", "-- godwit:up\nCREATE TABLE t (id INT);\n"
                              "-- godwit:down irreversible\n"
                              "-- godwit:down backend=sqlite\nDROP TABLE t;\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_null(
        godwit__migration_section(m, GODWIT_KIND_DOWN, "postgres"));
    ck_assert_uint_eq(godwit__migration_irreversible(m, "postgres"), 3);
    ck_assert_ptr_nonnull(
        godwit__migration_section(m, GODWIT_KIND_DOWN, "sqlite"));
    godwit__migration_free(m);

    assert_error("-- godwit:up irreversible\nSELECT 1;\n",
                 "m/0001_x.sql:1:14: only a down section can be marked "
                 "\"irreversible\"");
    assert_error("-- godwit:up\nSELECT 1;\n-- godwit:down irreversible=yes\n",
                 "m/0001_x.sql:3:16: unknown section attribute");
    assert_error("-- godwit:up\nSELECT 1;\n-- godwit:down irreversible\n"
                 "SELECT 2;\n",
                 "m/0001_x.sql:4:1: a down marked irreversible (line 3) has "
                 "SQL; remove the SQL, or the flag");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("migration");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, file_names);
    tcase_add_test(tc, names_from_path);
    tcase_add_test(tc, sections_and_overrides);
    tcase_add_test(tc, transaction_off);
    tcase_add_test(tc, irreversible_and_empty_down);
    tcase_add_test(tc, checksum_normalised);
    tcase_add_test(tc, header_typos);
    tcase_add_test(tc, structure_errors);
    tcase_add_test(tc, comments_stay_comments);
    tcase_add_test(tc, header_any_indentation);
    tcase_add_test(tc, header_lookalikes);
    tcase_add_test(tc, block_comment_preamble);
    tcase_add_test(tc, bad_text);
    tcase_add_test(tc, lopsided_overrides);
    tcase_add_test(tc, irreversible_on_one_backend);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
