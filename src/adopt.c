/*
 * adopt.c - godwit import --history: another tool's history table read
 * and written into godwit's, for a set that godwit import wrote.  Each
 * imported file's first line names the tool and its version there; the
 * tool's table says which of those versions are applied (and which it
 * left failed half-way: interrupted here, with the reason).  godwit's rows
 * are written in one transaction; the tool's table is left as it is
 * unless asked to drop it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-int.h"

/* One tool's history: its table and the query that reads it, whose
 * columns are a version and what the row says of it: 1 applied, 0 not
 * (reverted), -1 failed half-way, 2 a baseline (Flyway: applied, with
 * every version before it).  Rows that are events come in their order,
 * the last one of a version winning.  golang-migrate's one row is the
 * current version: every version up to it is applied. */
typedef struct source {
    const char *tool, *table, *query;
    int upto;
} source;

#define GOLANG_MIGRATE_QUERY                                                   \
    "SELECT version, CASE WHEN dirty THEN -1 ELSE 1 END FROM "                 \
    "schema_migrations"

static const source sources[] = {
    {"golang-migrate", "schema_migrations", GOLANG_MIGRATE_QUERY, 1},
    {"migrate", "schema_migrations", GOLANG_MIGRATE_QUERY, 1},
    {"dbmate", "schema_migrations", "SELECT version, 1 FROM schema_migrations",
     0},
    {"goose", "goose_db_version",
     "SELECT version_id, CASE WHEN is_applied THEN 1 ELSE 0 END FROM "
     "goose_db_version WHERE version_id <> 0 ORDER BY id",
     0},
    {"sqlx", "_sqlx_migrations",
     "SELECT version, CASE WHEN success THEN 1 ELSE -1 END FROM "
     "_sqlx_migrations",
     0},
    {"diesel", "__diesel_schema_migrations",
     "SELECT version, 1 FROM __diesel_schema_migrations", 0},
    {"flyway", "flyway_schema_history",
     "SELECT version, CASE WHEN NOT success THEN -1 WHEN type = 'UNDO_SQL' "
     "THEN 0 WHEN type = 'BASELINE' THEN 2 ELSE 1 END FROM "
     "flyway_schema_history WHERE version IS NOT NULL ORDER BY "
     "installed_rank",
     0}};

#define BASELINE 2

/* An imported migration: its version at the tool, and what the tool's
 * history says of it. */
typedef struct mapped {
    godwit_migration *m;
    char key[64]; /* "" when the file did not come from the tool */
    int state;    /* 0: not applied, 1: applied, -1: failed half-way */
} mapped;

typedef struct adoption {
    godwit *g;
    const source *src;
    mapped *v;
    size_t n;
    godwit_buf missing; /* the tool's applied versions no file has */
    size_t nmissing;
} adoption;

/* The tool's version of an imported file, from its first line
 * "-- Imported from TOOL: FILES[ (version KEY there)].", into key. */
static void file_key(const godwit_migration *m, const char *tool, char *key,
                     size_t cap)
{
    char first[512], head[128];
    const char *v, *end;

    key[0] = '\0';
    snprintf(first, sizeof(first), "%.*s", (int)strcspn(m->text, "\n"),
             m->text);
    snprintf(head, sizeof(head), "-- Imported from %s: ", tool);
    if (strncmp(first, head, strlen(head)) != 0)
        return;
    if ((v = strstr(first, " (version ")) != NULL &&
        (end = strstr(v, " there)")) != NULL)
        snprintf(key, cap, "%.*s", (int)(end - v - 10), v + 10);
    else
        snprintf(key, cap, "%s", m->version);
}

/* key without dashes (diesel writes 2019-01-01-000000 in its directory
 * names and 20190101000000 in its table). */
static void plain(const char *key, char *out, size_t cap)
{
    size_t n = 0;

    for (; *key != '\0' && n + 1 < cap; key++)
        if (*key != '-')
            out[n++] = *key;
    out[n] = '\0';
}

