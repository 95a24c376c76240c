-- Who and where we are on Redshift. Catalog tables only (runs on the leader node).
SELECT current_user AS current_user,
       current_database() AS database,
       (SELECT u.usesuper FROM pg_user u WHERE u.usename = current_user) AS superuser;
