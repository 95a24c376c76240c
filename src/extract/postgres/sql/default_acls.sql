-- Per-schema default privileges (ALTER DEFAULT PRIVILEGES FOR ROLE ... IN SCHEMA ...) of the
-- tenant schemas: one row per (rule, grantee, privilege) in the ACL's order. objtype: r tables,
-- S sequences, f functions, T types, n schemas. grantee NULL means PUBLIC.
-- $1: JSON array of schema names.
SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS role, n.nspname AS schema,
       d.defaclobjtype AS objtype, x.ord,
       CASE WHEN x.grantee <> 0 THEN pg_catalog.pg_get_userbyid(x.grantee) END AS grantee,
       x.privilege_type AS privilege, x.is_grantable AS grantable
  FROM pg_catalog.pg_default_acl d
  JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
  LEFT JOIN LATERAL pg_catalog.aclexplode(d.defaclacl)
       WITH ORDINALITY AS x(grantor, grantee, privilege_type, is_grantable, ord) ON true
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
 ORDER BY 1, 2, 3, x.ord;
