/*
 * migration.c - one migration file: its name, checksum and sections.
 *
 * A section starts at a line "-- godwit:KIND [key=value ...]", indented or
 * not.  Every line that looks meant as one - its first non-blank characters
 * "--", then dashes or blanks, then "godwit" (any case) and no letter or
 * digit after it - must be a valid one, so that a typo or a stray blank is
 * an error and never a silent comment whose SQL then runs in the section
 * above it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "godwit-model.h"

static const char *const kind_names[] = {"up", "down", "verify"};

int godwit__migration_name(const char *file, size_t *digits)
{
    size_t len = strlen(file), d = 0;

    *digits = 0;
    if (len < 4 || strcmp(file + len - 4, ".sql") != 0)
        return GODWIT_ENOTFOUND;
    len -= 4;
    while (d < len && file[d] >= '0' && file[d] <= '9')
        d++;
    if (d == 0 || (d < len && file[d] != '_'))
        return GODWIT_ERROR;
    *digits = d;
    return 0;
}

/* A migration in one allocation, from pool or else malloc: the struct, its
 * path, version and name, and room for len bytes of text and a NUL.  NULL
 * if path is not named <version>_<name>.sql (*bad set) or out of memory. */
static godwit_migration *alloc(const char *path, size_t len, godwit_pool *pool,
                               int *bad)
{
    const char *slash = strrchr(path, '/');
    const char *file = slash ? slash + 1 : path;
    size_t plen = strlen(path), flen = strlen(file), digits, nlen, size;
    godwit_migration *m;
    char *p;

    *bad = godwit__migration_name(file, &digits) != 0;
    if (*bad)
        return NULL;
    nlen = digits < flen - 4 ? flen - 4 - digits - 1 : 0;
    size = sizeof(*m) + plen + digits + nlen + len + 4;
    if (len > (size_t)-1 / 2 ||
        (m = pool ? godwit__pool_alloc(pool, size) : malloc(size)) == NULL)
        return NULL;
    memset(m, 0, sizeof(*m));
    m->pool = pool;
    p = (char *)(m + 1);
    m->path = memcpy(p, path, plen + 1);
    m->version = memcpy(p += plen + 1, file, digits);
    m->version[digits] = '\0';
    m->name = memcpy(p += digits + 1, file + flen - 4 - nlen, nlen);
    m->name[nlen] = '\0';
    m->text = p + nlen + 1;
    m->len = len;
    return m;
}

/* Drops a UTF-8 BOM and turns CRLF into LF, in place; returns the new
 * length. */
