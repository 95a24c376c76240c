#!/usr/bin/env bash
# End-to-end: plan, migrate, validate and re-migrate the sample tenant between two real
# PostgreSQL clusters, comparing both sides with pg_dump and plain SQL (never with tenantshift).
#
#   tests/integration/migrate_test.sh PATH_TO_TENANTSHIFT
#
# Exits 0 when every check passes, 1 on the first failed check.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "${1:-}"

say "set-up: role acme_owner on src only (tenantshift creates it on dst), sample tenant on src"
src_sql "CREATE ROLE acme_owner NOLOGIN"
load_sample_tenant "$SRC_CONN"
ok "sample_tenant.sql loaded"
capture dst_state.initial db_state "$DST_CONN"
capture src_schemas schema_names "$SRC_CONN"
capture dst_schemas.initial schema_names "$DST_CONN"
for s in "${TENANT_SCHEMAS[@]}" "${NON_TENANT_SCHEMAS[@]}"; do
  grep -qxF -- "$s" "$IT_TMP/src_schemas" || die "sample tenant did not create schema [$s] on src"
done
ok "src has schemas: $(paste -sd, "$IT_TMP/src_schemas")"

# ------------------------------------------------------------------------------------------------
say "plan prints the SQL it would run and changes nothing"
run_tool plan plan --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" --jobs 3
expect_rc 0 "plan"
assert_file_contains "$OUT" "CREATE TABLE" "plan output mentions CREATE TABLE"
assert_file_contains "$OUT" "$(sql_ident "$HOSTILE_SCHEMA")" \
  "plan output quotes the hostile schema as $(sql_ident "$HOSTILE_SCHEMA")"
if grep -qE -- '(^|[^_[:alnum:]])"?(other|acme_archive)"?\.' "$OUT"; then
  grep -nE -- '(^|[^_[:alnum:]])"?(other|acme_archive)"?\.' "$OUT" | head -5 >&2
  fail "plan output mentions objects of schema other or acme_archive (not part of the tenant)"
else
  ok "plan output does not mention objects of schemas other / acme_archive"
fi
capture dst_state.after_plan db_state "$DST_CONN"
assert_same_file "$IT_TMP/dst_state.initial" "$IT_TMP/dst_state.after_plan" "dst state before/after plan"

# ------------------------------------------------------------------------------------------------
say "migrate --jobs 3 exits 0"
WORK1="$IT_TMP/work1"
run_tool migrate1 migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --jobs 3 --work-dir "$WORK1"
expect_rc 0 "migrate"
cp "$OUT" "$IT_TMP/migrate1.summary"

# ------------------------------------------------------------------------------------------------
say "schema-only dumps of the tenant schemas are identical on src and dst"
capture schema.src schema_dump "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
capture schema.dst schema_dump "$DST_CONN" "${TENANT_SCHEMAS[@]}"
for line in "CREATE SCHEMA acme;" "CREATE SCHEMA $(sql_ident "$HOSTILE_SCHEMA");"; do
  grep -qxF -- "$line" "$IT_TMP/schema.src" || die "schema dump of src lacks [$line] (dump helper broken?)"
done
assert_same_file "$IT_TMP/schema.src" "$IT_TMP/schema.dst" "normalized schema dumps (src vs dst)"

say "every tenant table has the same row count and row checksum on src and dst"
capture fp.src data_fingerprint "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
capture fp.dst data_fingerprint "$DST_CONN" "${TENANT_SCHEMAS[@]}"
[ "$(wc -l <"$IT_TMP/fp.src")" -ge 16 ] || die "fingerprint of src lists too few tables"
assert_same_file "$IT_TMP/fp.src" "$IT_TMP/fp.dst" "per-table count+md5 fingerprints (src vs dst)"
note "largest: $(sort -t'|' -k2,2nr "$IT_TMP/fp.src" | head -1)"

say "sequences: same definition, last_value and is_called on src and dst"
capture seq.src sequence_state "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
capture seq.dst sequence_state "$DST_CONN" "${TENANT_SCHEMAS[@]}"
grep -qF 'acme.never_used_seq|42|f' "$IT_TMP/seq.src" || die "sequence helper: never_used_seq not found on src"
assert_same_file "$IT_TMP/seq.src" "$IT_TMP/seq.dst" "sequence states (src vs dst)"

say "the owner role was created on dst, with the source's attributes"
role_q="SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolconnlimit
          FROM pg_roles WHERE rolname = 'acme_owner'"
assert_eq "$(dst_sql "$role_q")" "$(src_sql "$role_q")" "acme_owner on dst"
assert_eq "$(dst_sql "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'acme'")" \
  acme_owner "owner of schema acme on dst"

