/*
 * sqlsplit.c - finds statement boundaries in SQL scripts of SQLite and
 * PostgreSQL without annotations.
 *
 * A ';' ends a statement unless it is inside a quoted string or identifier,
 * an E'' string, a $tag$ body, a comment, or a BEGIN ... END / CASE ... END
 * block.  BEGIN opens a block only in a CREATE TRIGGER/FUNCTION/PROCEDURE/
 * EVENT statement (SQLite trigger bodies, SQL-standard BEGIN ATOMIC bodies,
 * MySQL routines), so that a plain "BEGIN;" stays a statement of its own.
 * A backend's dialect (GODWIT_DIALECT_*) adds backslash escapes and #
 * comments, or takes $tag$ bodies away.  DELIMITER, the mysql client's
 * command, is refused: it is not SQL, and the lexer needs no help.
 */
#include <string.h>

#include "godwit-backend.h"
#include "godwit-util.h"

typedef struct lexer {
    unsigned dialect; /* GODWIT_DIALECT_* */
    const char *s;
    size_t len, i;
    size_t last; /* end of the last token that was not blank or comment */
    int words;   /* words seen in the statement */
    int create;  /* the statement starts with CREATE */
    int body;    /* ... and is a TRIGGER, FUNCTION or PROCEDURE */
    int depth;   /* open BEGIN/CASE blocks */
    const char *why;
    size_t err_at;
} lexer;

/* Byte classes as bitmaps, bit c % 64 of word c / 64: letters, '_' and
 * every non-ASCII byte start an identifier; digits and '$' continue one. */
static const unsigned long long ident_start[4] = {0, 0x07FFFFFE87FFFFFEULL,
                                                  ~0ULL, ~0ULL};
static const unsigned long long ident_char[4] = {
    0x03FF001000000000ULL, 0x07FFFFFE87FFFFFEULL, ~0ULL, ~0ULL};

static int is_ident_start(unsigned char c)
{
    return (int)(ident_start[c >> 6] >> (c & 63)) & 1;
}

static int is_ident_char(unsigned char c)
{
    return (int)(ident_char[c >> 6] >> (c & 63)) & 1;
}

/* Whether w (n bytes) is the lowercase keyword kw of length kn, in any
 * case. */
static int word_is(const char *w, size_t n, const char *kw, size_t kn)
{
    size_t i;

    if (kn != n)
        return 0;
    for (i = 0; i < n; i++)
        if ((w[i] | 0x20) != kw[i])
            return 0;
    return 1;
}

#define WORD_IS(w, n, kw) word_is(w, n, kw, sizeof(kw) - 1)

static int fail(lexer *lx, size_t at, const char *why)
{
    lx->why = why;
    lx->err_at = at;
    return GODWIT_ERROR;
}

/* Skips a quoted run closed by q (doubled q escapes it; with backslash, a
 * backslash escapes the next byte). */
static int skip_quoted(lexer *lx, char q, int backslash, const char *what)
{
    size_t open = lx->i++;

    while (lx->i < lx->len) {
        char c = lx->s[lx->i++];

        if (backslash && c == '\\' && lx->i < lx->len)
            lx->i++;
        else if (c == q && lx->i < lx->len && lx->s[lx->i] == q)
            lx->i++;
        else if (c == q)
            return 0;
    }
    return fail(lx, open, what);
}

static int skip_block_comment(lexer *lx)
{
    size_t open = lx->i;
    int depth = 0;

    while (lx->i + 1 < lx->len) {
        if (lx->s[lx->i] == '/' && lx->s[lx->i + 1] == '*') {
            depth++;
            lx->i += 2;
        } else if (lx->s[lx->i] == '*' && lx->s[lx->i + 1] == '/') {
            lx->i += 2;
            if (--depth == 0)
                return 0;
        } else {
            lx->i++;
        }
    }
    return fail(lx, open, "unterminated /* comment");
}

/* At '$': a $tag$ ... $tag$ body if a tag follows, else a plain '$'. */
static int skip_dollar(lexer *lx)
{
    size_t open = lx->i, j = lx->i + 1, taglen;
    const char *end;

    if (j < lx->len && is_ident_start((unsigned char)lx->s[j]))
        while (j < lx->len && is_ident_char((unsigned char)lx->s[j]) &&
               lx->s[j] != '$')
            j++;
    if (j >= lx->len || lx->s[j] != '$') {
        lx->i++;
        return 0;
    }
    taglen = j + 1 - open;
    for (end = lx->s + j + 1; end + taglen <= lx->s + lx->len; end++)
        if (*end == '$' && memcmp(end, lx->s + open, taglen) == 0) {
            lx->i = (size_t)(end - lx->s) + taglen;
            return 0;
        }
    return fail(lx, open, "unterminated dollar-quoted string");
}

