-- ASSUMEROLE grants (GRANT ASSUMEROLE ON 'arn' | default TO ... FOR COPY | UNLOAD | ...).
-- command_type: COPY, UNLOAD, CREATE MODEL, EXFUNC (the sample's spelling of EXTERNAL FUNCTION).
-- https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_IAM_PRIVILEGES.html
SELECT p.iam_arn AS iam_arn,
       p.command_type AS command_type,
       p.identity_name AS grantee,
       p.identity_type AS grantee_type
  FROM svv_iam_privileges p
 ORDER BY 3, 1, 2;
