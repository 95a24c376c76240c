-- Materialized views defined over other materialized views (provisioned clusters).
SELECT rtrim(d.schema) AS schema,
       rtrim(d.name) AS name,
       rtrim(d.ref_schema) AS ref_schema,
       rtrim(d.ref_name) AS ref_name
  FROM stv_mv_deps d
 WHERE rtrim(d.db_name) = current_database()
 ORDER BY 1, 2, 3, 4;
