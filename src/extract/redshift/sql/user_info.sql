-- SYSLOG ACCESS, SESSION TIMEOUT and EXTERNALID of every user (provisioned clusters).
-- https://docs.aws.amazon.com/redshift/latest/dg/r_SVL_USER_INFO.html
SELECT rtrim(s.usename) AS name,
       s.syslogaccess AS syslog_access,
       s.sessiontimeout AS session_timeout,
       s.external_id AS external_id
  FROM svl_user_info s
 ORDER BY 1;
