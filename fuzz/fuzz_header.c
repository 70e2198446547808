/*
 * fuzz_header.c - libFuzzer harness for the header rule: any bytes as one
 * line between an up section's SQL and a DROP.  A line that looks meant
 * as a header - first non-blank characters "--", then dashes or blanks,
 * then "godwit" (any case) and no letter or digit after it - is a header
 * (the DROP is no longer in up) or an error; never a comment that leaves
 * the DROP in up.  The oracle below is written apart from migration.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "godwit-model.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int meant_as_header(const char *s)
{
    s += strspn(s, " \t\f\v");
    if (strncmp(s, "--", 2) != 0)
        return 0;
    s += 2 + strspn(s + 2, " \t\f\v-");
    return strncasecmp(s, "godwit", 6) == 0 && !isalnum((unsigned char)s[6]);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const char head[] = "-- godwit:up\nCREATE TABLE keep (id INT);\n";
    static const char tail[] = "\nDROP TABLE keep;\n";
    char line[256], text[512];
    godwit_migration *m = NULL;
    godwit_err e = GODWIT_ERR_INIT;
    size_t n = 0, i;

    for (i = 0; i < size && n < sizeof(line) - 1; i++)
        if (data[i] != '\n' && data[i] != '\r' && data[i] != '\0')
            line[n++] = (char)data[i];
    line[n] = '\0';
    memcpy(text, head, sizeof(head) - 1);
    memcpy(text + sizeof(head) - 1, line, n);
    memcpy(text + sizeof(head) - 1 + n, tail, sizeof(tail));
    if (godwit__migration_parse(&m, "m/0001_x.sql", text, strlen(text), &e) <
        0) {
        godwit__err_clear(&e);
        return 0; /* refused: fine, if it says where */
    }
    if (meant_as_header(line) && m->nsections < 2)
        abort(); /* a silent comment: the DROP would run in up */
    if (m->nsections == 1 && m->sections[0].end != strlen(text))
        abort();
    godwit__migration_free(m);
    return 0;
}