static size_t normalise(char *text, size_t len)
{
    size_t r = 0, w;

    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        r = 3;
    if (memchr(text + r, '\r', len - r) == NULL) { /* the usual case */
        if (r > 0)
            memmove(text, text + r, len - r);
        text[len - r] = '\0';
        return len - r;
    }
    for (w = 0; r < len; r++)
        if (!(text[r] == '\r' && r + 1 < len && text[r + 1] == '\n'))
            text[w++] = text[r];
    text[w] = '\0';
    return w;
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static int alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* If the line [p, eol) looks meant as a header, returns where its "godwit"
 * starts, with *dashes at its "--"; else NULL. */
static const char *header_like(const char *p, const char *eol,
                               const char **dashes)
{
    const char *q;

    while (p < eol && blank(*p))
        p++;
    if (eol - p < 2 || p[0] != '-' || p[1] != '-')
        return NULL;
    for (q = p + 2; q < eol && (blank(*q) || *q == '-'); q++)
        ;
    if (eol - q < 6 || strncasecmp(q, "godwit", 6) != 0 ||
        (eol - q > 6 && alnum(q[6])))
        return NULL;
    *dashes = p;
    return q;
}

typedef struct parser {
    godwit_migration *m;
    godwit_err *e;
    const char *bol; /* start of the current line */
    unsigned line;
    int comment;           /* open block comments before the first section */
    unsigned comment_line; /* where the outermost one opened */
} parser;

/* Reports "path:line:col: what \"token\"; hint", the token cut at its end. */
static int perr(parser *ps, const char *at, const char *what, size_t toklen,
                const char *hint)
{
    return godwit__err_at(ps->e, GODWIT_ERROR, ps->m->path, ps->line,
                          (unsigned)(at - ps->bol) + 1, "%s%s%.*s%s%s; %s",
                          what, toklen ? " \"" : "",
                          (int)(toklen > 40 ? 40 : toklen), at,
                          toklen > 40 ? "..." : "", toklen ? "\"" : "", hint);
}

static size_t word_len(const char *p, const char *eol)
{
    const char *q = p;

    while (q < eol && *q != ' ' && *q != '\t' && *q != '=')
        q++;
    return (size_t)(q - p);
}

static int parse_kind(parser *ps, const char *p, const char *eol,
                      godwit_section *sec)
{
    size_t n = word_len(p, eol);
    int k;

    for (k = 0; k < 3; k++)
        if (strlen(kind_names[k]) == n && strncmp(p, kind_names[k], n) == 0) {
            sec->kind = (godwit_kind)k;
            return (int)n;
        }
    if (n == 0)
        return perr(ps, p, "no section kind after \"godwit:\"", 0,
                    "write -- godwit:up, -- godwit:down or -- godwit:verify");
    return perr(ps, p, "unknown section header", n,
                "expected -- godwit:up, -- godwit:down or -- godwit:verify");
}

/* The value of an on/off attribute: *on set, or an error. */
static int on_off(parser *ps, const char *v, size_t vn, const char *hint,
                  int *on)
{
    if (vn == 2 && strncmp(v, "on", 2) == 0)
        *on = 1;
    else if (vn == 3 && strncmp(v, "off", 3) == 0)
        *on = 0;
    else
        return perr(ps, v, "invalid value", vn, hint);
    return 0;
}

static int parse_value(parser *ps, const char *key, const char *v, size_t vn,
                       godwit_section *sec)
{
    size_t i;
    int on, rc;

    if (strncmp(key, "transaction=", 12) == 0)
        return on_off(ps, v, vn, "transaction= takes on or off",
                      &sec->transactional);
    if (strncmp(key, "foreign_keys=", 13) == 0) {
        if ((rc = on_off(ps, v, vn, "foreign_keys= takes on or off", &on)) == 0)
            sec->foreign_keys_off = !on;
        return rc;
    }
    for (i = 0; i < vn; i++)
        if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9') ||
              v[i] == '_'))
            break;
    if (vn == 0 || i < vn || vn >= GODWIT_NAME_MAX)
        return perr(ps, v, "invalid backend name", vn,
                    "a backend name is lowercase letters, digits and _");
    memcpy(sec->backend, v, vn);
    sec->backend[vn] = '\0';
    return 0;
}

/* The flag irreversible, on a down section: "-- godwit:down
 * backend=postgres irreversible" says that there is no down there. */
static int parse_flag(parser *ps, const char *p, size_t n, godwit_section *sec)
{
    if (sec->kind != GODWIT_KIND_DOWN)
        return perr(ps, p, "only a down section can be marked", n,
                    "write -- godwit:down irreversible, with backend=NAME "
                    "for one backend only");
    sec->irreversible = 1;
    return (int)n;
}

static int parse_attr(parser *ps, const char *p, const char *eol,
                      godwit_section *sec)
{
    size_t n = word_len(p, eol), vn;
    const char *v = p + n + 1;

    if (n == 12 && strncmp(p, "irreversible", 12) == 0 &&
        (p + n == eol || p[n] != '='))
        return parse_flag(ps, p, n, sec);
    if (p + n >= eol || p[n] != '=' ||
        !((n == 7 && strncmp(p, "backend", 7) == 0) ||
          (n == 11 && strncmp(p, "transaction", 11) == 0) ||
          (n == 12 && strncmp(p, "foreign_keys", 12) == 0)))
        return perr(ps, p, "unknown section attribute", n + (p[n] == '='),
                    "expected backend=NAME, transaction=off, "
                    "foreign_keys=off or, on a down, irreversible");
    vn = word_len(v, eol);
    if (v + vn < eol && v[vn] == '=')
        return perr(ps, v, "invalid value", vn,
                    "write one key=value per attribute");
    if (parse_value(ps, p, v, vn, sec) < 0)
        return GODWIT_ERROR;
    return (int)(n + 1 + vn);
}

