/*
 * url.c - the parts of a database URL the core needs: scheme, the check
 * that its password can be read one way only, redaction.
 *
 * Every URL on its way to any output passes godwit__url_redact; every
 * message a backend or its library wrote passes godwit__url_scrub.  Both
 * rely on godwit__url_check having refused, before any backend saw it, a
 * URL whose user:password part two parsers would split differently: libpq
 * reads it up to the first "@" before a "/", RFC 3986 up to the last "@"
 * before a "/", "?" or "#".  A raw "@", "/", "?" or "#" in a password makes
 * them disagree, and the pieces they disagree on would reach libpq's
 * messages as a host name or a port.  So with a host part, no raw "@" may
 * follow it; a "@" in a password or database name is written %40.
 */
#include <stdlib.h>
#include <string.h>

#include "godwit-util.h"

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

static int hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/* Whether s[0, n) holds a "%" not followed by two hex digits: libpq
 * refuses it quoting the whole token, password included. */
static int bad_percent(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] == '%' && (i + 2 >= n || !hex(s[i + 1]) || !hex(s[i + 2])))
            return 1;
    return 0;
}

/* Checks each "&"-separated parameter of the query q: a "key=value", and
 * a password value without a stray "%". */
static const char *check_query(const char *q)
{
    while (*q != '\0') {
        size_t n = strcspn(q, "&");

        if (n > 0 && memchr(q, '=', n) == NULL)
            return "a parameter of its query has no \"=\"";
        if (n > 9 && strncmp(q, "password=", 9) == 0 &&
            bad_percent(q + 9, n - 9))
            return "its password= parameter holds a \"%\" that is not "
                   "percent-encoding";
        q += n + (q[n] == '&');
    }
    return NULL;
}

const char *godwit__url_check(const char *url)
{
    const char *auth = strstr(url, "://"), *end, *p, *at = NULL, *q;
    int ats = 0;

    if (auth == NULL)
        return NULL;
    auth += 3;
    end = auth + strcspn(auth, "/?#");
    for (p = auth; p < end; p++)
        if (*p == '@')
            ats++, at = p;
    if (ats > 1)
        return "its user:password part holds a raw \"@\"";
    /* With a host, a later raw "@" means a password with a raw "@", "/",
     * "?" or "#" that RFC 3986 ends early and libpq does not. */
    if (end > auth && strchr(end, '@') != NULL)
        return "it holds a raw \"@\" after its host part";
    if (at != NULL && bad_percent(auth, (size_t)(at - auth)))
        return "its user:password part holds a \"%\" that is not "
               "percent-encoding";
    q = strchr(end, '?');
    return q != NULL ? check_query(q + 1) : NULL;
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

/* Where a password= value ends: at "&" in a URL's query (libpq reads the
 * value up to it, blanks included), at a blank or ";" in a key=value
 * connection string. */
static const char *value_ends(const char *s)
{
    return strstr(s, "://") != NULL ? "&" : "; ";
}

/* Replaces the value of any "password=" parameter. */
static char *redact_params(char *s)
{
    godwit_buf b = GODWIT_BUF_INIT;
    const char *p = s, *hit, *ends = value_ends(s);

    while ((hit = strstr(p, "password=")) != NULL) {
        int starts = hit == s || strchr("?&; ", hit[-1]) != NULL;

        hit += 9;
        if (godwit__buf_put(&b, p, (size_t)(hit - p)) < 0)
            goto oom;
        p = hit;
        if (starts) {
            if (godwit__buf_puts(&b, "***") < 0)
                goto oom;
            p += strcspn(p, ends);
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
    if (godwit__url_check(url) != NULL) { /* no telling where a secret is */
        if (godwit__buf_put(&b, url, (size_t)(strstr(url, "://") - url)) < 0 ||
            godwit__buf_puts(&b, "://***") < 0) {
            godwit__buf_free(&b);
            return NULL;
        }
        return godwit__buf_detach(&b);
    }
    if (redact_userinfo(&b, url) < 0) {
        godwit__buf_free(&b);
        return NULL;
    }
    return redact_params(godwit__buf_detach(&b));
}

char *godwit_redact_url(const char *url)
{
    return godwit__url_redact(url);
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
    if ((n = strlen(needle)) == 0) /* a NUL inside: only what precedes it */
        return;
    stars = n < 3 ? n : 3;
    while ((hit = strstr(hit, needle)) != NULL) {
        memmove(hit + stars, hit + n, strlen(hit + n) + 1);
        memset(hit, '*', stars);
        hit += stars;
    }
}

/* Scrubs a secret from msg as written and as percent-decoded (the form
 * a library that decoded the URL would echo). */
static void scrub_secret(char *msg, const char *secret, size_t n)
{
    char decoded[512];
    size_t i, d = 0;

    scrub_span(msg, secret, n);
    for (i = 0; i < n && d < sizeof(decoded); i++, d++) {
        if (secret[i] == '%' && i + 2 < n && hex(secret[i + 1]) &&
            hex(secret[i + 2])) {
            char h[3] = {secret[i + 1], secret[i + 2], '\0'};

            if ((decoded[d] = (char)strtol(h, NULL, 16)) == '\0')
                break; /* %00: libpq refuses it; nothing to echo beyond */
            i += 2;
        } else {
            decoded[d] = secret[i];
        }
    }
    if (d < n && d > 0 && d < sizeof(decoded))
        scrub_span(msg, decoded, d);
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
            scrub_secret(msg, colon + 1, (size_t)(at - 1 - (colon + 1)));
    }
    for (p = url; (p = strstr(p, "password=")) != NULL;) {
        p += 9;
        scrub_secret(msg, p, strcspn(p, value_ends(url)));
    }
}
