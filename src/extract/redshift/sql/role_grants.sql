-- Role-to-role grants: granted_role is granted TO role.
SELECT g.role_name AS member,
       g.granted_role_name AS role
  FROM svv_role_grants g
 ORDER BY g.role_name, g.granted_role_name;