/* How a file's version compares with one in the tool's table: as numbers
 * when both are digits (diesel's dashes aside), as Flyway's parts when
 * both are digits and separators, else as text. */
static int key_cmp(const char *a, const char *b)
{
    static const char version_chars[] = "0123456789._";
    char x[64], y[64];

    plain(a, x, sizeof(x));
    plain(b, y, sizeof(y));
    if (x[0] && y[0] && strspn(x, "0123456789") == strlen(x) &&
        strspn(y, "0123456789") == strlen(y))
        return godwit__version_cmp(x, y);
    if (strspn(a, version_chars) == strlen(a) &&
        strspn(b, version_chars) == strlen(b))
        return godwit__import_parts_cmp(a, b);
    return strcmp(a, b);
}

/* One row of the tool's table. */
static int take(void *ctx, int ncols, const char *const *values)
{
    adoption *a = ctx;
    int state, found = 0;
    size_t i;

    if (ncols < 2 || values[0] == NULL || values[1] == NULL)
        return 0;
    state = atoi(values[1]);
    for (i = 0; i < a->n; i++) {
        int c = a->v[i].key[0] ? key_cmp(a->v[i].key, values[0]) : 1;

        if (c == 0) {
            a->v[i].state = state == BASELINE ? 1 : state;
            found = 1;
        } else if (c < 0 && (a->src->upto || state == BASELINE)) {
            a->v[i].state = 1;
        }
    }
    if (!found && state > 0 && a->nmissing++ < 3)
        godwit__buf_printf(&a->missing, "%s%s", a->nmissing > 1 ? ", " : "",
                           values[0]);
    return 0;
}

static const source *find_source(const char *tool)
{
    size_t i;

    for (i = 0; i < sizeof(sources) / sizeof(*sources); i++)
        if (strcmp(sources[i].tool, tool) == 0)
            return &sources[i];
    return NULL;
}

/* Reads the tool's table into a->v[].state. */
static int read_source(adoption *a)
{
    godwit *g = a->g;
    godwit_berror be;
    int rc;

    godwit__berror_init(&be);
    rc = godwit__session_query(&g->session, a->src->query, take, a, &be);
    if (rc == GODWIT_ENOTSUP)
        return godwit__err_set(&g->err, GODWIT_ENOTSUP,
                               "the %s backend cannot read other tables "
                               "(its plugin has no query method)",
                               godwit__session_backend(&g->session));
    if (rc < 0)
        return godwit__berr(&g->err, &be, "cannot read %s's history table %s",
                            a->src->tool, a->src->table);
    if (a->nmissing == 0)
        return 0;
    godwit__err_set(&g->err, GODWIT_ECONFLICT,
                    "%s's history has %zu applied version%s that no file "
                    "here has (%s%s)%s",
                    a->src->tool, a->nmissing, a->nmissing > 1 ? "s" : "",
                    a->missing.ptr, a->nmissing > 3 ? ", ..." : "",
                    g->flags & GODWIT_OPT_IGNORE_MISSING
                        ? ": left out of godwit's history"
                        : ": import its files too, or give --ignore-missing "
                          "to leave them out");
    if (!(g->flags & GODWIT_OPT_IGNORE_MISSING))
        return GODWIT_ECONFLICT;
    godwit__emit(g, GODWIT_EVENT_WARNING, NULL, 0, godwit_errmsg(g));
    godwit__err_clear(&g->err);
    return 0;
}

/* One godwit row for an applied or failed migration. */
static int record(const godwit_sink *out, const adoption *a, const mapped *mp)
{
    godwit_history_row row;
    char why[160], detail[200];

    godwit__engine_row(mp->m, 0, &row);
    if (mp->state < 0) {
        snprintf(why, sizeof(why),
                 "%s recorded version %s as failed part-way; what of it ran "
                 "is not known",
                 a->src->tool, mp->key);
        row.in_progress = "up";
        row.error = why;
    }
    snprintf(detail, sizeof(detail), "%s from %s's history (version %s)",
             mp->state < 0 ? "recorded as interrupted" : "recorded as applied",
             a->src->tool, mp->key);
    if (godwit__engine_bookkeep(out, GODWIT_SQL_RECORD, &row, 0,
                                "cannot write godwit's history") < 0)
        return GODWIT_ERROR;
    godwit__sink_emit(out, GODWIT_EVENT_STAMP, mp->m, 0, detail);
    return 0;
}

