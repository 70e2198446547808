/*
 * password.c - a password the server refuses (or, where it trusts the
 * client, ignores) shows in no message: not the backend's from connect,
 * not the host's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conformance.h"
#include "godwit.h"

/* url with its password set to pw (user "godwit" when it names none),
 * into out; 0 when url has no authority to put one in (sqlite:path). */
static int with_password(const char *url, const char *pw, char *out, size_t cap)
{
    const char *auth = strstr(url, "://"), *end, *at, *colon;

    if (auth == NULL)
        return 0;
    auth += 3;
    end = auth + strcspn(auth, "/?#");
    for (at = NULL, colon = auth; colon < end; colon++)
        if (*colon == '@')
            at = colon;
    if (at == NULL) {
        snprintf(out, cap, "%.*sgodwit:%s@%s", (int)(auth - url), url, pw,
                 auth);
        return 1;
    }
    colon = memchr(auth, ':', (size_t)(at - auth));
    snprintf(out, cap, "%.*s:%s%s", (int)((colon ? colon : at) - url), url, pw,
             at);
    return 1;
}

/* Whether text holds pw or any 6-byte piece of it. */
static int leaks(const char *text, const char *pw)
{
    char piece[7];
    size_t i, n = strlen(pw);

    for (i = 0; i + 6 <= n; i++) {
        memcpy(piece, pw + i, 6);
        piece[6] = '\0';
        if (strstr(text, piece) != NULL)
            return 1;
    }
    return 0;
}

void cf_password(cf *c)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    godwit_target t = c->target;
    godwit_berror be;
    godwit_conn *conn;
    godwit_status *s = NULL;
    godwit *g;
    char pw[48], url[1024];

    snprintf(pw, sizeof(pw), "Conformance-Secret-%ld", (long)getpid());
    if (!with_password(c->url, pw, url, sizeof(url)))
        return;
    t.url = url;
    cf_berror(&be);
    if (c->vt->connect(&conn, &t, &be) == 0)
        c->vt->disconnect(conn);
    cf_check(c, !leaks(be.message, pw), "password",
             "connect with a wrong password said \"%s\", which shows the "
             "password; never put it in a message",
             be.message);
    o.url = url;
    o.backend_path = c->backend_path;
    o.table = c->table;
    o.schema = c->target.schema;
    if (godwit_open(&g, &o) == 0 && godwit_status_read(g, &s) == 0)
        godwit_status_free(s);
    cf_check(c, g == NULL || !leaks(godwit_errmsg(g), pw), "password",
             "godwit said \"%s\" for a URL with a wrong password",
             godwit_errmsg(g));
    godwit_close(g);
}
