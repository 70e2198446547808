/*
 * import_read.c - other tools' migration files, read into the import
 * model (godwit-int.h): golang-migrate, dbmate, goose, sqlx, diesel and
 * Flyway.  Each reader finds the sections and their flags in one file;
 * the SQL bytes are taken as they are, only the tool's own header lines
 * left out.  A file that is not the tool's migration nor godwit's
 * business (a README) is left alone; one that is the tool's but cannot
 * be expressed is refused, or, where nothing depends on it (Flyway's
 * repeatable and callback scripts), listed in the set's notes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-int.h"

/* Whether s ends with tail; its length before tail in *n. */
static int ends(const char *s, const char *tail, size_t *n)
{
    size_t a = strlen(s), b = strlen(tail);

    if (a < b || strcmp(s + a - b, tail) != 0)
        return 0;
    *n = a - b;
    return 1;
}

/* Splits s[0, n) at the first `sep` after a version of the characters in
 * `chars` (digits, and the separators the tool allows): the version in
 * [0, *key), the name after sep.  -1 when s is not so. */
static int split(const char *s, size_t n, const char *chars, const char *sep,
                 size_t *key, const char **name, size_t *name_len)
{
    size_t k = strspn(s, chars), m = strlen(sep);

    while (k > 0 && !isdigit((unsigned char)s[k - 1]))
        k--; /* "1_" in "1__x": the separator is not the version's */
    if (k == 0 || !isdigit((unsigned char)s[0]) || k + m > n ||
        strncmp(s + k, sep, m) != 0)
        return -1;
    *key = k;
    *name = s + k + m;
    *name_len = n - k - m;
    return 0;
}

/* The item of the tool's version key[0, klen) and name, added if new. */
static godwit_imported *item(godwit_import_set *set, const char *key,
                             size_t klen, const char *name, size_t nlen)
{
    godwit_imported *it;
    size_t i, d;

    for (i = 0; i < set->n; i++)
        if (strlen(set->v[i].key) == klen &&
            strncmp(set->v[i].key, key, klen) == 0 &&
            strlen(set->v[i].name) == nlen &&
            strncmp(set->v[i].name, name, nlen) == 0)
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
    it->key = strndup(key, klen);
    it->name = strndup(name, nlen);
    it->version = malloc(klen + 1);
    if (it->key == NULL || it->name == NULL || it->version == NULL) {
        free(it->key);
        free(it->name);
        free(it->version);
        return NULL;
    }
    for (i = d = 0; i < klen; i++) /* godwit's: the digits alone */
        if (isdigit((unsigned char)key[i]))
            it->version[d++] = key[i];
    it->version[d] = '\0';
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

    free(s->text);
    if ((s->text = malloc(len + 1)) == NULL) /* every byte, NULs too */
        return GODWIT_ENOMEM;
    memcpy(s->text, sql, len);
    s->text[len] = '\0';
    s->len = len;
    s->flags = flags | GODWIT_IMPORT_PRESENT;
    return 0;
}

