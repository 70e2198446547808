/*
 * render.c - everything godwit prints: progress, tables, JSON, errors.
 *
 * Text from files and databases (migration names, paths, messages) may hold
 * control characters; on a terminal an ESC would run as an escape sequence
 * and a newline would forge a line of output.  Human output writes them
 * escaped (put_text); JSON escapes them its own way.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *cli_paint(int on, const char *color)
{
    return on ? color : "";
}

int cli_text(FILE *f, const char *s, int width)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    int n = 0;

    for (; *p != '\0'; p++) {
        if (*p == '\n' || *p == '\t')
            n += fprintf(f, "\\%c", *p == '\n' ? 'n' : 't');
        else if (*p < 0x20 || *p == 0x7f)
            n += fprintf(f, "\\x%02x", *p);
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            n += fprintf(f, "\\u%04x", *++p); /* U+0080 to U+009F */
        else
            n += fputc(*p, f) != EOF;
    }
    fprintf(f, "%*s", width > n ? width - n : 0, "");
    return n;
}

void cli_error(const cli *c, const char *fmt, ...)
{
    va_list ap;
    char *msg = NULL;
    int n;

    fprintf(stderr, "%sgodwit:%s ", cli_paint(c->color_err, RED BOLD),
            cli_paint(c->color_err, RESET));
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && (msg = malloc((size_t)n + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    cli_text(stderr, msg ? msg : "out of memory", 0);
    free(msg);
    fputc('\n', stderr);
}

/* "version_name" of an event's migration, escaped. */
static void put_migration(const godwit_event *ev)
{
    cli_text(stdout, ev->mversion, 0);
    putchar('_');
    cli_text(stdout, ev->name, 0);
}

/* "version_name" of an event's migration, as put_migration prints it. */
static void migration_text(const godwit_event *ev, char *out, size_t cap)
{
    FILE *f = fmemopen(out, cap, "w");

    if (f == NULL) {
        snprintf(out, cap, "%s_%s", ev->mversion, ev->name);
        return;
    }
    cli_text(f, ev->mversion, 0);
    fputc('_', f);
    cli_text(f, ev->name, 0);
    fclose(f);
}

void cli_progress(const godwit_event *ev, void *ctx)
{
    cli *c = ctx;
    char line[600];
    int on = c->color_out;

    if (ev->type == GODWIT_EVENT_CONNECT_RETRY) {
        if (c->verbose) {
            fputs("godwit: waiting for the database: ", stderr);
            cli_text(stderr, ev->detail, 0);
            fprintf(stderr, "; next attempt in %ld ms\n", ev->duration_ms);
        }
        return;
    }
    c->events++;
    if (c->quiet && ev->type != GODWIT_EVENT_FAIL)
        return;
    switch (ev->type) {
    case GODWIT_EVENT_APPLY_BEGIN:
    case GODWIT_EVENT_REVERT_BEGIN:
        snprintf(line, sizeof(line), "%s ",
                 ev->type == GODWIT_EVENT_APPLY_BEGIN ? "applying"
                                                      : "reverting");
        migration_text(ev, line + strlen(line), sizeof(line) - strlen(line));
        strncat(line, " ... ", sizeof(line) - strlen(line) - 1);
        cli_ticker_begin(c, line);
        break;
    case GODWIT_EVENT_APPLY_END:
    case GODWIT_EVENT_REVERT_END:
        if (c->tick.on && ev->duration_ms >= 1000)
            snprintf(line, sizeof(line), "%sok%s (%.1f s)\n",
                     cli_paint(on, GREEN), cli_paint(on, RESET),
                     ev->duration_ms / 1000.0);
        else
            snprintf(line, sizeof(line), "%sok%s (%ld ms)\n",
                     cli_paint(on, GREEN), cli_paint(on, RESET),
                     ev->duration_ms);
        cli_ticker_end(c, line);
        break;
    case GODWIT_EVENT_STATEMENT:
        cli_ticker_detail(c, ev->detail ? ev->detail : "");
        break;
    case GODWIT_EVENT_SKIP:
        printf("%sskipped%s (", cli_paint(on, YELLOW), cli_paint(on, RESET));
        cli_text(stdout, ev->detail, 0);
        printf(")\n");
        break;
    case GODWIT_EVENT_FAIL:
        if (!c->quiet) {
            snprintf(line, sizeof(line), "%sFAILED%s\n", cli_paint(on, RED),
                     cli_paint(on, RESET));
            cli_ticker_end(c, line);
        }
        break;
    case GODWIT_EVENT_LOCK_WAIT:
        printf("waiting for the migration lock held by ");
        cli_text(stdout, ev->detail, 0);
        putchar('\n');
        break;
    case GODWIT_EVENT_CONNECT_RETRY: break;
    case GODWIT_EVENT_VERIFIED:
        printf("verified ");
        put_migration(ev);
        printf(": ");
        cli_text(stdout, ev->detail, 0);
        putchar('\n');
        break;
    case GODWIT_EVENT_WARNING:
        fprintf(stderr, "%sgodwit: warning:%s ",
                cli_paint(c->color_err, YELLOW),
                cli_paint(c->color_err, RESET));
        cli_text(stderr, ev->detail, 0);
        fputc('\n', stderr);
        break;
    case GODWIT_EVENT_IMPORT:
        printf("imported ");
        cli_text(stdout, ev->detail, 0);
        putchar('\n');
        break;
    case GODWIT_EVENT_UPGRADE:
        cli_text(stdout, ev->detail, 0);
        putchar('\n');
        break;
    case GODWIT_EVENT_STAMP:
    case GODWIT_EVENT_REPAIR:
        put_migration(ev);
        printf(": ");
        cli_text(stdout, ev->detail, 0);
        putchar('\n');
        break;
    }
    fflush(stdout);
}

void cli_settings(const cli *c)
{
    static const char *const keys[] = {
        "url",          "dir",          "table",  "schema", "lock_timeout",
        "lock_retries", "backend_path", "config", NULL};
    const char *const *k;

    for (k = keys; *k != NULL; k++) {
        const char *src, *v = godwit_setting(c->g, *k, &src);

        if (v != NULL) {
            fprintf(stderr, "godwit: %s = ", *k);
            cli_text(stderr, v, 0);
            fprintf(stderr, " (%s)\n", src);
        }
    }
}

/* n bytes of s as a JSON string. */
void cli_json_strn(const char *s, size_t n)
{
    size_t i;

    putchar('"');
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch < 0x20)
            printf("\\u%04x", ch);
        else
            putchar(ch);
    }
    putchar('"');
}

