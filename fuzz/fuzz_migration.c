/* fuzz_migration.c - libFuzzer harness: any bytes as a migration file. */
#include <stdlib.h>
#include <string.h>

#include "godwit-model.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    godwit_migration *m = NULL;
    godwit_err e = GODWIT_ERR_INIT;
    size_t i;

    if (godwit__migration_parse(&m, "fuzz/0001_x.sql", (const char *)data, size,
                                &e) == 0) {
        for (i = 0; i < m->nsections; i++) {
            const godwit_section *s = &m->sections[i];

            if (s->start > s->end || s->end > m->len)
                abort(); /* a section outside its file */
        }
        godwit__migration_free(m);
    } else if (strchr(godwit__err_msg(&e), '\n') != NULL) {
        abort(); /* errors are one line */
    }
    godwit__err_clear(&e);
    return 0;
}
