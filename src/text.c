/* text.c - positions in text and ordering of versions. */
#include <string.h>

#include "godwit-int.h"

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

int godwit__version_cmp(const char *a, const char *b)
{
    int first = 0; /* the first difference, if the lengths are equal */

    while (*a == '0' && a[1] != '\0')
        a++;
    while (*b == '0' && b[1] != '\0')
        b++;
    for (; *a != '\0' && *b != '\0'; a++, b++)
        if (first == 0 && *a != *b)
            first = (unsigned char)*a < (unsigned char)*b ? -1 : 1;
    if (*a != '\0' || *b != '\0')
        return *a != '\0' ? 1 : -1; /* more digits: larger */
    return first;
}
