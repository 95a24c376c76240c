#!/usr/bin/env bash
# End-to-end, issue 14: a tenant of thousands of tables (each with a primary key, an index, a
# comment, a grant and rows; views, functions, roles, two owners) moves between two clusters
# running PostgreSQL's default lock settings (max_locks_per_transaction = 64,
# max_connections = 100: a shared lock table of about 6,400 locks, fewer than the tenant's
# relations), so any transaction that accumulated a lock per table would fail.
#
#   tests/integration/scale_test.sh PATH_TO_TENANTSHIFT
#
# SCALE_TABLES (default 3000) sets the tenant's size.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "${1:-}"
TABLES=${SCALE_TABLES:-3000}
SCHEMAS=(big)

say "both clusters run the default lock settings"
for conn in "$SRC_CONN" "$DST_CONN"; do
  assert_eq "$(psql_run "$conn" -c "SHOW max_locks_per_transaction")" 64 "max_locks_per_transaction"
  assert_eq "$(psql_run "$conn" -c "SHOW max_prepared_transactions")" 0 "max_prepared_transactions"
  assert_eq "$(psql_run "$conn" -c "SHOW max_connections")" 100 "max_connections"
done

say "set-up: a generated tenant of $TABLES tables on src"
PGOPTIONS="$IT_PGOPTIONS" timeout 600 "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -v tables="$TABLES" \
  -d "$SRC_CONN" -f "$IT_DIR/scale_tenant.sql" >"$IT_TMP/load.log" 2>&1 \
  || { show_file "$IT_TMP/load.log" 40; die "loading scale_tenant.sql failed"; }
RELATIONS=$(src_sql "SELECT count(*) FROM pg_class WHERE relnamespace = 'big'::regnamespace")
[ "$RELATIONS" -gt 6400 ] || die "the tenant has only $RELATIONS relations: not more than the lock table"
ok "src holds $RELATIONS relations in schema big (more than the ~6,400 the lock table holds)"
capture dst_state.initial db_state "$DST_CONN"

say "plan reads the tenant and changes nothing"
run_tool plan plan --source "$SRC_CONN" --target "$DST_CONN" --schema big --jobs 2
expect_rc 0 "plan"
assert_eq "$(grep -c '^CREATE TABLE "big"\.' "$OUT" || true)" "$TABLES" "tables the plan creates"
capture dst_state.after_plan db_state "$DST_CONN"
assert_same_file "$IT_TMP/dst_state.initial" "$IT_TMP/dst_state.after_plan" "dst state before/after plan"

say "migrate --jobs 2 exits 0"
run_tool migrate1 migrate --source "$SRC_CONN" --target "$DST_CONN" --schema big --jobs 2 \
  --work-dir "$IT_TMP/work1"
expect_rc 0 "migrate"
assert_output_contains "$TABLES tables: $TABLES succeeded, 0 failed" "every table moved"
note "migrate of $TABLES tables took ${ELAPSED}s"

say "schema dump, data, roles and the neighbour"
capture schema.src schema_dump "$SRC_CONN" "${SCHEMAS[@]}"
capture schema.dst schema_dump "$DST_CONN" "${SCHEMAS[@]}"
assert_eq "$(grep -c '^CREATE TABLE big\.' "$IT_TMP/schema.src")" "$TABLES" "tables in the src dump"
assert_same_file "$IT_TMP/schema.src" "$IT_TMP/schema.dst" "normalized schema dumps (src vs dst)"
capture fp.src data_fingerprint "$SRC_CONN" "${SCHEMAS[@]}"
capture fp.dst data_fingerprint "$DST_CONN" "${SCHEMAS[@]}"
assert_eq "$(wc -l <"$IT_TMP/fp.src")" "$TABLES" "tables fingerprinted"
assert_same_file "$IT_TMP/fp.src" "$IT_TMP/fp.dst" "per-table count+md5 fingerprints (src vs dst)"
ROLES="SELECT count(*) || ' roles, md5 ' || md5(string_agg(rolname, ',' ORDER BY rolname)) FROM pg_roles WHERE rolname LIKE 'big\_%'"
assert_eq "$(dst_sql "$ROLES")" "$(src_sql "$ROLES")" "the tenant's roles on dst"
assert_eq "$(dst_sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'big_other'")" 0 \
  "the neighbouring schema big_other stayed behind"

say "a second migrate changes nothing"
capture dst_state.before_second db_state "$DST_CONN"
run_tool migrate2 migrate --source "$SRC_CONN" --target "$DST_CONN" --schema big --jobs 2 \
  --work-dir "$IT_TMP/work2"
expect_rc 0 "second migrate"
capture dst_state.after_second db_state "$DST_CONN"
assert_same_file "$IT_TMP/dst_state.before_second" "$IT_TMP/dst_state.after_second" \
  "dst state before/after the second migrate"
