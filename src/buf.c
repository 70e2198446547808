/* buf.c - a growable NUL-terminated byte buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-util.h"

int godwit__buf_grow(godwit_buf *b, size_t n)
{
    size_t need = b->len + n + 1, cap = b->cap ? b->cap : 64;
    char *p;

    if (need < b->len)
        return GODWIT_ENOMEM; /* overflow */
    if (need <= b->cap)
        return 0;
    while (cap < need)
        cap = cap * 2 > cap ? cap * 2 : need;
    if ((p = realloc(b->ptr, cap)) == NULL)
        return GODWIT_ENOMEM;
    b->ptr = p;
    b->cap = cap;
    return 0;
}

int godwit__buf_put(godwit_buf *b, const char *s, size_t n)
{
    if (godwit__buf_grow(b, n) < 0)
        return GODWIT_ENOMEM;
    memcpy(b->ptr + b->len, s, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return 0;
}

int godwit__buf_puts(godwit_buf *b, const char *s)
{
    return godwit__buf_put(b, s, strlen(s));
}

int godwit__buf_vprintf(godwit_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    int n;

    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0 || godwit__buf_grow(b, (size_t)n) < 0) {
        va_end(again);
        return GODWIT_ENOMEM;
    }
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, again);
    va_end(again);
    b->len += (size_t)n;
    return 0;
}

int godwit__buf_printf(godwit_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = godwit__buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void godwit__buf_free(godwit_buf *b)
{
    if (b == NULL)
        return;
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

char *godwit__buf_detach(godwit_buf *b)
{
    char *p = b->ptr ? b->ptr : godwit__strdup("");

    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

char *godwit__strdup(const char *s)
{
    size_t n;
    char *p;

    if (s == NULL)
        return NULL;
    n = strlen(s) + 1;
    if ((p = malloc(n)) != NULL)
        memcpy(p, s, n);
    return p;
}

int godwit__strpack(char **dst, const char *const *src, size_t n)
{
    size_t i, len[8], total = 0;
    char *p;

    if (n > 8 || src[0] == NULL)
        return GODWIT_EUSAGE;
    for (i = 0; i < n; i++)
        total += (len[i] = src[i] ? strlen(src[i]) + 1 : 0);
    if ((p = malloc(total)) == NULL)
        return GODWIT_ENOMEM;
    for (i = 0; i < n; i++) {
        dst[i] = src[i] ? memcpy(p, src[i], len[i]) : NULL;
        p += len[i];
    }
    return 0;
}

void *godwit__grow(void *v, size_t *cap, size_t n, size_t size)
{
    size_t ncap;

    if (n < *cap)
        return v;
    ncap = *cap ? *cap * 2 : 64;
    if (ncap > (size_t)-1 / size || (v = realloc(v, ncap * size)) == NULL)
        return NULL;
    *cap = ncap;
    return v;
}
