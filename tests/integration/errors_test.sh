#!/usr/bin/env bash
# End-to-end error handling: missing schema, wrong password, unreachable servers, a conflicting
# object on the target, and secret files. Each failure must give the documented exit code, be
# quick, leak no password and leave the target untouched.
#
#   tests/integration/errors_test.sh PATH_TO_TENANTSHIFT
#
# Exit codes under test: 3 source-side error, 4 target-side error (see the CLI's documentation).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "${1:-}"

PASSWORD='S3cr3t-W0rd!'

# assert_dst_unchanged WHAT: the target is exactly as in $IT_TMP/dst_state.reference.
assert_dst_unchanged() {
  capture dst_state.now db_state "$DST_CONN"
  assert_same_file "$IT_TMP/dst_state.reference" "$IT_TMP/dst_state.now" "dst state before/after $1"
}

# assert_no_password WHAT PATH...: the password appears in none of these files/directories.
assert_no_password() {
  local what=$1; shift
  local hits
  hits=$(grep -rlaF -- "$PASSWORD" "$@" 2>/dev/null || true)
  if [ -n "$hits" ]; then
    grep -raF -- "$PASSWORD" "$@" 2>/dev/null | head -5 | cut -c1-300 >&2
    fail "$what: the password appears in: $hits"
    return 0
  fi
  ok "$what: password appears in no output ($*)"
}

# write_secret FILE HOST PORT DBKEY USER PASSWORD: a secret file in the documented JSON shape.
write_secret() {
  local file=$1
  (umask 077
   jq -n --arg host "$2" --argjson port "$3" --arg dbkey "$4" --arg user "$5" --arg pw "$6" \
     '{host: $host, port: $port, ($dbkey): "postgres", username: $user, password: $pw}' >"$file")
}

# closed_port: a loopback TCP port nobody listens on right now.
closed_port() {
  local p tries=0
  while [ $tries -lt 200 ]; do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    tries=$((tries + 1))
  done
  die "no closed loopback port found"
}

say "set-up: role acme_owner on both clusters, sample tenant on src"
both_sql "CREATE ROLE acme_owner NOLOGIN"
load_sample_tenant "$SRC_CONN"
ok "sample_tenant.sql loaded"
capture dst_state.reference db_state "$DST_CONN"

# ------------------------------------------------------------------------------------------------
say "missing schema: exit 3, exactly one line on stderr naming the schema, dst unchanged"
MISSING='no_such_schema_ü'
run_tool missing1 migrate --source "$SRC_CONN" --target "$DST_CONN" --schema "$MISSING" \
  --work-dir "$IT_TMP/work_missing1"
expect_rc 3 "migrate --schema $MISSING"
n=$(grep -c '' "$ERR" || true)
if [ "$n" = 1 ]; then
  ok "exactly one line on stderr: $(head -c 300 "$ERR")"
else
  show_file "$ERR"; fail "expected exactly one line on stderr, got $n"
fi
assert_file_contains "$ERR" "$MISSING" "stderr names the missing schema"
assert_dst_unchanged "migrate of a missing schema"

run_tool missing2 migrate --source "$SRC_CONN" --target "$DST_CONN" --schema acme --schema "$MISSING" \
  --work-dir "$IT_TMP/work_missing2"
expect_rc 3 "migrate --schema acme --schema $MISSING"
assert_file_contains "$ERR" "$MISSING" "stderr names the missing schema"
assert_dst_unchanged "migrate of acme plus a missing schema (nothing partially created)"

# ------------------------------------------------------------------------------------------------
say "wrong password in a secret file: fails, leaks the password nowhere, dst unchanged"
mkdir -p "$IT_TMP/secrets"
write_secret "$IT_TMP/secrets/src-wrong.json" 127.0.0.1 "$SRC_PORT" database postgres "$PASSWORD"
write_secret "$IT_TMP/secrets/dst-wrong.json" 127.0.0.1 "$DST_PORT" dbname postgres "$PASSWORD"

run_tool badpw_src migrate --source "secret-file:$IT_TMP/secrets/src-wrong.json" --target "$DST_CONN" \
  "${TENANT_ARGS[@]}" --work-dir "$IT_TMP/work_badpw_src"
