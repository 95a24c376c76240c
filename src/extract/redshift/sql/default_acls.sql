-- ALTER DEFAULT PRIVILEGES rules: per schema, or database-wide (schema NULL), FOR USER owner.
-- objtype: r tables, f functions, p procedures. The acl is parsed in C++.
SELECT pg_get_userbyid(d.defacluser) AS role,
       n.nspname AS schema,
       d.defaclobjtype AS objtype,
       d.defaclacl AS acl
  FROM pg_default_acl d
  LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
 ORDER BY 1, 2, 3;
