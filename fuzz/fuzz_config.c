/* fuzz_config.c - libFuzzer harness: any bytes as godwit.conf. */
#include <stdlib.h>
#include <string.h>

#include "godwit-int.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *text = malloc(size + 1);
    godwit_config c;
    godwit_err e = GODWIT_ERR_INIT;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    memset(&c, 0, sizeof(c));
    if (godwit__config_parse(&c, "fuzz.conf", text, &e) < 0 &&
        strchr(godwit__err_msg(&e), '\n') != NULL)
        abort();
    godwit__config_free(&c);
    godwit__err_clear(&e);
    free(text);
    return 0;
}
