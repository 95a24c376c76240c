-- Redshift ML models (CREATE MODEL). CHAR columns: trimmed.
-- https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_ML_MODEL_INFO.html
SELECT rtrim(m.schema_name) AS schema,
       rtrim(m.model_name) AS name,
       rtrim(m.model_state) AS state
  FROM svv_ml_model_info m
 WHERE rtrim(m.database_name) = current_database()
 ORDER BY 1, 2;
