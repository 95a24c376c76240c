-- AUTO layout and size of tables and materialized views (superuser; no rows for empty tables).
-- diststyle: EVEN, ALL, KEY(col), AUTO(ALL), AUTO(EVEN), AUTO(KEY(col));
-- sortkey1: a column, AUTO(SORTKEY), AUTO(SORTKEY(col)); encoded: Y, N, Y, AUTO(ENCODE).
SELECT t.table_id AS oid,
       t.diststyle AS diststyle,
       t.sortkey1 AS sortkey1,
       t.encoded AS encoded,
       t.tbl_rows AS estimated_rows,
       t.size AS size_mb
  FROM svv_table_info t
 ORDER BY t.table_id;
