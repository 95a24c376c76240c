-- Who and where we are. No parameters.
SELECT version() AS version,
       current_setting('server_version_num') AS version_num,
       current_user AS current_user,
       current_database() AS database;
