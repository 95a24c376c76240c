-- Text search dictionaries and configurations of the tenant schemas, as pg_dump dumps them
-- (dumpTSDictionary, dumpTSConfig). $1: JSON array of schema names. kind: 'dictionary' or
-- 'configuration'. source_schema/source_name: the dictionary's template or the configuration's
-- parser. options: pg_ts_dict.dictinitoption as stored ("Language = 'english'"). mappings: JSON
-- array of {token, schema, name} in the order of maptokentype, mapseqno (ts_token_type gives the
-- token's alias). Extension members are left out (the extension brings them).
WITH tenant AS (
  SELECT n.oid, n.nspname FROM pg_catalog.pg_namespace n
   WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
), member AS (
  SELECT classid, objid FROM pg_catalog.pg_depend WHERE deptype = 'e'
)
SELECT 'dictionary' AS kind, t.nspname AS schema, d.dictname AS name,
       pg_catalog.pg_get_userbyid(d.dictowner) AS owner,
       tn.nspname AS source_schema, tm.tmplname AS source_name,
       d.dictinitoption AS options, NULL::text AS mappings,
       pg_catalog.obj_description(d.oid, 'pg_ts_dict') AS comment
  FROM pg_catalog.pg_ts_dict d
  JOIN tenant t ON t.oid = d.dictnamespace
  JOIN pg_catalog.pg_ts_template tm ON tm.oid = d.dicttemplate
  JOIN pg_catalog.pg_namespace tn ON tn.oid = tm.tmplnamespace
 WHERE ('pg_catalog.pg_ts_dict'::pg_catalog.regclass, d.oid) NOT IN (SELECT * FROM member)
UNION ALL
SELECT 'configuration', t.nspname, c.cfgname, pg_catalog.pg_get_userbyid(c.cfgowner),
       pn.nspname, p.prsname, NULL,
       (SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
                 'token', tt.alias, 'schema', dn.nspname, 'name', d.dictname)
                 ORDER BY m.maptokentype, m.mapseqno)::text
          FROM pg_catalog.pg_ts_config_map m
          JOIN pg_catalog.ts_token_type(c.cfgparser) tt ON tt.tokid = m.maptokentype
          JOIN pg_catalog.pg_ts_dict d ON d.oid = m.mapdict
          JOIN pg_catalog.pg_namespace dn ON dn.oid = d.dictnamespace
         WHERE m.mapcfg = c.oid),
       pg_catalog.obj_description(c.oid, 'pg_ts_config')
  FROM pg_catalog.pg_ts_config c
  JOIN tenant t ON t.oid = c.cfgnamespace
  JOIN pg_catalog.pg_ts_parser p ON p.oid = c.cfgparser
  JOIN pg_catalog.pg_namespace pn ON pn.oid = p.prsnamespace
 WHERE ('pg_catalog.pg_ts_config'::pg_catalog.regclass, c.oid) NOT IN (SELECT * FROM member)
 ORDER BY 1 DESC, 2, 3;
