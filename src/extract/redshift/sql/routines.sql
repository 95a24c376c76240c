-- UDFs (of every language: sql, plpythonu, and whatever Lambda UDFs use) and stored procedures
-- outside the system schemas. Redshift has no pg_get_functiondef: the parts are read here and
-- assembled by the renderer. PG_PROC_INFO is PG_PROC plus prooid, prokind, proargmodes and
-- proallargtypes, nothing more (https://docs.aws.amazon.com/redshift/latest/dg/r_PG_PROC_INFO.html);
-- PostgreSQL 8.0's pg_proc has no proconfig, so SET clauses and NONATOMIC are not read here.
-- proargmodes/proallargtypes are NULL when every argument is IN; arg types are oids, named
-- through types.sql.
SELECT p.prooid AS oid,
       n.nspname AS schema,
       p.proname AS name,
       p.prokind AS kind,
       pg_get_userbyid(p.proowner) AS owner,
       l.lanname AS language,
       p.provolatile AS volatility,
       p.prosecdef AS security_definer,
       oidvectortypes(p.proargtypes) AS identity_args,
       p.proargtypes AS arg_types,
       p.proallargtypes AS all_arg_types,
       p.proargmodes AS arg_modes,
       p.proargnames AS arg_names,
       format_type(p.prorettype, NULL) AS returns,
       p.prosrc AS body,
       d.description AS comment
  FROM pg_proc_info p
  JOIN pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_language l ON l.oid = p.prolang
  LEFT JOIN pg_description d ON d.objoid = p.prooid AND d.objsubid = 0
   AND d.classoid = (SELECT k.oid FROM pg_class k JOIN pg_namespace kn ON kn.oid = k.relnamespace
                     WHERE kn.nspname = 'pg_catalog' AND k.relname = 'pg_proc')
 WHERE substring(n.nspname, 1, 3) <> 'pg_'
   AND n.nspname NOT IN ('information_schema', 'catalog_history')
 ORDER BY n.nspname, p.proname, 9;