void cli_json_string(const char *s)
{
    if (s == NULL)
        fputs("null", stdout);
    else
        cli_json_strn(s, strlen(s));
}

/* The object a dump line is about: its first two words ("table t",
 * "index i", "function f()"), without a trailing ':'. */
static size_t object_len(const char *line, size_t n)
{
    size_t i, words = 0;

    for (i = 0; i < n && !(line[i] == ' ' && ++words == 2); i++)
        ;
    return i > 0 && line[i - 1] == ':' ? i - 1 : i;
}

/* The start of the line after the one at p (or the text's end). */
static const char *next_line(const char *p)
{
    const char *nl = strchr(p, '\n');

    return nl ? nl + 1 : p + strlen(p);
}

/* The dump line of the diff line at p ("- line\n"): its text and length. */
static size_t dump_line(const char *p, const char **text)
{
    const char *e = next_line(p);
    size_t n = (size_t)(e - p);

    n -= n > 0 && e[-1] == '\n';
    *text = p + (n >= 2 ? 2 : n);
    return n >= 2 ? n - 2 : 0;
}

/* Whether the diff line at p is about the object obj[0, n). */
static int about(const char *p, const char *obj, size_t n)
{
    const char *line;
    size_t len = dump_line(p, &line);

    return object_len(line, len) == n && strncmp(line, obj, n) == 0;
}

/* The lines of [from, to) that start with sign, as a JSON array of their
 * dump lines. */
static void json_side(const char *from, const char *to, char sign)
{
    const char *p, *line;
    int n = 0;

    putchar('[');
    for (p = from; p < to; p = next_line(p)) {
        size_t len = dump_line(p, &line);

        if (*p != sign)
            continue;
        fputs(n++ ? ", " : "", stdout);
        cli_json_strn(line, len);
    }
    putchar(']');
}

/* A diff's text ("- line" / "+ line") as JSON, the lines grouped by the
 * object they are about (they come sorted, so a group is a run). */
