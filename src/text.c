/* text.c - positions in text and ordering of versions. */
#include <string.h>

#include "godwit-util.h"

void godwit__text_pos(const char *s, size_t off, unsigned *line, unsigned *col)
{
    const char *p, *bol = s;
    unsigned n = 1;

    for (p = s; p < s + off; p++) {
        if (*p == '\n') {
            n++;
            bol = p + 1;
        }
    }
    *line = n;
    *col = (unsigned)(s + off - bol) + 1;
}

void godwit__text_line(const char *s, size_t len, char *out, size_t max)
{
    size_t n = 0;

    while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\n')) {
        s++;
        len--;
    }
    while (n < len && n < max && s[n] != '\n')
        n++;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    memcpy(out, s, n);
    if (n == max && n < len && s[n] != '\n')
        memcpy(out + n, "...", 4);
    else
        out[n] = '\0';
}

int godwit__version_ncmp(const char *a, size_t na, const char *b, size_t nb)
{
    while (na > 1 && *a == '0')
        a++, na--;
    while (nb > 1 && *b == '0')
        b++, nb--;
    if (na != nb)
        return na > nb ? 1 : -1; /* more digits: larger */
    for (; na > 0; a++, b++, na--)
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
    return 0;
}

int godwit__version_cmp(const char *a, const char *b)
{
    return godwit__version_ncmp(a, strlen(a), b, strlen(b));
}