expect_rc 3 "migrate with a wrong source password"
assert_no_password "wrong source password" "$OUT" "$ERR" "$IT_TMP/work_badpw_src"
assert_dst_unchanged "migrate with a wrong source password"

run_tool badpw_dst migrate --source "$SRC_CONN" --target "secret-file:$IT_TMP/secrets/dst-wrong.json" \
  "${TENANT_ARGS[@]}" --work-dir "$IT_TMP/work_badpw_dst"
expect_rc 4 "migrate with a wrong target password"
assert_no_password "wrong target password" "$OUT" "$ERR" "$IT_TMP/work_badpw_dst"
assert_dst_unchanged "migrate with a wrong target password"

run_tool badpw_validate validate --source "secret-file:$IT_TMP/secrets/src-wrong.json" \
  --target "$DST_CONN" "${TENANT_ARGS[@]}"
expect_rc 3 "validate with a wrong source password"
assert_no_password "validate with a wrong source password" "$OUT" "$ERR"

# ------------------------------------------------------------------------------------------------
say "unreachable servers (closed loopback ports): fail within 30 s, dst unchanged"
CLOSED=$(closed_port)
note "closed port: 127.0.0.1:$CLOSED"
run_tool unreachable_src --timeout 30 migrate \
  --source "host=127.0.0.1 port=$CLOSED dbname=postgres user=postgres" --target "$DST_CONN" \
  "${TENANT_ARGS[@]}" --work-dir "$IT_TMP/work_unreachable_src"
expect_rc 3 "migrate from an unreachable source"
assert_dst_unchanged "migrate from an unreachable source"

run_tool unreachable_dst --timeout 30 migrate \
  --source "$SRC_CONN" --target "postgresql://postgres@127.0.0.1:$CLOSED/postgres" \
  "${TENANT_ARGS[@]}" --work-dir "$IT_TMP/work_unreachable_dst"
expect_rc 4 "migrate to an unreachable target"

# ------------------------------------------------------------------------------------------------
say "a conflicting acme table on the target: migrate refuses (exit 4) and changes nothing"
dst_sql "CREATE SCHEMA acme;
         CREATE TABLE acme.customers (id text PRIMARY KEY, note text);
         INSERT INTO acme.customers VALUES ('x', 'pre-existing row on the target')" >/dev/null
capture dst_state.reference db_state "$DST_CONN"
run_tool conflict migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --jobs 2 --work-dir "$IT_TMP/work_conflict"
expect_rc 4 "migrate onto a conflicting acme.customers"
assert_output_contains customers "the error names the conflicting table"
assert_dst_unchanged "the refused migrate"
assert_eq "$(dst_sql "SELECT count(*) FROM pg_namespace WHERE nspname = $(sql_lit "$HOSTILE_SCHEMA")")" 0 \
  "hostile schema not created on dst by the refused migrate"
dst_sql "DROP SCHEMA acme CASCADE" >/dev/null 2>&1

# ------------------------------------------------------------------------------------------------
say "secret files with the correct password work for validate after a migrate"
run_tool migrate migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --jobs 2 --work-dir "$IT_TMP/work_ok"
expect_rc 0 "migrate"
both_sql "CREATE ROLE ts_admin LOGIN SUPERUSER PASSWORD $(sql_lit "$PASSWORD")"
write_secret "$IT_TMP/secrets/src-ok.json" 127.0.0.1 "$SRC_PORT" database ts_admin "$PASSWORD"
write_secret "$IT_TMP/secrets/dst-ok.json" 127.0.0.1 "$DST_PORT" dbname ts_admin "$PASSWORD"
# No pgpass: the password can only come from the secret files.
PGPASSFILE=/nonexistent run_tool validate_secret validate \
  --source "secret-file:$IT_TMP/secrets/src-ok.json" --target "secret-file:$IT_TMP/secrets/dst-ok.json" \
  "${TENANT_ARGS[@]}"
expect_rc 0 "validate through secret files (keys database / dbname, user ts_admin)"
assert_no_password "validate through secret files" "$OUT" "$ERR"
assert_no_password "migrate and its work dir" "$IT_TMP/migrate.out" "$IT_TMP/migrate.err" "$IT_TMP/work_ok"
assert_no_pwned
