/* url.c - the parts of a database URL the core needs: scheme, redaction. */
#include <stdlib.h>
#include <string.h>

#include "godwit-int.h"

int godwit__url_scheme(const char *url, char *out, size_t cap)
{
    size_t n = 0;

    while (url[n] != '\0' && url[n] != ':') {
        char c = url[n];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (n > 0 &&
               ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
            return GODWIT_EUSAGE;
        n++;
    }
    if (n == 0 || url[n] != ':' || n >= cap)
        return GODWIT_EUSAGE;
    memcpy(out, url, n);
    out[n] = '\0';
    return 0;
}

/* Replaces "user:PASSWORD@" in the authority. */
static int redact_userinfo(godwit_buf *b, const char *url)
{
    const char *auth = strstr(url, "://"), *end, *at, *colon;

    if (auth == NULL)
        return godwit__buf_puts(b, url);
    auth += 3;
    end = auth + strcspn(auth, "/?#");
    for (at = end; at > auth && at[-1] != '@'; at--)
        ;
    colon = at > auth ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon == NULL)
        return godwit__buf_puts(b, url);
    if (godwit__buf_put(b, url, (size_t)(colon + 1 - url)) < 0 ||
        godwit__buf_puts(b, "***") < 0)
        return GODWIT_ENOMEM;
    return godwit__buf_puts(b, at - 1);
}

/* Replaces the value of any "password=" parameter. */
static char *redact_params(char *s)
{
    godwit_buf b = GODWIT_BUF_INIT;
    const char *p = s, *hit;

    while ((hit = strstr(p, "password=")) != NULL) {
        int starts = hit == s || strchr("?&; ", hit[-1]) != NULL;

        hit += 9;
        if (godwit__buf_put(&b, p, (size_t)(hit - p)) < 0)
            goto oom;
        p = hit;
        if (starts) {
            if (godwit__buf_puts(&b, "***") < 0)
                goto oom;
            p += strcspn(p, "&; ");
        }
    }
    if (godwit__buf_puts(&b, p) < 0)
        goto oom;
    free(s);
    return godwit__buf_detach(&b);
oom:
    godwit__buf_free(&b);
    free(s);
    return NULL;
}

char *godwit__url_redact(const char *url)
{
    godwit_buf b = GODWIT_BUF_INIT;

    if (url == NULL)
        return NULL;
    if (redact_userinfo(&b, url) < 0) {
        godwit__buf_free(&b);
        return NULL;
    }
    return redact_params(godwit__buf_detach(&b));
}

/* Replaces every occurrence of secret[0, n) in msg with "***" (or as
 * many stars as it is long, if shorter): msg never grows. */
static void scrub_span(char *msg, const char *secret, size_t n)
{
    size_t stars = n < 3 ? n : 3;
    char needle[512], *hit = msg;

    if (n == 0 || n >= sizeof(needle))
        return;
    memcpy(needle, secret, n);
    needle[n] = '\0';
    while ((hit = strstr(hit, needle)) != NULL) {
        memmove(hit + stars, hit + n, strlen(hit + n) + 1);
        memset(hit, '*', stars);
        hit += stars;
    }
}

void godwit__url_scrub(char *msg, const char *url)
{
    const char *auth = strstr(url, "://"), *end, *at, *colon, *p;

    if (auth != NULL) {
        auth += 3;
        end = auth + strcspn(auth, "/?#");
        for (at = end; at > auth && at[-1] != '@'; at--)
            ;
        colon = at > auth ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon != NULL)
            scrub_span(msg, colon + 1, (size_t)(at - 1 - (colon + 1)));
    }
    for (p = url; (p = strstr(p, "password=")) != NULL;) {
        p += 9;
        scrub_span(msg, p, strcspn(p, "&; "));
    }
}
