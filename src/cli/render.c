/* render.c - everything godwit prints: progress, tables, JSON, errors. */
#include <stdarg.h>
#include <string.h>

#include "cli.h"

#define RED    "\033[31m"
#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define BOLD   "\033[1m"
#define RESET  "\033[0m"

static const char *paint(int on, const char *color)
{
    return on ? color : "";
}

void cli_error(const cli *c, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%sgodwit:%s ", paint(c->color_err, RED BOLD),
            paint(c->color_err, RESET));
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_progress(const godwit_event *ev, void *ctx)
{
    cli *c = ctx;
    int on = c->color_out;

    if (ev->type == GODWIT_EVENT_CONNECT_RETRY) {
        if (c->verbose)
            fprintf(stderr,
                    "godwit: waiting for the database: %s; next "
                    "attempt in %ld ms\n",
                    ev->detail, ev->duration_ms);
        return;
    }
    c->events++;
    if (c->quiet && ev->type != GODWIT_EVENT_FAIL)
        return;
    switch (ev->type) {
    case GODWIT_EVENT_APPLY_BEGIN:
    case GODWIT_EVENT_REVERT_BEGIN:
        printf("%s %s_%s ... ",
               ev->type == GODWIT_EVENT_APPLY_BEGIN ? "applying" : "reverting",
               ev->mversion, ev->name);
        break;
    case GODWIT_EVENT_APPLY_END:
    case GODWIT_EVENT_REVERT_END:
        printf("%sok%s (%ld ms)\n", paint(on, GREEN), paint(on, RESET),
               ev->duration_ms);
        break;
    case GODWIT_EVENT_SKIP:
        printf("%sskipped%s (%s)\n", paint(on, YELLOW), paint(on, RESET),
               ev->detail ? ev->detail : "");
        break;
    case GODWIT_EVENT_FAIL:
        if (!c->quiet)
            printf("%sFAILED%s\n", paint(on, RED), paint(on, RESET));
        break;
    case GODWIT_EVENT_LOCK_WAIT:
        printf("waiting for the migration lock: %s\n",
               ev->detail ? ev->detail : "");
        break;
    case GODWIT_EVENT_CONNECT_RETRY: break;
    case GODWIT_EVENT_VERIFIED:
        printf("verified %s_%s: %s\n", ev->mversion, ev->name, ev->detail);
        break;
    case GODWIT_EVENT_WARNING:
        fprintf(stderr, "%sgodwit: warning:%s %s\n",
                paint(c->color_err, YELLOW), paint(c->color_err, RESET),
                ev->detail);
        break;
    case GODWIT_EVENT_STAMP:
    case GODWIT_EVENT_REPAIR:
        printf("%s_%s: %s\n", ev->mversion, ev->name, ev->detail);
        break;
    }
    fflush(stdout);
}

void cli_settings(const cli *c)
{
    static const char *const keys[] = {
        "url",          "dir",          "table",  "schema",
        "lock_timeout", "backend_path", "config", NULL};
    const char *const *k;

    for (k = keys; *k != NULL; k++) {
        const char *src, *v = godwit_setting(c->g, *k, &src);

        if (v != NULL)
            fprintf(stderr, "godwit: %s = %s (%s)\n", *k, v, src);
    }
}

static void json_string(const char *s)
{
    if (s == NULL) {
        fputs("null", stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;

        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch < 0x20)
            printf("\\u%04x", ch);
        else
            putchar(ch);
    }
    putchar('"');
}

static void json_entry(const godwit_status *s, size_t i)
{
    printf("    {\"version\": ");
    json_string(godwit_status_version(s, i));
    printf(", \"name\": ");
    json_string(godwit_status_name(s, i));
    printf(", \"state\": \"%s\", \"path\": ",
           godwit_state_name(godwit_status_state(s, i)));
    json_string(godwit_status_path(s, i));
    printf(", \"applied_at\": ");
    json_string(godwit_status_applied_at(s, i));
    printf(", \"note\": ");
    json_string(godwit_status_note(s, i));
    if (godwit_status_duration_ms(s, i) >= 0)
        printf(", \"duration_ms\": %ld}", godwit_status_duration_ms(s, i));
    else
        printf(", \"duration_ms\": null}");
}

static void json_list(const godwit_status *s)
{
    size_t i, n = godwit_status_count(s);

    printf("{\n  \"current\": ");
    json_string(godwit_status_current(s));
    printf(",\n  \"migrations\": [");
    for (i = 0; i < n; i++) {
        printf(i ? ",\n" : "\n");
        json_entry(s, i);
    }
    printf("%s]\n}\n", n ? "\n  " : "");
}

static const char *state_color(const cli *c, godwit_state st)
{
    if (!c->color_out)
        return "";
    switch (st) {
    case GODWIT_STATE_APPLIED: return GREEN;
    case GODWIT_STATE_PENDING: return YELLOW;
    default: return RED;
    }
}

void cli_status(const cli *c, const godwit_status *s)
{
    size_t i, n = godwit_status_count(s), pending = 0;

    if (c->json) {
        json_list(s);
        return;
    }
    for (i = 0; i < n; i++) {
        godwit_state st = godwit_status_state(s, i);
        const char *at = godwit_status_applied_at(s, i);

        pending += st == GODWIT_STATE_PENDING;
        printf("%-16s %s%-8s%s %-36s %s\n", godwit_status_version(s, i),
               state_color(c, st), godwit_state_name(st),
               paint(c->color_out, RESET), godwit_status_name(s, i),
               at ? at : "");
        if (godwit_status_note(s, i) != NULL)
            printf("%16s   %s\n", "", godwit_status_note(s, i));
    }
    printf("%scurrent: %s, %zu pending\n", n ? "\n" : "",
           godwit_status_current(s) ? godwit_status_current(s) : "base",
           pending);
}

void cli_history(const cli *c, const godwit_status *s)
{
    size_t i, n = godwit_status_count(s);

    if (c->json) {
        json_list(s);
        return;
    }
    for (i = 0; i < n; i++)
        printf("%-16s %-36s %s %6ld ms\n", godwit_status_version(s, i),
               godwit_status_name(s, i), godwit_status_applied_at(s, i),
               godwit_status_duration_ms(s, i));
    if (n == 0)
        printf("no migration has been applied\n");
}

void cli_backend(const godwit_backend_info *b, void *ctx)
{
    cli *c = ctx;

    c->events++;
    if (b->error != NULL)
        printf("%-10s %sbroken%s   %s\n", b->name, paint(c->color_out, RED),
               paint(c->color_out, RESET), b->error);
    else
        printf("%-10s %-20s %s%s\n", b->name, b->schemes, b->path,
               b->shadowed ? " (shadowed by an earlier directory)" : "");
}
