/*
 * fuzz_redact.c - libFuzzer harness: any bytes as a password, put in a
 * URL as user:PASSWORD@ or as ?password=PASSWORD.  The redacted URL never
 * holds the password nor any 3-byte piece of it that the rest of the URL
 * does not hold too; a message echoing the password loses it to the scrub
 * (for a URL that godwit__url_check lets through to a backend).
 *
 * Not fuzzed: a raw "&" in a ?password= value.  URL syntax ends the value
 * there, so "password=a&b=c" is the password "a" and a parameter "b=c" to
 * every parser; the documentation says to write "&" as %26.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-util.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Whether out holds s where neither the URL without its password
 * (skeleton) nor the mask of a refused URL explain it. */
static int leaks(const char *out, const char *s, const char *skeleton)
{
    return strstr(out, s) != NULL && strstr(skeleton, s) == NULL &&
           strstr("://***", s) == NULL;
}

/* Aborts if out holds pw or a 3-byte piece of it that it may not. */
static void no_piece(const char *out, const char *pw, const char *skeleton)
{
    size_t i, n = strlen(pw);
    char piece[4];

    if (leaks(out, pw, skeleton))
        abort();
    for (i = 0; i + 3 <= n; i++) {
        memcpy(piece, pw + i, 3);
        piece[3] = '\0';
        if (leaks(out, piece, skeleton))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const char *const forms[] = {
        "postgres://app:%s@db.example:5432/app?sslmode=require",
        "postgresql://app@db.example:5432/app?sslmode=require&password=%s"};
    char pw[128], url[512], skeleton[512], msg[512], *red;
    size_t n = 0, i;
    int form;

    if (size < 1)
        return 0;
    form = data[0] & 1;
    for (i = 1; i < size && n < sizeof(pw) - 1; i++)
        if (data[i] != '\0' && !(form == 1 && data[i] == '&'))
            pw[n++] = (char)data[i];
    pw[n] = '\0';
    if (n < 3)
        return 0;
    snprintf(url, sizeof(url), forms[form], pw);
    snprintf(skeleton, sizeof(skeleton), forms[form], "***");
    if ((red = godwit__url_redact(url)) == NULL)
        return 0;
    no_piece(red, pw, skeleton);
    free(red);
    if (godwit__url_check(url) == NULL && strchr(pw, '*') == NULL) {
        snprintf(msg, sizeof(msg), "could not connect: \"%s\" rejected", pw);
        godwit__url_scrub(msg, url);
        if (strstr(msg, pw) != NULL)
            abort();
    }
    return 0;
}
