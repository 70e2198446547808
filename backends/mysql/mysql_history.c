/*
 * mysql_history.c - the MySQL dialect of godwit's bookkeeping: the
 * history table, history reads and the GET_LOCK lock that serialises
 * migrators for a whole run (the server releases it when the session
 * ends, a killed migrator's included).
 *
 * The backend is new with history format 2, so there are no format-1
 * tables to read or upgrade: HISTORY_UPGRADE is not supported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mysql-int.h"

/* Appends s, keeping the buffer NUL-terminated and counting what it
 * would need, as snprintf. */
void my_raw(my_sql *w, const char *s)
{
    size_t n = strlen(s), room;

    if (w->len + 1 < w->cap) {
        room = w->cap - w->len - 1;
        memcpy(w->buf + w->len, s, n < room ? n : room);
        w->buf[w->len + (n < room ? n : room)] = '\0';
    } else if (w->cap > 0 && w->len == 0) {
        w->buf[0] = '\0';
    }
    w->len += n;
}

/* Appends s between quotes, a quote inside doubled and, with backslash,
 * a backslash too. */
static void quoted(my_sql *w, const char *s, char quote, int backslash)
{
    char q[2] = {quote, '\0'};

    my_raw(w, q);
    for (; *s != '\0'; s++) {
        char one[3] = {*s, '\0', '\0'};

        if (*s == quote || (backslash && *s == '\\'))
            one[1] = *s;
        my_raw(w, one);
    }
    my_raw(w, q);
}

void my_ident(my_sql *w, const char *s)
{
    quoted(w, s, '`', 0);
}

/* The session's sql_mode keeps backslash escapes on (set_up_session). */
void my_string(my_sql *w, const char *s)
{
    if (s == NULL)
        my_raw(w, "NULL");
    else
        quoted(w, s, '\'', 1);
}

void my_table(my_sql *w, const char *schema, const char *table)
{
    if (schema != NULL && *schema != '\0') {
        my_ident(w, schema);
        my_raw(w, ".");
    }
    my_ident(w, table);
}

static void number(my_sql *w, long v)
{
    char n[24];

    snprintf(n, sizeof(n), "%ld", v);
    my_raw(w, n);
}

/* "2026-11-29T08:52:00.123Z" as MySQL's DATETIME literal. */
static void when(my_sql *w, const char *iso)
{
    char t[32];
    size_t n;

    if (iso == NULL) {
        my_raw(w, "UTC_TIMESTAMP(3)");
        return;
    }
    snprintf(t, sizeof(t), "%s", iso);
    n = strlen(t);
    if (n > 0 && t[n - 1] == 'Z')
        t[n - 1] = '\0';
    if (strlen(t) > 10 && t[10] == 'T')
        t[10] = ' ';
    my_string(w, t);
}

static void history_create(my_sql *w, const godwit_target *t)
{
    if (t->schema != NULL && *t->schema != '\0') {
        my_raw(w, "CREATE DATABASE IF NOT EXISTS ");
        my_ident(w, t->schema);
        my_raw(w, ";\nUSE ");
        my_ident(w, t->schema);
        my_raw(w, ";\n");
    }
    my_raw(w, "CREATE TABLE IF NOT EXISTS ");
    my_table(w, t->schema, t->table);
    my_raw(w, " (\n    version VARCHAR(190) NOT NULL PRIMARY KEY,\n"
              "    name TEXT NOT NULL,\n"
              "    checksum VARCHAR(80) NOT NULL,\n"
              "    applied_at DATETIME(3) NOT NULL,\n"
              "    duration_ms BIGINT NOT NULL,\n"
              "    in_progress VARCHAR(8),\n"
              "    statements_done BIGINT,\n"
              "    error TEXT,\n"
              "    applied_by TEXT\n"
              ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;\n"
              "INSERT IGNORE INTO ");
    my_table(w, t->schema, t->table);
    my_raw(w, " (version, name, checksum, applied_at, duration_ms) VALUES "
              "('', 'godwit history table format', 'format:2', "
              "UTC_TIMESTAMP(3), 0);\n");
}

/* duration_ms, in_progress, statements_done and error, each after its
 * label: ", " in a VALUES list, ", column = " in a SET list.  MySQL has no
 * clock for the time since a transaction began, so a duration of -1 is
 * written as 0, as the ABI says. */
