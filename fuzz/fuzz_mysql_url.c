/* fuzz_mysql_url.c - libFuzzer harness: any bytes as a mysql:// URL; the
 * MySQL backend's parser never crashes, and what it says of a URL does
 * not depend on the URL's password: the same URL with the password's
 * bytes all 'a' and all 'b' gets the same message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mysql-int.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Where the raw password of url is (between the authority's first ':'
 * and its last '@'): 1 with *from and *to set, or 0. */
static int password_at(const char *url, size_t *from, size_t *to)
{
    const char *auth = strstr(url, "://"), *end, *colon, *at = NULL, *p;

    if (auth == NULL)
        return 0;
    auth += 3;
    end = auth + strcspn(auth, "/?");
    for (p = auth; p < end; p++)
        if (*p == '@')
            at = p;
    colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon == NULL || colon + 1 == at)
        return 0;
    *from = (size_t)(colon + 1 - url);
    *to = (size_t)(at - url);
    return 1;
}

/* Parses url and keeps the message (empty when it parses). */
static void parse(const char *url, char *message)
{
    godwit_berror err;
    my_where w;

    memset(&err, 0, sizeof(err));
    my_where_parse(&w, url, &err);
    my_where_free(&w);
    memcpy(message, err.message, sizeof(err.message));
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *url = malloc(size + 1), a[1024], b[1024];
    size_t from, to;

    if (url == NULL)
        return 0;
    memcpy(url, data, size);
    url[size] = '\0';
    parse(url, a);
    if (password_at(url, &from, &to)) {
        memset(url + from, 'a', to - from);
        parse(url, a);
        memset(url + from, 'b', to - from);
        parse(url, b);
        if (strcmp(a, b) != 0)
            abort();
    }
    free(url);
    return 0;
}
