-- Tables (plain and partitioned) of the tenant schemas. $1: JSON array of schema names.
-- inherits: the INHERITS parents of a table that is not a partition, as a JSON array of
-- [schema, name] in inhseqno order; NULL when none. storage_parameters: reloptions as a JSON
-- array ("fillfactor=70"), NULL when none; access_method: NULL for heap (and for partitioned
-- tables, which have none); cluster_index: the index CLUSTER ON names, NULL when none.
-- estimated_bytes (what the scheduler sorts by, biggest first, and progress counts): the pages
-- of the table and its TOAST table as of the last VACUUM, ANALYZE or CREATE INDEX, or, when
-- the statistics collector counts more live rows than those pages hold (a table loaded since,
-- or never analyzed), those rows at 28 bytes of tuple header plus 16 per column.
-- Set-based and lock-free: every value comes from the catalogs or the statistics collector,
-- no relation is opened (pg_table_size would lock every table and read its files), and no
-- subquery runs per table, so the cost stays linear at tens of thousands of tables.
WITH tenant AS (
  SELECT n.oid, n.nspname FROM pg_catalog.pg_namespace n
   WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
), parents AS (
  SELECT h.inhrelid,
         pg_catalog.json_agg(pg_catalog.json_build_array(hn.nspname, hc.relname)
                             ORDER BY h.inhseqno) AS inherits
    FROM pg_catalog.pg_inherits h
    JOIN pg_catalog.pg_class hc ON hc.oid = h.inhparent
    JOIN pg_catalog.pg_namespace hn ON hn.oid = hc.relnamespace
   GROUP BY h.inhrelid
)
SELECT c.oid, n.nspname AS schema, c.relname AS name,
       pg_catalog.pg_get_userbyid(c.relowner) AS owner,
       ds.description AS comment,
       c.relpersistence = 'u' AS unlogged,
       c.relrowsecurity AS row_security, c.relforcerowsecurity AS force_row_security,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
       pn.nspname AS parent_schema, pc.relname AS parent_name,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END
         AS partition_bound,
       CASE WHEN NOT c.relispartition THEN p.inherits END AS inherits,
       pg_catalog.array_to_json(c.reloptions) AS storage_parameters,
       CASE WHEN am.amname <> 'heap' THEN am.amname END AS access_method,
       ci.relname AS cluster_index,
       GREATEST(c.reltuples, 0)::bigint AS estimated_rows,
       CASE WHEN c.relkind = 'r' THEN
         GREATEST((c.relpages::bigint + COALESCE(tc.relpages, 0))
                    * pg_catalog.current_setting('block_size')::bigint,
                  pg_catalog.pg_stat_get_live_tuples(c.oid) * (28 + 16 * c.relnatts))
       ELSE 0 END AS estimated_bytes
  FROM pg_catalog.pg_class c
  JOIN tenant n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
  LEFT JOIN pg_catalog.pg_class tc ON tc.oid = c.reltoastrelid
  LEFT JOIN pg_catalog.pg_description ds
         ON ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND ds.objsubid = 0
  LEFT JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
  LEFT JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
  LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
  LEFT JOIN parents p ON p.inhrelid = c.oid
  -- At most one index of a table is marked for CLUSTER.
  LEFT JOIN pg_catalog.pg_index x ON x.indrelid = c.oid AND x.indisclustered
  LEFT JOIN pg_catalog.pg_class ci ON ci.oid = x.indexrelid
 WHERE c.relkind IN ('r', 'p')
 ORDER BY n.nspname, c.relname;
