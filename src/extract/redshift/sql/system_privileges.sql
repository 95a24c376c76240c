-- System privileges (CREATE USER, ALTER TABLE, ...) and who holds them (roles, in practice).
SELECT p.system_privilege AS privilege,
       p.identity_name AS identity_name,
       p.identity_type AS identity_type
  FROM svv_system_privileges p
 ORDER BY p.identity_name, p.system_privilege;
