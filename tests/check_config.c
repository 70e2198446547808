/* check_config.c - settings precedence, configuration files, URLs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "godwit-int.h"
#include "testutil.h"

static godwit_err err;

static void clear_env(void)
{
    unsetenv("GODWIT_DATABASE_URL");
    unsetenv("DATABASE_URL");
}

/* Opens a handle from the options and checks its url and source. */
static void assert_url(const godwit_options *o, const char *url,
                       const char *source)
{
    godwit *g;
    const char *src;

    ck_assert_msg(godwit_open(&g, o) == 0, "%s", godwit_errmsg(g));
    ck_assert_str_eq(godwit_setting(g, "url", &src), url);
    ck_assert_str_eq(src, source);
    godwit_close(g);
}

START_TEST(precedence)
{
    char *dir = tu_tmpdir("config"), *conf = tu_path(dir, "godwit.conf");
    godwit_options o = GODWIT_OPTIONS_INIT;
    char line2[4200];

    clear_env();
    tu_write(dir, "godwit.conf", "# comment\nurl = sqlite:from-file.db\n");
    o.flags = GODWIT_OPT_ENV;
    o.config_file = conf;
    snprintf(line2, sizeof(line2), "%s:2", conf);
    assert_url(&o, "sqlite:from-file.db", line2);
    setenv("DATABASE_URL", "sqlite:from-database-url.db", 1);
    assert_url(&o, "sqlite:from-database-url.db", "DATABASE_URL");
    setenv("GODWIT_DATABASE_URL", "sqlite:from-godwit-url.db", 1);
    assert_url(&o, "sqlite:from-godwit-url.db", "GODWIT_DATABASE_URL");
    o.url = "sqlite:from-flag.db";
    assert_url(&o, "sqlite:from-flag.db", "command line");
    /* without GODWIT_OPT_ENV, neither environment nor default file */
    o.url = NULL;
    o.config_file = NULL;
    o.flags = 0;
    assert_url(&o, "sqlite:godwit.db", "default");
    clear_env();
    free(conf);
    free(dir);
}
END_TEST

START_TEST(file_line_sources_and_vars)
{
    godwit_config c;

    memset(&c, 0, sizeof(c));
    setenv("GW_TEST_PASSWORD", "s3cret", 1);
    ck_assert_int_eq(godwit__config_parse(&c, "g.conf",
                                          "\n  dir = db/migrations  \n"
                                          "table = \"schema_history\"\n"
                                          "url = postgres://app:${GW_TEST_"
                                          "PASSWORD}@db/app\n",
                                          &err),
                     0);
    ck_assert_str_eq(c.value[GODWIT_KEY_DIR], "db/migrations");
    ck_assert_str_eq(c.source[GODWIT_KEY_DIR], "g.conf:2");
    ck_assert_str_eq(c.value[GODWIT_KEY_TABLE], "schema_history");
    ck_assert_str_eq(c.value[GODWIT_KEY_URL], "postgres://app:s3cret@db/app");
    ck_assert_str_eq(c.source[GODWIT_KEY_URL], "g.conf:4");
    godwit__config_free(&c);
}
END_TEST

START_TEST(file_errors)
{
    godwit_config c;

    memset(&c, 0, sizeof(c));
    unsetenv("GW_TEST_UNSET");
    ck_assert_int_eq(
        godwit__config_parse(&c, "g.conf", "url = x\nuser = me\n", &err),
        GODWIT_ERROR);
    ck_assert_msg(strstr(err.msg, "g.conf:2:1: unknown setting \"user\""), "%s",
                  err.msg);
    godwit__config_free(&c);
    ck_assert_int_eq(
        godwit__config_parse(&c, "g.conf", "url = a${GW_TEST_UNSET}b\n", &err),
        GODWIT_ERROR);
    ck_assert_msg(strstr(err.msg, "g.conf:1:8: environment variable "
                                  "GW_TEST_UNSET is not set"),
                  "%s", err.msg);
    godwit__config_free(&c);
    ck_assert_int_eq(godwit__config_parse(&c, "g.conf", "just words\n", &err),
                     GODWIT_ERROR);
    ck_assert_msg(strstr(err.msg, "g.conf:1:1: expected key = value"), "%s",
                  err.msg);
    godwit__config_free(&c);
}
END_TEST