static int parse_header(parser *ps, const char *p, const char *eol,
                        godwit_section *sec)
{
    const char *fk = NULL;
    int n;

    memset(sec, 0, sizeof(*sec));
    sec->transactional = 1;
    sec->line = ps->line;
    if ((n = parse_kind(ps, p, eol, sec)) < 0)
        return n;
    for (p += n; p < eol; p += n) {
        if (*p == ' ' || *p == '\t') {
            n = 1;
            continue;
        }
        if (strncmp(p, "foreign_keys=", 13) == 0)
            fk = p;
        if ((n = parse_attr(ps, p, eol, sec)) < 0)
            return n;
    }
    if (sec->foreign_keys_off && sec->kind == GODWIT_KIND_VERIFY)
        return perr(ps, fk, "foreign_keys=off on a verify section", 0,
                    "it goes with an up or a down section");
    if (sec->foreign_keys_off && !sec->transactional)
        return perr(ps, fk, "foreign_keys=off with transaction=off", 0,
                    "the keys are checked before the section's transaction "
                    "commits: it needs one");
    return 0;
}

static int check_duplicate(parser *ps, const godwit_section *sec)
{
    size_t i;

    for (i = 0; i < ps->m->nsections; i++) {
        const godwit_section *o = &ps->m->sections[i];

        if (o->kind == sec->kind && strcmp(o->backend, sec->backend) == 0)
            return godwit__err_at(
                ps->e, GODWIT_ERROR, ps->m->path, ps->line, 1,
                "second %s section%s%s (the first is at line %u); merge them "
                "into one",
                kind_names[sec->kind], sec->backend[0] ? " for backend=" : "",
                sec->backend, o->line);
    }
    return 0;
}

static int add_section(parser *ps, godwit_section *sec, size_t body)
{
    godwit_migration *m = ps->m;
    size_t n = m->nsections;
    godwit_section *grown;

    if (check_duplicate(ps, sec) < 0)
        return GODWIT_ERROR;
    if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) { /* full: 0, 4, 8, ... */
        size_t size = (n ? n * 2 : 4) * sizeof(*grown);

        grown = m->pool ? godwit__pool_alloc(m->pool, size)
                        : realloc(m->sections, size);
        if (grown == NULL)
            return godwit__err_set(ps->e, GODWIT_ENOMEM, "out of memory");
        if (m->pool && n > 0)
            memcpy(grown, m->sections, n * sizeof(*grown));
        m->sections = grown;
    }
    sec->start = sec->end = body;
    m->sections[m->nsections++] = *sec;
    return 0;
}

/* Where the block comments open before the first section end on the line
 * [p, eol), nested as PostgreSQL nests them; returns where the text after
 * the last one starts (eol while one is still open). */
static const char *skip_comments(parser *ps, const char *p, const char *eol)
{
    for (;;) {
        while (p < eol && ps->comment == 0 && blank(*p))
            p++;
        if (eol - p >= 2 && p[0] == '/' && p[1] == '*') {
            if (ps->comment++ == 0)
                ps->comment_line = ps->line;
            p += 2;
        } else if (ps->comment > 0 && eol - p >= 2 && p[0] == '*' &&
                   p[1] == '/') {
            ps->comment--;
            p += 2;
        } else if (ps->comment > 0 && p < eol) {
            p++;
        } else {
            return p;
        }
    }
}

/* Only blank lines, "--" comments and block comments may precede the
 * first section. */
