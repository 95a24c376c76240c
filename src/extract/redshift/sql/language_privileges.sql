-- USAGE ON LANGUAGE grants ("required to create user-defined functions ... stored procedures").
-- https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_LANUGAGE_PRIVILEGES.html (sic)
SELECT l.language_name AS language,
       l.privilege_type AS privilege,
       l.identity_name AS grantee,
       l.identity_type AS grantee_type,
       l.admin_option AS grantable
  FROM svv_language_privileges l
 ORDER BY 1, 3, 2;
