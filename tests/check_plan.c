/* check_plan.c - state of migrations and plans for each kind of target. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-model.h"
#include "testutil.h"

static godwit_err err;
static godwit_set set;
static godwit_migration *items[8];
static godwit_history hist;

/* Files 1..n (of versions 1,2,3,...) and history rows for `applied`
 * ("1 2 5"), with checksum "changed" for versions in `changed`. */
static void setup(int n, const char *applied, const char *changed)
{
    char path[64], v[16];
    const char *text;
    const char *p;
    int i;

    memset(&hist, 0, sizeof(hist));
    for (i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "m/%d_m%d.sql", i + 1, i + 1);
        text = "-- godwit:up\nSELECT 1;\n-- godwit:down\n";
        ck_assert_int_eq(
            godwit__migration_parse(&items[i], path, text, strlen(text), &err),
            0);
    }
    set.items = items;
    set.n = (size_t)n;
    for (p = applied; *p; p++) {
        godwit_history_row r;
        int ver;

        if (*p == ' ')
            continue;
        ver = *p - '0';
        snprintf(v, sizeof(v), "%d", ver);
        memset(&r, 0, sizeof(r));
        r.version = v;
        r.name = "x";
        r.applied_at = "2026-01-01T00:00:00Z";
        r.checksum = ver <= n && !strchr(changed, *p) ? items[ver - 1]->checksum
                                                      : "sha256:changed";
        ck_assert_int_eq(godwit__history_add(&hist, &r), 0);
    }
}

static void teardown(void)
{
    size_t i;

    for (i = 0; i < set.n; i++)
        godwit__migration_free(items[i]);
    godwit__history_free(&hist);
}

/* The plan as text: "+1 +2" applies 1 and 2, "-3" reverts 3. */
static char *plan_text(const godwit_plan *p)
{
    godwit_buf b = GODWIT_BUF_INIT;
    size_t i;

    for (i = 0; i < p->n; i++)
        godwit__buf_printf(&b, "%s%c%s", i ? " " : "",
                           p->steps[i].up ? '+' : '-', p->steps[i].m->version);
    return godwit__buf_detach(&b);
}

typedef int (*planner)(godwit_plan *, const godwit_view *, const char *,
                       godwit_err *);

static void assert_plan(planner fn, const char *target, const char *expect)
{
    godwit_view v;
    godwit_plan p;
    char *got;

    ck_assert_int_eq(godwit__view_build(&v, &set, &hist, &err), 0);
    ck_assert_msg(fn(&p, &v, target, &err) == 0, "%s", err.msg);
    got = plan_text(&p);
    ck_assert_msg(strcmp(got, expect) == 0,
                  "target %s: expected \"%s\", got "
                  "\"%s\"",
                  target ? target : "(null)", expect, got);
    free(got);
    godwit__plan_free(&p);
    godwit__view_free(&v);
}

static void assert_fails(planner fn, const char *target, int code,
                         const char *msg)
{
    godwit_view v;
    godwit_plan p;

    ck_assert_int_eq(godwit__view_build(&v, &set, &hist, &err), 0);
    ck_assert_int_eq(fn(&p, &v, target, &err), code);
    ck_assert_msg(strstr(err.msg, msg) != NULL, "%s", err.msg);
    godwit__plan_free(&p);
    godwit__view_free(&v);
}

static int redo(godwit_plan *p, const godwit_view *v, const char *t,
                godwit_err *e)
{
    (void)t;
    return godwit__plan_redo(p, v, e);
}

START_TEST(up_targets)
{
    setup(5, "12", "");
    assert_plan(godwit__plan_up, NULL, "+3 +4 +5");
    assert_plan(godwit__plan_up, "head", "+3 +4 +5");
    assert_plan(godwit__plan_up, "+2", "+3 +4");
    assert_plan(godwit__plan_up, "+9", "+3 +4 +5");
    assert_plan(godwit__plan_up, "4", "+3 +4");
    assert_plan(godwit__plan_up, "0004", "+3 +4");
    assert_plan(godwit__plan_up, "2", "");
    assert_fails(godwit__plan_up, "base", GODWIT_EUSAGE, "invalid target");
    assert_fails(godwit__plan_up, "-1", GODWIT_EUSAGE, "invalid target");
    assert_fails(godwit__plan_up, "+0", GODWIT_EUSAGE, "invalid target");
    assert_fails(godwit__plan_up, "7", GODWIT_ENOTFOUND,
                 "no migration with version 7");
    teardown();
}
END_TEST