static void json_diff(const char *text)
{
    const char *p, *q, *obj;
    int groups = 0;

    printf("{\n  \"different\": %s,\n  \"objects\": [",
           *text ? "true" : "false");
    for (p = text; *p != '\0'; p = q) {
        size_t len = dump_line(p, &obj), n = object_len(obj, len);

        for (q = next_line(p); *q != '\0' && about(q, obj, n); q = next_line(q))
            ;
        printf("%s    {\"object\": ", groups++ ? ",\n" : "\n");
        cli_json_strn(obj, n);
        printf(", \"removed\": ");
        json_side(p, q, '-');
        printf(", \"added\": ");
        json_side(p, q, '+');
        putchar('}');
    }
    printf("%s]\n}\n", groups ? "\n  " : "");
}

void cli_diff(const cli *c, const char *text)
{
    if (c->json)
        json_diff(text);
    else
        fputs(text, stdout);
}

void cli_json_entry(const godwit_status *s, size_t i)
{
    printf("{\"version\": ");
    cli_json_string(godwit_status_version(s, i));
    printf(", \"name\": ");
    cli_json_string(godwit_status_name(s, i));
    printf(", \"state\": \"%s\", \"path\": ",
           godwit_state_name(godwit_status_state(s, i)));
    cli_json_string(godwit_status_path(s, i));
    printf(", \"applied_at\": ");
    cli_json_string(godwit_status_applied_at(s, i));
    printf(", \"applied_by\": ");
    cli_json_string(godwit_status_applied_by(s, i));
    printf(", \"note\": ");
    cli_json_string(godwit_status_note(s, i));
    if (godwit_status_duration_ms(s, i) >= 0)
        printf(", \"duration_ms\": %ld}", godwit_status_duration_ms(s, i));
    else
        printf(", \"duration_ms\": null}");
}

static void json_list(const godwit_status *s)
{
    size_t i, n = godwit_status_count(s);

    printf("{\n  \"current\": ");
    cli_json_string(godwit_status_current(s));
    printf(",\n  \"migrations\": [");
    for (i = 0; i < n; i++) {
        printf(i ? ",\n    " : "\n    ");
        cli_json_entry(s, i);
    }
    printf("%s]\n}\n", n ? "\n  " : "");
}

static const char *state_color(const cli *c, godwit_state st)
{
    if (!c->color_out)
        return "";
    switch (st) {
    case GODWIT_STATE_APPLIED: return GREEN;
    case GODWIT_STATE_PENDING:
    case GODWIT_STATE_RUNNING: return YELLOW;
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
        cli_text(stdout, godwit_status_version(s, i), 16);
        printf(" %s%-8s%s ", state_color(c, st), godwit_state_name(st),
               cli_paint(c->color_out, RESET));
        cli_text(stdout, godwit_status_name(s, i), 36);
        printf(" %s\n", at ? at : "");
        if (godwit_status_note(s, i) != NULL) {
            printf("%16s   ", "");
            cli_text(stdout, godwit_status_note(s, i), 0);
            putchar('\n');
        }
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
    for (i = 0; i < n; i++) {
        cli_text(stdout, godwit_status_version(s, i), 16);
        putchar(' ');
        cli_text(stdout, godwit_status_name(s, i), 36);
        printf(" %s %6ld ms", godwit_status_applied_at(s, i),
               godwit_status_duration_ms(s, i));
        if (godwit_status_applied_by(s, i) != NULL) {
            printf("  by ");
            cli_text(stdout, godwit_status_applied_by(s, i), 0);
        }
        putchar('\n');
    }
    if (n == 0)
        printf("no migration has been applied\n");
}

void cli_backend(const godwit_backend_info *b, void *ctx)
{
    cli *c = ctx;

    c->events++;
    cli_text(stdout, b->name, 10);
    if (b->error != NULL) {
        printf(" %sbroken%s   ", cli_paint(c->color_out, RED),
               cli_paint(c->color_out, RESET));
        cli_text(stdout, b->error, 0);
    } else {
        putchar(' ');
        cli_text(stdout, b->schemes, 20);
        putchar(' ');
        cli_text(stdout, b->path, 0);
        printf("%s", b->shadowed ? " (shadowed by an earlier directory)" : "");
    }
    putchar('\n');
}
