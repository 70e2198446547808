/*
 * postgres_schema.c - the PostgreSQL schema as canonical lines, from the
 * catalogs of the history's schema, with the server's own pg_get_*def
 * functions for exact definitions.  No OIDs or creation order leak in.
 */
#include <stdlib.h>
#include <string.h>

#include "postgres-int.h"
#include "sqlwriter.h"

/* $1: the schema, $2: the history table (left out).  The schema's name is
 * taken out of the definitions the server qualifies with it (indexes,
 * triggers, functions), so that the same objects in another schema - a
 * scratch one, for diff - give the same lines. */
static const char snapshot_sql[] =
    "WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = $1), "
    "rel AS (SELECT c.* FROM pg_class c JOIN ns ON c.relnamespace = ns.oid "
    "WHERE c.relname <> $2) "
    "SELECT replace(line, quote_ident($1) || '.', '') FROM ("
    " SELECT 'table ' || quote_ident(relname) AS line FROM rel"
    "  WHERE relkind IN ('r', 'p')"
    " UNION ALL SELECT 'table ' || quote_ident(r.relname) || ' column ' ||"
    "  quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) "
    "  || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END ||"
    "  coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')"
    "  FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid"
    "  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = "
    "  a.attnum WHERE r.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT "
    "  a.attisdropped"
    " UNION ALL SELECT 'table ' || quote_ident(r.relname) || ' column "
    "order: ' || string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)"
    "  FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid"
    "  WHERE r.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
    "  GROUP BY r.relname"
    " UNION ALL SELECT 'table ' || quote_ident(r.relname) || ' constraint ' "
    "  || quote_ident(k.conname) || ': ' || pg_get_constraintdef(k.oid)"
    "  FROM rel r JOIN pg_constraint k ON k.conrelid = r.oid"
    " UNION ALL SELECT 'index ' || quote_ident(i.relname) || ' on ' ||"
    "  quote_ident(r.relname) || ': ' || pg_get_indexdef(x.indexrelid)"
    "  FROM rel r JOIN pg_index x ON x.indrelid = r.oid JOIN pg_class i ON"
    "  i.oid = x.indexrelid"
    " UNION ALL SELECT 'view ' || quote_ident(relname) || ': ' ||"
    "  btrim(regexp_replace(pg_get_viewdef(oid), '\\s+', ' ', 'g')) FROM rel"
    "  WHERE relkind IN ('v', 'm')"
    " UNION ALL SELECT 'trigger ' || quote_ident(t.tgname) || ' on ' ||"
    "  quote_ident(r.relname) || ': ' || pg_get_triggerdef(t.oid)"
    "  FROM rel r JOIN pg_trigger t ON t.tgrelid = r.oid WHERE NOT "
    "  t.tgisinternal"
    " UNION ALL SELECT 'sequence ' || quote_ident(r.relname) || ': ' ||"
    "  format_type(s.seqtypid, NULL) || ' start ' || s.seqstart ||"
    "  ' increment ' || s.seqincrement FROM rel r JOIN pg_sequence s ON"
    "  s.seqrelid = r.oid"
    " UNION ALL SELECT 'type ' || quote_ident(t.typname) || ' enum (' ||"
    "  string_agg(quote_literal(e.enumlabel), ', ' ORDER BY"
    "  e.enumsortorder) || ')' FROM pg_type t JOIN ns ON t.typnamespace ="
    "  ns.oid JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname"
    " UNION ALL SELECT 'function ' || p.oid::regprocedure::text || ': ' ||"
    "  btrim(regexp_replace(pg_get_functiondef(p.oid), '\\s+', ' ', 'g'))"
    "  FROM pg_proc p JOIN ns ON p.pronamespace = ns.oid WHERE p.prokind"
    "  IN ('f', 'p')"
    ") s ORDER BY 1";

/* A function's definition is its text as written: in canonical spacing,
 * so that a body that differs only in blanks gives the same line (the
 * server normalises views itself). */
static int line(godwit_line_fn fn, void *ctx, const char *text)
{
    const char *def = strstr(text, "): ");
    size_t head, n = strlen(text) + 1;
    char *canonical;
    int rc;

    if (strncmp(text, "function ", 9) != 0 || def == NULL ||
        (canonical = malloc(n)) == NULL)
        return fn(ctx, text);
    head = (size_t)(def + 3 - text); /* "function f(args): " */
    memcpy(canonical, text, head);
    sqlw_canonical(text + head, canonical + head, n - head);
    rc = fn(ctx, canonical);
    free(canonical);
    return rc;
}

int pg_snapshot(godwit_conn *c, godwit_line_fn fn, void *ctx,
                godwit_berror *err)
{
    const char *params[2];
    PGresult *res;
    int rc, i;

    if ((rc = pg_ready(c, err)) < 0) /* the schema is known once set up */
        return rc;
    params[0] = c->schema;
    params[1] = c->table;
    if ((rc = pg_query(c, snapshot_sql, 2, params, &res, err)) < 0)
        return rc;
    for (i = 0; rc == 0 && i < PQntuples(res); i++)
        rc = line(fn, ctx, PQgetvalue(res, i, 0));
    PQclear(res);
    return rc;
}
