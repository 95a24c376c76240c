-- Who and where we are. No parameters.
SELECT version() AS version,
       current_setting('server_version_num') AS version_num,
       current_user AS current_user,
       current_database() AS database,
       (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) AS superuser,
       pg_catalog.has_table_privilege('pg_catalog.pg_authid', 'SELECT') AS can_read_passwords;