static int check_preamble(parser *ps, const char *eol)
{
    const char *p = skip_comments(ps, ps->bol, eol);

    if (p == eol || (eol - p >= 2 && p[0] == '-' && p[1] == '-'))
        return 0;
    return perr(ps, p, "SQL before the first section header", 0,
                "put it under a \"-- godwit:up\" line");
}

/* A header-like line that is not "--", blanks, "godwit:": says what is
 * off, at its column. */
static int malformed(parser *ps, const char *dashes, const char *word,
                     const char *eol)
{
    const char *p;

    if (ps->comment > 0)
        return godwit__err_at(
            ps->e, GODWIT_ERROR, ps->m->path, ps->line,
            (unsigned)(dashes - ps->bol) + 1,
            "section header inside the /* comment opened at line %u; close "
            "the comment before it",
            ps->comment_line);
    for (p = dashes + 2; p < word; p++)
        if (*p == '-')
            return perr(ps, p, "malformed section header: more than two dashes",
                        0, "write it as -- godwit:up (or down, verify)");
    if (word + 6 == eol || word[6] != ':')
        return perr(ps, word + 6,
                    "malformed section header: no \":\" after \"godwit\"", 0,
                    "write it as -- godwit:up (or down, verify); a comment "
                    "may not start with the word godwit");
    return 0;
}

static int parse_line(parser *ps, const char *eol, size_t next)
{
    godwit_migration *m = ps->m;
    const char *dashes, *word = header_like(ps->bol, eol, &dashes);
    godwit_section sec;

    if (word == NULL)
        return m->nsections == 0 ? check_preamble(ps, eol) : 0;
    if (malformed(ps, dashes, word, eol) < 0)
        return GODWIT_ERROR;
    if (m->nsections > 0)
        m->sections[m->nsections - 1].end = (size_t)(ps->bol - m->text);
    if (parse_header(ps, word + 7, eol, &sec) < 0)
        return GODWIT_ERROR;
    return add_section(ps, &sec, next);
}

static int parse_sections(parser *ps)
{
    godwit_migration *m = ps->m;
    const char *end = m->text + m->len;

    for (ps->bol = m->text, ps->line = 1; ps->bol < end; ps->line++) {
        const char *eol = memchr(ps->bol, '\n', (size_t)(end - ps->bol));
        size_t next;

        if (eol == NULL)
            eol = end;
        next = (size_t)(eol - m->text) + (eol < end);
        if (parse_line(ps, eol, next) < 0)
            return GODWIT_ERROR;
        ps->bol = m->text + next;
    }
    if (m->nsections > 0)
        m->sections[m->nsections - 1].end = m->len;
    else
        return godwit__err_at(ps->e, GODWIT_ERROR, m->path, 1, 1,
                              "no sections; start the migration with a "
                              "\"-- godwit:up\" line");
    return 0;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    size_t len, i;

    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        len = 2;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        len = 3;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        len = 4;
    else
        return 0;
    if (n < len)
        return 0;
    for (i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) ||
        (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F))
        return 0; /* overlong, surrogate or beyond U+10FFFF */
    return len;
}

/* Whether 8 bytes are all ASCII and none is NUL. */
static int ascii8(const unsigned char *p)
{
    unsigned long long w;

    memcpy(&w, p, 8);
    return ((w | (w - 0x0101010101010101ULL)) & 0x8080808080808080ULL) == 0;
}

/* A migration is non-empty UTF-8 text. */
static int check_text(const godwit_migration *m, godwit_err *e)
{
    const unsigned char *t = (const unsigned char *)m->text;
    size_t i = 0, n;
    unsigned line, col;

    if (m->len == 0)
        return godwit__err_set(e, GODWIT_ERROR,
                               "%s: the file is empty; a migration starts "
                               "with a \"-- godwit:up\" line",
                               m->path);
    while (i < m->len) {
        if (i + 8 <= m->len && ascii8(t + i)) { /* the common case */
            i += 8;
            continue;
        }
        if (t[i] >= 0x01 && t[i] < 0x80) {
            i++;
            continue;
        }
        if (t[i] == '\0' || (n = utf8_len(t + i, m->len - i)) == 0)
            break;
        i += n;
    }
    if (i == m->len)
        return 0;
    godwit__text_pos(m->text, i, &line, &col);
    return godwit__err_at(
        e, GODWIT_ERROR, m->path, line, col, "%s; a migration is UTF-8 text",
        t[i] == '\0' ? "binary data (a NUL byte)" : "invalid UTF-8");
}

