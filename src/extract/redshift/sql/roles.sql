-- RBAC roles. sys:* roles are skipped in C++.
SELECT r.role_name AS name,
       r.role_owner AS owner,
       r.external_id AS external_id
  FROM svv_roles r
 ORDER BY r.role_name;
