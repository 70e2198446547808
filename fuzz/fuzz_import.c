/*
 * fuzz_import.c - libFuzzer harness for godwit import's readers: any
 * bytes as one file of any of the six tools, under one of the names the
 * tools use.  Never a crash or a leak, and every section read is a run of
 * the file's own bytes (import keeps them, only headers change).
 */
#include <stdlib.h>
#include <string.h>

#include "godwit-int.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const char *const names[] = {"1_a.up.sql",
                                    "1_a.down.sql",
                                    "0002_b.sql",
                                    "2019-01-01-000000_c/up.sql",
                                    "2019-01-01-000000_c/down.sql",
                                    "2019-01-01-000000_c/metadata.toml",
                                    "V1.1__d.sql",
                                    "U1.1__d.sql",
                                    "V1.1__d.sql.conf",
                                    "R__e.sql",
                                    "beforeMigrate.sql",
                                    "README.md"};

/* Whether s[0, n) occurs in text[0, len). */
static int within(const char *s, size_t n, const char *text, size_t len)
{
    size_t i;

    if (n == 0)
        return 1;
    for (i = 0; i + n <= len; i++)
        if (memcmp(text + i, s, n) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    godwit_import_set set;
    godwit_err e = GODWIT_ERR_INIT;
    const char *text;
    size_t len, i;
    int tool;

    if (size < 2)
        return 0;
    tool = 1 + data[0] % 6;
    memset(&set, 0, sizeof(set));
    text = (const char *)data + 2;
    len = size - 2;
    /* twice, as an up and a down of one migration would be */
    godwit__import_read(&set, (godwit_import_tool)tool,
                        names[data[1] % (sizeof(names) / sizeof(*names))], text,
                        len, &e);
    godwit__err_clear(&e);
    godwit__import_read(&set, (godwit_import_tool)tool,
                        names[(data[1] + 1) % (sizeof(names) / sizeof(*names))],
                        text, len, &e);
    godwit__err_clear(&e);
    for (i = 0; i < set.n; i++) {
        const godwit_imported *it = &set.v[i];

        if ((it->up.text && !within(it->up.text, it->up.len, text, len)) ||
            (it->down.text && !within(it->down.text, it->down.len, text, len)))
            abort(); /* a section that is not the file's own bytes */
    }
    godwit__import_set_free(&set);
    return 0;
}
