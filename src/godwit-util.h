/*
 * godwit-util.h - libgodwit's utilities: errors on their way up, memory,
 * hashing, text, SQL statement boundaries, URLs, a second thread.  They
 * know nothing of migrations or of the handle.  Not installed.
 */
#ifndef GODWIT_UTIL_H
#define GODWIT_UTIL_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>

#include "godwit.h"

#if defined(__GNUC__)
#define GODWIT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define GODWIT_PRINTF(f, a)
#endif

/* ---- diag.c: an error being carried up to the handle ---- */

/* Zeroed (GODWIT_ERR_INIT, memset, static) it says "no error".  What
 * sets it replaces all of it; godwit__err_clear frees it. */
typedef struct godwit_err {
    int code;              /* GODWIT_OK or a GODWIT_E* code */
    char *msg;             /* one line, whole; owned.  NULL: see _msg */
    char sqlstate[6];      /* the database's code for it, or "" */
    char *file;            /* the file it is in, or NULL; owned */
    unsigned line, column; /* there, 1-based; column 0: the line only */
} godwit_err;

#define GODWIT_ERR_INIT                                                        \
    {                                                                          \
        0, NULL, "", NULL, 0, 0                                                \
    }

/* Replaces e (if e is not NULL) with code and the message, and returns
 * code.  The message is kept whole, however long.  The arguments may
 * include e's own message: "%s", e->msg wraps it. */
int godwit__err_set(godwit_err *e, int code, const char *fmt, ...)
    GODWIT_PRINTF(3, 4);

/* The same, at file:line:column of a file (column 0: the line only): the
 * message starts "file:line:column: " and the location is kept. */
int godwit__err_at(godwit_err *e, int code, const char *file, unsigned line,
                   unsigned column, const char *fmt, ...) GODWIT_PRINTF(6, 7);

/* Adds the database's SQLSTATE to the error just set. */
void godwit__err_sqlstate(godwit_err *e, const char *sqlstate);

/* The message: "no error" when there is none, "out of memory" when
 * memory ran out while it was made. */
const char *godwit__err_msg(const godwit_err *e);

/* Frees what e holds; it says "no error" again. */
void godwit__err_clear(godwit_err *e);

/* Moves src into dst (whose own error is freed); src says "no error". */
void godwit__err_move(godwit_err *dst, godwit_err *src);

/* ---- job.c: a piece of work on a second CPU ---- */

typedef struct godwit_job {
    void (*fn)(void *arg);
    void *arg;
    int threaded; /* fn runs on `thread`: godwit__job_wait joins it */
    pthread_t thread;
} godwit_job;

/* Starts fn(arg) on a thread of its own, on another CPU, taking no
 * signals; with one CPU, or when no thread can be had, runs it before
 * returning.  Until godwit__job_wait returns, arg belongs to fn. */
void godwit__job_start(godwit_job *j, void (*fn)(void *), void *arg);

/* Returns once fn has finished. */
void godwit__job_wait(godwit_job *j);

/* ---- buf.c: a growable NUL-terminated byte buffer ---- */

typedef struct godwit_buf {
    char *ptr;  /* NULL until something is written; owned */
    size_t len; /* bytes used, excluding the NUL */
    size_t cap;
} godwit_buf;

#define GODWIT_BUF_INIT                                                        \
    {                                                                          \
        NULL, 0, 0                                                             \
    }

/* Append bytes / a string / formatted text.  0 or GODWIT_ENOMEM. */
int godwit__buf_put(godwit_buf *b, const char *s, size_t n);
int godwit__buf_puts(godwit_buf *b, const char *s);
int godwit__buf_printf(godwit_buf *b, const char *fmt, ...) GODWIT_PRINTF(2, 3);
int godwit__buf_vprintf(godwit_buf *b, const char *fmt, va_list ap);

/* Ensures room for n more bytes plus the NUL.  0 or GODWIT_ENOMEM. */
int godwit__buf_grow(godwit_buf *b, size_t n);

/* Releases the memory; the buffer can be reused.  NULL-safe. */
void godwit__buf_free(godwit_buf *b);

/* Returns the string (caller frees; "" if empty) and resets b. */
char *godwit__buf_detach(godwit_buf *b);

/* strdup that accepts NULL (returning NULL). */
char *godwit__strdup(const char *s);

/* Copies up to 8 strings into one allocation: dst[i] = a copy of src[i], or
 * NULL where src[i] is NULL.  src[0] must not be NULL: the allocation
 * starts at dst[0], and free(dst[0]) frees them all. */
