-- Every role on the server with its attributes and comment. No parameters.
-- Password verifiers are not read here (see role_passwords.sql); pg_roles hides them anyway.
SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolinherit AS inherit,
       r.rolcreaterole AS create_role, r.rolcreatedb AS create_db, r.rolcanlogin AS can_login,
       r.rolreplication AS replication, r.rolbypassrls AS bypass_rls,
       r.rolconnlimit AS connection_limit,
       -- In UTC whatever the session's TimeZone, so both sides print the same text.
       CASE WHEN pg_catalog.isfinite(r.rolvaliduntil)
            THEN pg_catalog.to_char(r.rolvaliduntil AT TIME ZONE 'UTC',
                                    'YYYY-MM-DD HH24:MI:SS.US') || '+00'
            ELSE r.rolvaliduntil::text END AS valid_until,
       pg_catalog.shobj_description(r.oid, 'pg_authid') AS comment
  FROM pg_catalog.pg_roles r
 ORDER BY r.rolname;
