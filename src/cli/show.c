/* show.c - godwit show VERSION|head|current: one migration, whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* What godwit show prints of each section, as text or JSON. */
typedef struct shown {
    const cli *c;
    int n;   /* sections so far */
    int sql; /* --sql: the SQL of those that run here */
    char checksum[80];
} shown;

/* The version with its leading zeros dropped, for comparing. */
static const char *digits(const char *v)
{
    while (v[0] == '0' && v[1] != '\0')
        v++;
    return v;
}

/* Which entry of st `which` names: a version, head (the newest file) or
 * current (the newest applied); -1 when none. */
static long find(const godwit_status *st, const char *which)
{
    size_t i, n = godwit_status_count(st);
    long at = -1;

    if (strcmp(which, "current") == 0)
        which = godwit_status_current(st);
    for (i = 0; which != NULL && i < n; i++) {
        if (strcmp(which, "head") == 0
                ? godwit_status_path(st, i) != NULL
                : strcmp(digits(which), digits(godwit_status_version(st, i))) ==
                      0)
            at = (long)i;
    }
    return at;
}

static int text_section(const godwit_section_info *s, void *ctx)
{
    shown *sh = ctx;

    snprintf(sh->checksum, sizeof(sh->checksum), "%s", s->checksum);
    printf("%s%s%s%s%s%s%s (line %u)%s\n", sh->n++ ? "            " : "",
           s->kind, s->backend ? " backend=" : "", s->backend ? s->backend : "",
           s->transaction ? "" : " transaction=off",
           s->foreign_keys_off ? " foreign_keys=off" : "",
           s->irreversible ? " irreversible" : "", s->line,
           s->runs_here ? ": runs here" : "");
    return 0;
}

static int sql_section(const godwit_section_info *s, void *ctx)
{
    (void)ctx;
    if (!s->runs_here || strcmp(s->kind, "verify") == 0)
        return 0;
    printf("\n-- %s (line %u)\n", s->kind, s->line);
    fwrite(s->sql, 1, s->len, stdout);
    return 0;
}

static int json_section(const godwit_section_info *s, void *ctx)
{
    shown *sh = ctx;

    snprintf(sh->checksum, sizeof(sh->checksum), "%s", s->checksum);
    printf("%s    {\"kind\": \"%s\", \"backend\": ", sh->n++ ? ",\n" : "\n",
           s->kind);
    cli_json_string(s->backend);
    printf(", \"transaction\": %s, \"foreign_keys\": %s, \"irreversible\": %s, "
           "\"line\": %u, \"runs_here\": %s",
           s->transaction ? "true" : "false",
           s->foreign_keys_off ? "false" : "true",
           s->irreversible ? "true" : "false", s->line,
           s->runs_here ? "true" : "false");
    if (sh->sql) {
        printf(", \"sql\": ");
        cli_json_strn(s->sql, s->len);
    }
    putchar('}');
    return 0;
}

/* The state line: applied when, by whom, how long; or the state and why. */
static void text_state(const godwit_status *st, size_t i)
{
    godwit_state state = godwit_status_state(st, i);

    printf("  state     %s", godwit_state_name(state));
    if (godwit_status_applied_at(st, i) != NULL)
        printf(" %s", godwit_status_applied_at(st, i));
    if (godwit_status_applied_by(st, i) != NULL)
        printf(" by %s", godwit_status_applied_by(st, i));
    if (godwit_status_duration_ms(st, i) >= 0)
        printf(" in %ld ms", godwit_status_duration_ms(st, i));
    if (godwit_status_note(st, i) != NULL)
        printf(": %s", godwit_status_note(st, i));
    putchar('\n');
}

static int show_text(cli *c, const godwit_status *st, size_t i, int sql)
{
    shown sh = {c, 0, sql, ""};
    int rc = 0;

    printf("%s_%s\n  file      %s\n", godwit_status_version(st, i),
           godwit_status_name(st, i),
           godwit_status_path(st, i) ? godwit_status_path(st, i) : "(missing)");
    text_state(st, i);
    if (godwit_status_path(st, i) == NULL)
        return 0;
    printf("  sections  ");
    rc = godwit_sections(c->g, godwit_status_version(st, i), text_section, &sh);
    if (rc == 0)
        printf("  checksum  %s\n", sh.checksum);
    if (rc == 0 && sql)
        rc = godwit_sections(c->g, godwit_status_version(st, i), sql_section,
                             &sh);
    return rc;
}

static int show_json(cli *c, const godwit_status *st, size_t i, int sql)
{
    shown sh = {c, 0, sql, ""};
    int rc = 0;

    printf("{\n  \"migration\": ");
    cli_json_entry(st, i); /* as status --format json has it */
    printf(",\n  \"sections\": [");
    if (godwit_status_path(st, i) != NULL)
        rc = godwit_sections(c->g, godwit_status_version(st, i), json_section,
                             &sh);
    printf("%s],\n  \"checksum\": ", sh.n ? "\n  " : "");
    cli_json_string(sh.checksum[0] ? sh.checksum : NULL);
    printf("\n}\n");
    return rc;
}

int cmd_show(cli *c)
{
    godwit_status *st;
    long at;
    int rc;

    if ((rc = godwit_status_read(c->g, &st)) < 0)
        return cli_failed(c, rc);
    if ((at = find(st, c->args[0])) < 0) {
        cli_error(c,
                  "show: \"%s\" is not head, current or the version of a "
                  "migration; see godwit status",
                  c->args[0]);
        godwit_status_free(st);
        return EXIT_USAGE;
    }
    rc = c->json ? show_json(c, st, (size_t)at, (c->local & LOCAL_SQL) != 0)
                 : show_text(c, st, (size_t)at, (c->local & LOCAL_SQL) != 0);
    godwit_status_free(st);
    return rc < 0 ? cli_failed(c, rc) : EXIT_OK;
}
