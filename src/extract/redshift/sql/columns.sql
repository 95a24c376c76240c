-- Columns of tables and views (views for their comments) outside the system schemas.
-- attsortkeyord: > 0 compound position, < 0 interleaved position, 0 not in the sort key.
-- encoding: 'none' means RAW. default_expr holds "identity"(...) for IDENTITY columns.
SELECT a.attrelid AS relation_oid,
       a.attnum AS position,
       a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       format_encoding(a.attencodingtype::integer) AS encoding,
       a.attisdistkey AS distkey,
       a.attsortkeyord AS sortkey_position,
       a.attnotnull AS not_null,
       ad.adsrc AS default_expr,
       d.description AS comment
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_description d ON d.objoid = a.attrelid AND d.objsubid = a.attnum
   AND d.classoid = (SELECT k.oid FROM pg_class k JOIN pg_namespace kn ON kn.oid = k.relnamespace
                     WHERE kn.nspname = 'pg_catalog' AND k.relname = 'pg_class')
 WHERE a.attnum > 0
   AND NOT a.attisdropped
   AND c.relkind IN ('r', 'v')
   AND substring(n.nspname, 1, 3) <> 'pg_'
   AND n.nspname NOT IN ('information_schema', 'catalog_history')
 ORDER BY a.attrelid, a.attnum;
