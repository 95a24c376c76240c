-- Preflight on the target: which of the source's external objects (external_objects.sql) this
-- server lacks. $1: JSON array of {"kind", "schema", "name", "used_by"}. Returns those rows that
-- have no object of that kind and name here (a collation must also suit the database's
-- encoding, as CREATE TABLE requires).
SELECT x.kind, x.schema, x.name, x.used_by
  FROM pg_catalog.json_to_recordset($1::json) AS x(kind text, schema text, name text, used_by text)
 WHERE NOT CASE x.kind
   WHEN 'type' THEN EXISTS (
     SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = x.schema AND t.typname = x.name)
   WHEN 'collation' THEN EXISTS (
     SELECT 1 FROM pg_catalog.pg_collation co
       JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
      WHERE n.nspname = x.schema AND co.collname = x.name
        AND co.collencoding IN (-1, pg_catalog.pg_char_to_encoding(
                                      pg_catalog.getdatabaseencoding())))
   WHEN 'access method' THEN EXISTS (SELECT 1 FROM pg_catalog.pg_am WHERE amname = x.name)
   WHEN 'foreign server' THEN EXISTS (
     SELECT 1 FROM pg_catalog.pg_foreign_server WHERE srvname = x.name)
   ELSE false END
 ORDER BY 1, 2, 3;