static int note_word(lexer *lx, const char *w, size_t n)
{
    if (n < 3 || n > 9)
        ; /* no keyword of interest is that long */
    else if (lx->words == 0 && WORD_IS(w, n, "delimiter"))
        return fail(lx, (size_t)(w - lx->s),
                    "DELIMITER is a command of the mysql client, not SQL; "
                    "leave it out: godwit finds where a BEGIN ... END body "
                    "ends by itself");
    else if (lx->words == 0)
        lx->create = WORD_IS(w, n, "create");
    else if (lx->create &&
             (WORD_IS(w, n, "trigger") || WORD_IS(w, n, "function") ||
              WORD_IS(w, n, "procedure") || WORD_IS(w, n, "event")))
        lx->body = 1;
    else if ((WORD_IS(w, n, "begin") && lx->body) || WORD_IS(w, n, "case"))
        lx->depth++;
    else if (WORD_IS(w, n, "end") && lx->depth > 0)
        lx->depth--;
    lx->words++;
    return 0;
}

static int skip_word(lexer *lx)
{
    size_t start = lx->i;

    while (lx->i < lx->len && is_ident_char((unsigned char)lx->s[lx->i]))
        lx->i++;
    int estring = lx->i - start == 1 && (lx->s[start] | 0x20) == 'e' &&
                  lx->i < lx->len && lx->s[lx->i] == '\'';

    if (estring) {
        if (skip_quoted(lx, '\'', 1, "unterminated E'' string") == 0)
            return 0;
        lx->err_at = start;
        return GODWIT_ERROR;
    }
    return note_word(lx, lx->s + start, lx->i - start);
}

/* Whether a comment to the end of the line starts at p (n bytes left). */
static int line_comment(const lexer *lx, const char *p, size_t n)
{
    return (n > 1 && p[0] == '-' && p[1] == '-') ||
           (p[0] == '#' && (lx->dialect & GODWIT_DIALECT_HASH_COMMENT));
}

/* Consumes one token; returns 1 at a terminating ';', 0 otherwise, or
 * GODWIT_ERROR. */
static int step(lexer *lx)
{
    const char *s = lx->s;
    char c = s[lx->i], n = lx->i + 1 < lx->len ? s[lx->i + 1] : '\0';
    int backslash = (lx->dialect & GODWIT_DIALECT_BACKSLASH) != 0, rc = 0;

    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        lx->i++;
        return 0;
    }
    if (line_comment(lx, s + lx->i, lx->len - lx->i)) {
        while (lx->i < lx->len && s[lx->i] != '\n')
            lx->i++;
        return 0;
    }
    if (c == '/' && n == '*')
        return skip_block_comment(lx);
    if (c == ';' && lx->depth == 0) {
        lx->i++;
        return 1;
    }
    if (c == '\'')
        rc = skip_quoted(lx, '\'', backslash, "unterminated string literal");
    else if (c == '"')
        rc = skip_quoted(lx, '"', backslash,
                         backslash ? "unterminated string or quoted "
                                     "identifier"
                                   : "unterminated quoted identifier");
    else if (c == '`')
        rc = skip_quoted(lx, '`', 0, "unterminated quoted identifier");
    else if (c == '$' && !(lx->dialect & GODWIT_DIALECT_NO_DOLLAR))
        rc = skip_dollar(lx);
    else if (is_ident_start((unsigned char)c))
        rc = skip_word(lx);
    else if ((c >= '0' && c <= '9') || c == '$') /* '$': NO_DOLLAR */
        while (++lx->i < lx->len && is_ident_char((unsigned char)s[lx->i]))
            ;
    else
        lx->i++;
    lx->last = lx->i;
    return rc;
}

/* Skips blanks, comments and empty statements before a statement. */
static int skip_blank(lexer *lx)
{
    while (lx->i < lx->len) {
        const char *p = lx->s + lx->i;
        int comment = lx->i + 1 < lx->len && p[0] == '/' && p[1] == '*';

        if (comment && skip_block_comment(lx) < 0)
            return GODWIT_ERROR;
        else if (line_comment(lx, p, lx->len - lx->i))
            while (lx->i < lx->len && lx->s[lx->i] != '\n')
                lx->i++;
        else if (strchr(" \t\n\r\f;", *p) != NULL)
            lx->i++;
        else if (!comment)
            return 0;
    }
    return 0;
}

int godwit__sql_next(unsigned dialect, const char *s, size_t len, size_t *pos,
                     godwit_span *stmt, const char **why)
{
    lexer lx;
    int rc = 0;

    memset(&lx, 0, sizeof(lx));
    lx.dialect = dialect;
    lx.s = s;
    lx.len = len;
    lx.i = *pos;
    if (skip_blank(&lx) == 0 && lx.i < len) {
        stmt->start = lx.i;
        while (lx.i < len && (rc = step(&lx)) == 0)
            ;
    }
    if (lx.why != NULL) {
        stmt->start = stmt->end = lx.err_at;
        *why = lx.why;
        return GODWIT_ERROR;
    }
    *pos = lx.i;
    if (lx.last == 0)
        return 0;
    stmt->end = lx.last;
    return 1;
}