static void progress(my_sql *w, const godwit_history_row *r,
                     const char *const label[4])
{
    my_raw(w, label[0]);
    number(w, r->duration_ms < 0 ? 0 : r->duration_ms);
    my_raw(w, label[1]);
    my_string(w, r->in_progress);
    my_raw(w, label[2]);
    if (r->in_progress != NULL)
        number(w, r->statements_done);
    else
        my_raw(w, "NULL");
    my_raw(w, label[3]);
    my_string(w, r->in_progress ? r->error : NULL);
}

static void record(my_sql *w, const godwit_target *t,
                   const godwit_history_row *r)
{
    static const char *const commas[4] = {", ", ", ", ", ", ", "};

    my_raw(w, "INSERT INTO ");
    my_table(w, t->schema, t->table);
    my_raw(w, " (version, name, checksum, applied_at, duration_ms, "
              "in_progress, statements_done, error, applied_by) VALUES (");
    my_string(w, r->version);
    my_raw(w, ", ");
    my_string(w, r->name);
    my_raw(w, ", ");
    my_string(w, r->checksum);
    my_raw(w, ", ");
    when(w, r->applied_at);
    progress(w, r, commas);
    my_raw(w, ", ");
    my_string(w, r->applied_by);
    my_raw(w, ");\n");
}

static void update(my_sql *w, const godwit_target *t,
                   const godwit_history_row *r)
{
    static const char *const sets[4] = {", duration_ms = ", ", in_progress = ",
                                        ", statements_done = ", ", error = "};

    my_raw(w, "UPDATE ");
    my_table(w, t->schema, t->table);
    my_raw(w, " SET checksum = ");
    my_string(w, r->checksum);
    progress(w, r, sets);
    my_raw(w, " WHERE version = ");
    my_string(w, r->version);
    my_raw(w, ";\n");
}

int my_render(const godwit_target *t, godwit_sql what,
              const godwit_history_row *row, char *buf, size_t cap)
{
    my_sql w = {buf, cap, 0};

    switch (what) {
    case GODWIT_SQL_HISTORY_CREATE: history_create(&w, t); break;
    case GODWIT_SQL_BEGIN: my_raw(&w, "START TRANSACTION;\n"); break;
    case GODWIT_SQL_COMMIT: my_raw(&w, "COMMIT;\n"); break;
    case GODWIT_SQL_ROLLBACK: my_raw(&w, "ROLLBACK;\n"); break;
    case GODWIT_SQL_RECORD: record(&w, t, row); break;
    case GODWIT_SQL_UPDATE: update(&w, t, row); break;
    case GODWIT_SQL_UNRECORD:
        my_raw(&w, "DELETE FROM ");
        my_table(&w, t->schema, t->table);
        my_raw(&w, " WHERE version = ");
        my_string(&w, row->version);
        my_raw(&w, ";\n");
        break;
    case GODWIT_SQL_SCRATCH_DROP:
        my_raw(&w, "DROP DATABASE IF EXISTS ");
        my_ident(&w, t->schema ? t->schema : "");
        my_raw(&w, ";\n");
        break;
    default: return GODWIT_ENOTSUP;
    }
    return w.len > 0x7fffffff ? GODWIT_ENOMEM : (int)w.len;
}

/* Runs SQL made of head, the history table and tail. */
static int table_query(godwit_conn *c, const char *head, const char *tail,
                       MYSQL_RES **res, godwit_berror *err)
{
    char sql[1024];
    my_sql w = {sql, sizeof(sql), 0};

    my_raw(&w, head);
    my_table(&w, c->schema, c->table);
    my_raw(&w, tail);
    if (w.len >= sizeof(sql)) {
        snprintf(err->message, sizeof(err->message),
                 "history table name is too long");
        return err->code = GODWIT_EUSAGE;
    }
    return my_query(c, sql, res, err);
}

/* Whether a failed read failed only because the table or its database is
 * not there, which means no history; the error is cleared. */
static int no_table(godwit_conn *c, godwit_berror *err)
{
    unsigned code = mysql_errno(c->my);

    if (code != 1146 && code != 1049) /* no such table, database */
        return 0;
    memset(err, 0, sizeof(*err));
    err->offset = err->statement = -1;
    return 1;
}

