/* fuzz_sqlsplit.c - libFuzzer harness: any bytes as a SQL script, in the
 * dialect its first byte picks; the statements found must lie in order
 * inside the script. */
#include <stdlib.h>

#include "godwit-backend.h"
#include "godwit-util.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *s = (const char *)data + 1, *why;
    size_t pos = 0, last_end = 0;
    godwit_span st;
    unsigned dialect;
    int rc;

    if (size == 0)
        return 0;
    dialect =
        data[0] & (GODWIT_DIALECT_BACKSLASH | GODWIT_DIALECT_HASH_COMMENT |
                   GODWIT_DIALECT_NO_DOLLAR);
    size--;
    while ((rc = godwit__sql_next(dialect, s, size, &pos, &st, &why)) == 1) {
        if (st.start < last_end || st.start >= st.end || st.end > size ||
            pos > size || pos < st.end)
            abort();
        last_end = st.end;
    }
    if (rc < 0 && (st.start >= size || why == NULL))
        abort(); /* an error points inside the script and says why */
    if (rc == 0 && pos > size)
        abort();
    return 0;
}
