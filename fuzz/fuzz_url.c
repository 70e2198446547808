/* fuzz_url.c - libFuzzer harness: any bytes as a database URL; redaction
 * and scrubbing never crash and never leave the userinfo password. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-util.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *url = malloc(size + 1), *red, scheme[64], msg[2048];

    if (url == NULL)
        return 0;
    memcpy(url, data, size);
    url[size] = '\0';
    godwit__url_scheme(url, scheme, sizeof(scheme));
    red = godwit__url_redact(url);
    if (red != NULL) {
        snprintf(msg, sizeof(msg), "echo: %s", url);
        godwit__url_scrub(msg, url);
        if (strlen(msg) > sizeof(msg) - 1)
            abort();
        free(red);
    }
    free(url);
    return 0;
}
