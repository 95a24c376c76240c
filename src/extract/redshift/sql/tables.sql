-- Every ordinary table outside the system schemas, with its layout from pg_class and
-- pg_class_info, and BACKUP NO from pg_conf (pg_class_backup_<database oid>_<table oid>).
-- reldiststyle: 0 EVEN, 1 KEY, 8 ALL; releffectivediststyle 10/11/12 = AUTO(ALL/EVEN/KEY).
-- Materialized-view backing tables (mv_tbl__*) are returned too: the MV's layout is theirs.
SELECT c.oid AS oid,
       n.nspname AS schema,
       c.relname AS name,
       pg_get_userbyid(c.relowner) AS owner,
       c.reldiststyle AS dist_style,
       i.releffectivediststyle AS effective_dist_style,
       CASE WHEN b.id IS NULL THEN 't' ELSE 'f' END AS backup,
       d.description AS comment
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_class_info i ON i.reloid = c.oid
  LEFT JOIN (SELECT split_part(f.key, '_', 5) AS id
               FROM pg_conf f
              WHERE f.key LIKE 'pg_class_backup_%'
                AND split_part(f.key, '_', 4) =
                    (SELECT db.oid FROM pg_database db WHERE db.datname = current_database())
            ) b ON b.id = c.oid
  LEFT JOIN pg_description d ON d.objoid = c.oid AND d.objsubid = 0
   AND d.classoid = (SELECT k.oid FROM pg_class k JOIN pg_namespace kn ON kn.oid = k.relnamespace
                     WHERE kn.nspname = 'pg_catalog' AND k.relname = 'pg_class')
 WHERE c.relkind = 'r'
   AND substring(n.nspname, 1, 3) <> 'pg_'
   AND n.nspname NOT IN ('information_schema', 'catalog_history')
 ORDER BY n.nspname, c.relname;
