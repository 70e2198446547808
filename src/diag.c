/* diag.c - carrying an error from where it is detected to the handle. */
#include <stdio.h>
#include <string.h>

#include "godwit-util.h"

int godwit__err_set(godwit_err *e, int code, const char *fmt, ...)
{
    va_list ap;

    if (e == NULL)
        return code;
    e->code = code;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return code;
}

void godwit__err_clear(godwit_err *e)
{
    e->code = GODWIT_OK;
    strcpy(e->msg, "no error");
}
