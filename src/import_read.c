/*
 * import_read.c - other tools' migration files, read into the import
 * model (godwit-int.h): golang-migrate, dbmate and goose.  Each reader
 * finds the sections and their flags; the SQL bytes are taken as they
 * are, only the tool's own header lines left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-int.h"

/* The digits at the start of s and, after one '_', the name up to the
 * suffix `tail` (which s must end with); 0, or -1 when s is not so. */
static int split_name(const char *s, const char *tail, size_t *digits,
                      size_t *name_len)
{
    size_t n = strlen(s), t = strlen(tail), d = strspn(s, "0123456789");

    if (d == 0 || n < t || strcmp(s + n - t, tail) != 0 || d + 1 >= n - t ||
        s[d] != '_')
        return -1;
    *digits = d;
    *name_len = n - t - d - 1;
    return 0;
}

/* The item of version and name, added if it is new. */
static godwit_imported *item(godwit_import_set *set, const char *file,
                             size_t digits, size_t name_len)
{
    godwit_imported *it;
    size_t i;

    for (i = 0; i < set->n; i++)
        if (strlen(set->v[i].version) == digits &&
            strncmp(set->v[i].version, file, digits) == 0 &&
            strlen(set->v[i].name) == name_len &&
            strncmp(set->v[i].name, file + digits + 1, name_len) == 0)
            return &set->v[i];
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        godwit_imported *v = realloc(set->v, cap * sizeof(*v));

        if (v == NULL)
            return NULL;
        set->v = v;
        set->cap = cap;
    }
    it = &set->v[set->n];
    memset(it, 0, sizeof(*it));
    it->version = strndup(file, digits);
    it->name = strndup(file + digits + 1, name_len);
    if (it->version == NULL || it->name == NULL) {
        free(it->version);
        free(it->name);
        return NULL;
    }
    set->n++;
    return it;
}

/* Adds file to the item's list of source files: last, or first. */
static int add_from(godwit_imported *it, const char *file, int first)
{
    godwit_buf b = GODWIT_BUF_INIT;
    const char *was = it->from ? it->from : "", *comma = it->from ? ", " : "";

    if ((first ? godwit__buf_printf(&b, "%s%s%s", file, comma, was)
               : godwit__buf_printf(&b, "%s%s%s", was, comma, file)) < 0)
        return GODWIT_ENOMEM;
    free(it->from);
    it->from = godwit__buf_detach(&b);
    return it->from ? 0 : GODWIT_ENOMEM;
}

static int set_section(godwit_imported *it, int up, const char *sql, size_t len,
                       unsigned flags)
{
    godwit_import_sql *s = up ? &it->up : &it->down;

    if ((s->text = strndup(sql, len)) == NULL)
        return GODWIT_ENOMEM;
    s->len = len;
    s->flags = flags | GODWIT_IMPORT_PRESENT;
    return 0;
}

/* golang-migrate: <version>_<name>.up.sql and .down.sql, a file each. */
static int read_migrate(godwit_import_set *set, const char *file,
                        const char *text, size_t len, godwit_err *e)
{
    size_t digits, name_len;
    int up = split_name(file, ".up.sql", &digits, &name_len) == 0;
    godwit_imported *it;

    if (!up && split_name(file, ".down.sql", &digits, &name_len) != 0)
        return godwit__err_set(e, GODWIT_ERROR,
                               "%s: not a golang-migrate file "
                               "(<version>_<name>.up.sql or .down.sql)",
                               file);
    if ((it = item(set, file, digits, name_len)) == NULL ||
        add_from(it, file, up))
        return GODWIT_ENOMEM;
    return set_section(it, up, text, len, 0);
}

/* A line of a tool's file: its start and its end, after the newline. */
typedef struct line {
    const char *start, *end;
} line;

static int next_line(const char *text, size_t len, size_t *pos, line *l)
{
    const char *nl;

    if (*pos >= len)
        return 0;
    l->start = text + *pos;
    nl = memchr(l->start, '\n', len - *pos);
    l->end = nl ? nl + 1 : text + len;
    *pos = (size_t)(l->end - text);
    return 1;
}

/* Whether the line, blanks aside, starts with the marker (any case). */
static int marks(const line *l, const char *marker, const char **rest)
{
    const char *p = l->start;
    size_t n = strlen(marker);

    while (p < l->end && (*p == ' ' || *p == '\t'))
        p++;
    if ((size_t)(l->end - p) < n || strncasecmp(p, marker, n) != 0)
        return 0;
    *rest = p + n;
    return 1;
}

