-- Properties of the tenant's materialized views that pg_dump sets besides their query and
-- storage parameters (views.sql): the access method (NULL for heap), the index CLUSTER ON names
-- (NULL when none), and the columns' STORAGE, COMPRESSION, STATISTICS and attribute options as
-- columns.sql reads them for tables, as a JSON array of {name, storage, compression,
-- statistics, options} for the columns that have any (NULL when none).
-- $1: JSON array of schema names. One row per materialized view that has any of these.
SELECT x.view_oid, x.access_method, x.cluster_index, x.columns
  FROM (
    SELECT c.oid AS view_oid,
           CASE WHEN am.amname <> 'heap' THEN am.amname END AS access_method,
           (SELECT ic.relname FROM pg_catalog.pg_index i
              JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
             WHERE i.indrelid = c.oid AND i.indisclustered) AS cluster_index,
           (SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
                     'name', p.attname, 'storage', p.storage, 'compression', p.compression,
                     'statistics', p.statistics, 'options', p.options) ORDER BY p.attnum)
              FROM (SELECT a.attnum, a.attname,
                           CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text
                           END AS storage,
                           NULLIF(a.attcompression, '')::text AS compression,
                           CASE WHEN a.attstattarget >= 0 THEN a.attstattarget END AS statistics,
                           (SELECT pg_catalog.json_agg(o) FROM pg_catalog.unnest(a.attoptions) o
                             WHERE o LIKE 'n\_distinct%') AS options
                      FROM pg_catalog.pg_attribute a
                      JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) p
             WHERE p.storage IS NOT NULL OR p.compression IS NOT NULL
                OR p.statistics IS NOT NULL OR p.options IS NOT NULL) AS columns
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
     WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
       AND c.relkind = 'm'
  ) x
 WHERE x.access_method IS NOT NULL OR x.cluster_index IS NOT NULL OR x.columns IS NOT NULL
 ORDER BY x.view_oid;
