-- Tables (plain and partitioned) of the tenant schemas. $1: JSON array of schema names.
-- inherits: the INHERITS parents of a table that is not a partition, as a JSON array of
-- [schema, name] in inhseqno order; NULL when none. storage_parameters: reloptions as a JSON
-- array ("fillfactor=70"), NULL when none; access_method: NULL for heap (and for partitioned
-- tables, which have none); cluster_index: the index CLUSTER ON names, NULL when none.
SELECT c.oid, n.nspname AS schema, c.relname AS name,
       pg_catalog.pg_get_userbyid(c.relowner) AS owner,
       pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
       c.relpersistence = 'u' AS unlogged,
       c.relrowsecurity AS row_security, c.relforcerowsecurity AS force_row_security,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
       pn.nspname AS parent_schema, pc.relname AS parent_name,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END
         AS partition_bound,
       CASE WHEN NOT c.relispartition THEN
         (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(hn.nspname, hc.relname)
                                     ORDER BY h.inhseqno)
            FROM pg_catalog.pg_inherits h
            JOIN pg_catalog.pg_class hc ON hc.oid = h.inhparent
            JOIN pg_catalog.pg_namespace hn ON hn.oid = hc.relnamespace
           WHERE h.inhrelid = c.oid) END AS inherits,
       pg_catalog.array_to_json(c.reloptions) AS storage_parameters,
       CASE WHEN am.amname <> 'heap' THEN am.amname END AS access_method,
       (SELECT ic.relname FROM pg_catalog.pg_index i
          JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
         WHERE i.indrelid = c.oid AND i.indisclustered) AS cluster_index,
       GREATEST(c.reltuples, 0)::bigint AS estimated_rows,
       CASE WHEN c.relkind = 'r' THEN pg_catalog.pg_table_size(c.oid) ELSE 0 END
         AS estimated_bytes
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
  LEFT JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
  LEFT JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
  LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND c.relkind IN ('r', 'p')
 ORDER BY n.nspname, c.relname;