say "nothing outside the tenant reached dst"
capture dst_schemas.after schema_names "$DST_CONN"
{ cat "$IT_TMP/dst_schemas.initial"; printf '%s\n' "${TENANT_SCHEMAS[@]}"; } | LC_ALL=C sort >"$IT_TMP/dst_schemas.expected"
LC_ALL=C sort "$IT_TMP/dst_schemas.after" >"$IT_TMP/dst_schemas.after.sorted"
assert_same_file "$IT_TMP/dst_schemas.expected" "$IT_TMP/dst_schemas.after.sorted" \
  "dst schemas (initial + tenant schemas only)"
assert_eq "$(dst_sql "SELECT count(*) FROM pg_namespace WHERE nspname IN ('other', 'acme_archive')")" 0 \
  "count of schemas other/acme_archive on dst"
assert_eq "$(dst_sql "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'public'")" 0 "count of relations created in public on dst"
assert_no_pwned

say "migration_report.json"
# check_report FILE: the report exists, parses, has the documented keys and no failure.
check_report() {
  local report=$1 key s missing=''
  if [ ! -f "$report" ]; then
    ls -la "$(dirname "$report")" >&2 || true
    fail "no $report"; return 0
  fi
  jq -e . "$report" >/dev/null || { show_file "$report"; fail "${report##*/} is not valid JSON"; return 0; }
  ok "${report##*/} parses"
  for key in timestamp schemas total_tables succeeded_count failed_count succeeded_tables failed_tables; do
    jq -e --arg k "$key" 'has($k)' "$report" >/dev/null || missing+=" $key"
  done
  [ -z "$missing" ] || { show_file "$report"; fail "report lacks keys:$missing"; return 0; }
  ok "report has keys timestamp schemas total_tables succeeded_count failed_count succeeded_tables failed_tables"
  assert_eq "$(jq -r '.failed_count' "$report")" 0 "report failed_count"
  assert_eq "$(jq -r '.failed_tables | length' "$report")" 0 "report failed_tables length"
  assert_eq "$(jq -r '.succeeded_count == .total_tables and .total_tables > 0' "$report")" true \
    "report succeeded_count == total_tables > 0"
  assert_eq "$(jq -r '.succeeded_tables | length' "$report")" "$(jq -r '.succeeded_count' "$report")" \
    "report succeeded_tables length == succeeded_count"
  for s in "${TENANT_SCHEMAS[@]}"; do
    jq -e --arg s "$s" '[.schemas | .. | strings] | any(. == $s)' "$report" >/dev/null \
      || { show_file "$report"; fail "report .schemas does not contain [$s] verbatim"; return 0; }
  done
  ok "report .schemas names both tenant schemas verbatim (unicode and quotes intact)"
}
check_report "$WORK1/migration_report.json"

# ------------------------------------------------------------------------------------------------
say "validate exits 0 on the freshly migrated tenant"
run_tool validate1 validate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}"
expect_rc 0 "validate"

# ------------------------------------------------------------------------------------------------
say "a second migrate (fresh work dir) is a no-op: nothing duplicated, nothing changed"
WORK2="$IT_TMP/work2"
run_tool migrate2 migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --jobs 3 --work-dir "$WORK2"
expect_rc 0 "second migrate"
capture fp.dst2 data_fingerprint "$DST_CONN" "${TENANT_SCHEMAS[@]}"
assert_same_file "$IT_TMP/fp.src" "$IT_TMP/fp.dst2" "fingerprints after the second migrate (src vs dst)"
capture schema.dst2 schema_dump "$DST_CONN" "${TENANT_SCHEMAS[@]}"
assert_same_file "$IT_TMP/schema.dst" "$IT_TMP/schema.dst2" "dst schema dump before/after the second migrate"
capture seq.dst2 sequence_state "$DST_CONN" "${TENANT_SCHEMAS[@]}"
assert_same_file "$IT_TMP/seq.src" "$IT_TMP/seq.dst2" "sequence states after the second migrate (src vs dst)"
check_report "$WORK2/migration_report.json"
assert_no_pwned

# ------------------------------------------------------------------------------------------------
say "validate detects one modified row on dst (row count unchanged)"
dst_sql "UPDATE acme.notes SET body = body || ' (changed)' WHERE id = 8" >/dev/null
assert_eq "$(dst_sql "SELECT count(*) FROM acme.notes")" 15 "row count of acme.notes on dst after the change"
run_tool validate2 validate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}"
expect_rc 1 "validate after modifying acme.notes on dst"
assert_output_contains notes "validate output names the mismatched table"
dst_sql "UPDATE acme.notes SET body = left(body, -10) WHERE id = 8" >/dev/null

# ------------------------------------------------------------------------------------------------
say "identity/serial columns and sequences hand out the same next values on src and dst (consumes one value each)"
capture next.src next_values "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
capture next.dst next_values "$DST_CONN" "${TENANT_SCHEMAS[@]}"
grep -qF 'acme.customers.id|325' "$IT_TMP/next.src" || { show_file "$IT_TMP/next.src"; die "next_values helper: unexpected src value for acme.customers.id"; }
assert_same_file "$IT_TMP/next.src" "$IT_TMP/next.dst" "next values (src vs dst)"
