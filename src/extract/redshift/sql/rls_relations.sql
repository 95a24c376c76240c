-- Relations with row-level security turned on (ALTER TABLE ... ROW LEVEL SECURITY ON).
-- Superusers and sys:secadmin see every row.
-- https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_RLS_RELATION.html
SELECT r.relschema AS schema,
       r.relname AS name,
       r.is_rls_on AS rls_on
  FROM svv_rls_relation r
 WHERE r.datname = current_database()
 ORDER BY 1, 2;
