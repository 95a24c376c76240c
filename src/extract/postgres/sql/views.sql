-- Views and materialized views of the tenant schemas (extension members excluded).
-- $1: JSON array of schema names.
-- definition: pg_get_viewdef() in its default (not pretty) form, which the documentation
-- recommends for dumps, without its trailing semicolon. options: reloptions as a JSON array of
-- [name, value] pairs (check_option included). columns: a JSON array of {name, comment,
-- default} for every column, in attnum order (comment and default null when absent).
SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind,
       pg_catalog.pg_get_userbyid(c.relowner) AS owner,
       pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
       pg_catalog.regexp_replace(pg_catalog.pg_get_viewdef(c.oid), ';\s*$', '') AS definition,
       c.relispopulated AS populated,
       (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(o.option_name, o.option_value))
          FROM pg_catalog.pg_options_to_table(c.reloptions) o) AS options,
       (SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
                 'name', a.attname,
                 'comment', pg_catalog.col_description(a.attrelid, a.attnum),
                 'default', pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)) ORDER BY a.attnum)
          FROM pg_catalog.pg_attribute a
          LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND c.relkind IN ('v', 'm')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND e.objid = c.oid AND e.deptype = 'e')
 ORDER BY n.nspname, c.relname;
