-- Operators, operator families and classes, conversions, and text search parsers and templates
-- of the tenant schemas, as pg_dump dumps them (dumpOpr, dumpOpfamily, dumpOpclass,
-- dumpConversion, dumpTSParser, dumpTSTemplate). $1: JSON array of schema names.
-- kind: 'operator', 'operator family', 'operator class', 'conversion', 'text search parser' or
-- 'text search template'. name: the object's name (an operator's symbol). identity: as
-- pg_identify_object prints it ("s.===(integer,integer)", "s.f USING btree"): tells overloads
-- apart, the same on every server. owner: NULL for parsers and templates (they have none).
-- detail: JSON of the kind's clauses, functions and types as the server prints them.
-- needs: JSON array of what it uses in the tenant schemas, from pg_depend (for a family or
-- class, what its members use too) and an operator's commutator and negator:
-- {kind: routine|type|operator|operator family, schema, name, args, identity}.
-- used_by: JSON array of tenant objects that use it: {kind: index|table|view|materialized view|
-- routine, schema, name, args}. Extension members are left out (the extension brings them).
WITH tenant AS (
  SELECT n.oid, n.nspname FROM pg_catalog.pg_namespace n
   WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json))
), member AS (
  SELECT classid, objid FROM pg_catalog.pg_depend WHERE deptype = 'e'
), amop AS (  -- operators of families and classes, and whose member each is (pg_dump's query)
  SELECT d.refclassid AS ownerclass, d.refobjid AS ownerid,
         pg_catalog.json_build_object(
           'op', true, 'number', ao.amopstrategy, 'target', ao.amopopr::pg_catalog.regoperator::text,
           'order_family', CASE WHEN ao.amoppurpose = 'o'
                                THEN pg_catalog.format('%I.%I', sn.nspname, sf.opfname) END) AS m,
         ao.amopstrategy AS number, ao.amoplefttype AS lt, ao.amoprighttype AS rt
    FROM pg_catalog.pg_amop ao
    JOIN pg_catalog.pg_depend d
      ON d.classid = 'pg_catalog.pg_amop'::pg_catalog.regclass AND d.objid = ao.oid
     AND d.refclassid IN ('pg_catalog.pg_opclass'::pg_catalog.regclass,
                          'pg_catalog.pg_opfamily'::pg_catalog.regclass)
    LEFT JOIN pg_catalog.pg_opfamily sf ON sf.oid = ao.amopsortfamily
    LEFT JOIN pg_catalog.pg_namespace sn ON sn.oid = sf.opfnamespace
), amproc AS (
  SELECT d.refclassid AS ownerclass, d.refobjid AS ownerid,
         pg_catalog.json_build_object(
           'op', false, 'number', ap.amprocnum,
           'left', pg_catalog.format_type(ap.amproclefttype, NULL),
           'right', pg_catalog.format_type(ap.amprocrighttype, NULL),
           'target', ap.amproc::pg_catalog.regprocedure::text) AS m,
         ap.amprocnum AS number, ap.amproclefttype AS lt, ap.amprocrighttype AS rt
    FROM pg_catalog.pg_amproc ap
    JOIN pg_catalog.pg_depend d
      ON d.classid = 'pg_catalog.pg_amproc'::pg_catalog.regclass AND d.objid = ap.oid
     AND d.refclassid IN ('pg_catalog.pg_opclass'::pg_catalog.regclass,
                          'pg_catalog.pg_opfamily'::pg_catalog.regclass)
), members AS (
  SELECT ownerclass, ownerid,
         pg_catalog.json_agg(m ORDER BY NOT (m->>'op')::boolean, number, lt, rt) AS list
    FROM (SELECT * FROM amop UNION ALL SELECT * FROM amproc) x
   GROUP BY ownerclass, ownerid
), obj AS (
  SELECT 'operator' AS kind, 'pg_catalog.pg_operator'::pg_catalog.regclass AS classid, o.oid,
         o.oprnamespace AS nsp, o.oprname::text AS name, o.oprowner AS owner,
         pg_catalog.json_build_object(
           'left', CASE WHEN o.oprleft <> 0 THEN pg_catalog.format_type(o.oprleft, NULL) END,
           'right', CASE WHEN o.oprright <> 0 THEN pg_catalog.format_type(o.oprright, NULL) END,
           'function', o.oprcode::pg_catalog.regproc::text,
           'commutator', (SELECT pg_catalog.format('%I.%s', cn.nspname, c.oprname)
                            FROM pg_catalog.pg_operator c
                            JOIN pg_catalog.pg_namespace cn ON cn.oid = c.oprnamespace
                           WHERE c.oid = o.oprcom),
           'negator', (SELECT pg_catalog.format('%I.%s', nn.nspname, ng.oprname)
                         FROM pg_catalog.pg_operator ng
                         JOIN pg_catalog.pg_namespace nn ON nn.oid = ng.oprnamespace
                        WHERE ng.oid = o.oprnegate),
           'restrict', CASE WHEN o.oprrest <> 0 THEN o.oprrest::pg_catalog.regproc::text END,
           'join', CASE WHEN o.oprjoin <> 0 THEN o.oprjoin::pg_catalog.regproc::text END,
           'hashes', o.oprcanhash, 'merges', o.oprcanmerge) AS detail
    FROM pg_catalog.pg_operator o
   WHERE o.oprcode <> 0  -- a shell (named as a commutator or negator only) is no operator yet
  UNION ALL
  SELECT 'operator family', 'pg_catalog.pg_opfamily'::pg_catalog.regclass, f.oid,
         f.opfnamespace, f.opfname::text, f.opfowner,
         pg_catalog.json_build_object('method', am.amname, 'members', ms.list)
    FROM pg_catalog.pg_opfamily f
    JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod
    LEFT JOIN members ms
      ON ms.ownerclass = 'pg_catalog.pg_opfamily'::pg_catalog.regclass AND ms.ownerid = f.oid
  UNION ALL
  SELECT 'operator class', 'pg_catalog.pg_opclass'::pg_catalog.regclass, c.oid,
         c.opcnamespace, c.opcname::text, c.opcowner,
         pg_catalog.json_build_object(
           'method', am.amname, 'default', c.opcdefault,
           'type', pg_catalog.format_type(c.opcintype, NULL),
           'storage', CASE WHEN c.opckeytype <> 0 THEN pg_catalog.format_type(c.opckeytype, NULL) END,
           'family_schema', fn.nspname, 'family', f.opfname, 'members', ms.list)
    FROM pg_catalog.pg_opclass c
    JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod
    JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily
    JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace
    LEFT JOIN members ms
      ON ms.ownerclass = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND ms.ownerid = c.oid
  UNION ALL
  SELECT 'conversion', 'pg_catalog.pg_conversion'::pg_catalog.regclass, v.oid, v.connamespace,
         v.conname::text, v.conowner,
         pg_catalog.json_build_object(
           'from', pg_catalog.pg_encoding_to_char(v.conforencoding),
           'to', pg_catalog.pg_encoding_to_char(v.contoencoding),
           'function', v.conproc::pg_catalog.regproc::text, 'default', v.condefault)
    FROM pg_catalog.pg_conversion v
  UNION ALL
  SELECT 'text search parser', 'pg_catalog.pg_ts_parser'::pg_catalog.regclass, p.oid,
         p.prsnamespace, p.prsname::text, NULL,
         pg_catalog.json_build_object(
           'start', p.prsstart::pg_catalog.regproc::text,
           'gettoken', p.prstoken::pg_catalog.regproc::text,
           'end', p.prsend::pg_catalog.regproc::text,
           'lextypes', p.prslextype::pg_catalog.regproc::text,
           'headline', CASE WHEN p.prsheadline <> 0 THEN p.prsheadline::pg_catalog.regproc::text END)
    FROM pg_catalog.pg_ts_parser p
  UNION ALL
  SELECT 'text search template', 'pg_catalog.pg_ts_template'::pg_catalog.regclass, tm.oid,
         tm.tmplnamespace, tm.tmplname::text, NULL,
         pg_catalog.json_build_object(
           'init', CASE WHEN tm.tmplinit <> 0 THEN tm.tmplinit::pg_catalog.regproc::text END,
           'lexize', tm.tmpllexize::pg_catalog.regproc::text)
    FROM pg_catalog.pg_ts_template tm
), mine AS (
  SELECT o.*, t.nspname FROM obj o JOIN tenant t ON t.oid = o.nsp
   WHERE (o.classid, o.oid) NOT IN (SELECT classid, objid FROM member)
), refs AS (  -- (object, what it uses)
  SELECT m.classid, m.oid, d.refclassid, d.refobjid
    FROM mine m JOIN pg_catalog.pg_depend d ON d.classid = m.classid AND d.objid = m.oid
  UNION ALL
  SELECT m.classid, m.oid, d.refclassid, d.refobjid
    FROM mine m
    JOIN pg_catalog.pg_depend x ON x.refclassid = m.classid AND x.refobjid = m.oid
     AND x.classid IN ('pg_catalog.pg_amop'::pg_catalog.regclass,
                       'pg_catalog.pg_amproc'::pg_catalog.regclass)
    JOIN pg_catalog.pg_depend d ON d.classid = x.classid AND d.objid = x.objid
  UNION ALL
  SELECT m.classid, m.oid, m.classid, x.oid
    FROM mine m JOIN pg_catalog.pg_operator o ON o.oid = m.oid
     AND m.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass
    CROSS JOIN LATERAL (VALUES (o.oprcom), (o.oprnegate)) x(oid)
   WHERE x.oid <> 0
), needs AS (
  SELECT DISTINCT r.classid, r.oid, CASE r.refclassid
           WHEN 'pg_catalog.pg_proc'::pg_catalog.regclass THEN 'routine'
           WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN 'type'
           WHEN 'pg_catalog.pg_operator'::pg_catalog.regclass THEN 'operator'
           ELSE 'operator family' END AS kind,
         t.nspname AS schema, x.name::text AS name,
         CASE WHEN r.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass
              THEN pg_catalog.pg_get_function_identity_arguments(r.refobjid) ELSE '' END AS args,
         i.identity
    FROM refs r
    CROSS JOIN LATERAL (
      SELECT p.pronamespace, p.proname FROM pg_catalog.pg_proc p
       WHERE r.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = r.refobjid
      UNION ALL
      SELECT ty.typnamespace, ty.typname FROM pg_catalog.pg_type ty
       WHERE r.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND ty.oid = r.refobjid
      UNION ALL
      SELECT o.oprnamespace, o.oprname FROM pg_catalog.pg_operator o
       WHERE r.refclassid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND o.oid = r.refobjid
      UNION ALL
      SELECT f.opfnamespace, f.opfname FROM pg_catalog.pg_opfamily f
       WHERE r.refclassid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass AND f.oid = r.refobjid
    ) x(nsp, name)
    CROSS JOIN LATERAL pg_catalog.pg_identify_object(r.refclassid, r.refobjid, 0) i
    JOIN tenant t ON t.oid = x.nsp
   WHERE r.refclassid IN ('pg_catalog.pg_proc'::pg_catalog.regclass,
                          'pg_catalog.pg_type'::pg_catalog.regclass,
                          'pg_catalog.pg_operator'::pg_catalog.regclass,
                          'pg_catalog.pg_opfamily'::pg_catalog.regclass)
     AND (r.refclassid, r.refobjid) <> (r.classid, r.oid)
), users AS (  -- (object, tenant object that uses it)
  SELECT DISTINCT m.classid, m.oid, u.kind, u.schema, u.name, u.args
    FROM mine m
    JOIN pg_catalog.pg_depend d ON d.refclassid = m.classid AND d.refobjid = m.oid
    CROSS JOIN LATERAL (
      SELECT CASE c.relkind WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' WHEN 'v' THEN 'view'
                            WHEN 'm' THEN 'materialized view' ELSE 'table' END,
             t.nspname::text, c.relname::text, ''
        FROM pg_catalog.pg_class c JOIN tenant t ON t.oid = c.relnamespace
       WHERE c.oid = CASE d.classid
               WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN d.objid
               WHEN 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                 THEN (SELECT ev_class FROM pg_catalog.pg_rewrite WHERE oid = d.objid)
               WHEN 'pg_catalog.pg_attrdef'::pg_catalog.regclass
                 THEN (SELECT adrelid FROM pg_catalog.pg_attrdef WHERE oid = d.objid)
               WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass
                 THEN (SELECT CASE WHEN conindid <> 0 THEN conindid ELSE conrelid END
                         FROM pg_catalog.pg_constraint WHERE oid = d.objid) END
      UNION ALL
      SELECT 'routine', t.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)
        FROM pg_catalog.pg_proc p JOIN tenant t ON t.oid = p.pronamespace
       WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = d.objid
    ) u(kind, schema, name, args)
)
SELECT m.kind, m.nspname AS schema, m.name,
       (pg_catalog.pg_identify_object(m.classid, m.oid, 0)).identity,
       CASE WHEN m.owner IS NOT NULL THEN pg_catalog.pg_get_userbyid(m.owner) END AS owner,
       m.detail::text AS detail,
       (SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
                 'kind', n.kind, 'schema', n.schema, 'name', n.name, 'args', n.args,
                 'identity', n.identity) ORDER BY n.kind, n.identity)
          FROM needs n WHERE n.classid = m.classid AND n.oid = m.oid)::text AS needs,
       (SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
                 'kind', u.kind, 'schema', u.schema, 'name', u.name, 'args', u.args)
                 ORDER BY u.kind, u.schema, u.name, u.args)
          FROM users u WHERE u.classid = m.classid AND u.oid = m.oid)::text AS used_by,
       pg_catalog.obj_description(m.oid, (SELECT c.relname FROM pg_catalog.pg_class c
                                    WHERE c.oid = m.classid)) AS comment
  FROM mine m
 ORDER BY 1, 2, 4;
