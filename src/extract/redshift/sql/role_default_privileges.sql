-- Default privileges granted to RBAC roles (pg_default_acl may not name them), one row per
-- privilege. schema NULL: database-wide. object_type: RELATION, FUNCTION or PROCEDURE.
SELECT d.schema_name AS schema,
       d.object_type AS object_type,
       d.owner_name AS role,
       d.privilege_type AS privilege,
       d.grantee_name AS grantee
  FROM svv_default_privileges d
 WHERE d.grantee_type = 'role'
 ORDER BY 3, 1, 2, 5, 4;