/* godwit_open(o) must fail with code, saying expect; returns the message
 * (freed by the caller) for further checks. */
static char *open_fails(const godwit_options *o, int code, const char *expect)
{
    godwit *g;
    char *msg;

    ck_assert_int_eq(godwit_open(&g, o), code);
    ck_assert_msg(strstr(godwit_errmsg(g), expect), "expected \"%s\" in \"%s\"",
                  expect, godwit_errmsg(g));
    msg = strdup(godwit_errmsg(g));
    godwit_close(g);
    return msg;
}

/* A configuration file's error is located through godwit_errloc: the
 * file, line and column, as data; a failure with no place has none. */
START_TEST(error_location_as_data)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    const char *file;
    unsigned line, col;
    char *dir = tu_tmpdir("config-errloc"), *path;
    godwit *g;

    tu_write(dir, "godwit.conf",
             "# settings\nurl = sqlite:x.db\n  color = "
             "blue\n");
    path = tu_path(dir, "godwit.conf");
    o.config_file = path;
    o.flags = GODWIT_OPT_ENV;
    ck_assert_int_eq(godwit_open(&g, &o), GODWIT_ERROR);
    ck_assert_int_eq(godwit_errloc(g, &file, &line, &col), 1);
    ck_assert_str_eq(file, path);
    ck_assert_uint_eq(line, 3);
    ck_assert_uint_eq(col, 3);
    ck_assert_ptr_null(godwit_errsqlstate(g));
    godwit_close(g);
    o.config_file = "no/such/godwit.conf";
    ck_assert_int_eq(godwit_open(&g, &o), GODWIT_ERROR);
    ck_assert_int_eq(godwit_errloc(g, &file, &line, NULL), 0);
    ck_assert_ptr_null(file);
    ck_assert_uint_eq(line, 0);
    ck_assert_int_eq(godwit_errloc(g, NULL, NULL, NULL), 0);
    godwit_close(g);
    ck_assert_int_eq(godwit_errloc(NULL, &file, NULL, NULL), 0);
    free(path);
    free(dir);
}
END_TEST

/* Every code has its words; an unknown one says so. */
START_TEST(errstr_every_code)
{
    static const int codes[] = {
        GODWIT_OK,      GODWIT_ERROR,   GODWIT_ENOTFOUND, GODWIT_ECONFLICT,
        GODWIT_ELOCKED, GODWIT_ENOTSUP, GODWIT_EABI,      GODWIT_EUSAGE,
        GODWIT_ENOMEM,  GODWIT_EINTR};
    size_t i, j;

    for (i = 0; i < sizeof(codes) / sizeof(*codes); i++) {
        ck_assert_str_ne(godwit_errstr(codes[i]), "unknown error code");
        for (j = 0; j < i; j++)
            ck_assert_str_ne(godwit_errstr(codes[i]), godwit_errstr(codes[j]));
    }
    ck_assert_str_eq(godwit_errstr(GODWIT_ELOCKED),
                     "the lock was not granted in time");
    ck_assert_str_eq(godwit_errstr(-10), "unknown error code");
    ck_assert_str_eq(godwit_errstr(1), "unknown error code");
}
END_TEST

/* An error is kept whole however long, and may wrap its own message. */
START_TEST(long_messages_whole)
{
    godwit_err e = GODWIT_ERR_INIT;
    char big[5000];

    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ck_assert_str_eq(godwit__err_msg(&e), "no error");
    godwit__err_at(&e, GODWIT_ERROR, "m/1_a.sql", 7, 0, "%s end", big);
    ck_assert_uint_eq(strlen(e.msg), strlen("m/1_a.sql:7: ") + 4999 + 4);
    ck_assert_str_eq(e.msg + strlen(e.msg) - 4, " end");
    ck_assert_str_eq(e.file, "m/1_a.sql");
    godwit__err_set(&e, GODWIT_EINTR, "interrupted: %s", e.msg);
    ck_assert_uint_eq(strlen(e.msg),
                      strlen("interrupted: m/1_a.sql:7: ") + 4999 + 4);
    ck_assert_ptr_null(e.file); /* a new error, with no place */
    godwit__err_clear(&e);
    ck_assert_str_eq(godwit__err_msg(&e), "no error");
}
END_TEST

