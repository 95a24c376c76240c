-- Per-role settings (ALTER ROLE ... SET): role-wide ones and those for the current database, each
-- "name=value" as stored, in order. No parameters.
SELECT r.rolname AS role, s.setdatabase <> 0 AS in_database, c.setting
  FROM pg_catalog.pg_db_role_setting s
  JOIN pg_catalog.pg_roles r ON r.oid = s.setrole
  CROSS JOIN LATERAL pg_catalog.unnest(s.setconfig) WITH ORDINALITY AS c(setting, ord)
 WHERE s.setdatabase = 0
    OR s.setdatabase = (SELECT d.oid FROM pg_catalog.pg_database d
                         WHERE d.datname = pg_catalog.current_database())
 ORDER BY r.rolname, s.setdatabase <> 0, c.ord;
