-- SYSLOG ACCESS, SESSION TIMEOUT and EXTERNALID of every user (Serverless has no SVL views).
-- https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_USER_INFO.html
SELECT rtrim(s.user_name) AS name,
       s.syslog_access AS syslog_access,
       s.session_timeout AS session_timeout,
       s.external_user_id AS external_id
  FROM svv_user_info s
 ORDER BY 1;
