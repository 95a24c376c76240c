-- Triggers on the tenant's tables and views, except internal ones (foreign keys) and the clones
-- a partitioned table's trigger puts on its partitions, unless a clone's enabled state differs
-- from its parent trigger's (clone true: only that state is to move). $1: JSON array of schema
-- names.
-- definition: pg_get_triggerdef(), "CREATE [CONSTRAINT] TRIGGER ... EXECUTE FUNCTION ...".
-- enabled: tgenabled, 'O' enabled, 'D' disabled, 'R' replica only, 'A' always.
SELECT t.oid, n.nspname AS schema, c.relname AS relation, t.tgname AS name,
       pg_catalog.pg_get_triggerdef(t.oid) AS definition,
       t.tgenabled AS enabled,
       pg_catalog.obj_description(t.oid, 'pg_trigger') AS comment,
       t.tgparentid <> 0 AS clone
  FROM pg_catalog.pg_trigger t
  JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_trigger pt ON pt.oid = t.tgparentid
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND NOT t.tgisinternal
   AND (t.tgparentid = 0 OR t.tgenabled <> pt.tgenabled)
 ORDER BY n.nspname, c.relname, t.tgname;
