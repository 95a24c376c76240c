-- RLS policies attached to relations, with the policy's definition from SVV_RLS_POLICY.
-- https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_RLS_ATTACHED_POLICY.html
-- https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_RLS_POLICY.html
SELECT a.relschema AS schema,
       a.relname AS name,
       a.polname AS policy,
       a.grantee AS grantee,
       a.granteekind AS grantee_kind,
       p.polalias AS alias,
       p.polatts AS attributes,
       p.polqual AS qual
  FROM svv_rls_attached_policy a
  LEFT JOIN svv_rls_policy p ON p.polname = a.polname AND p.poldb = current_database()
 ORDER BY 1, 2, 3, 4;