/* godwit's rows, all in one transaction; then, on request, the tool's
 * table dropped (by itself: on MySQL a DROP ends a transaction). */
static int write_rows(const godwit_sink *out, const adoption *a, int format)
{
    godwit_berror ignored;
    char drop[96];
    size_t i;
    int rc;

    if ((rc = godwit__engine_history_ready(out, format)) < 0 ||
        (rc = godwit__engine_bookkeep(out, GODWIT_SQL_BEGIN, NULL, 0,
                                      "cannot begin a transaction")) < 0)
        return rc;
    for (i = 0; rc == 0 && i < a->n; i++)
        if (a->v[i].state != 0)
            rc = record(out, a, &a->v[i]);
    if (rc == 0)
        rc = godwit__engine_bookkeep(out, GODWIT_SQL_COMMIT, NULL, 0,
                                     "cannot commit godwit's history");
    if (rc < 0) {
        godwit__engine_bookkeep(out, GODWIT_SQL_ROLLBACK, NULL, 0, "rollback");
        return rc;
    }
    if (!(out->g->flags & GODWIT_OPT_DROP_SOURCE_HISTORY))
        return 0;
    snprintf(drop, sizeof(drop), "DROP TABLE %s", a->src->table);
    godwit__berror_init(&ignored);
    if (godwit__sink_exec(out, drop, strlen(drop), GODWIT_SINK_STATEMENT,
                          &ignored) < 0)
        return godwit__berr(&out->g->err, &ignored,
                            "godwit's history is written, but %s's table "
                            "could not be dropped",
                            a->src->tool);
    return 0;
}

/* Maps every file of the view to the tool's version it came from. */
static int map_files(adoption *a, const godwit_view *v)
{
    size_t i;

    if ((a->v = calloc(v->n ? v->n : 1, sizeof(*a->v))) == NULL)
        return godwit__err_set(&a->g->err, GODWIT_ENOMEM, "out of memory");
    for (i = 0; i < v->n; i++)
        if (v->entries[i].m != NULL) {
            a->v[a->n].m = v->entries[i].m;
            file_key(v->entries[i].m, a->src->tool, a->v[a->n].key,
                     sizeof(a->v[a->n].key));
            a->n++;
        }
    return 0;
}

int godwit__adopt(godwit *g, const char *tool, const godwit_sink *out,
                  const godwit_print *pr)
{
    adoption a;
    godwit_loaded st;
    int rc;

    memset(&a, 0, sizeof(a));
    a.g = g;
    if ((a.src = find_source(tool)) == NULL)
        return godwit__err_set(&g->err, GODWIT_EUSAGE,
                               "import --history: no reader for \"%s\"'s "
                               "history; see godwit help import",
                               tool ? tool : "");
    if (godwit__print_offline(pr))
        return godwit__err_set(&g->err, GODWIT_EUSAGE,
                               "import --history reads %s's table: it needs "
                               "the database, not --backend or --from",
                               tool);
    if ((rc = godwit__load(g, &st, 1, pr)) < 0)
        return rc;
    if (st.history.n > 0)
        rc = godwit__err_set(&g->err, GODWIT_ECONFLICT,
                             "godwit's history already has %zu migration%s: "
                             "import --history adopts into an empty one",
                             st.history.n, st.history.n > 1 ? "s" : "");
    if (rc == 0 && (rc = map_files(&a, &st.view)) == 0 &&
        (rc = read_source(&a)) == 0)
        rc = write_rows(out, &a, st.history.format);
    free(a.v);
    godwit__buf_free(&a.missing);
    godwit__unload(g, &st);
    return rc;
}