int godwit__strpack(char **dst, const char *const *src, size_t n);

/* An array v of *cap elements of size bytes, n of them used, with room
 * for one more: v itself, or v grown (to 64, then doubling), or NULL if
 * memory ran out (v is then as it was). */
void *godwit__grow(void *v, size_t *cap, size_t n, size_t size);

/* ---- pool.c: memory handed out in pieces and freed all at once ---- */

typedef struct godwit_pool {
    struct godwit_chunk *chunks; /* newest first; owned */
} godwit_pool;

#define GODWIT_POOL_INIT                                                       \
    {                                                                          \
        NULL                                                                   \
    }

/* n bytes, aligned for any type, not zeroed; NULL when out of memory.
 * A request that does not fit the current chunk starts a new one, twice
 * as large (or n). */
void *godwit__pool_alloc(godwit_pool *p, size_t n);

/* Frees everything handed out; the pool can be used again. */
void godwit__pool_free(godwit_pool *p);

/* ---- sha256.c: FIPS 180-4 SHA-256 ---- */

typedef struct godwit_sha256 {
    unsigned int h[8];
    unsigned char block[64];
    unsigned long long total; /* bytes hashed */
    size_t used;              /* bytes in block */
} godwit_sha256;

void godwit__sha256_init(godwit_sha256 *s);
void godwit__sha256_update(godwit_sha256 *s, const void *data, size_t n);
void godwit__sha256_final(godwit_sha256 *s, unsigned char digest[32]);

/* For tests: on = 0 puts every block through the portable rounds, on = 1
 * through the CPU's SHA instructions where it has them (the default).
 * Returns whether the instructions are now in use.  Not thread-safe. */
int godwit__sha256_accelerate(int on);

/* Writes "sha256:<64 lowercase hex digits>" and a NUL into out. */
#define GODWIT_CHECKSUM_SIZE 72
void godwit__checksum(const void *data, size_t n,
                      char out[GODWIT_CHECKSUM_SIZE]);

/* ---- text.c: positions in text ---- */

/* 1-based line and column (in bytes) of byte offset off in s. */
void godwit__text_pos(const char *s, size_t off, unsigned *line, unsigned *col);

/* Copies the line starting at s (at most max bytes, trimmed, "..." if
 * cut) into out, which has room for max + 4 bytes. */
void godwit__text_line(const char *s, size_t len, char *out, size_t max);

/* Compares version strings of digits numerically (any length); ncmp
 * takes the first na and nb bytes. */
int godwit__version_cmp(const char *a, const char *b);
int godwit__version_ncmp(const char *a, size_t na, const char *b, size_t nb);

/* ---- sqlsplit.c: statement boundaries ---- */

typedef struct godwit_span {
    size_t start; /* first byte of the statement (comments skipped) */
    size_t end;   /* one past its last byte, the ';' excluded */
} godwit_span;

/*
 * Finds the next statement in s[*pos, len), read in a backend's dialect
 * (GODWIT_DIALECT_* of godwit-backend.h; 0: SQLite's and PostgreSQL's).
 * Returns 1 and fills stmt, advancing *pos past its terminator; 0 when
 * only blanks and comments are left; GODWIT_ERROR for an unterminated
 * quote, identifier, dollar-quoted body or comment, or a DELIMITER
 * command, with stmt->start at its opening and *why naming it.
 */
int godwit__sql_next(unsigned dialect, const char *s, size_t len, size_t *pos,
                     godwit_span *stmt, const char **why);

/* ---- url.c ---- */

/* Copies the scheme of url ("sqlite", "postgres") into out; GODWIT_EUSAGE
 * if url has none. */
int godwit__url_scheme(const char *url, char *out, size_t cap);

/* NULL when the URL's user:password part and password= parameter can be
 * read one way only; else why not (a static string that quotes no part of
 * the URL).  libpq and RFC 3986 split a raw "@", "/", "?" or "#" in a
 * password differently, and libpq quotes a token with a stray "%" in its
 * error: either way a piece of the password would reach a message. */
const char *godwit__url_check(const char *url);

/* A copy of url with any password replaced by "***" (everything after the
 * scheme, for a URL godwit__url_check refuses).  Caller frees. */
char *godwit__url_redact(const char *url);

/* Replaces in msg, in place, every occurrence of a password written in url
 * (user:PASSWORD@ or password=PASSWORD) with stars, as the last defence
 * against a backend or library that echoes it.  msg never grows. */
void godwit__url_scrub(char *msg, const char *url);

#endif /* GODWIT_UTIL_H */
