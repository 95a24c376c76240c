-- Standalone sequences of the tenant schemas (identity sequences come with their column).
-- $1: JSON array of schema names.
SELECT n.nspname AS schema, c.relname AS name,
       pg_catalog.pg_get_userbyid(c.relowner) AS owner,
       pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
       pg_catalog.format_type(s.seqtypid, NULL) AS seqtype, s.seqstart, s.seqincrement,
       s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
       (pg_catalog.xpath('/row/last_value/text()', sx.x))[1]::text AS last_value,
       (pg_catalog.xpath('/row/is_called/text()', sx.x))[1]::text AS is_called,
       tn.nspname AS owned_by_schema, tc.relname AS owned_by_table, ta.attname AS owned_by_column
  FROM pg_catalog.pg_sequence s
  JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  -- last_value and is_called live in the sequence relation itself (pg_sequences hides
  -- last_value when is_called is false); query_to_xml reads them without one query per sequence.
  CROSS JOIN LATERAL (SELECT pg_catalog.query_to_xml(pg_catalog.format(
        'SELECT last_value, is_called FROM %I.%I', n.nspname, c.relname), false, true, '') AS x) sx
  LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND d.deptype IN ('a', 'i')
  LEFT JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
  LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
  LEFT JOIN pg_catalog.pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND (d.deptype IS NULL OR d.deptype = 'a')
 ORDER BY n.nspname, c.relname;
