#!/usr/bin/env bash
# End-to-end: migrate the sample tenant PostgreSQL -> S3 -> PostgreSQL (--via s3://...) between
# two real clusters and a local S3 server (s3rver, scripts/s3server.sh), then compare both sides
# with pg_dump and plain SQL, and list the bucket to check the staged files are gone.
# Also: a bad --via URL, a missing bucket and an unreachable endpoint fail up front and change
# nothing; a table whose load fails keeps its staged files and the error names where they are.
#
#   tests/integration/via_s3_test.sh PATH_TO_TENANTSHIFT
#
# S3RVER_PREFIX (set by ctest) is where s3rver is installed once from the npm registry.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "${1:-}"

say "starting s3rver under $IT_TMP/s3"
# shellcheck disable=SC2153  # IT_WATCHDOG_FD is lib.sh's
# s3rver must not inherit lib.sh's watchdog pipe, or a SIGKILLed test would leave the clusters.
"$REPO_ROOT/scripts/s3server.sh" start "$IT_TMP/s3" {IT_WATCHDOG_FD}>&- >/dev/null \
  || die "scripts/s3server.sh start failed"
# Its own watchdog, as lib.sh's for the clusters: stops s3rver if this shell dies unannounced.
# shellcheck disable=SC2016,SC2034  # expanded by the inner bash; the fd is only held open
exec {S3_WATCHDOG_FD}> >(exec setsid bash -c 'read -r _ || true; "$0" stop "$1" >/dev/null 2>&1' \
  "$REPO_ROOT/scripts/s3server.sh" "$IT_TMP/s3")
via_cleanup() {
  local rc=$?
  "$REPO_ROOT/scripts/s3server.sh" stop "$IT_TMP/s3" >/dev/null 2>&1
  (exit "$rc")
  it_cleanup
}
trap via_cleanup EXIT
# shellcheck disable=SC1091
source "$IT_TMP/s3/env"
ok "s3rver at $AWS_ENDPOINT_URL_S3, bucket $S3_TEST_BUCKET"
STAGING="s3://$S3_TEST_BUCKET/staging/run"

# s3_keys PREFIX: every key under PREFIX in the test bucket, one per line (an unsigned
# ListObjectsV2 straight to s3rver, not through tenantshift).
s3_keys() {
  curl -sf "$AWS_ENDPOINT_URL_S3/$S3_TEST_BUCKET?list-type=2&max-keys=1000&prefix=$1" \
    | grep -o '<Key>[^<]*</Key>' | sed -e 's/<Key>//' -e 's/<\/Key>//' || true
}

say "set-up: role acme_owner on src only, sample tenant on src"
src_sql "CREATE ROLE acme_owner NOLOGIN"
load_sample_tenant "$SRC_CONN"
capture dst_state.initial db_state "$DST_CONN"

# ------------------------------------------------------------------------------------------------
say "bad --via values fail before anything changes"
run_tool badurl migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --work-dir "$IT_TMP/work-bad" --via "https://$S3_TEST_BUCKET/staging"
expect_rc 2 "--via with an https:// URL"
assert_output_contains "does not start with s3://" "the error says what is wrong with the URL"
run_tool nobucket migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --work-dir "$IT_TMP/work-bad" --restart --via "s3://no-such-bucket-ts/staging"
expect_rc 2 "--via naming a bucket that does not exist"
assert_output_contains "s3://no-such-bucket-ts/" "the error names the bucket"
assert_output_contains "NoSuchBucket" "the error gives S3's code"
AWS_ENDPOINT_URL_S3="http://127.0.0.1:1" run_tool unreachable migrate --source "$SRC_CONN" \
  --target "$DST_CONN" "${TENANT_ARGS[@]}" --work-dir "$IT_TMP/work-bad" --restart --via "$STAGING"
expect_rc 4 "--via with an unreachable S3 endpoint"
assert_output_contains "s3://$S3_TEST_BUCKET/staging/run" "the error names the staging location"
AWS_REGION='' AWS_DEFAULT_REGION='' AWS_CONFIG_FILE=/nonexistent run_tool noregion migrate \
  --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" --work-dir "$IT_TMP/work-bad" \
  --restart --via "$STAGING"
