/* testutil.h - helpers shared by the Check suites. */
#ifndef GODWIT_TESTUTIL_H
#define GODWIT_TESTUTIL_H

#include <check.h>

/* A fresh, empty directory tests/tmp/<name>-<pid>-<n> under the build
 * directory.  Caller frees. */
char *tu_tmpdir(const char *name);

/* Writes text to dir/file (creating or replacing it). */
void tu_write(const char *dir, const char *file, const char *text);

/* dir + "/" + file.  Caller frees. */
char *tu_path(const char *dir, const char *file);

/* The build directory's top ($top_builddir, else "."). */
const char *tu_builddir(void);

/* Runs a suite, prints Check's counts, returns the exit status. */
int tu_run(Suite *s);

#endif
