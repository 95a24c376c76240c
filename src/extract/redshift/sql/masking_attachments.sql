-- Dynamic data masking policies attached to relations, with the policy's expression.
-- "Only superusers and users with the sys:secadmin role can view" these views.
-- https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_ATTACHED_MASKING_POLICY.html
-- https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_MASKING_POLICY.html
SELECT a.schema_name AS schema,
       a.table_name AS name,
       a.policy_name AS policy,
       a.grantee AS grantee,
       a.grantee_type AS grantee_kind,
       a.priority AS priority,
       a.input_columns AS input_columns,
       a.output_columns AS output_columns,
       p.input_columns AS policy_input_columns,
       p.policy_expression AS expression
  FROM svv_attached_masking_policy a
  LEFT JOIN svv_masking_policy p ON p.policy_name = a.policy_name
   AND p.policy_database = current_database()
 ORDER BY 1, 2, 3, 4;
