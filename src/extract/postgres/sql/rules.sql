-- Rules on the tenant's tables and views (a view's own "_RETURN" rule is the view itself).
-- $1: JSON array of schema names.
-- definition: pg_get_ruledef(), "CREATE RULE ... AS ON ... DO ...", without its semicolon.
-- enabled: ev_enabled, 'O' enabled, 'D' disabled, 'R' replica only, 'A' always.
SELECT r.oid, n.nspname AS schema, c.relname AS relation, r.rulename AS name,
       pg_catalog.regexp_replace(pg_catalog.pg_get_ruledef(r.oid), ';\s*$', '') AS definition,
       r.ev_enabled AS enabled,
       pg_catalog.obj_description(r.oid, 'pg_rewrite') AS comment
  FROM pg_catalog.pg_rewrite r
  JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND r.rulename <> '_RETURN'
 ORDER BY n.nspname, c.relname, r.rulename;
