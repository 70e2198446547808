/*
 * mysql_url.c - mysql:// and mariadb:// URLs, the form the MySQL tools
 * and most migration tools take:
 *
 *     mysql://[USER[:PASSWORD]@][HOST][:PORT][/DATABASE][?socket=PATH]
 *
 * Every part is percent-decoded; HOST may be [IPv6].  No HOST, or
 * "localhost", means the Unix socket (socket=, else the client library's
 * default); anything else is TCP.  Messages never quote the password.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mysql-int.h"

static int usage(godwit_berror *err, const char *what)
{
    snprintf(err->message, sizeof(err->message),
             "bad MySQL URL: %s; the form is "
             "mysql://USER:PASSWORD@HOST:PORT/DATABASE?socket=PATH",
             what);
    return err->code = GODWIT_EUSAGE;
}

static int hex(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* A percent-decoded copy of s[0, n) into *out (NUL-terminated, the
 * caller's); 0, or -1 with *out NULL for a bad %XX (or a NUL byte), or
 * when out of memory. */
static int decode(const char *s, size_t n, char **out)
{
    char *d = malloc(n + 1), *p = d;
    size_t i;

    if ((*out = d) == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        if (s[i] != '%') {
            *p++ = s[i];
            continue;
        }
        if (i + 2 >= n || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0 ||
            hex(s[i + 1]) + hex(s[i + 2]) == 0) {
            free(d);
            *out = NULL;
            return -1;
        }
        *p++ = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
        i += 2;
    }
    *p = '\0';
    return 0;
}

/* host[:port], or [v6][:port], of s[0, n). */
static int parse_host(my_where *w, const char *s, size_t n, godwit_berror *err)
{
    const char *colon = NULL, *end = s + n, *p;
    char *stop;
    long port;

    if (n > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', n);

        if (close == NULL)
            return usage(err, "an IPv6 address without its closing ]");
        if (close + 1 < end && close[1] != ':')
            return usage(err, "text after the IPv6 address");
        if (decode(s + 1, (size_t)(close - s - 1), &w->host) != 0)
            return usage(err, "a bad %XX escape in the host");
        colon = close + 1 < end ? close + 1 : NULL;
    } else {
        for (p = s; p < end; p++)
            if (*p == ':')
                colon = p;
        if (decode(s, (size_t)((colon ? colon : end) - s), &w->host) != 0)
            return usage(err, "a bad %XX escape in the host");
    }
    if (colon == NULL)
        return 0;
    port = strtol(colon + 1, &stop, 10);
    if (stop != end || colon + 1 == end || port < 1 || port > 65535)
        return usage(err, "the port is not a number from 1 to 65535");
    w->port = (unsigned)port;
    return 0;
}

/* user[:password] of s[0, n). */
static int parse_user(my_where *w, const char *s, size_t n, godwit_berror *err)
{
    const char *colon = memchr(s, ':', n);
    size_t u = colon ? (size_t)(colon - s) : n;

    if (decode(s, u, &w->user) != 0)
        return usage(err, "a bad %XX escape in the user name");
    if (colon != NULL && decode(colon + 1, n - u - 1, &w->password) != 0)
        return usage(err, "a bad %XX escape in the password");
    return 0;
}

/* ?key=value&... of s[0, n): socket= alone. */
static int parse_query(my_where *w, const char *s, size_t n, godwit_berror *err)
{
    const char *end = s + n;

    while (s < end) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        const char *stop = amp ? amp : end;

        if ((size_t)(stop - s) > 7 && strncmp(s, "socket=", 7) == 0) {
            free(w->socket);
            if (decode(s + 7, (size_t)(stop - s - 7), &w->socket) != 0)
                return usage(err, "a bad %XX escape in socket=");
        } else if (stop > s) {
            const char *eq = memchr(s, '=', (size_t)(stop - s));
            char what[96];

            snprintf(what, sizeof(what),
                     "unknown parameter \"%.*s\" (socket= is known)",
                     (int)((eq ? eq : stop) - s), s);
            return usage(err, what);
        }
        s = stop + (amp != NULL);
    }
    return 0;
}

int my_where_parse(my_where *w, const char *url, godwit_berror *err)
{
    const char *p = strstr(url, "://"), *slash, *query, *at, *end;
    int rc;

    memset(w, 0, sizeof(*w));
    if (p == NULL)
        return usage(err, "it does not start with mysql://");
    p += 3;
    end = p + strlen(p);
    query = strchr(p, '?');
    end = query ? query : end;
    slash = memchr(p, '/', (size_t)(end - p));
    slash = slash ? slash : end;
    at = NULL;
    for (const char *q = p; q < slash; q++)
        if (*q == '@')
            at = q;
    if (at != NULL && (rc = parse_user(w, p, (size_t)(at - p), err)) < 0)
        return rc;
    p = at ? at + 1 : p;
    if ((rc = parse_host(w, p, (size_t)(slash - p), err)) < 0)
        return rc;
    if (slash < end && slash + 1 < end &&
        decode(slash + 1, (size_t)(end - slash - 1), &w->database) != 0)
        return usage(err, "a bad %XX escape in the database name");
    if (query != NULL &&
        (rc = parse_query(w, query + 1, strlen(query + 1), err)) < 0)
        return rc;
    return 0;
}

void my_where_free(my_where *w)
{
    free(w->host);
    free(w->user);
    if (w->password != NULL)
        memset(w->password, 0, strlen(w->password));
    free(w->password);
    free(w->database);
    free(w->socket);
    memset(w, 0, sizeof(*w));
}
