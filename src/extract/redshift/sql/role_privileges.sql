-- Privileges held by RBAC roles, which ACL arrays do not show: one row per privilege, from the
-- SVV privilege views (identity_type = 'role'). The grantor is not recorded there. Scoped
-- permissions (privilege_scope TABLES, FUNCTIONS, ...) are scoped_privileges.sql's: they are
-- no privileges on the schema or database itself (r_SVV_SCHEMA_PRIVILEGES.html).
SELECT 'schema' AS kind, s.namespace_name AS schema, '' AS name, '' AS arguments,
       '' AS column_name, s.privilege_type AS privilege, s.identity_name AS grantee,
       s.admin_option AS grantable
  FROM svv_schema_privileges s
 WHERE s.identity_type = 'role' AND upper(coalesce(s.privilege_scope, 'SCHEMA')) = 'SCHEMA'
UNION ALL
SELECT 'relation', r.namespace_name, r.relation_name, '', '', r.privilege_type,
       r.identity_name, r.admin_option
  FROM svv_relation_privileges r
 WHERE r.identity_type = 'role'
UNION ALL
SELECT 'column', c.namespace_name, c.relation_name, '', c.column_name, c.privilege_type,
       c.identity_name, false
  FROM svv_column_privileges c
 WHERE c.identity_type = 'role'
UNION ALL
SELECT 'routine', f.namespace_name, f.function_name, f.argument_types, '', f.privilege_type,
       f.identity_name, f.admin_option
  FROM svv_function_privileges f
 WHERE f.identity_type = 'role'
UNION ALL
SELECT 'database', d.database_name, '', '', '', d.privilege_type, d.identity_name,
       d.admin_option
  FROM svv_database_privileges d
 WHERE d.identity_type = 'role' AND d.database_name = current_database()
   AND upper(coalesce(d.privilege_scope, 'DATABASE')) = 'DATABASE'
 ORDER BY 1, 2, 3, 4, 5, 6, 7;
