/* check_migration_set.c - a directory of migrations. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "godwit-model.h"
#include "testutil.h"

static const char up[] = "-- godwit:up\nSELECT 1;\n-- godwit:down\n";

static godwit_err err;

START_TEST(numeric_order_of_mixed_lengths)
{
    char *dir = tu_tmpdir("set-order");
    godwit_set *s;

    tu_write(dir, "10_ten.sql", up);
    tu_write(dir, "20261122093000_stamp.sql", up);
    tu_write(dir, "0002_two.sql", up);
    tu_write(dir, "9_nine.sql", up);
    tu_write(dir, "notes.txt", "not a migration");
    tu_write(dir, ".#0003_editor_lock.sql", "garbage");
    ck_assert_int_eq(godwit__set_load(&s, dir, 0, &err), 0);
    ck_assert_uint_eq(s->n, 4);
    ck_assert_str_eq(s->items[0]->version, "0002");
    ck_assert_str_eq(s->items[1]->version, "9");
    ck_assert_str_eq(s->items[2]->version, "10");
    ck_assert_str_eq(s->items[3]->version, "20261122093000");
    ck_assert_ptr_eq(godwit__set_find(s, "2"), s->items[0]);
    ck_assert_ptr_eq(godwit__set_find(s, "010"), s->items[2]);
    ck_assert_ptr_null(godwit__set_find(s, "11"));
    godwit__set_free(s);
    free(dir);
}
END_TEST

START_TEST(version_compare)
{
    ck_assert_int_lt(godwit__version_cmp("9", "10"), 0);
    ck_assert_int_eq(godwit__version_cmp("0010", "10"), 0);
    ck_assert_int_gt(godwit__version_cmp("20261122093000", "9999"), 0);
    ck_assert_int_eq(godwit__version_cmp("0", "000"), 0);
    ck_assert_int_lt(godwit__version_cmp("12", "21"), 0);
    ck_assert_int_gt(godwit__version_cmp("21", "12"), 0);
    ck_assert_int_lt(godwit__version_cmp("99", "100"), 0);
    ck_assert_int_gt(godwit__version_cmp("100", "099"), 0);
    ck_assert_int_lt(godwit__version_cmp("0", "1"), 0);
    ck_assert_int_eq(godwit__version_cmp("0007", "7"), 0);
    /* longer than any integer type */
    ck_assert_int_lt(godwit__version_cmp("123456789012345678901234567890",
                                         "123456789012345678901234567891"),
                     0);
}
END_TEST

START_TEST(duplicate_versions_name_both)
{
    char *dir = tu_tmpdir("set-dup");
    godwit_set *s = (godwit_set *)1;

    tu_write(dir, "0001_a.sql", up);
    tu_write(dir, "01_b.sql", up);
    ck_assert_int_eq(godwit__set_load(&s, dir, 0, &err), GODWIT_ERROR);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(err.msg, "duplicate version") &&
                      strstr(err.msg, "0001_a.sql") &&
                      strstr(err.msg, "01_b.sql"),
                  "%s", err.msg);
    free(dir);
}
END_TEST

START_TEST(sql_without_version)
{
    char *dir = tu_tmpdir("set-noversion");
    godwit_set *s;

    tu_write(dir, "create_users.sql", up);
    ck_assert_int_eq(godwit__set_load(&s, dir, 0, &err), GODWIT_ERROR);
    ck_assert_msg(strstr(err.msg, "create_users.sql: no version prefix"), "%s",
                  err.msg);
    free(dir);
}
END_TEST

START_TEST(directory_named_like_migration)
{
    char *dir = tu_tmpdir("set-subdir"), *sub = tu_path(dir, "0001_a.sql");
    godwit_set *s;

    ck_assert_int_eq(mkdir(sub, 0777), 0);
    ck_assert_int_eq(godwit__set_load(&s, dir, 0, &err), GODWIT_ERROR);
    ck_assert_msg(strstr(err.msg, "0001_a.sql: not a regular file"), "%s",
                  err.msg);
    free(sub);
    free(dir);
}
END_TEST

START_TEST(parse_error_propagates)
{
    char *dir = tu_tmpdir("set-bad");
    godwit_set *s;

    tu_write(dir, "0001_a.sql", up);
    tu_write(dir, "0002_b.sql", "-- godwit:up\nSELECT 1;\n-- godwit:upp\n");
    ck_assert_int_eq(godwit__set_load(&s, dir, 0, &err), GODWIT_ERROR);
    ck_assert_msg(strstr(err.msg, "0002_b.sql:3:11: unknown section header"),
                  "%s", err.msg);
    free(dir);
}
END_TEST

static void *help(void *reading)
{
    godwit__reading_help(reading);
    return NULL;
}

/* Reads dir with two threads helping (and a third call that finds no
 * place), as godwit__load does. */
static int read_shared(const char *dir, godwit_set **out)
{
    godwit_reading *r;
    pthread_t t;

    ck_assert_int_eq(godwit__reading_new(&r, dir, 0, &err), 0);
    ck_assert_int_eq(pthread_create(&t, NULL, help, r), 0);
    godwit__reading_help(r);
    godwit__reading_help(r);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    return godwit__reading_finish(r, out, &err);
}

