/*
 * render.c - the bookkeeping SQL, with no connection: every kind, for a
 * table whose name has quote characters and a row whose strings have
 * quotes, backslashes, newlines and UTF-8, under snprintf's contract.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"

static const char *const kind_name[] = {"",
                                        "HISTORY_CREATE",
                                        "BEGIN",
                                        "COMMIT",
                                        "ROLLBACK",
                                        "RECORD",
                                        "UNRECORD",
                                        "UPDATE",
                                        "SCRATCH_DROP",
                                        "HISTORY_UPGRADE",
                                        "SCRATCH_CREATE",
                                        "FK_OFF",
                                        "FK_ON",
                                        "FK_CHECK"};

void cf_hard_row(godwit_history_row *r)
{
    memset(r, 0, sizeof(*r));
    r->version = "20261129120000";
    r->name = "it's a \"test\" \\ with\nlines and \303\274n\303\257c\303\266d"
              "\303\251";
    r->checksum = "sha256:0123";
    r->duration_ms = 7;
    r->in_progress = "up";
    r->statements_done = 2;
    r->error = "it's \\ broken; 'badly'";
    r->applied_by = "me@host";
}

void cf_plain_row(godwit_history_row *r, const char *version, const char *name)
{
    memset(r, 0, sizeof(*r));
    r->version = version;
    r->name = name;
    r->checksum = "sha256:89";
    r->duration_ms = 1;
}

void cf_berror(godwit_berror *be)
{
    memset(be, 0, sizeof(*be));
    be->offset = -1;
    be->statement = -1;
}

char *cf_render(cf *c, godwit_sql what, const godwit_history_row *row)
{
    size_t cap = 256;
    char *buf = malloc(cap);
    int n;

    if (buf == NULL)
        return NULL;
    n = c->vt->render(&c->target, what, row, buf, cap);
    if (n >= 0 && (size_t)n >= cap) {
        free(buf);
        cap = (size_t)n + 1;
        if ((buf = malloc(cap)) == NULL)
            return NULL;
        n = c->vt->render(&c->target, what, row, buf, cap);
    }
    if (n < 0 || (size_t)n >= cap) {
        free(buf);
        return NULL;
    }
    return buf;
}

int cf_run(cf *c, godwit_conn *conn, godwit_sql what,
           const godwit_history_row *row, godwit_berror *be)
{
    char *sql = cf_render(c, what, row);
    int rc;

    cf_berror(be);
    if (sql == NULL) {
        snprintf(be->message, sizeof(be->message), "render of %s failed",
                 kind_name[what]);
        return GODWIT_ERROR;
    }
    rc = c->vt->exec(conn, sql, strlen(sql), be);
    free(sql);
    return rc;
}

godwit_conn *cf_connect(cf *c, const char *area)
{
    godwit_conn *conn = NULL;
    godwit_berror be;

    cf_berror(&be);
    if (!cf_check(c, c->vt->connect(&conn, &c->target, &be) == 0, area,
                  "connect to the URL failed: %s", be.message))
        return NULL;
    return conn;
}

/* The snprintf contract at capacities 0, 1, n and n + 1 for text, the
 * whole rendering (n bytes). */
static void contract(cf *c, godwit_sql what, const godwit_history_row *row,
                     const char *text)
{
    size_t n = strlen(text);
    char *buf = malloc(n + 8);
    int ok = 1;

    if (buf == NULL || n == 0) { /* nothing rendered: said already */
        free(buf);
        return;
    }
    memset(buf, 'X', n + 8);
    ok &=
        c->vt->render(&c->target, what, row, buf, 0) == (int)n && buf[0] == 'X';
    ok &= c->vt->render(&c->target, what, row, buf, 1) == (int)n &&
          buf[0] == '\0' && buf[1] == 'X';
    ok &= c->vt->render(&c->target, what, row, buf, n) == (int)n &&
          buf[n - 1] == '\0' && memcmp(buf, text, n - 1) == 0 && buf[n] == 'X';
    ok &= c->vt->render(&c->target, what, row, buf, n + 1) == (int)n &&
          strcmp(buf, text) == 0 && buf[n + 1] == 'X';
    cf_check(c, ok, "render",
             "%s breaks snprintf's contract: with room for cap bytes it "
             "must write at most cap - 1 and a NUL (nothing when cap is 0) "
             "and always return the whole length",
             kind_name[what]);
    free(buf);
}

void cf_render_suite(cf *c)
{
    godwit_history_row row;
    godwit_sql what;
    char *text;

    cf_hard_row(&row);
    for (what = GODWIT_SQL_HISTORY_CREATE; what <= GODWIT_SQL_UPDATE; what++) {
        text = cf_render(c, what, &row);
        if (!cf_check(c, text != NULL, "render",
                      "%s failed with no connection; render needs none",
                      kind_name[what]))
            continue;
        cf_check(
            c, strlen(text) >= 2 && strcmp(text + strlen(text) - 2, ";\n") == 0,
            "render",
            "%s does not end its statement with \";\" and a newline; "
            "the host joins pieces with nothing between them",
            kind_name[what]);
        contract(c, what, &row, text);
        free(text);
    }
    if (c->vt->caps & GODWIT_CAP_SCRATCH_SCHEMA) {
        text = cf_render(c, GODWIT_SQL_SCRATCH_DROP, NULL);
        cf_check(c, text != NULL, "render",
                 "GODWIT_CAP_SCRATCH_SCHEMA without SCRATCH_DROP");
        free(text);
    }
    if (c->vt->caps & GODWIT_CAP_SCRATCH_DATABASE) {
        static const godwit_sql both[] = {GODWIT_SQL_SCRATCH_CREATE,
                                          GODWIT_SQL_SCRATCH_DROP};
        size_t i;

        c->target.database = "godwit_conformance_render";
        for (i = 0; i < sizeof(both) / sizeof(*both); i++) {
            what = both[i];
            text = cf_render(c, what, NULL);
            if (cf_check(c, text != NULL, "render",
                         "GODWIT_CAP_SCRATCH_DATABASE without %s of a "
                         "target whose database is set",
                         kind_name[what]))
                contract(c, what, NULL, text);
            free(text);
        }
        c->target.database = NULL;
    }
}
