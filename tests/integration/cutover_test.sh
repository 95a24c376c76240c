#!/usr/bin/env bash
# End-to-end: migrate the sample tenant, then `cutover` a consumer's secret file to the target,
# `cutover --undo` it back, and `cutover --freeze-source`, checking with psql and jq (never with
# tenantshift) that the file points where it should, that the consumer's own credentials work
# on the target, and that a frozen tenant user can no longer write on the source.
#
#   tests/integration/cutover_test.sh PATH_TO_TENANTSHIFT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "${1:-}"

APP_PASSWORD='app-Pa55:w0rd\with "quotes"'
say "set-up: sample tenant on src, plus a login role acme_app that writes acme.customers"
src_sql "CREATE ROLE acme_owner NOLOGIN"
load_sample_tenant "$SRC_CONN"
src_sql "CREATE ROLE acme_app LOGIN PASSWORD $(sql_lit "$APP_PASSWORD")"
src_sql "GRANT USAGE ON SCHEMA acme TO acme_app; GRANT SELECT, INSERT ON acme.customers TO acme_app"
ok "acme_app can log in and insert on src"

# app_sql PORT SQL: runs SQL as acme_app on 127.0.0.1:PORT with its password (not from .pgpass).
app_sql() {
  PGPASSWORD=$APP_PASSWORD PGPASSFILE=/dev/null timeout 60 "$PG_BINDIR/psql" -X -q -At \
    -v ON_ERROR_STOP=1 -d "host=127.0.0.1 port=$1 dbname=postgres user=acme_app" -c "$2" 2>&1 </dev/null
}
app_insert() { app_sql "$1" "INSERT INTO acme.customers (name, login) VALUES ('cutover probe', 'probe-' || txid_current())"; }
app_insert "$SRC_PORT" >/dev/null || die "acme_app cannot insert on src before any freeze"

WORK="$IT_TMP/work"
SECRET="$IT_TMP/consumer.json"
jq -n --arg pw "$APP_PASSWORD" --argjson port "$SRC_PORT" \
  '{engine: "postgres", host: "127.0.0.1", port: $port, dbname: "postgres",
    username: "acme_app", password: $pw, team: "billing"}' >"$SECRET"
chmod 644 "$SECRET"
cp "$SECRET" "$IT_TMP/consumer.orig.json"

say "cutover before any migration is refused and changes nothing"
run_tool cutover0 cutover --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc 7 "cutover without a migration"
assert_output_contains "run migrate first" "the refusal says what to do"
assert_same_file "$IT_TMP/consumer.orig.json" "$SECRET" "consumer secret after the refusal"

say "--associate-iam-role with a PostgreSQL target is refused before anything changes"
run_tool iam migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --work-dir "$WORK" --associate-iam-role arn:aws:iam::123456789012:role/unload
expect_rc 2 "migrate --associate-iam-role to a PostgreSQL server"
assert_output_contains "not a Redshift endpoint name" "the error says why"
assert_eq "$(dst_sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'acme'")" 0 \
  "schema acme on dst after the refusal"
run_tool iam2 migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --work-dir "$WORK" --associate-iam-role default
expect_rc 2 "--associate-iam-role default"

say "migrate the tenant"
run_tool migrate migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --work-dir "$WORK" --jobs 2
expect_rc 0 "migrate"

say "cutover points the consumer's secret at the target and keeps its credentials"
run_tool cutover1 cutover --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc 0 "cutover"
assert_eq "$(jq -r '.host + ":" + (.port|tostring) + "/" + .dbname' "$SECRET")" \
  "127.0.0.1:$DST_PORT/postgres" "endpoint in the consumer secret"
assert_eq "$(jq -r '.port | type' "$SECRET")" "number" "port stays a number"
assert_eq "$(jq -r .password "$SECRET")" "$APP_PASSWORD" "password in the consumer secret"
assert_eq "$(jq -r '.username + " " + .team + " " + .engine' "$SECRET")" "acme_app billing postgres" \
  "other keys of the consumer secret"
assert_eq "$(stat -c %a "$SECRET")" 600 "mode of the rewritten secret file"
if grep -rqaF -- "w0rd" "$WORK" "$OUT" "$ERR"; then
  fail "the consumer's password reached the work directory or the output"
else
  ok "the password is in neither the ledger, the work directory nor the output"
fi
assert_eq "$(app_sql "$DST_PORT" "SELECT count(*) > 0 FROM acme.customers")" t \
  "acme_app logs in to the target with the secret's own credentials"

say "a second cutover is refused"
run_tool cutover2 cutover --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc 7 "second cutover"
assert_output_contains "cutover --undo" "the refusal names --undo"

say "cutover --undo puts the source's endpoint back"
run_tool undo1 cutover --undo --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc 0 "cutover --undo"
jq -S . "$IT_TMP/consumer.orig.json" >"$IT_TMP/orig.sorted"
jq -S . "$SECRET" >"$IT_TMP/after_undo.sorted"
assert_same_file "$IT_TMP/orig.sorted" "$IT_TMP/after_undo.sorted" "consumer secret before cutover / after undo"

say "cutover --freeze-source blocks acme_app on the source, validates again, then switches"
# An open session of acme_app, busy for minutes: the freeze must end it.
app_sql "$SRC_PORT" "SELECT pg_sleep(600)" >"$IT_TMP/app_session.out" &
APP_SESSION=$!
for _ in $(seq 100); do
  [ "$(src_sql "SELECT count(*) FROM pg_stat_activity WHERE usename = 'acme_app'")" = 1 ] && break
  src_sql "SELECT pg_sleep(0.1)" >/dev/null
done
[ "$(src_sql "SELECT count(*) FROM pg_stat_activity WHERE usename = 'acme_app'")" = 1 ] \
  || die "the session of acme_app did not start"
run_tool cutover3 cutover --freeze-source --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc 0 "cutover --freeze-source"
assert_output_contains "acme_app" "the output lists the frozen role"
assert_output_contains "source frozen for " "the output shows the catch-up and the freeze window"
assert_eq "$(src_sql "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'acme_app'")" 0 \
  "acme_app's connection limit on src"
if out=$(app_insert "$SRC_PORT"); then
  fail "acme_app could still insert on src after --freeze-source"
else
  ok "acme_app can no longer write on src ($(printf '%s' "$out" | head -1 | cut -c1-100))"
fi
assert_eq "$(jq -r .port "$SECRET")" "$DST_PORT" "consumer secret points at the target"
if wait "$APP_SESSION"; then
  fail "acme_app's open session was not ended by the freeze"
else
  assert_file_contains "$IT_TMP/app_session.out" "terminating connection" \
    "acme_app's open session was ended by the freeze"
fi

say "cutover --undo unfreezes the source and restores the secret"
run_tool undo2 cutover --undo --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc 0 "cutover --undo after a freeze"
assert_eq "$(src_sql "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'acme_app'")" -1 \
  "acme_app's connection limit on src"
app_insert "$SRC_PORT" >/dev/null && ok "acme_app writes on src again" \
  || fail "acme_app still cannot write on src after --undo"
jq -S . "$SECRET" >"$IT_TMP/after_undo2.sorted"
assert_same_file "$IT_TMP/orig.sorted" "$IT_TMP/after_undo2.sorted" "consumer secret after the second undo"
