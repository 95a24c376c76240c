-- Roles granted to users.
SELECT g.user_name AS member,
       g.role_name AS role,
       g.admin_option AS admin_option
  FROM svv_user_grants g
 ORDER BY g.user_name, g.role_name;
