/*
 * sha256.c - SHA-256 as specified by FIPS 180-4.
 *
 * Every migration file is hashed on every run, so on x86 CPUs with the SHA
 * extensions the blocks go through those instructions (about ten times
 * faster); elsewhere through the portable rounds.  Both are tested against
 * the FIPS vectors.
 */
#include <pthread.h>
#include <string.h>

#include "godwit-util.h"

#if (defined(__x86_64__) || defined(__i386__)) &&                              \
    (defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 5))
#define HAVE_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const unsigned int K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static unsigned int load_be32(const unsigned char *p)
{
    return (unsigned int)p[0] << 24 | (unsigned int)p[1] << 16 |
           (unsigned int)p[2] << 8 | (unsigned int)p[3];
}

static void schedule(unsigned int w[64], const unsigned char *block)
{
    int i;

    for (i = 0; i < 16; i++)
        w[i] = load_be32(block + 4 * i);
    for (i = 16; i < 64; i++) {
        unsigned int s0 =
            ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        unsigned int s1 =
            ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
}

/* One round, with the eight working variables named by position rather
 * than moved: the caller rotates the names.  (Moving them with memmove each
 * round cost a fifth of a no-op `godwit up`.) */
#define ROUND(a, b, c, d, e, f, g, h, i)                                       \
    do {                                                                       \
        unsigned int t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +          \
                          ((e & f) ^ (~e & g)) + K[i] + w[i];                  \
        unsigned int t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +              \
                          ((a & b) ^ (a & c) ^ (b & c));                       \
        d += t1;                                                               \
        h = t1 + t2;                                                           \
    } while (0)

static void compress_one(unsigned int h[8], const unsigned char *block)
{
    unsigned int w[64], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4],
                        f = h[5], g = h[6], x = h[7];
    int i;

    schedule(w, block);
    for (i = 0; i < 64; i += 8) {
        ROUND(a, b, c, d, e, f, g, x, i);
        ROUND(x, a, b, c, d, e, f, g, i + 1);
        ROUND(g, x, a, b, c, d, e, f, i + 2);
        ROUND(f, g, x, a, b, c, d, e, i + 3);
        ROUND(e, f, g, x, a, b, c, d, i + 4);
        ROUND(d, e, f, g, x, a, b, c, i + 5);
        ROUND(c, d, e, f, g, x, a, b, i + 6);
        ROUND(b, c, d, e, f, g, x, a, i + 7);
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += x;
}

static void compress_portable(unsigned int h[8], const unsigned char *p,
                              size_t blocks)
{
    for (; blocks > 0; blocks--, p += 64)
        compress_one(h, p);
}

#ifdef HAVE_SHA_NI
/* The same rounds with the SHA extensions.  The state lives in two
 * registers as the instructions want it: (A,B,E,F) and (C,D,G,H); each
 * sha256rnds2 does two rounds; msg1/msg2 extend the message schedule four
 * words at a time. */
__attribute__((target("sha,sse4.1,ssse3"))) static void
compress_sha_ni(unsigned int h[8], const unsigned char *p, size_t blocks)
{
    const __m128i bswap =
        _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i abef, cdgh, t, m[4];
    int i;

    t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)h), 0xB1);
    cdgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(h + 4)), 0x1B);
    abef = _mm_alignr_epi8(t, cdgh, 8);
    cdgh = _mm_blend_epi16(cdgh, t, 0xF0);
    for (; blocks > 0; blocks--, p += 64) {
        __m128i abef0 = abef, cdgh0 = cdgh, k;

        for (i = 0; i < 16; i++) {
            /* m[i & 3] holds words 4i..4i+3; m[(i + 3) & 3] the 4 before */
            if (i < 4) {
                m[i] = _mm_shuffle_epi8(
                    _mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);
            } else {
                t = _mm_sha256msg1_epu32(m[i & 3], m[(i + 1) & 3]);
                t = _mm_add_epi32(
                    t, _mm_alignr_epi8(m[(i + 3) & 3], m[(i + 2) & 3], 4));
                m[i & 3] = _mm_sha256msg2_epu32(t, m[(i + 3) & 3]);
            }
            k = _mm_add_epi32(m[i & 3],
                              _mm_loadu_si128((const __m128i *)(K + 4 * i)));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, k);
            abef =
                _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(k, 0x0E));
        }
        abef = _mm_add_epi32(abef, abef0);
        cdgh = _mm_add_epi32(cdgh, cdgh0);
    }
    t = _mm_shuffle_epi32(abef, 0x1B);
    cdgh = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)h, _mm_blend_epi16(t, cdgh, 0xF0));
    _mm_storeu_si128((__m128i *)(h + 4), _mm_alignr_epi8(cdgh, t, 8));
}

static int cpu_has_sha_ni(void)
{
    unsigned int a, b, c, d;

    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) ||
        !(c & bit_SSE4_1))
        return 0;
    return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
}
#endif

typedef void (*compress_fn)(unsigned int h[8], const unsigned char *p,
                            size_t blocks);

static compress_fn compress = compress_portable;
static pthread_once_t chosen = PTHREAD_ONCE_INIT;

static void choose(void)
{
#ifdef HAVE_SHA_NI
    if (cpu_has_sha_ni())
        compress = compress_sha_ni;
#endif
}

int godwit__sha256_accelerate(int on)
{
    pthread_once(&chosen, choose);
    compress = compress_portable;
    if (on)
        choose();
    return compress != compress_portable;
}

void godwit__sha256_init(godwit_sha256 *s)
{
    static const unsigned int H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                       0xa54ff53a, 0x510e527f, 0x9b05688c,
                                       0x1f83d9ab, 0x5be0cd19};

    pthread_once(&chosen, choose);
    memcpy(s->h, H0, sizeof(H0));
    s->total = 0;
    s->used = 0;
}

void godwit__sha256_update(godwit_sha256 *s, const void *data, size_t n)
{
    const unsigned char *p = data;

    s->total += n;
    if (s->used > 0) {
        size_t take = 64 - s->used < n ? 64 - s->used : n;

        memcpy(s->block + s->used, p, take);
        s->used += take;
        p += take;
        n -= take;
        if (s->used < 64)
            return;
        compress(s->h, s->block, 1);
        s->used = 0;
    }
    compress(s->h, p, n / 64);
    p += n & ~(size_t)63;
    n &= 63;
    memcpy(s->block, p, n);
    s->used = n;
}

void godwit__sha256_final(godwit_sha256 *s, unsigned char digest[32])
{
    unsigned long long bits = s->total * 8;
    int i;

    s->block[s->used++] = 0x80;
    if (s->used > 56) {
        memset(s->block + s->used, 0, 64 - s->used);
        compress(s->h, s->block, 1);
        s->used = 0;
    }
    memset(s->block + s->used, 0, 56 - s->used);
    for (i = 0; i < 8; i++)
        s->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
    compress(s->h, s->block, 1);
    for (i = 0; i < 32; i++)
        digest[i] = (unsigned char)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

void godwit__checksum(const void *data, size_t n,
                      char out[GODWIT_CHECKSUM_SIZE])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char d[32];
    godwit_sha256 s;
    int i;

    godwit__sha256_init(&s);
    godwit__sha256_update(&s, data, n);
    godwit__sha256_final(&s, d);
    memcpy(out, "sha256:", 7);
    for (i = 0; i < 32; i++) {
        out[7 + 2 * i] = hex[d[i] >> 4];
        out[8 + 2 * i] = hex[d[i] & 15];
    }
    out[71] = '\0';
}
