-- Scoped permissions (GRANT ... FOR TABLES | FUNCTIONS | ... IN SCHEMA s | IN DATABASE d):
-- the SVV_SCHEMA_PRIVILEGES / SVV_DATABASE_PRIVILEGES rows whose privilege_scope is not the
-- schema or database itself, to users and roles ("You can't grant scoped permissions to user
-- groups"). https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_SCHEMA_PRIVILEGES.html
-- https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_DATABASE_PRIVILEGES.html
-- https://docs.aws.amazon.com/redshift/latest/dg/t_scoped-permissions.html
SELECT 'schema' AS level, s.namespace_name AS name, upper(s.privilege_scope) AS scope,
       s.privilege_type AS privilege, s.identity_name AS grantee,
       s.identity_type AS grantee_type, s.admin_option AS grantable
  FROM svv_schema_privileges s
 WHERE upper(coalesce(s.privilege_scope, 'SCHEMA')) <> 'SCHEMA'
UNION ALL
SELECT 'database', d.database_name, upper(d.privilege_scope), d.privilege_type,
       d.identity_name, d.identity_type, d.admin_option
  FROM svv_database_privileges d
 WHERE upper(coalesce(d.privilege_scope, 'DATABASE')) <> 'DATABASE'
   AND d.database_name = current_database()
 ORDER BY 1, 2, 3, 5, 4;
