-- SYSLOG ACCESS and SESSION TIMEOUT of every user (Serverless has no SVL views).
SELECT rtrim(s.user_name) AS name,
       s.syslog_access AS syslog_access,
       s.session_timeout AS session_timeout
  FROM svv_user_info s
 ORDER BY 1;