/* Every section must lex: an unterminated quote, dollar-quoted body or
 * comment would otherwise swallow the rest of the file. */
int godwit__section_check(const godwit_migration *m, const godwit_section *s,
                          unsigned dialect, godwit_err *e)
{
    const char *why;
    godwit_span st;
    unsigned line, col;
    size_t pos = 0;
    int rc;

    while ((rc = godwit__sql_next(dialect, m->text + s->start,
                                  s->end - s->start, &pos, &st, &why)) == 1 &&
           !s->irreversible)
        ;
    if (rc == 0)
        return 0;
    if (rc == 1) { /* a statement under "irreversible" */
        godwit__text_pos(m->text, s->start + st.start, &line, &col);
        return godwit__err_at(e, GODWIT_ERROR, m->path, line, col,
                              "a down marked irreversible (line %u) has SQL; "
                              "remove the SQL, or the flag",
                              s->line);
    }
    godwit__text_pos(m->text, s->start + st.start, &line, &col);
    return godwit__err_at(e, GODWIT_ERROR, m->path, line, col, "%s%s", why,
                          strncmp(why, "unterminated", 12) == 0
                              ? "; close it, or look for a stray quote "
                                "before it"
                              : "");
}

int godwit__migration_check(const godwit_migration *m, unsigned dialect,
                            godwit_err *e)
{
    size_t i;

    for (i = 0; i < m->nsections; i++)
        if (godwit__section_check(m, &m->sections[i], dialect, e) < 0)
            return GODWIT_ERROR;
    return 0;
}

/* Checksums m->text (m->len bytes) and finds its sections, in place.  The
 * SQL in them is checked later, when it is about to run. */
static int parse(godwit_migration *m, godwit_err *e)
{
    parser ps;
    int rc;

    m->len = normalise(m->text, m->len);
    godwit__checksum(m->text, m->len, m->checksum);
    memset(&ps, 0, sizeof(ps));
    ps.m = m;
    ps.e = e;
    if ((rc = check_text(m, e)) < 0)
        return rc;
    return parse_sections(&ps);
}

/* Makes the migration for path, with room for len bytes of text. */
static int make(godwit_migration **out, const char *path, size_t len,
                godwit_pool *pool, godwit_err *e)
{
    int bad;

    if ((*out = alloc(path, len, pool, &bad)) != NULL)
        return 0;
    return bad ? godwit__err_set(e, GODWIT_ERROR,
                                 "%s: not a <version>_<name>.sql file", path)
               : godwit__err_set(e, GODWIT_ENOMEM, "%s: out of memory", path);
}