int my_history_read(godwit_conn *c, godwit_history_fn fn, void *ctx,
                    godwit_berror *err)
{
    MYSQL_RES *res;
    MYSQL_ROW r;
    int rc;

    rc = table_query(c,
                     "SELECT version, name, checksum, CONCAT(DATE_FORMAT("
                     "applied_at, '%Y-%m-%dT%H:%i:%s.'), LPAD(MICROSECOND("
                     "applied_at) DIV 1000, 3, '0'), 'Z'), duration_ms, "
                     "in_progress, statements_done, error, applied_by FROM ",
                     "", &res, err);
    if (rc < 0)
        return no_table(c, err) ? 0 : rc;
    while (rc == 0 && res != NULL && (r = mysql_fetch_row(res)) != NULL) {
        godwit_history_row row;

        row.version = r[0];
        row.name = r[1];
        row.checksum = r[2];
        row.applied_at = r[3];
        row.duration_ms = r[4] ? atol(r[4]) : 0;
        row.in_progress = r[5];
        row.statements_done = r[6] ? atol(r[6]) : 0;
        row.error = r[7];
        row.applied_by = r[8];
        rc = fn(ctx, &row);
    }
    mysql_free_result(res);
    return rc;
}

int my_history_has(godwit_conn *c, const char *version, int *applied,
                   godwit_berror *err)
{
    char tail[256];
    my_sql w = {tail, sizeof(tail), 0};
    MYSQL_RES *res;
    int rc;

    my_raw(&w, " WHERE version = ");
    my_string(&w, version);
    if (w.len >= sizeof(tail))
        return GODWIT_EUSAGE;
    if ((rc = table_query(c, "SELECT 1 FROM ", tail, &res, err)) < 0)
        return rc;
    *applied = res != NULL && mysql_num_rows(res) > 0;
    mysql_free_result(res);
    return 0;
}

/* head, the lock's name as a string literal, and tail, into sql. */
static void lock_sql(const godwit_conn *c, const char *head, const char *tail,
                     char *sql, size_t cap)
{
    my_sql w = {sql, cap, 0};

    my_raw(&w, head);
    my_string(&w, c->lock_name);
    my_raw(&w, tail);
}

/* Who holds the lock (not this session): 1 with a description in out, 0
 * when no one does.  Lock names are server-wide; the name holds the
 * database and table. */
int my_lock_holder(godwit_conn *c, char *out, size_t cap, godwit_berror *err)
{
    char sql[640];
    MYSQL_RES *res;
    MYSQL_ROW r;
    int rc;

    lock_sql(c,
             "SELECT ID, CONCAT(USER, '@', HOST), COALESCE(COMMAND, ''), "
             "DATE_FORMAT(UTC_TIMESTAMP() - INTERVAL TIME SECOND, "
             "'%Y-%m-%dT%H:%i:%sZ') FROM information_schema.PROCESSLIST "
             "WHERE ID = IS_USED_LOCK(",
             ") AND ID <> CONNECTION_ID()", sql, sizeof(sql));
    if ((rc = my_query(c, sql, &res, err)) < 0)
        return rc;
    r = res ? mysql_fetch_row(res) : NULL;
    if (r != NULL)
        snprintf(out, cap, "connection %s (%s, %s since %s)", r[0], r[1], r[2],
                 r[3]);
    mysql_free_result(res);
    return r != NULL;
}

int my_lock(godwit_conn *c, double timeout, godwit_berror *err)
{
    char sql[256], wait[32], holder[320];
    MYSQL_RES *res;
    MYSQL_ROW r;
    int rc, got;

    snprintf(wait, sizeof(wait), ", %.3f)", timeout);
    lock_sql(c, "SELECT GET_LOCK(", wait, sql, sizeof(sql));
    if ((rc = my_query(c, sql, &res, err)) < 0)
        return rc;
    r = res ? mysql_fetch_row(res) : NULL;
    got = r != NULL && r[0] != NULL && strcmp(r[0], "1") == 0;
    mysql_free_result(res);
    if (got)
        return 0;
    if (my_lock_holder(c, holder, sizeof(holder), err) != 1)
        snprintf(holder, sizeof(holder), "another session");
    snprintf(err->message, sizeof(err->message),
             "the migration lock on `%s`.`%s` is held by %s; gave up after "
             "%g s; wait for it to finish or raise --lock-timeout",
             c->schema, c->table, holder, timeout);
    return err->code = GODWIT_ELOCKED;
}

int my_unlock(godwit_conn *c, godwit_berror *err)
{
    char sql[256];
    MYSQL_RES *res;
    int rc;

    lock_sql(c, "SELECT RELEASE_LOCK(", ")", sql, sizeof(sql));
    rc = my_query(c, sql, &res, err);
    mysql_free_result(res);
    return rc;
}