START_TEST(missing_explicit_file)
{
    godwit_options o = GODWIT_OPTIONS_INIT;

    o.config_file = "no/such/godwit.conf";
    free(open_fails(&o, GODWIT_ERROR,
                    "no/such/godwit.conf: cannot open configuration file"));
}
END_TEST

START_TEST(bad_lock_timeout)
{
    char *dir = tu_tmpdir("config-timeout");
    char *conf = tu_path(dir, "godwit.conf");
    godwit_options o = GODWIT_OPTIONS_INIT;

    tu_write(dir, "godwit.conf", "lock_timeout = soon\n");
    o.config_file = conf;
    free(open_fails(&o, GODWIT_EUSAGE, "lock_timeout \"soon\""));
    tu_write(dir, "godwit.conf", "lock_retries = -1\n");
    free(open_fails(&o, GODWIT_EUSAGE, "lock_retries \"-1\" (from "));
    free(conf);
    free(dir);
}
END_TEST

START_TEST(schemes)
{
    char s[32];

    ck_assert_int_eq(godwit__url_scheme("sqlite:app.db", s, sizeof(s)), 0);
    ck_assert_str_eq(s, "sqlite");
    ck_assert_int_eq(godwit__url_scheme("postgresql://h/db", s, sizeof(s)), 0);
    ck_assert_str_eq(s, "postgresql");
    ck_assert_int_eq(godwit__url_scheme("app.db", s, sizeof(s)), GODWIT_EUSAGE);
    ck_assert_int_eq(godwit__url_scheme(":memory:", s, sizeof(s)),
                     GODWIT_EUSAGE);
    ck_assert_int_eq(godwit__url_scheme("/abs/x:y", s, sizeof(s)),
                     GODWIT_EUSAGE);
}
END_TEST

static const struct {
    const char *in, *out;
} redactions[] = {
    {"sqlite:app.db", "sqlite:app.db"},
    {"postgres://app:s3cret@db:5432/app", "postgres://app:***@db:5432/app"},
    {"postgres://app@db/app", "postgres://app@db/app"},
    /* refused by godwit__url_check: no telling where the password ends */
    {"postgres://a:p@ss:w@rd@db/app", "postgres://***"},
    {"postgres://a:s3c/ret@db/app", "postgres://***"},
    {"postgres://a:s3c?ret@db/app", "postgres://***"},
    {"postgresql://a@db/app?password=s3c%ret", "postgresql://***"},
    {"postgres://a:s3c%40ret@db/app", "postgres://a:***@db/app"},
    {"postgres://db/app?user=a&password=s3cret&sslmode=require",
     "postgres://db/app?user=a&password=***&sslmode=require"},
    {"host=db password=s3cret dbname=x", "host=db password=*** dbname=x"},
    {"postgres://db/app?oldpassword=keep",
     "postgres://db/app?oldpassword=keep"},
};

START_TEST(redaction)
{
    char *r = godwit__url_redact(redactions[_i].in);

    ck_assert_str_eq(r, redactions[_i].out);
    ck_assert_ptr_null(strstr(r, "s3cret"));
    free(r);
}
END_TEST

/* A URL whose password two parsers would split apart is refused, for
 * every character that does it; its message quotes none of the URL. */
