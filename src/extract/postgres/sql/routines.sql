-- Functions, procedures and aggregates of the tenant schemas (extension members and functions
-- internal to another object, such as a range type's constructors, excluded).
-- $1: JSON array of schema names.
-- definition: pg_get_functiondef() for functions and procedures ("CREATE OR REPLACE ...", every
-- attribute included); aggregates are described by the agg* columns instead. Function names in
-- them print schema-qualified unless they are in pg_catalog (the session's search_path is empty).
SELECT p.oid, n.nspname AS schema, p.proname AS name,
       pg_catalog.pg_get_function_identity_arguments(p.oid) AS identity_args,
       p.prokind AS kind,
       pg_catalog.pg_get_userbyid(p.proowner) AS owner,
       pg_catalog.obj_description(p.oid, 'pg_proc') AS comment,
       l.lanname AS language,
       CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid) END AS definition,
       CASE WHEN p.prokind = 'a' THEN pg_catalog.pg_get_function_arguments(p.oid) END
         AS agg_arguments,
       a.aggkind AS agg_kind,
       a.aggtransfn::pg_catalog.text AS agg_sfunc,
       pg_catalog.format_type(a.aggtranstype, NULL) AS agg_stype,
       a.aggtransspace AS agg_sspace,
       NULLIF(a.aggfinalfn, 0)::pg_catalog.regproc::pg_catalog.text AS agg_finalfunc,
       a.aggfinalextra AS agg_finalfunc_extra,
       a.aggfinalmodify AS agg_finalfunc_modify,
       NULLIF(a.aggcombinefn, 0)::pg_catalog.regproc::pg_catalog.text AS agg_combinefunc,
       NULLIF(a.aggserialfn, 0)::pg_catalog.regproc::pg_catalog.text AS agg_serialfunc,
       NULLIF(a.aggdeserialfn, 0)::pg_catalog.regproc::pg_catalog.text AS agg_deserialfunc,
       a.agginitval AS agg_initcond,
       NULLIF(a.aggmtransfn, 0)::pg_catalog.regproc::pg_catalog.text AS agg_msfunc,
       NULLIF(a.aggminvtransfn, 0)::pg_catalog.regproc::pg_catalog.text AS agg_minvfunc,
       CASE WHEN a.aggmtranstype <> 0 THEN pg_catalog.format_type(a.aggmtranstype, NULL) END
         AS agg_mstype,
       a.aggmtransspace AS agg_msspace,
       NULLIF(a.aggmfinalfn, 0)::pg_catalog.regproc::pg_catalog.text AS agg_mfinalfunc,
       a.aggmfinalextra AS agg_mfinalfunc_extra,
       a.aggmfinalmodify AS agg_mfinalfunc_modify,
       a.aggminitval AS agg_minitcond,
       CASE WHEN a.aggsortop <> 0
            THEN 'OPERATOR(' || pg_catalog.quote_ident(opn.nspname) || '.' || op.oprname || ')'
       END AS agg_sortop,
       p.proparallel AS parallel
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_catalog.pg_language l ON l.oid = p.prolang
  LEFT JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
  LEFT JOIN pg_catalog.pg_operator op ON op.oid = a.aggsortop
  LEFT JOIN pg_catalog.pg_namespace opn ON opn.oid = op.oprnamespace
 WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                      AND e.objid = p.oid AND e.deptype IN ('e', 'i'))
 ORDER BY n.nspname, p.proname, identity_args;
