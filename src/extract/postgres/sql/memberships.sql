-- Every role membership on the server. No parameters.
SELECT r.rolname AS role, m.rolname AS member, g.rolname AS grantor, a.admin_option
  FROM pg_catalog.pg_auth_members a
  JOIN pg_catalog.pg_roles r ON r.oid = a.roleid
  JOIN pg_catalog.pg_roles m ON m.oid = a.member
  LEFT JOIN pg_catalog.pg_roles g ON g.oid = a.grantor
 ORDER BY r.rolname, m.rolname;