START_TEST(ambiguous_urls)
{
    static const char *const refused[] = {
        "postgres://u:s3c@ret@host/db",
        "postgres://u:s3c/ret@host/db",
        "postgres://u:s3c?ret@host/db",
        "postgres://u:s3c#ret@host/db",
        "postgres://u:50%off@host/db",
        "postgres://u:50%4@host/db",
        "postgres://u:p@h/db?password=a&b",
        "postgres://u@h/db?password=5%zz",
        "postgres://u@h/db?sslmode",
        "postgres://h/d@b",
        "postgres://app:p@ss/w?rd#%zz@db:5432/app",
        "postgres://u@h/db?user=a@b",
    };
    static const char *const accepted[] = {
        "postgres://u:s3c%40ret@host/db",
        "postgres://u:pa:ss&x@host/db",
        "postgres://u:p%2F%3F%23%25@h/db?password=a%26b&sslmode=require",
        "postgres:///db?host=/run/pg",
        "postgresql://",
        "sqlite:///tmp/a@b.db",
        "sqlite:a@b?c#d.db",
        "postgres:///db?user=a@b",
        "sqlite::memory:",
    };
    size_t i;

    for (i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
        const char *why = godwit__url_check(refused[i]);

        ck_assert_msg(why != NULL, "%s accepted", refused[i]);
        ck_assert_ptr_null(strstr(why, "s3c"));
        ck_assert_ptr_null(strstr(why, "ret"));
    }
    for (i = 0; i < sizeof(accepted) / sizeof(*accepted); i++)
        ck_assert_msg(godwit__url_check(accepted[i]) == NULL, "%s: %s",
                      accepted[i], godwit__url_check(accepted[i]));
}
END_TEST

/* godwit_open refuses such a URL from any source, saying what to do. */
START_TEST(open_refuses_ambiguous_url)
{
    godwit_options o = GODWIT_OPTIONS_INIT;
    char *msg;

    o.url = "postgres://app:s3c@ret@db/app";
    msg = open_fails(&o, GODWIT_EUSAGE, "(from command line)");
    ck_assert_ptr_nonnull(strstr(msg, "@ as %40"));
    ck_assert_ptr_null(strstr(msg, "s3c"));
    free(msg);
}
END_TEST

/* A backend's message that echoes the password, even in a form that no
 * URL parser accepts, loses it. */
START_TEST(scrub)
{
    char msg[256];

    snprintf(msg, sizeof(msg), "invalid percent-encoded token: \"se%%zz\"");
    godwit__url_scrub(msg, "postgres://u:se%zz@h/db");
    ck_assert_str_eq(msg, "invalid percent-encoded token: \"***\"");
    snprintf(msg, sizeof(msg), "bad password=hunter2 hunter2x");
    godwit__url_scrub(msg, "postgres://h/db?sslmode=x&password=hunter2");
    ck_assert_str_eq(msg, "bad password=*** ***x");
    snprintf(msg, sizeof(msg), "ab: no");
    godwit__url_scrub(msg, "postgres://u:ab@h/db");
    ck_assert_str_eq(msg, "**: no");
    snprintf(msg, sizeof(msg), "password \"s3c@ret\" rejected");
    godwit__url_scrub(msg, "postgres://u:s3c%40ret@h/db");
    ck_assert_str_eq(msg, "password \"***\" rejected"); /* decoded too */
    snprintf(msg, sizeof(msg), "nothing to hide");
    godwit__url_scrub(msg, "sqlite:app.db");
    ck_assert_str_eq(msg, "nothing to hide");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, precedence);
    tcase_add_test(tc, file_line_sources_and_vars);
    tcase_add_test(tc, file_errors);
    tcase_add_test(tc, error_location_as_data);
    tcase_add_test(tc, errstr_every_code);
    tcase_add_test(tc, long_messages_whole);
    tcase_add_test(tc, missing_explicit_file);
    tcase_add_test(tc, bad_lock_timeout);
    tcase_add_test(tc, schemes);
    tcase_add_test(tc, scrub);
    tcase_add_test(tc, ambiguous_urls);
    tcase_add_test(tc, open_refuses_ambiguous_url);
    tcase_add_loop_test(tc, redaction, 0,
                        (int)(sizeof(redactions) / sizeof(*redactions)));
    suite_add_tcase(s, tc);
    return tu_run(s);
}
