/* check_sha256.c - SHA-256 against the FIPS 180-4 example vectors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-util.h"
#include "testutil.h"

static const struct {
    const char *in;
    const char *hex;
} vectors[] = {
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmn"
     "opjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
};

START_TEST(fips_vectors)
{
    char out[GODWIT_CHECKSUM_SIZE];

    godwit__checksum(vectors[_i].in, strlen(vectors[_i].in), out);
    ck_assert_str_eq(out + 7, vectors[_i].hex);
    ck_assert_int_eq(strncmp(out, "sha256:", 7), 0);
}
END_TEST

START_TEST(million_a)
{
    static const char expect[] =
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    static const char hex[] = "0123456789abcdef";
    unsigned char chunk[1000], d[32];
    char got[65];
    godwit_sha256 s;
    int i;

    memset(chunk, 'a', sizeof(chunk));
    godwit__sha256_init(&s);
    for (i = 0; i < 1000; i++)
        godwit__sha256_update(&s, chunk, sizeof(chunk));
    godwit__sha256_final(&s, d);
    for (i = 0; i < 32; i++) {
        got[2 * i] = hex[d[i] >> 4];
        got[2 * i + 1] = hex[d[i] & 15];
    }
    got[64] = '\0';
    ck_assert_str_eq(got, expect);
}
END_TEST

/* Feeding the same bytes in odd-sized pieces gives the same digest. */
START_TEST(split_updates)
{
    const char *in = vectors[3].in;
    unsigned char a[32], b[32];
    godwit_sha256 s;
    size_t n = strlen(in), i, step;

    godwit__sha256_init(&s);
    godwit__sha256_update(&s, in, n);
    godwit__sha256_final(&s, a);
    for (step = 1; step < 70; step += 7) {
        godwit__sha256_init(&s);
        for (i = 0; i < n; i += step)
            godwit__sha256_update(&s, in + i, n - i < step ? n - i : step);
        godwit__sha256_final(&s, b);
        ck_assert_mem_eq(a, b, 32);
    }
}
END_TEST

/* The SHA instructions and the portable rounds agree on every length
 * around the block and padding boundaries, and on long inputs. */
START_TEST(accelerated_matches_portable)
{
    unsigned char in[4096];
    char fast[GODWIT_CHECKSUM_SIZE], slow[GODWIT_CHECKSUM_SIZE];
    size_t n, i;

    for (i = 0; i < sizeof(in); i++)
        in[i] = (unsigned char)(i * 131 + (i >> 5));
    for (n = 0; n <= sizeof(in); n += n < 200 ? 1 : 97) {
        ck_assert(godwit__sha256_accelerate(1));
        godwit__checksum(in, n, fast);
        godwit__sha256_accelerate(0);
        godwit__checksum(in, n, slow);
        ck_assert_msg(strcmp(fast, slow) == 0, "length %zu: %s vs %s", n, fast,
                      slow);
    }
    godwit__sha256_accelerate(1);
}
END_TEST

static void portable(void)
{
    godwit__sha256_accelerate(0);
}

static void accelerated(void)
{
    godwit__sha256_accelerate(1);
}

/* The FIPS vectors, split updates and a million "a"s through one path. */
static TCase *path(const char *name, void (*setup)(void))
{
    TCase *tc = tcase_create(name);

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_loop_test(tc, fips_vectors, 0,
                        (int)(sizeof(vectors) / sizeof(vectors[0])));
    tcase_add_test(tc, million_a);
    tcase_add_test(tc, split_updates);
    return tc;
}

int main(void)
{
    Suite *s = suite_create("sha256");

    suite_add_tcase(s, path("portable", portable));
    if (godwit__sha256_accelerate(1)) {
        TCase *tc = path("sha-instructions", accelerated);

        tcase_add_test(tc, accelerated_matches_portable);
        suite_add_tcase(s, tc);
    } else {
        printf("check_sha256: this CPU has no SHA instructions; only the "
               "portable rounds are tested\n");
    }
    return tu_run(s);
}