expect_rc 2 "--via with no AWS region configured"
assert_output_contains "no AWS region" "the error says the region is missing"
if grep -qF -- "$AWS_SECRET_ACCESS_KEY" "$IT_TMP"/{badurl,nobucket,unreachable,noregion}.{out,err}; then
  fail "the secret access key appears in the tool's output"
else
  ok "no output mentions the secret access key"
fi
capture dst_state.after_bad db_state "$DST_CONN"
assert_same_file "$IT_TMP/dst_state.initial" "$IT_TMP/dst_state.after_bad" "dst state before/after the refused runs"

# ------------------------------------------------------------------------------------------------
say "migrate --via $STAGING exits 0"
WORK1="$IT_TMP/work1"
run_tool migrate1 migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --jobs 3 --work-dir "$WORK1" --via "$STAGING"
expect_rc 0 "migrate --via"

say "the data went through S3: s3rver stored a staged file per table under the prefix"
# Distinct keys: a retried upload would log its object twice.
staged=$(grep -ao 'Stored object "staging/run/[^"]*/part-00000\.csv"' "$IT_TMP/s3/s3rver.log" \
  | sort -u | wc -l)
tables=$(src_sql "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE c.relkind = 'r' AND n.nspname = ANY ($(sql_text_array "${TENANT_SCHEMAS[@]}"))")
assert_eq "$staged" "$tables" "staged files stored (one per tenant table)"

say "schema-only dumps of the tenant schemas are identical on src and dst"
capture schema.src schema_dump "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
capture schema.dst schema_dump "$DST_CONN" "${TENANT_SCHEMAS[@]}"
assert_same_file "$IT_TMP/schema.src" "$IT_TMP/schema.dst" "normalized schema dumps (src vs dst)"

say "every tenant table has the same row count and row checksum on src and dst"
capture fp.src data_fingerprint "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
capture fp.dst data_fingerprint "$DST_CONN" "${TENANT_SCHEMAS[@]}"
[ "$(wc -l <"$IT_TMP/fp.src")" -ge 16 ] || die "fingerprint of src lists too few tables"
assert_same_file "$IT_TMP/fp.src" "$IT_TMP/fp.dst" "per-table count+md5 fingerprints (src vs dst)"

say "sequences: same definition, last_value and is_called on src and dst"
capture seq.src sequence_state "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
capture seq.dst sequence_state "$DST_CONN" "${TENANT_SCHEMAS[@]}"
assert_same_file "$IT_TMP/seq.src" "$IT_TMP/seq.dst" "sequence states (src vs dst)"

say "the report lists no failure; the staged files are gone"
assert_eq "$(jq -r '.failed_count' "$WORK1/migration_report.json")" 0 "report failed_count"
assert_eq "$(s3_keys staging/ | wc -l)" 0 "keys left under staging/ in the bucket"
assert_no_pwned

run_tool validate1 validate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}"
expect_rc 0 "validate after migrate --via"

# ------------------------------------------------------------------------------------------------
say "a load that fails keeps its staged files, names them, and leaves the target's rows alone"
src_sql "INSERT INTO acme.notes SELECT id + 1000, body, label, fixed, raw FROM acme.notes WHERE id = 8" >/dev/null
before=$(dst_sql "SELECT count(*) FROM acme.notes")
# Every new target transaction is read-only: the DELETE before the load fails.
dst_sql "ALTER DATABASE postgres SET default_transaction_read_only = on" >/dev/null
run_tool migrate2 migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --work-dir "$IT_TMP/work2" --on-existing replace --via "$STAGING"
psql_run "$DST_CONN" -c "SET default_transaction_read_only = off" \
  -c "ALTER DATABASE postgres RESET default_transaction_read_only" >/dev/null
expect_rc_nonzero "migrate --via into a read-only target"
assert_output_contains "staged files kept" "the error says the staged files were kept"
assert_output_contains "s3://$S3_TEST_BUCKET/staging/run/" "the error names the staging location"
assert_eq "$(dst_sql "SELECT count(*) FROM acme.notes")" "$before" "acme.notes rows on dst (unchanged)"
kept=$(s3_keys staging/run/ | grep -c '/acme/notes/part-00000\.csv$' || true)
assert_eq "$kept" 1 "staged file of acme.notes still in the bucket"
