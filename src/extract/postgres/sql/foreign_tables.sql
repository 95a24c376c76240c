-- Foreign tables of the tenant schemas (CREATE FOREIGN TABLE), in the shape of tables.sql.
-- $1: JSON array of schema names. server: the foreign server; options: ftoptions as a JSON
-- array ("table_name=remote_t"), NULL when none; inherits and the partition columns as in
-- tables.sql.
SELECT c.oid, n.nspname AS schema, c.relname AS name,
       pg_catalog.pg_get_userbyid(c.relowner) AS owner,
       pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
       s.srvname AS server,
       pg_catalog.array_to_json(ft.ftoptions) AS options,
       pn.nspname AS parent_schema, pc.relname AS parent_name,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END
         AS partition_bound,
       CASE WHEN NOT c.relispartition THEN
         (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(hn.nspname, hc.relname)
                                     ORDER BY h.inhseqno)
            FROM pg_catalog.pg_inherits h
            JOIN pg_catalog.pg_class hc ON hc.oid = h.inhparent
            JOIN pg_catalog.pg_namespace hn ON hn.oid = hc.relnamespace
           WHERE h.inhrelid = c.oid) END AS inherits
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_foreign_table ft ON ft.ftrelid = c.oid
  JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver
  LEFT JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
  LEFT JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
  LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND c.relkind = 'f'
 ORDER BY n.nspname, c.relname;
