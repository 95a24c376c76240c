-- Columns of the tenant's foreign tables, in attnum order, in the shape of columns.sql (a
-- foreign table has no identity column). $1: JSON array of schema names. foreign_options:
-- attfdwoptions as a JSON array ("column_name=remote_c"), NULL when none.
SELECT a.attrelid AS table_oid, a.attname AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END
         AS default_expr,
       CASE WHEN a.attgenerated = 's' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END
         AS generated_expr,
       '' AS identity,
       NOT a.attislocal AS inherited,
       EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h
                 JOIN pg_catalog.pg_attribute pa
                   ON pa.attrelid = h.inhparent AND pa.attname = a.attname
                 LEFT JOIN pg_catalog.pg_attrdef pad
                   ON pad.adrelid = pa.attrelid AND pad.adnum = pa.attnum
                WHERE h.inhrelid = a.attrelid
                  AND pg_catalog.pg_get_expr(pad.adbin, pad.adrelid)
                      IS NOT DISTINCT FROM pg_catalog.pg_get_expr(ad.adbin, ad.adrelid))
         AS parent_default,
       EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h
                 JOIN pg_catalog.pg_attribute pa
                   ON pa.attrelid = h.inhparent AND pa.attname = a.attname
                WHERE h.inhrelid = a.attrelid AND pa.attnotnull) AS parent_not_null,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
       END AS collation,
       pg_catalog.col_description(a.attrelid, a.attnum) AS comment,
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage END AS storage,
       NULLIF(a.attcompression, '') AS compression,
       CASE WHEN a.attstattarget >= 0 THEN a.attstattarget END AS statistics,
       (SELECT pg_catalog.json_agg(o) FROM pg_catalog.unnest(a.attoptions) o
         WHERE o LIKE 'n\_distinct%') AS options,
       true AS binary_safe,
       pg_catalog.array_to_json(a.attfdwoptions) AS foreign_options
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND c.relkind = 'f'
   AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum;
