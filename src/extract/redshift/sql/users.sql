-- Every user (superuser-only view; passwords are masked). System users are skipped in C++.
-- useconnlimit is text ('UNLIMITED' or a number); useconfig is a text[] of name=value.
SELECT u.usename AS name,
       u.usesysid AS sysid,
       u.usecreatedb AS create_db,
       u.usesuper AS superuser,
       u.valuntil AS valid_until,
       u.useconnlimit AS connection_limit,
       u.useconfig AS config
  FROM pg_user_info u
 ORDER BY u.usename;
