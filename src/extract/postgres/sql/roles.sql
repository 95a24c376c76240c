-- Every role that exists on the server. No parameters.
SELECT rolname FROM pg_catalog.pg_roles ORDER BY rolname;