static void write_numbered(const char *dir, int n)
{
    char file[64], body[64];
    int i;

    for (i = 1; i <= n; i++) {
        snprintf(file, sizeof(file), "%d_m.sql", i);
        snprintf(body, sizeof(body), "-- godwit:up\nSELECT %d;\n", i);
        tu_write(dir, file, body);
    }
}

START_TEST(two_readers_make_the_same_set)
{
    char *dir = tu_tmpdir("set-shared");
    godwit_set *one, *two;
    size_t i;

    write_numbered(dir, 300);
    ck_assert_int_eq(godwit__set_load(&one, dir, 0, &err), 0);
    ck_assert_msg(read_shared(dir, &two) == 0, "%s", err.msg);
    ck_assert_uint_eq(two->n, 300);
    for (i = 0; i < two->n; i++) {
        ck_assert_str_eq(two->items[i]->path, one->items[i]->path);
        ck_assert_mem_eq(two->items[i]->checksum, one->items[i]->checksum,
                         sizeof(one->items[i]->checksum));
    }
    ck_assert_str_eq(two->items[299]->version, "300");
    godwit__set_free(one);
    godwit__set_free(two);
    free(dir);
}
END_TEST

/* Of several bad files the first by version is named, whatever order the
 * directory lists them in, by one reader or two; a file without a
 * version comes after all the others. */
START_TEST(first_bad_file_by_version)
{
    static const char bad[] = "-- godwit:up\nSELECT 1;\n-- godwit:upp\n";
    char *dir = tu_tmpdir("set-first-bad");
    godwit_set *s = NULL;

    write_numbered(dir, 40);
    tu_write(dir, "30_m.sql", bad);
    tu_write(dir, "7_m.sql", bad);
    tu_write(dir, "unversioned.sql", up);
    ck_assert_int_eq(godwit__set_load(&s, dir, 0, &err), GODWIT_ERROR);
    ck_assert_msg(strstr(err.msg, "/7_m.sql:3:"), "%s", err.msg);
    ck_assert_int_eq(read_shared(dir, &s), GODWIT_ERROR);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(err.msg, "/7_m.sql:3:"), "%s", err.msg);
    write_numbered(dir, 40); /* repaired: the misnamed file is left */
    ck_assert_int_eq(read_shared(dir, &s), GODWIT_ERROR);
    ck_assert_msg(strstr(err.msg, "unversioned.sql: no version prefix"), "%s",
                  err.msg);
    free(dir);
}
END_TEST

START_TEST(missing_directory)
{
    godwit_set *s;

    ck_assert_int_eq(godwit__set_load(&s, "no/such/dir", 0, &err),
                     GODWIT_ENOTFOUND);
    ck_assert_msg(strstr(err.msg, "no/such/dir: cannot open migration "
                                  "directory"),
                  "%s", err.msg);
    ck_assert_int_eq(godwit__set_load(&s, "no/such/dir", 1, &err), 0);
    ck_assert_uint_eq(s->n, 0);
    godwit__set_free(s);
}
END_TEST

/* The set's pool: aligned pieces that do not overlap, a piece larger than
 * a chunk, and reuse after freeing. */
START_TEST(pool_pieces)
{
    godwit_pool p = GODWIT_POOL_INIT;
    unsigned char *piece[300], *big;
    size_t i, j, wrong;
    int round;

    for (round = 0; round < 2; round++) {
        for (i = 0; i < 300; i++) {
            piece[i] = godwit__pool_alloc(&p, i * 37 + 1);
            ck_assert_ptr_nonnull(piece[i]);
            ck_assert_uint_eq((size_t)piece[i] % 16, 0);
            memset(piece[i], (int)(i & 0xff), i * 37 + 1);
        }
        big = godwit__pool_alloc(&p, 1024 * 1024);
        ck_assert_ptr_nonnull(big);
        memset(big, 0xee, 1024 * 1024);
        for (i = 0, wrong = 0; i < 300; i++)
            for (j = 0; j < i * 37 + 1; j++)
                wrong += piece[i][j] != (i & 0xff);
        ck_assert_uint_eq(wrong, 0); /* no piece was overwritten */
        godwit__pool_free(&p);
        ck_assert_ptr_null(p.chunks);
    }
    ck_assert_ptr_null(godwit__pool_alloc(&p, 0));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("migration_set");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, numeric_order_of_mixed_lengths);
    tcase_add_test(tc, version_compare);
    tcase_add_test(tc, duplicate_versions_name_both);
    tcase_add_test(tc, sql_without_version);
    tcase_add_test(tc, directory_named_like_migration);
    tcase_add_test(tc, parse_error_propagates);
    tcase_add_test(tc, missing_directory);
    tcase_add_test(tc, pool_pieces);
    tcase_add_test(tc, two_readers_make_the_same_set);
    tcase_add_test(tc, first_bad_file_by_version);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