/* One file holding one section of item (version, name). */
static int whole_file(godwit_import_set *set, const char *file, const char *key,
                      size_t klen, const char *name, size_t nlen, int up,
                      const char *sql, size_t len, unsigned flags)
{
    godwit_imported *it = item(set, key, klen, name, nlen);

    if (it == NULL || add_from(it, file, up) < 0)
        return GODWIT_ENOMEM;
    return set_section(it, up, sql, len, flags);
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

/* Whether [rest, end) holds word (any case). */
static int has_word(const char *rest, const char *end, const char *word)
{
    size_t n = strlen(word);

    for (; rest + n <= end; rest++)
        if (strncasecmp(rest, word, n) == 0)
            return 1;
    return 0;
}

/* Whether [p, end) starts with the word w (any case), no letter after. */
static int word_at(const char *p, const char *end, const char *w)
{
    size_t n = strlen(w);

    return (size_t)(end - p) >= n && strncasecmp(p, w, n) == 0 &&
           (p + n == end || !isalpha((unsigned char)p[n]));
}

/* golang-migrate: <version>_<name>.up.sql and .down.sql, a file each. */
static int read_migrate(godwit_import_set *set, const char *file,
                        const char *text, size_t len, godwit_err *e)
{
    const char *name;
    size_t n, key, nlen;
    int up = ends(file, ".up.sql", &n);

    if (!up && !ends(file, ".down.sql", &n))
        return ends(file, ".sql", &n)
                   ? godwit__err_set(e, GODWIT_ERROR,
                                     "%s: not a golang-migrate file "
                                     "(<version>_<name>.up.sql or "
                                     ".down.sql)",
                                     file)
                   : 0;
    if (split(file, n, "0123456789", "_", &key, &name, &nlen) < 0)
        return godwit__err_set(e, GODWIT_ERROR, "%s: no version", file);
    return whole_file(set, file, file, key, name, nlen, up, text, len, 0);
}

/* sqlx: <version>_<name>.sql (no down), or .up.sql and .down.sql; a first
 * line "-- no-transaction" runs it outside a transaction. */
static int read_sqlx(godwit_import_set *set, const char *file, const char *text,
                     size_t len, godwit_err *e)
{
    const char *name;
    size_t n, key, nlen, pos = 0;
    int up = 1;
    unsigned flags = 0;
    line l;

    if (ends(file, ".down.sql", &n))
        up = 0;
    else if (!ends(file, ".up.sql", &n) && !ends(file, ".sql", &n))
        return 0;
    if (split(file, n, "0123456789", "_", &key, &name, &nlen) < 0)
        return godwit__err_set(e, GODWIT_ERROR,
                               "%s: not a sqlx file (<version>_<name>.sql)",
                               file);
    if (next_line(text, len, &pos, &l) && (size_t)(l.end - l.start) >= 17 &&
        strncmp(l.start, "-- no-transaction", 17) == 0) {
        flags = GODWIT_IMPORT_NO_TX;
        text += pos;
        len -= pos;
    }
    return whole_file(set, file, file, key, name, nlen, up, text, len, flags);
}

/* diesel: <version>_<name>/up.sql and down.sql, the version digits and
 * dashes (2019-01-01-000000); metadata.toml may say
 * run_in_transaction = false. */
static int read_diesel(godwit_import_set *set, const char *file,
                       const char *text, size_t len, godwit_err *e)
{
    const char *slash = strchr(file, '/'), *name, *base;
    size_t key, nlen;
    godwit_imported *it;
    int up;

    if (slash == NULL)
        return 0; /* diesel's files are in directories */
    base = slash + 1;
    if (split(file, (size_t)(slash - file), "0123456789-", "_", &key, &name,
              &nlen) < 0)
        return strcmp(base, "up.sql") == 0
                   ? godwit__err_set(e, GODWIT_ERROR,
                                     "%s: not a diesel migration "
                                     "(<version>_<name>/up.sql)",
                                     file)
                   : 0;
    if ((it = item(set, file, key, name, nlen)) == NULL)
        return GODWIT_ENOMEM;
    if (strcmp(base, "metadata.toml") == 0) {
        size_t pos = 0;
        line l;

        while (next_line(text, len, &pos, &l))
            if (has_word(l.start, l.end, "run_in_transaction") &&
                has_word(l.start, l.end, "false"))
                it->flags |= GODWIT_IMPORT_NO_TX;
        return 0;
    }
    if (!(up = strcmp(base, "up.sql") == 0) && strcmp(base, "down.sql") != 0)
        return 0;
    if (add_from(it, file, up) < 0)
        return GODWIT_ENOMEM;
    return set_section(it, up, text, len, 0);
}

/* Flyway: V<version>__<desc>.sql and U<version>__<desc>.sql (undo), the
 * version digits with . or _ between parts; V1__x.sql.conf may say
 * executeInTransaction=false.  Repeatable (R__) and callback scripts
 * have no counterpart: listed. */
static int read_flyway(godwit_import_set *set, const char *file,
                       const char *text, size_t len, godwit_err *e)
{
    const char *name;
    size_t n, key, nlen, pos = 0;
    int conf = ends(file, ".sql.conf", &n);
    godwit_imported *it;
    line l;

    if (!conf && !ends(file, ".sql", &n))
        return 0;
    if ((file[0] != 'V' && file[0] != 'U') ||
        split(file + 1, n - 1, "0123456789._", "__", &key, &name, &nlen) < 0) {
        if (conf)
            return 0;
        return godwit__buf_printf(&set->notes,
                                  "%s: %s has no counterpart in godwit: "
                                  "not imported\n",
                                  file,
                                  file[0] == 'R' && file[1] == '_'
                                      ? "a repeatable migration"
                                      : "a callback or other script") < 0
                   ? GODWIT_ENOMEM
                   : 0;
    }
    if ((it = item(set, file + 1, key, name, nlen)) == NULL)
        return GODWIT_ENOMEM;
    if (conf) {
        while (next_line(text, len, &pos, &l))
            if (has_word(l.start, l.end, "executeInTransaction=false"))
                it->flags |= GODWIT_IMPORT_NO_TX;
        return 0;
    }
    if (add_from(it, file, file[0] == 'V') < 0)
        return GODWIT_ENOMEM;
    (void)e;
    return set_section(it, file[0] == 'V', text, len, 0);
}

/* The sections of a file with header lines: kind() says whether a line
 * starts an up (1) or a down (0) section, is a flag line for the whole
 * file (2), no header (-1), or a header godwit cannot express (-2); and
 * the flags it sets. */
typedef int (*header_fn)(const line *l, unsigned *flags);

static int read_sections(godwit_import_set *set, const char *file,
                         const char *text, size_t len, header_fn kind,
                         const char *tool, godwit_err *e)
{
    const char *name;
    size_t n, key, nlen, pos = 0, body = 0;
    godwit_imported *it;
    unsigned flags = 0, lineno = 0;
    int in = -1, k, rc = 0;
    line l;

    if (!ends(file, ".sql", &n))
        return 0;
    if (split(file, n, "0123456789", "_", &key, &name, &nlen) < 0)
        return godwit__err_set(e, GODWIT_ERROR,
                               "%s: not a %s file (<version>_<name>.sql)", file,
                               tool);
    if ((it = item(set, file, key, name, nlen)) == NULL ||
        add_from(it, file, 0) < 0)
        return GODWIT_ENOMEM;
    while (rc == 0 && next_line(text, len, &pos, &l)) {
        unsigned f = 0;

        lineno++;
        if ((k = kind(&l, &f)) == -2)
            return godwit__err_set(e, GODWIT_ERROR,
                                   "%s:%u: %.*s cannot be expressed in "
                                   "godwit; import refuses the set",
                                   file, lineno, (int)(l.end - l.start - 1),
                                   l.start);
        if (k == 2)
            it->flags |= f;
        if (k < 0 || k == 2)
            continue;
        if (in >= 0)
            rc = set_section(it, in, text + body,
                             (size_t)(l.start - text) - body, flags);
        in = k;
        flags = f;
        body = pos;
    }
    if (rc == 0 && in >= 0)
        rc = set_section(it, in, text + body, len - body, flags);
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
    if (word_at(rest, l->end, "Up"))
        return 1;
    if (word_at(rest, l->end, "Down"))
        return 0;
    return -1;
}

int godwit__import_parts_cmp(const char *x, const char *y)
{
    while (*x != '\0' || *y != '\0') {
        size_t i = strspn(x, "0123456789"), j = strspn(y, "0123456789");
        char p[64], q[64];
        int c;

        snprintf(p, sizeof(p), "%.*s", (int)i, x);
        snprintf(q, sizeof(q), "%.*s", (int)j, y);
        if ((c = godwit__version_cmp(i ? p : "0", j ? q : "0")) != 0)
            return c;
        x += i + (x[i] != '\0');
        y += j + (y[j] != '\0');
    }
    return 0;
}

void godwit__import_set_free(godwit_import_set *set)
{
    size_t i;

    for (i = 0; i < set->n; i++) {
        free(set->v[i].key);
        free(set->v[i].version);
        free(set->v[i].name);
        free(set->v[i].from);
        free(set->v[i].up.text);
        free(set->v[i].down.text);
    }
    free(set->v);
    godwit__buf_free(&set->notes);
    memset(set, 0, sizeof(*set));
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
    case GODWIT_IMPORT_SQLX: return read_sqlx(set, file, text, len, e);
    case GODWIT_IMPORT_DIESEL: return read_diesel(set, file, text, len, e);
    case GODWIT_IMPORT_FLYWAY: return read_flyway(set, file, text, len, e);
    }
    return GODWIT_EUSAGE;
}
