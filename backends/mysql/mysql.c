/*
 * mysql.c - the MySQL/MariaDB backend: connections and running scripts,
 * with MariaDB Connector/C (libmariadb).
 *
 * DDL commits by itself in MySQL, so the backend does not claim
 * GODWIT_CAP_TRANSACTIONAL_DDL: the host runs every section statement by
 * statement with its progress in history, and a failure leaves the
 * migration interrupted and resumable, never "rolled back".  A script is
 * sent in one round trip (CLIENT_MULTI_STATEMENTS); the server returns one
 * result per statement, which tells which statement failed.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mysql-int.h"

static const char *const schemes[] = {"mysql", "mariadb", NULL};

/* MySQL's error numbers that the host must tell apart. */
enum {
    MY_LOCK_WAIT_TIMEOUT = 1205,
    MY_BAD_DB = 1049,
    MY_SYNTAX = 1064,
};

/*
 * Where in a script whose first statement failed with a syntax error the
 * server says it failed: "... near 'TEXT' at line N", N counted from the
 * statement's first token, TEXT what follows the error there (cut at 80
 * characters; empty at the end).  The byte offset of TEXT in line N, of
 * line N, or -1.  Each statement of a section is sent alone, so that a
 * section's syntax errors get a column as on PostgreSQL.
 */
