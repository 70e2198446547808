/* check_loader.c - finding, loading and refusing backend plugins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "godwit-int.h"
#include "testutil.h"

static godwit_err err;

static char *module_path(const char *name)
{
    const char *dir = getenv("TEST_MODULES");
    char file[64];

    ck_assert_msg(dir != NULL, "TEST_MODULES is not set");
    snprintf(file, sizeof(file), "%s.so", name);
    return tu_path(dir, file);
}

static char *sqlite_dir(void)
{
    return tu_path(tu_builddir(), "backends/sqlite/.libs");
}

static char *sqlite_path(void)
{
    char *dir = sqlite_dir(), *path = tu_path(dir, "sqlite.so");

    free(dir);
    return path;
}

static void assert_refused(const char *path, int code, const char *msg)
{
    godwit_module *m = (godwit_module *)1;

    ck_assert_int_eq(godwit__module_open(&m, path, &err), code);
    ck_assert_ptr_null(m);
    ck_assert_msg(strstr(err.msg, msg) != NULL, "expected \"%s\" in \"%s\"",
                  msg, err.msg);
    ck_assert_msg(strncmp(err.msg, path, strlen(path)) == 0,
                  "message does not start with the file: %s", err.msg);
    ck_assert_ptr_null(strchr(err.msg, '\n'));
}

static const struct {
    const char *module;
    const char *msg;
} broken[] = {
    {"wrongabi", "built for backend ABI 99, this godwit speaks ABI 3"},
    {"nosymbol", "no entry point godwit_backend_nosymbol ("},
    {"nomethod", "plugin lacks required member exec"},
    {"refuses", "godwit_backend_refuses refused this godwit"},
    {"misnamed", "plugin calls itself \"sqlite\", not \"misnamed\""},
    {"truncated", "backend struct is"},
};

START_TEST(broken_modules_refused)
{
    char *path = module_path(broken[_i].module);

    assert_refused(path, GODWIT_EABI, broken[_i].msg);
    free(path);
}
END_TEST

START_TEST(not_a_shared_object)
{
    char *dir = tu_tmpdir("loader"), *path = tu_path(dir, "garbage.so");

    tu_write(dir, "garbage.so", "this is not an ELF file\n");
    assert_refused(path, GODWIT_EABI, "cannot load backend plugin: ");
    assert_refused(path, GODWIT_EABI, "check its dependencies with ldd(1)");
    free(path);
    free(dir);
}
END_TEST

START_TEST(not_a_regular_file)
{
    char *dir = tu_tmpdir("loader-dir"), *path = tu_path(dir, "sub.so");
    char cmd[4200];

    snprintf(cmd, sizeof(cmd), "mkdir '%s'", path);
    ck_assert_int_eq(system(cmd), 0);
    assert_refused(path, GODWIT_EABI, "backend plugin is not a regular file");
    free(path);
    free(dir);
}
END_TEST

START_TEST(bad_file_names)
{
    assert_refused("/tmp/Sqlite.so", GODWIT_EABI, "is named <name>.so");
    assert_refused("/tmp/sqlite.la", GODWIT_EABI, "is named <name>.so");
    assert_refused("/nonexistent/sqlite.so", GODWIT_ENOTFOUND,
                   "cannot open backend plugin");
}
END_TEST

START_TEST(sqlite_loads)
{
    char *path = sqlite_path();
    godwit_module *m;

    ck_assert_msg(godwit__module_open(&m, path, &err) == 0, "%s", err.msg);
    ck_assert_str_eq(m->vt->name, "sqlite");
    ck_assert_str_eq(m->vt->schemes[0], "sqlite");
    ck_assert(GODWIT_HAS(m->vt, ping));
    /* a lock, but not one to rely on alone: the host re-checks too */
    ck_assert(GODWIT_HAS(m->vt, lock) && GODWIT_HAS(m->vt, unlock));
    ck_assert(!(m->vt->caps & GODWIT_CAP_SESSION_LOCK));
    godwit__module_close(m);
    free(path);
}
END_TEST

