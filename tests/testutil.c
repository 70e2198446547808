/* testutil.c - helpers shared by the Check suites. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

const char *tu_builddir(void)
{
    const char *d = getenv("top_builddir");

    return d && *d ? d : ".";
}

char *tu_path(const char *dir, const char *file)
{
    size_t n = strlen(dir) + strlen(file) + 2;
    char *p = malloc(n);

    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", dir, file);
    return p;
}

char *tu_tmpdir(const char *name)
{
    static int counter;
    char buf[4096];

    snprintf(buf, sizeof(buf), "%s/tests", tu_builddir());
    mkdir(buf, 0777);
    snprintf(buf, sizeof(buf), "%s/tests/tmp", tu_builddir());
    mkdir(buf, 0777);
    snprintf(buf, sizeof(buf), "rm -rf '%s/tests/tmp/%s-%d-%d'", tu_builddir(),
             name, (int)getpid(), counter);
    ck_assert_int_eq(system(buf), 0);
    snprintf(buf, sizeof(buf), "%s/tests/tmp/%s-%d-%d", tu_builddir(), name,
             (int)getpid(), counter++);
    ck_assert_int_eq(mkdir(buf, 0777), 0);
    return strdup(buf);
}

void tu_write(const char *dir, const char *file, const char *text)
{
    char *path = tu_path(dir, file);
    FILE *f = fopen(path, "wb");

    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
    free(path);
}

int tu_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