static long near(const char *sql, size_t len, const char *message)
{
    const char *text = strstr(message, "near '"), *tail, *p = sql, *end;
    long line;
    size_t n;

    if (text == NULL)
        return -1;
    text += strlen("near '");
    for (tail = text; (tail = strstr(tail, "' at line ")) != NULL &&
                      strstr(tail + 1, "' at line ") != NULL;
         tail++)
        ;
    if (tail == NULL || (line = atol(tail + strlen("' at line "))) < 1)
        return -1;
    while (p < sql + len &&
           (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    for (; line > 1 && p < sql + len; p++)
        if (*p == '\n')
            line--;
    if (line > 1)
        return -1;
    n = strcspn(text, "\n");
    n = n < (size_t)(tail - text) ? n : (size_t)(tail - text);
    n = n < 16 ? n : 16;
    end = memchr(p, '\n', (size_t)(sql + len - p));
    end = end ? end : sql + len;
    for (const char *q = p; n > 0 && q + n <= end; q++)
        if (memcmp(q, text, n) == 0)
            return (long)(q - sql);
    return (long)(p - sql);
}

int my_fail(godwit_conn *c, long statement, godwit_berror *err)
{
    unsigned code = mysql_errno(c->my);

    err->code = GODWIT_ERROR;
    err->statement = statement;
    snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", mysql_sqlstate(c->my));
    snprintf(err->message, sizeof(err->message), "%s (MySQL error %u)",
             mysql_error(c->my), code);
    for (char *p = err->message; *p != '\0'; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' '; /* one line: the server quotes the SQL near the error */
    if (code != MY_LOCK_WAIT_TIMEOUT)
        return GODWIT_ERROR;
    snprintf(err->message + strlen(err->message),
             sizeof(err->message) - strlen(err->message),
             "; it waited --lock-timeout (%g s) for a lock another session "
             "holds",
             c->lock_timeout);
    return err->code = GODWIT_ELOCKED;
}

/* Reads and frees every result a script left, counting statements done;
 * 0, or the failure of statement *done. */
static int drain(godwit_conn *c, long *done, godwit_berror *err)
{
    int more;

    do {
        mysql_free_result(mysql_store_result(c->my));
        if (mysql_errno(c->my) != 0)
            return my_fail(c, *done, err);
        ++*done;
        more = mysql_next_result(c->my);
        if (more > 0)
            return my_fail(c, *done, err);
    } while (more == 0);
    return 0;
}

static int my_exec(godwit_conn *c, const char *sql, size_t len,
                   godwit_berror *err)
{
    long done = 0;
    int rc;

    if (mysql_real_query(c->my, sql, (unsigned long)len) == 0)
        return drain(c, &done, err);
    rc = my_fail(c, 0, err);
    if (mysql_errno(c->my) == MY_SYNTAX)
        err->offset = near(sql, len, mysql_error(c->my));
    return rc;
}

int my_query(godwit_conn *c, const char *sql, MYSQL_RES **out,
             godwit_berror *err)
{
    *out = NULL;
    if (mysql_real_query(c->my, sql, (unsigned long)strlen(sql)) != 0)
        return my_fail(c, -1, err);
    *out = mysql_store_result(c->my);
    if (*out == NULL && mysql_errno(c->my) != 0)
        return my_fail(c, -1, err);
    return 0;
}

static void my_disconnect(godwit_conn *c)
{
    if (c == NULL)
        return;
    mysql_close(c->my);
    my_where_free(&c->where);
    free(c->table);
    free(c->schema);
    free(c);
}

/* The client library's one-time set-up, which mysql_init would otherwise
 * do unguarded in whichever thread connects first: godwit's fleets open
 * connections from several threads at once. */
static pthread_once_t library_once = PTHREAD_ONCE_INIT;
static int library_rc;

static void library_init(void)
{
    library_rc = mysql_library_init(0, NULL, NULL);
}

/* A connection to where w says, speaking utf8mb4, with multi-statement
 * scripts; the message of a failure never holds the password (the
 * server's "Access denied ... (using password: YES)" does not). */
static MYSQL *open_my(const my_where *w, int scripts, godwit_berror *err)
{
    MYSQL *my;
    unsigned timeout = 10;

    pthread_once(&library_once, library_init);
    if (library_rc != 0 || (my = mysql_init(NULL)) == NULL)
        return NULL;
    mysql_options(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_options(my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    if (mysql_real_connect(my, w->host && *w->host ? w->host : NULL, w->user,
                           w->password, w->database, w->port, w->socket,
                           scripts ? CLIENT_MULTI_STATEMENTS : 0) != NULL)
        return my;
    snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", mysql_sqlstate(my));
    snprintf(err->message, sizeof(err->message), "%s (MySQL error %u)",
             mysql_error(my), mysql_errno(my));
    err->code = GODWIT_ERROR;
    mysql_close(my);
    return NULL;
}

/*
 * One round trip sets the session up: MySQL's defaults for what godwit's
 * lexer assumes (backslash escapes in strings) and what render writes
 * (UTC times), and --lock-timeout for waits on table and row locks, in
 * whole seconds, at least 1.  Then the configured schema, when it exists
 * (HISTORY_CREATE makes it and moves there when it does not).
 */
static int set_up_session(godwit_conn *c, const godwit_target *t,
                          godwit_berror *err)
{
    double wait = ceil(t->lock_timeout < 1 ? 1 : t->lock_timeout);
    char sql[640];
    my_sql w = {sql, sizeof(sql), 0};
    MYSQL_RES *res;
    MYSQL_ROW row;
    int rc;

    snprintf(sql, sizeof(sql),
             "SET SESSION sql_mode = REPLACE(@@sql_mode, "
             "'NO_BACKSLASH_ESCAPES', ''), time_zone = '+00:00', "
             "group_concat_max_len = 1048576, lock_wait_timeout = %.0f, "
             "innodb_lock_wait_timeout = %.0f",
             wait > 31536000 ? 31536000 : wait,
             wait > 1073741824 ? 1073741824 : wait);
    if ((rc = my_exec(c, sql, strlen(sql), err)) < 0)
        return rc;
    c->explicit_schema = t->schema != NULL && *t->schema != '\0';
    if (c->explicit_schema) {
        w.len = 0;
        my_raw(&w, "USE ");
        my_ident(&w, t->schema);
        if (w.len >= sizeof(sql))
            return GODWIT_EUSAGE;
        if (mysql_real_query(c->my, sql, (unsigned long)w.len) != 0 &&
            mysql_errno(c->my) != MY_BAD_DB)
            return my_fail(c, -1, err);
        return (c->schema = strdup(t->schema)) ? 0 : GODWIT_ENOMEM;
    }
    if ((rc = my_query(c, "SELECT DATABASE()", &res, err)) < 0)
        return rc;
    row = res ? mysql_fetch_row(res) : NULL;
    c->schema = row && row[0] ? strdup(row[0]) : NULL;
    mysql_free_result(res);
    if (c->schema != NULL)
        return 0;
    snprintf(err->message, sizeof(err->message),
             "the URL names no database: add it, as in "
             "mysql://HOST/DATABASE, or configure a schema");
    return err->code = GODWIT_EUSAGE;
}

/* The GET_LOCK name: "godwit:SCHEMA.TABLE", which a DBA can read (lock
 * names are server-wide), or, when that is longer than the 64 characters
 * a name may have, "godwit:" and the FNV-1a hash of it.  Pinned: every
 * godwit version must use the same name. */
static void lock_name(godwit_conn *c)
{
    unsigned long long h = 0xcbf29ce484222325ULL;
    const char *parts[4] = {"godwit:", c->schema, ".", c->table};
    int i, n = snprintf(c->lock_name, sizeof(c->lock_name), "godwit:%s.%s",
                        c->schema, c->table);

    if (n >= 0 && n <= 64)
        return;
    for (i = 0; i < 4; i++)
        for (const unsigned char *p = (const unsigned char *)parts[i];
             *p != '\0'; p++)
            h = (h ^ *p) * 0x100000001b3ULL;
    snprintf(c->lock_name, sizeof(c->lock_name), "godwit:%016llx", h);
}

static int my_connect(godwit_conn **out, const godwit_target *t,
                      godwit_berror *err)
{
    godwit_conn *c = calloc(1, sizeof(*c));
    int rc;

    *out = NULL;
    if (c == NULL || (c->table = strdup(t->table)) == NULL) {
        my_disconnect(c);
        return GODWIT_ENOMEM;
    }
    c->lock_timeout = t->lock_timeout;
    if ((rc = my_where_parse(&c->where, t->url, err)) < 0 ||
        (c->my = open_my(&c->where, 1, err)) == NULL ||
        (rc = set_up_session(c, t, err)) < 0) {
        my_disconnect(c);
        return rc < 0 ? rc : err->code ? err->code : GODWIT_ENOMEM;
    }
    c->id = mysql_thread_id(c->my);
    lock_name(c);
    *out = c;
    return 0;
}

/* KILL QUERY from a second connection: the statement c runs, a wait for
 * a lock included, fails with error 1317 (query interrupted). */
static void my_cancel(godwit_conn *c)
{
    godwit_berror ignored;
    char sql[48];
    MYSQL *killer;

    memset(&ignored, 0, sizeof(ignored));
    if ((killer = open_my(&c->where, 0, &ignored)) == NULL)
        return;
    snprintf(sql, sizeof(sql), "KILL QUERY %lu", c->id);
    mysql_real_query(killer, sql, (unsigned long)strlen(sql));
    mysql_close(killer);
}

static int my_select(godwit_conn *c, const char *sql, godwit_row_fn fn,
                     void *ctx, godwit_berror *err)
{
    MYSQL_RES *res;
    MYSQL_ROW r;
    int rc, n;

    if ((rc = my_query(c, sql, &res, err)) < 0 || res == NULL)
        return rc;
    n = (int)mysql_num_fields(res);
    while (rc == 0 && (r = mysql_fetch_row(res)) != NULL)
        rc = fn(ctx, n, (const char *const *)r);
    mysql_free_result(res);
    return rc;
}

static int my_ping(godwit_conn *c, godwit_berror *err)
{
    return mysql_ping(c->my) == 0 ? 0 : my_fail(c, -1, err);
}

static const godwit_backend backend = {
    GODWIT_BACKEND_INIT,
    .name = "mysql",
    .schemes = schemes,
    .caps = GODWIT_CAP_SESSION_LOCK | GODWIT_CAP_SCRATCH_SCHEMA,
    .connect = my_connect,
    .disconnect = my_disconnect,
    .exec = my_exec,
    .render = my_render,
    .history_read = my_history_read,
    .history_has = my_history_has,
    .lock = my_lock,
    .unlock = my_unlock,
    .ping = my_ping,
    .snapshot = my_snapshot,
    .lock_holder = my_lock_holder,
    .cancel = my_cancel,
    .query = my_select,
    .dialect = GODWIT_DIALECT_BACKSLASH | GODWIT_DIALECT_HASH_COMMENT |
               GODWIT_DIALECT_NO_DOLLAR | GODWIT_DIALECT_CLIENT_DELIMITER,
};

const godwit_backend *godwit_backend_mysql(unsigned host_abi);

const godwit_backend *godwit_backend_mysql(unsigned host_abi)
{
    return host_abi == GODWIT_BACKEND_ABI ? &backend : NULL;
}