START_TEST(find_by_scheme)
{
    const char *dir = getenv("GODWIT_BACKEND_PATH");
    char search[4200];
    godwit_module *m;

    snprintf(search, sizeof(search), "/nonexistent:%s:%s",
             getenv("TEST_MODULES"), dir);
    ck_assert_msg(godwit__module_find(&m, search, "sqlite", &err) == 0, "%s",
                  err.msg);
    ck_assert_str_eq(m->name, "sqlite");
    godwit__module_close(m);
    /* "broken" has no broken.so: found by scanning, but every candidate
     * is itself broken, so none serves it */
    ck_assert_int_eq(godwit__module_find(&m, search, "oracle", &err),
                     GODWIT_ENOTFOUND);
    ck_assert_msg(strstr(err.msg, "no backend plugin for \"oracle:\" URLs"),
                  "%s", err.msg);
    /* a plugin named like the scheme that cannot be loaded says why */
    ck_assert_int_eq(godwit__module_find(&m, search, "wrongabi", &err),
                     GODWIT_EABI);
    ck_assert_msg(strstr(err.msg, "built for backend ABI 99"), "%s", err.msg);
}
END_TEST

/* Empty components never mean the current directory. */
START_TEST(current_directory_never_implicit)
{
    char *dir = tu_tmpdir("loader-cwd"), *src = sqlite_path(), cmd[8400];
    char cwd[4096];
    godwit_module *m;
    char *search;

    snprintf(cmd, sizeof(cmd), "cp '%s' '%s/sqlite.so'", src, dir);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
    ck_assert_int_eq(chdir(dir), 0);
    ck_assert_int_eq(godwit__module_find(&m, "::", "sqlite", &err),
                     GODWIT_ENOTFOUND);
    unsetenv("GODWIT_BACKEND_PATH");
    search = godwit__module_search_path("");
    ck_assert_ptr_null(strstr(search, "::"));
    ck_assert_int_ne(search[0], ':');
    ck_assert_str_eq(search, GODWIT_BACKEND_DIR);
    free(search);
    ck_assert_int_eq(chdir(cwd), 0);
    free(src);
    free(dir);
}
END_TEST

START_TEST(search_order)
{
    char *search;

    setenv("GODWIT_BACKEND_PATH", "/env/a:/env/b", 1);
    search = godwit__module_search_path("/flag");
    ck_assert_str_eq(search, "/flag:/env/a:/env/b:" GODWIT_BACKEND_DIR);
    free(search);
}
END_TEST

/* The ABI is a contract: members never move.  A change here is an ABI
 * break and needs GODWIT_BACKEND_ABI bumped. */
