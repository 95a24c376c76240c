-- Password verifiers (md5 or SCRAM) of the named roles that have one. $1: JSON array of role
-- names. Readable by superusers only; the result is a secret: never log or store it.
SELECT a.rolname AS name, a.rolpassword AS verifier
  FROM pg_catalog.pg_authid a
 WHERE a.rolname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND a.rolpassword IS NOT NULL
 ORDER BY a.rolname;
