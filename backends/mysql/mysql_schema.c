/*
 * mysql_schema.c - the schema of the session's database as lines, for
 * godwit dump and verify: one query over information_schema, one fact
 * per row.  Names the server makes up (an unnamed foreign key's
 * t_ibfk_1, an unnamed CHECK's) are left out, and a view's or routine's
 * text loses the database's name, so that the same schema built in
 * verify's scratch database gives the same lines.
 */
#include <stdio.h>
#include <string.h>

#include "mysql-int.h"

#define HERE "TABLE_SCHEMA = DATABASE()"

static const char snapshot_sql[] =
    "SELECT CONCAT('table ', TABLE_NAME, ' engine ', COALESCE(ENGINE, ''))"
    " FROM information_schema.TABLES WHERE " HERE " AND TABLE_TYPE = "
    "'BASE TABLE' AND TABLE_NAME <> @godwit_history "
    "UNION ALL SELECT CONCAT('table ', TABLE_NAME, ' column ', COLUMN_NAME, "
    "' ', COLUMN_TYPE, IF(IS_NULLABLE = 'NO', ' not null', ''), "
    "COALESCE(CONCAT(' default ', COLUMN_DEFAULT), ''), "
    "IF(EXTRA = '', '', CONCAT(' ', EXTRA)), "
    "COALESCE(CONCAT(' collate ', COLLATION_NAME), ''))"
    " FROM information_schema.COLUMNS WHERE " HERE " AND TABLE_NAME <> "
    "@godwit_history "
    "UNION ALL SELECT CONCAT('table ', TABLE_NAME, ' column order: ', "
    "GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION SEPARATOR ', ')) "
    "FROM information_schema.COLUMNS WHERE " HERE " AND TABLE_NAME <> "
    "@godwit_history GROUP BY TABLE_NAME "
    "UNION ALL SELECT CONCAT('index ', INDEX_NAME, ' on ', TABLE_NAME, "
    "IF(NON_UNIQUE = 0, ' unique', ''), ' ', INDEX_TYPE, ' (', "
    "GROUP_CONCAT(COLUMN_NAME, COALESCE(CONCAT('(', SUB_PART, ')'), '') "
    "ORDER BY SEQ_IN_INDEX), ')') FROM information_schema.STATISTICS "
    "WHERE " HERE " AND TABLE_NAME <> @godwit_history "
    "GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE, INDEX_TYPE "
    "UNION ALL SELECT CONCAT('table ', k.TABLE_NAME, ' foreign key (', "
    "GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.ORDINAL_POSITION), ') references ',"
    " k.REFERENCED_TABLE_NAME, ' (', GROUP_CONCAT(k.REFERENCED_COLUMN_NAME "
    "ORDER BY k.ORDINAL_POSITION), ') on update ', r.UPDATE_RULE, "
    "' on delete ', r.DELETE_RULE) FROM information_schema.KEY_COLUMN_USAGE k"
    " JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON "
    "r.CONSTRAINT_SCHEMA = k.TABLE_SCHEMA AND r.CONSTRAINT_NAME = "
    "k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME WHERE k." HERE
    " GROUP BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.REFERENCED_TABLE_NAME, "
    "r.UPDATE_RULE, r.DELETE_RULE "
    "UNION ALL SELECT CONCAT('table ', TABLE_NAME, ' check ', CHECK_CLAUSE) "
    "FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = "
    "DATABASE() "
    "UNION ALL SELECT CONCAT('view ', TABLE_NAME, ' ', REPLACE("
    "VIEW_DEFINITION, CONCAT('`', DATABASE(), '`.'), '')) FROM "
    "information_schema.VIEWS WHERE " HERE " "
    "UNION ALL SELECT CONCAT('trigger ', TRIGGER_NAME, ' on ', "
    "EVENT_OBJECT_TABLE, ' ', ACTION_TIMING, ' ', EVENT_MANIPULATION, ' ', "
    "REPLACE(ACTION_STATEMENT, CONCAT('`', DATABASE(), '`.'), '')) FROM "
    "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() "
    "UNION ALL SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME, ' ', "
    "COALESCE(DTD_IDENTIFIER, ''), ' ', REPLACE(ROUTINE_DEFINITION, "
    "CONCAT('`', DATABASE(), '`.'), '')) FROM information_schema.ROUTINES "
    "WHERE ROUTINE_SCHEMA = DATABASE()";

/* A line holds no newline: the text of bodies is joined with spaces. */
static int emit(godwit_line_fn fn, void *ctx, char *line)
{
    char *p;

    for (p = line; *p != '\0'; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return fn(ctx, line);
}

int my_snapshot(godwit_conn *c, godwit_line_fn fn, void *ctx,
                godwit_berror *err)
{
    char set[320];
    my_sql w = {set, sizeof(set), 0};
    MYSQL_RES *res;
    MYSQL_ROW r;
    int rc;

    my_raw(&w, "SET @godwit_history = ");
    my_string(&w, c->table);
    if (w.len >= sizeof(set))
        return GODWIT_EUSAGE;
    if ((rc = my_query(c, set, &res, err)) < 0 ||
        (rc = my_query(c, snapshot_sql, &res, err)) < 0)
        return rc;
    while (rc == 0 && res != NULL && (r = mysql_fetch_row(res)) != NULL)
        if (r[0] != NULL)
            rc = emit(fn, ctx, r[0]);
    mysql_free_result(res);
    return rc;
}
