-- Objects of the datashares this namespace produces (superusers see every row). object_name is
-- "schema" for a schema and "schema.object" otherwise, unquoted.
-- https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_DATASHARE_OBJECTS.html
SELECT o.share_name AS share,
       o.object_type AS object_type,
       o.object_name AS object_name
  FROM svv_datashare_objects o
 WHERE o.share_type = 'OUTBOUND'
 ORDER BY 1, 2, 3;
