-- Materialized views defined over other materialized views (Serverless: no STV views).
SELECT rtrim(d.schema_name) AS schema,
       rtrim(d.name) AS name,
       rtrim(d.dependent_schema_name) AS ref_schema,
       rtrim(d.dependent_name) AS ref_name
  FROM svv_mv_dependency d
 WHERE rtrim(d.database_name) = current_database()
 ORDER BY 1, 2, 3, 4;