START_TEST(down_targets)
{
    setup(5, "1234", "");
    assert_plan(godwit__plan_down, NULL, "-4");
    assert_plan(godwit__plan_down, "-2", "-4 -3");
    assert_plan(godwit__plan_down, "-9", "-4 -3 -2 -1");
    assert_plan(godwit__plan_down, "base", "-4 -3 -2 -1");
    assert_plan(godwit__plan_down, "2", "-4 -3");
    assert_plan(godwit__plan_down, "5", "");
    assert_fails(godwit__plan_down, "head", GODWIT_EUSAGE, "invalid target");
    assert_fails(godwit__plan_down, "+1", GODWIT_EUSAGE, "invalid target");
    teardown();
}
END_TEST

START_TEST(redo_and_goto)
{
    setup(5, "123", "");
    assert_plan(redo, NULL, "-3 +3");
    assert_plan(godwit__plan_goto, "5", "+4 +5");
    assert_plan(godwit__plan_goto, "1", "-3 -2");
    assert_plan(godwit__plan_goto, "3", "");
    assert_fails(godwit__plan_goto, "9", GODWIT_ENOTFOUND, "no migration");
    assert_fails(godwit__plan_goto, "head", GODWIT_EUSAGE, "invalid version");
    teardown();
    setup(2, "", "");
    assert_fails(redo, NULL, GODWIT_ERROR, "no migration is applied");
    teardown();
}
END_TEST

/* goto fills an out-of-order gap below the target too */
START_TEST(goto_fills_gaps)
{
    setup(5, "134", "");
    assert_plan(godwit__plan_goto, "3", "-4 +2");
    teardown();
}
END_TEST

START_TEST(states_and_checks)
{
    godwit_view v;

    setup(4, "13 7", "3");
    ck_assert_int_eq(godwit__view_build(&v, &set, &hist, &err), 0);
    ck_assert_uint_eq(v.n, 5);
    ck_assert_int_eq(v.entries[0].state, GODWIT_STATE_APPLIED);
    ck_assert_int_eq(v.entries[1].state, GODWIT_STATE_PENDING);
    ck_assert_int_eq(v.entries[2].state, GODWIT_STATE_CHANGED);
    ck_assert_int_eq(v.entries[3].state, GODWIT_STATE_PENDING);
    ck_assert_int_eq(v.entries[4].state, GODWIT_STATE_MISSING);
    ck_assert_int_eq(godwit__view_current(&v), 4);
    ck_assert_int_eq(
        godwit__view_check(&v, GODWIT_OPT_IGNORE_MISSING, NULL, &err),
        GODWIT_ECONFLICT);
    ck_assert_msg(strstr(err.msg, "m/3_m3.sql was changed after it was "
                                  "applied"),
                  "%s", err.msg);
    godwit__view_free(&v);
    teardown();
    setup(2, "12 7", "");
    ck_assert_int_eq(godwit__view_build(&v, &set, &hist, &err), 0);
    ck_assert_int_eq(godwit__view_check(&v, 0, NULL, &err), GODWIT_ECONFLICT);
    ck_assert_msg(strstr(err.msg, "migration 7 (x) is applied but its file "
                                  "is missing"),
                  "%s", err.msg);
    ck_assert_int_eq(
        godwit__view_check(&v, GODWIT_OPT_IGNORE_MISSING, NULL, &err), 0);
    godwit__view_free(&v);
    teardown();
}
END_TEST

START_TEST(out_of_order)
{
    godwit_view v;

    setup(4, "13", "");
    ck_assert_int_eq(godwit__view_build(&v, &set, &hist, &err), 0);
    ck_assert_int_eq(godwit__view_check(&v, 0, NULL, &err), GODWIT_ECONFLICT);
    ck_assert_msg(strstr(err.msg, "m/2_m2.sql is pending but older than the "
                                  "newest applied migration 3"),
                  "%s", err.msg);
    ck_assert_int_eq(
        godwit__view_check(&v, GODWIT_OPT_ALLOW_OUT_OF_ORDER, NULL, &err), 0);
    godwit__view_free(&v);
    assert_plan(godwit__plan_up, NULL, "+2 +4");
    teardown();
}
END_TEST

START_TEST(revert_missing_file_refused)
{
    setup(2, "123", "");
    assert_fails(godwit__plan_down, NULL, GODWIT_ERROR,
                 "cannot revert 3 (x): its file is missing");
    teardown();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("plan");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, up_targets);
    tcase_add_test(tc, down_targets);
    tcase_add_test(tc, redo_and_goto);
    tcase_add_test(tc, goto_fills_gaps);
    tcase_add_test(tc, states_and_checks);
    tcase_add_test(tc, out_of_order);
    tcase_add_test(tc, revert_missing_file_refused);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
