-- SYSLOG ACCESS and SESSION TIMEOUT of every user (provisioned clusters).
SELECT rtrim(s.usename) AS name,
       s.syslogaccess AS syslog_access,
       s.sessiontimeout AS session_timeout
  FROM svl_user_info s
 ORDER BY 1;
