-- Every group with its members' user ids (grolist, an int[]; parsed in C++).
SELECT g.groname AS name,
       g.grosysid AS sysid,
       g.grolist AS members
  FROM pg_group g
 ORDER BY g.groname;
