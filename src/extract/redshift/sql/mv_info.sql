-- Materialized views and their AUTO REFRESH setting (provisioned clusters).
SELECT rtrim(m.schema) AS schema,
       rtrim(m.name) AS name,
       m.autorefresh AS auto_refresh
  FROM stv_mv_info m
 WHERE rtrim(m.db_name) = current_database()
 ORDER BY 1, 2;
