/* fuzz_sqlsplit.c - libFuzzer harness: any bytes as a SQL script; the
 * statements found must lie in order inside the script. */
#include <stdlib.h>

#include "godwit-util.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *s = (const char *)data, *why;
    size_t pos = 0, last_end = 0;
    godwit_span st;
    int rc;

    while ((rc = godwit__sql_next(s, size, &pos, &st, &why)) == 1) {
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