START_TEST(abi_layout_pinned)
{
    const size_t P = sizeof(void *);
    const size_t first_fn = (8 + 2 * P + 4 + P - 1) / P * P;

    ck_assert_int_eq(GODWIT_BACKEND_ABI, 3);
    ck_assert_uint_eq(offsetof(godwit_backend, abi_version), 0);
    ck_assert_uint_eq(offsetof(godwit_backend, struct_size), 4);
    ck_assert_uint_eq(offsetof(godwit_backend, name), 8);
    ck_assert_uint_eq(offsetof(godwit_backend, schemes), 8 + P);
    ck_assert_uint_eq(offsetof(godwit_backend, caps), 8 + 2 * P);
    ck_assert_uint_eq(offsetof(godwit_backend, connect), first_fn);
    ck_assert_uint_eq(offsetof(godwit_backend, disconnect), first_fn + P);
    ck_assert_uint_eq(offsetof(godwit_backend, exec), first_fn + 2 * P);
    ck_assert_uint_eq(offsetof(godwit_backend, render), first_fn + 3 * P);
    ck_assert_uint_eq(offsetof(godwit_backend, history_read), first_fn + 4 * P);
    ck_assert_uint_eq(offsetof(godwit_backend, history_has), first_fn + 5 * P);
    ck_assert_uint_eq(offsetof(godwit_backend, lock), first_fn + 6 * P);
    ck_assert_uint_eq(offsetof(godwit_backend, unlock), first_fn + 7 * P);
    ck_assert_uint_eq(offsetof(godwit_backend, ping), first_fn + 8 * P);
    ck_assert_uint_eq(offsetof(godwit_backend, snapshot), first_fn + 9 * P);
    ck_assert_uint_eq(offsetof(godwit_backend, lock_holder), first_fn + 10 * P);
    ck_assert_uint_eq(offsetof(godwit_backend, cancel), first_fn + 11 * P);
    ck_assert_uint_eq(offsetof(godwit_backend, dialect), first_fn + 12 * P);
    /* appended since: query after dialect (a plugin built before it has
     * a smaller struct_size, and the host does without) */
    ck_assert_uint_eq(offsetof(godwit_backend, query),
                      (first_fn + 12 * P + sizeof(unsigned) + P - 1) / P * P);
    ck_assert_uint_eq(sizeof(godwit_backend),
                      offsetof(godwit_backend, query) + P);
    ck_assert_uint_eq(offsetof(godwit_target, database),
                      offsetof(godwit_target, flags) + P);
    ck_assert_uint_eq(offsetof(godwit_berror, offset) % sizeof(long), 0);
    ck_assert_uint_eq(sizeof(((godwit_berror *)0)->sqlstate), 6);
    ck_assert_uint_eq(sizeof(((godwit_berror *)0)->message), 1024);
    ck_assert_int_eq(GODWIT_SQL_HISTORY_CREATE, 1);
    ck_assert_int_eq(GODWIT_SQL_UNRECORD, 6);
    ck_assert_int_eq(GODWIT_SQL_UPDATE, 7);
    ck_assert_int_eq(GODWIT_SQL_HISTORY_UPGRADE, 9);
    ck_assert_int_eq(GODWIT_SQL_SCRATCH_CREATE, 10);
    ck_assert_int_eq(GODWIT_SQL_FK_CHECK, 13);
    /* history rows cross the ABI too */
    ck_assert_uint_eq(offsetof(godwit_history_row, version), 0);
    ck_assert_uint_eq(offsetof(godwit_history_row, applied_at), 3 * P);
    ck_assert_uint_eq(offsetof(godwit_history_row, duration_ms), 4 * P);
    ck_assert_uint_eq(offsetof(godwit_history_row, in_progress),
                      4 * P + sizeof(long));
    ck_assert_uint_eq(offsetof(godwit_history_row, statements_done),
                      5 * P + sizeof(long));
    ck_assert_uint_eq(offsetof(godwit_history_row, error),
                      5 * P + 2 * sizeof(long));
    ck_assert_uint_eq(offsetof(godwit_history_row, applied_by),
                      6 * P + 2 * sizeof(long));
    ck_assert_int_eq(GODWIT_SQL_SCRATCH_DROP, 8);
    ck_assert_int_eq(GODWIT_SQL_HISTORY_UPGRADE, 9);
    ck_assert_int_eq(GODWIT_HISTORY_FORMAT, 2);
}
END_TEST

/* A method beyond the plugin's struct_size is never offered. */
START_TEST(has_respects_struct_size)
{
    godwit_backend vt;

    memset(&vt, 0, sizeof(vt));
    vt.ping = (int (*)(godwit_conn *, godwit_berror *))1;
    vt.struct_size = (unsigned)offsetof(godwit_backend, ping);
    ck_assert(!GODWIT_HAS(&vt, ping));
    vt.struct_size = (unsigned)sizeof(vt);
    ck_assert(GODWIT_HAS(&vt, ping));
    vt.ping = NULL;
    ck_assert(!GODWIT_HAS(&vt, ping));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("loader");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, broken_modules_refused, 0,
                        (int)(sizeof(broken) / sizeof(*broken)));
    tcase_add_test(tc, not_a_shared_object);
    tcase_add_test(tc, not_a_regular_file);
    tcase_add_test(tc, bad_file_names);
    tcase_add_test(tc, sqlite_loads);
    tcase_add_test(tc, find_by_scheme);
    tcase_add_test(tc, current_directory_never_implicit);
    tcase_add_test(tc, search_order);
    tcase_add_test(tc, abi_layout_pinned);
    tcase_add_test(tc, has_respects_struct_size);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
