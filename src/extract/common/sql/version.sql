-- The server's version string, which says whether it is Redshift. Runs on PostgreSQL and
-- Redshift alike, before any dialect-specific query.
SELECT version() AS version;
