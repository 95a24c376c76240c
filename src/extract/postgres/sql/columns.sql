-- Columns of the tenant's tables, in attnum order. $1: JSON array of schema names.
-- binary_safe: COPY BINARY carries the column between servers of one major version (its
-- wire format holds no object ids that differ between servers).
-- inherited: the column comes from a parent (INHERITS or PARTITION OF) and is not declared on
-- the table itself; parent_default: a parent's column has the same default (or both none);
-- parent_not_null: a parent's column is NOT NULL too. storage: attstorage when it differs from
-- the type's; compression, statistics: NULL for the defaults; options: the attoptions ALTER
-- COLUMN ... SET takes (n_distinct, n_distinct_inherited; a server may keep others of its own)
-- as a JSON array, NULL when none.
-- Set-based: comments and the parents' columns come from joins (col_description and a
-- correlated subquery per column would run a query per row). The only per-row query reads the
-- state of an identity column's sequence, which no catalog holds.
WITH tenant AS (
  SELECT n.oid FROM pg_catalog.pg_namespace n
   WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
), inherited AS (
  -- Per column of a tenant table that has parents: whether a parent's column of that name has
  -- the same default (or both none), and whether one is NOT NULL.
  SELECT ca.attrelid, ca.attnum,
         pg_catalog.bool_or(pg_catalog.pg_get_expr(pad.adbin, pad.adrelid)
                            IS NOT DISTINCT FROM pg_catalog.pg_get_expr(cad.adbin, cad.adrelid))
           AS same_default,
         pg_catalog.bool_or(pa.attnotnull) AS not_null
    FROM pg_catalog.pg_inherits h
    JOIN pg_catalog.pg_class hc ON hc.oid = h.inhrelid
    JOIN pg_catalog.pg_attribute ca
      ON ca.attrelid = h.inhrelid AND ca.attnum > 0 AND NOT ca.attisdropped
    JOIN pg_catalog.pg_attribute pa ON pa.attrelid = h.inhparent AND pa.attname = ca.attname
    LEFT JOIN pg_catalog.pg_attrdef pad ON pad.adrelid = pa.attrelid AND pad.adnum = pa.attnum
    LEFT JOIN pg_catalog.pg_attrdef cad ON cad.adrelid = ca.attrelid AND cad.adnum = ca.attnum
   WHERE hc.relnamespace IN (SELECT oid FROM tenant)
   GROUP BY ca.attrelid, ca.attnum
)
SELECT a.attrelid AS table_oid, a.attname AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END
         AS default_expr,
       CASE WHEN a.attgenerated = 's' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END
         AS generated_expr,
       a.attidentity AS identity,
       NOT a.attislocal AS inherited,
       COALESCE(ih.same_default, false) AS parent_default,
       COALESCE(ih.not_null, false) AS parent_not_null,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
       END AS collation,
       ds.description AS comment,
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage END AS storage,
       NULLIF(a.attcompression, '') AS compression,
       CASE WHEN a.attstattarget >= 0 THEN a.attstattarget END AS statistics,
       CASE WHEN a.attoptions IS NOT NULL THEN
         (SELECT pg_catalog.json_agg(o) FROM pg_catalog.unnest(a.attoptions) o
           WHERE o LIKE 'n\_distinct%') END AS options,
       (t.oid < 16384 OR (t.typtype = 'e') OR (t.typtype = 'd' AND t.typbasetype < 16384))
         AS binary_safe,
       sc.relname AS identity_sequence,
       pg_catalog.format_type(s.seqtypid, NULL) AS seqtype, s.seqstart, s.seqincrement,
       s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       (pg_catalog.xpath('/row/last_value/text()', sx.x))[1]::text AS seq_last_value,
       (pg_catalog.xpath('/row/is_called/text()', sx.x))[1]::text AS seq_is_called
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
  LEFT JOIN pg_catalog.pg_description ds
         ON ds.objoid = a.attrelid AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND ds.objsubid = a.attnum
  LEFT JOIN inherited ih ON ih.attrelid = a.attrelid AND ih.attnum = a.attnum
  LEFT JOIN pg_catalog.pg_depend d ON a.attidentity <> ''
        AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND d.refobjid = a.attrelid AND d.refobjsubid = a.attnum AND d.deptype = 'i'
        AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
  LEFT JOIN pg_catalog.pg_class sc ON sc.oid = d.objid
  LEFT JOIN pg_catalog.pg_sequence s ON s.seqrelid = sc.oid
  LEFT JOIN pg_catalog.pg_namespace sn ON sn.oid = sc.relnamespace
  -- The identity sequence's state, read as in sequences.sql.
  LEFT JOIN LATERAL (SELECT pg_catalog.query_to_xml(pg_catalog.format(
        'SELECT last_value, is_called FROM %I.%I', sn.nspname, sc.relname), false, true, '') AS x
      WHERE sc.oid IS NOT NULL) sx ON true
 WHERE c.relnamespace IN (SELECT oid FROM tenant)
   AND c.relkind IN ('r', 'p')
   AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum;
