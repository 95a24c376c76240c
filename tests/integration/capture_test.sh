#!/usr/bin/env bash
# tenantshift capture: `plan --source capture:FILE` prints exactly the plan of the live source
# for every PostgreSQL test tenant (sample with the programmable objects, principals, ledger,
# completeness), exit code included; the capture
# holds no password verifier and no row of table data; every other command refuses a capture
# and changes nothing.
source "$(dirname "$0")/lib.sh"
it_init "${1:-}"

PW='Capture-Secret-Pw1'
say "set-up: sample + programmable tenants and the principals tenant on src"
src_sql "CREATE ROLE acme_owner NOLOGIN"
load_sample_tenant "$SRC_CONN"
load_programmable_tenant "$SRC_CONN"
src_sql "CREATE ROLE ta_auditor LOGIN PASSWORD $(sql_lit "$PW")" >/dev/null
PGOPTIONS="$IT_PGOPTIONS" timeout 120 "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$SRC_CONN" \
  -f "$IT_DIR/principals_tenant.sql" >"$IT_TMP/load.log" 2>&1 \
  || { show_file "$IT_TMP/load.log"; die "loading principals_tenant.sql failed"; }
src_sql 'CREATE ROLE ledger_owner NOLOGIN; CREATE ROLE "Kind Owner" NOLOGIN' >/dev/null
for f in ledger_tenant.sql completeness_tenant.sql; do
  PGOPTIONS="$IT_PGOPTIONS" timeout 300 "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$SRC_CONN" \
    -f "$IT_DIR/$f" >"$IT_TMP/load.log" 2>&1 || { show_file "$IT_TMP/load.log"; die "loading $f failed"; }
done
capture dst_state.before db_state "$DST_CONN"

# check_tenant NAME SCHEMA_ARGS...: plans also get PLAN_EXTRA (principal options: a capture
# records every role of the server, so it needs none).
check_tenant() {
  local name=$1; shift
  say "$name: capture, then plan from the capture and from the live source"
  run_tool "capture_$name" capture --source "$SRC_CONN" --out "$IT_TMP/$name.json" "$@"
  expect_rc 0 "capture of $name"
  run_tool "live_$name" plan --source "$SRC_CONN" --target "$DST_CONN" "$@" "${PLAN_EXTRA[@]}"
  local live_rc=$RC
  cp "$OUT" "$IT_TMP/live_$name.plan"
  run_tool "cap_$name" plan --source "capture:$IT_TMP/$name.json" --target "$DST_CONN" "$@" \
    "${PLAN_EXTRA[@]}"
  expect_rc "$live_rc" "plan of $name from the capture (the live plan's exit code)"
  cp "$OUT" "$IT_TMP/cap_$name.plan"
  [ "$(grep -c '' "$IT_TMP/live_$name.plan")" -gt 50 ] || fail "the live plan of $name is suspiciously short"
  assert_same_file "$IT_TMP/live_$name.plan" "$IT_TMP/cap_$name.plan" "plans of $name from the live source and from the capture"
}

PLAN_EXTRA=()
check_tenant sample --schema acme --schema "$HOSTILE_SCHEMA"
PLAN_EXTRA=(--include-users 'ta_aud*')
check_tenant principals --schema tenant_a --schema 'Tenant A "Audit"'
PLAN_EXTRA=()
check_tenant ledger --schema shop
check_tenant completeness --schema kinds --schema 'Kinds "Odd"; $(touch pwned)'

say "the captures hold catalog rows only: no verifier, no password, no table data"
for f in "$IT_TMP"/{sample,principals,ledger,completeness}.json; do
  if grep -qE 'SCRAM-SHA-256\$|md5[0-9a-f]{32}' "$f"; then fail "${f##*/} holds a password verifier"; fi
  if grep -qF "$PW" "$f"; then fail "${f##*/} holds a password"; fi
  # Row values of acme.customers (sample_tenant.sql: 'c1@example.com', ...) are table data.
  if grep -qF '@example.com' "$f"; then fail "${f##*/} holds table data"; fi
  n=$(jq '[.queries[].sql | select(test("^\\s*(COPY|SELECT \\* FROM acme)"; "i"))] | length' "$f")
  assert_eq "$n" 0 "statements of ${f##*/} that read table data"
done
ok "no verifier, password or table data in either capture"
assert_eq "$(jq -r .dialect "$IT_TMP/principals.json")" postgres "dialect recorded"
assert_eq "$(jq -r '.server_version_num > 150000' "$IT_TMP/principals.json")" true "server version recorded"

say "every command but plan refuses a capture and changes nothing"
for cmd in migrate validate; do
  run_tool "refuse_$cmd" "$cmd" --source "capture:$IT_TMP/sample.json" --target "$DST_CONN" \
    --schema acme
  expect_rc 2 "$cmd from a capture"
  assert_output_contains "a capture can only be planned from" "$cmd names the reason"
done
capture dst_state.after db_state "$DST_CONN"
assert_same_file "$IT_TMP/dst_state.before" "$IT_TMP/dst_state.after" "target state"

