-- Type names by oid, to name procedure arguments (proallargtypes holds oids).
SELECT t.oid AS oid,
       format_type(t.oid, NULL) AS name
  FROM pg_type t
 ORDER BY t.oid;
