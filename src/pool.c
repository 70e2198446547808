/*
 * pool.c - memory handed out in pieces and freed all at once.
 *
 * A migration set holds a thousand small migrations that live and die
 * together; carving them out of a few large chunks spares a malloc and a
 * free each and, on the thread that reads them, growing a fresh malloc
 * arena a page at a time.
 */
#include <stdlib.h>

#include "godwit-util.h"

struct godwit_chunk {
    struct godwit_chunk *next;
    size_t used, cap;
    /* then cap bytes, 16-byte aligned */
};

#define ALIGN 16
#define HEADER                                                                 \
    ((sizeof(struct godwit_chunk) + ALIGN - 1) & ~(size_t)(ALIGN - 1))
#define FIRST_CHUNK (64 * 1024)

void *godwit__pool_alloc(godwit_pool *p, size_t n)
{
    struct godwit_chunk *c = p->chunks;
    void *at;

    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (n == 0 || n > (size_t)-1 / 4)
        return NULL;
    if (c == NULL || c->cap - c->used < n) {
        size_t cap = c ? c->cap * 2 : FIRST_CHUNK;

        if (cap < n)
            cap = n;
        if ((c = malloc(HEADER + cap)) == NULL)
            return NULL;
        c->next = p->chunks;
        c->used = 0;
        c->cap = cap;
        p->chunks = c;
    }
    at = (char *)c + HEADER + c->used;
    c->used += n;
    return at;
}

void godwit__pool_free(godwit_pool *p)
{
    struct godwit_chunk *c = p->chunks, *next;

    for (; c != NULL; c = next) {
        next = c->next;
        free(c);
    }
    p->chunks = NULL;
}