/* Whether the rest of a header line holds word (before its end). */
static int has_word(const char *rest, const char *end, const char *word)
{
    size_t n = strlen(word);

    for (; rest + n <= end; rest++)
        if (strncasecmp(rest, word, n) == 0)
            return 1;
    return 0;
}

/* The sections of a file with header lines: for each line, kind() says
 * whether it starts an up (1) or a down (0) section, is no header (-1),
 * or is a flag line for the whole file (2); flags it may set. */
typedef int (*header_fn)(const line *l, unsigned *flags);

static int read_sections(godwit_import_set *set, const char *file,
                         const char *text, size_t len, header_fn kind,
                         const char *tool, godwit_err *e)
{
    size_t digits, name_len, pos = 0, body = 0;
    godwit_imported *it;
    unsigned flags = 0, file_flags = 0, lineno = 0;
    int in = -1, k, rc = 0;
    line l;

    if (split_name(file, ".sql", &digits, &name_len) != 0)
        return godwit__err_set(e, GODWIT_ERROR,
                               "%s: not a %s file (<version>_<name>.sql)", file,
                               tool);
    if ((it = item(set, file, digits, name_len)) == NULL ||
        add_from(it, file, 0))
        return GODWIT_ENOMEM;
    while (rc == 0 && next_line(text, len, &pos, &l)) {
        unsigned f = 0;

        lineno++;
        if ((k = kind(&l, &f)) < 0) {
            if (k == -2)
                return godwit__err_set(e, GODWIT_ERROR,
                                       "%s:%u: %.*s cannot be expressed in "
                                       "godwit; import refuses the set",
                                       file, lineno, (int)(l.end - l.start - 1),
                                       l.start);
            continue;
        }
        if (k == 2) {
            file_flags |= f;
            continue;
        }
        if (in >= 0)
            rc = set_section(it, in, text + body,
                             (size_t)(l.start - text) - body, flags);
        in = k;
        flags = f;
        body = pos;
    }
    if (rc == 0 && in >= 0)
        rc = set_section(it, in, text + body, len - body, flags);
    it->up.flags |= it->up.flags ? file_flags : 0;
    it->down.flags |= it->down.flags ? file_flags : 0;
    if (rc == 0 && !(it->up.flags & GODWIT_IMPORT_PRESENT))
        rc = godwit__err_set(e, GODWIT_ERROR, "%s: no up section", file);
    return rc;
}

/* dbmate: "-- migrate:up" and "-- migrate:down", with transaction:false. */
static int dbmate_header(const line *l, unsigned *flags)
{
    const char *rest;
    int k;

    if (marks(l, "-- migrate:up", &rest))
        k = 1;
    else if (marks(l, "-- migrate:down", &rest))
        k = 0;
    else
        return -1;
    if (has_word(rest, l->end, "transaction:false"))
        *flags |= GODWIT_IMPORT_NO_TX;
    return k;
}

/* goose: "-- +goose Up", "-- +goose Down", "-- +goose NO TRANSACTION";
 * StatementBegin/End stay, as comments; ENVSUB cannot be expressed. */
static int goose_header(const line *l, unsigned *flags)
{
    const char *rest;

    if (!marks(l, "-- +goose ", &rest))
        return -1;
    if (has_word(rest, l->end, "NO TRANSACTION")) {
        *flags |= GODWIT_IMPORT_NO_TX;
        return 2;
    }
    if (has_word(rest, l->end, "ENVSUB"))
        return -2;
    if (strncasecmp(rest, "Up", 2) == 0)
        return 1;
    if (strncasecmp(rest, "Down", 4) == 0)
        return 0;
    return -1;
}

int godwit__import_read(godwit_import_set *set, godwit_import_tool tool,
                        const char *file, const char *text, size_t len,
                        godwit_err *e)
{
    switch (tool) {
    case GODWIT_IMPORT_MIGRATE: return read_migrate(set, file, text, len, e);
    case GODWIT_IMPORT_DBMATE:
        return read_sections(set, file, text, len, dbmate_header, "dbmate", e);
    case GODWIT_IMPORT_GOOSE:
        return read_sections(set, file, text, len, goose_header, "goose", e);
    }
    return GODWIT_EUSAGE;
}
