-- Schema quotas in megabytes, from SVV_REDSHIFT_SCHEMA_QUOTA, which "is available when querying
-- provisioned clusters or Redshift Serverless workgroups" (SVV_SCHEMA_QUOTA_STATE is
-- provisioned-only). https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_REDSHIFT_SCHEMA_QUOTA.html
-- The CHAR(128) names are trimmed. The value for a schema without a quota is undocumented; a
-- missing row or a NULL quota means UNLIMITED here.
SELECT rtrim(q.schema_name) AS schema,
       q.quota AS quota_mb
  FROM svv_redshift_schema_quota q
 WHERE rtrim(q.database_name) = current_database()
 ORDER BY 1;
