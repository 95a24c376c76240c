-- Schema quotas in megabytes (schemas without a quota are UNLIMITED).
SELECT rtrim(q.schema_name) AS schema,
       q.quota AS quota_mb
  FROM svv_schema_quota_state q
 ORDER BY 1;
