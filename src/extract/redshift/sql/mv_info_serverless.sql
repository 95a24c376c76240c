-- Materialized views and their AUTO REFRESH setting (Serverless: no STV views).
SELECT rtrim(m.schema_name) AS schema,
       rtrim(m.name) AS name,
       m.autorefresh AS auto_refresh
  FROM svv_mv_info m
 WHERE rtrim(m.database_name) = current_database()
 ORDER BY 1, 2;