int godwit__migration_parse(godwit_migration **out, const char *path,
                            const char *text, size_t len, godwit_err *e)
{
    godwit_migration *m;
    int rc;

    *out = NULL;
    if ((rc = make(&m, path, len, NULL, e)) < 0)
        return rc;
    memcpy(m->text, text, len);
    if ((rc = parse(m, e)) < 0 || (rc = godwit__migration_check(m, 0, e)) < 0) {
        godwit__migration_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

int godwit__migration_from(godwit_migration **out, const char *path,
                           const char *text, size_t len, godwit_pool *pool,
                           godwit_err *e)
{
    int rc;

    if ((rc = make(out, path, len, pool, e)) < 0)
        return rc;
    memcpy((*out)->text, text, len);
    if ((rc = parse(*out, e)) < 0) {
        godwit__migration_free(*out);
        *out = NULL;
    }
    return rc;
}

/* Reads the whole of a regular file into a new migration.  O_NONBLOCK: a
 * FIFO named like a migration must be refused, not waited on. */
static int read_file(godwit_migration **out, int dirfd, const char *file,
                     const char *path, godwit_pool *pool, godwit_err *e)
{
    int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    struct stat st;
    ssize_t n = 0;
    size_t got = 0;
    int rc;

    if (fd < 0)
        return godwit__err_set(e, GODWIT_ERROR, "%s: cannot open: %s", path,
                               strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return godwit__err_set(e, GODWIT_ERROR,
                               "%s: not a regular file; migrations are "
                               "files named <version>_<name>.sql",
                               path);
    }
    if ((rc = make(out, path, (size_t)st.st_size, pool, e)) < 0) {
        close(fd);
        return rc;
    }
    while (got < (*out)->len &&
           ((n = read(fd, (*out)->text + got, (*out)->len - got)) > 0 ||
            (n < 0 && errno == EINTR)))
        got += n > 0 ? (size_t)n : 0;
    close(fd);
    if (n < 0) {
        godwit__migration_free(*out);
        *out = NULL;
        return godwit__err_set(e, GODWIT_ERROR, "%s: cannot read: %s", path,
                               strerror(errno));
    }
    (*out)->len = got; /* less if the file shrank meanwhile */
    return 0;
}

int godwit__migration_load(godwit_migration **out, int dirfd, const char *file,
                           const char *path, godwit_pool *pool, godwit_err *e)
{
    int rc;

    *out = NULL;
    if ((rc = read_file(out, dirfd, file, path, pool, e)) < 0)
        return rc;
    if ((rc = parse(*out, e)) < 0) {
        godwit__migration_free(*out);
        *out = NULL;
    }
    return rc;
}

void godwit__migration_free(godwit_migration *m)
{
    if (m == NULL || m->pool != NULL)
        return;        /* a pool's memory goes with the pool */
    free(m->sections); /* the rest is one block with m */
    free(m);
}

/* The section of kind for backend: its own, else the generic one; an
 * irreversible down included. */
static const godwit_section *find(const godwit_migration *m, godwit_kind kind,
                                  const char *backend)
{
    const godwit_section *generic = NULL;
    size_t i;

    for (i = 0; i < m->nsections; i++) {
        const godwit_section *s = &m->sections[i];

        if (s->kind != kind)
            continue;
        if (s->backend[0] == '\0')
            generic = s;
        else if (backend != NULL && strcmp(s->backend, backend) == 0)
            return s;
    }
    return generic;
}

const godwit_section *godwit__migration_section(const godwit_migration *m,
                                                godwit_kind kind,
                                                const char *backend)
{
    const godwit_section *s = find(m, kind, backend);

    return s != NULL && s->irreversible ? NULL : s;
}

unsigned godwit__migration_irreversible(const godwit_migration *m,
                                        const char *backend)
{
    const godwit_section *s = find(m, GODWIT_KIND_DOWN, backend);

    return s != NULL && s->irreversible ? s->line : 0;
}

int godwit__migration_lopsided(const godwit_migration *m, char *out, size_t cap)
{
    size_t i;

    for (i = 0; i < m->nsections; i++) {
        const godwit_section *s = &m->sections[i];
        godwit_kind other =
            s->kind == GODWIT_KIND_UP ? GODWIT_KIND_DOWN : GODWIT_KIND_UP;
        const godwit_section *o;

        if (s->backend[0] == '\0' || s->kind == GODWIT_KIND_VERIFY ||
            s->irreversible) /* no down there: nothing to go stale */
            continue;
        o = find(m, other, s->backend);
        if (o == NULL || o->backend[0] != '\0')
            continue; /* no such section at all, or its own override */
        snprintf(out, cap,
                 "%s:%u: %s is overridden for backend=%s but %s is not; the "
                 "generic %s (line %u) will %s it there",
                 m->path, s->line, kind_names[s->kind], s->backend,
                 kind_names[other], kind_names[other], o->line,
                 other == GODWIT_KIND_DOWN ? "revert" : "be reverted by");
        return 1;
    }
    return 0;
}
