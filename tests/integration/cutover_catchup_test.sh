#!/usr/bin/env bash
# End-to-end: the catch-up path of `cutover --freeze-source` (no change stream). After migrate,
# a tenant login role keeps writing one table (inserts, updates, deletes; its identity and
# default sequences advance) until the freeze stops it. The cutover must re-copy only that
# table, leave the target equal to the frozen source in data and sequences (checked with psql,
# never with tenantshift), keep every write acknowledged before the freeze, and print the
# freeze window. A cutover killed while frozen converges when run again.
#
#   tests/integration/cutover_catchup_test.sh PATH_TO_TENANTSHIFT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/cutover_lib.sh"
it_init "${1:-}"

APP_PASSWORD='catch-Up:pa55 "q"'
say "set-up: sample tenant on src, plus a login role acme_app that writes acme.orders"
setup_writer_tenant "acme.orders"


WORK="$IT_TMP/work"
SECRET="$IT_TMP/consumer.json"
jq -n --arg pw "$APP_PASSWORD" --argjson port "$SRC_PORT" \
  '{host: "127.0.0.1", port: $port, dbname: "postgres", username: "acme_app", password: $pw}' \
  >"$SECRET"

say "migrate the tenant"
run_tool migrate migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --work-dir "$WORK" --jobs 2
expect_rc 0 "migrate"

say "cutover --dry-run shows the expected freeze window and changes nothing"
cp "$SECRET" "$IT_TMP/consumer.orig.json"
run_tool dry cutover --dry-run --freeze-source --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc 0 "cutover --dry-run"
assert_output_contains "expected freeze window: about" "the dry run estimates the freeze window"
assert_output_contains "acme_app" "the dry run names the roles it would freeze"
assert_same_file "$IT_TMP/consumer.orig.json" "$SECRET" "consumer secret after the dry run"
assert_eq "$(src_sql "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'acme_app'")" -1 \
  "acme_app's connection limit after the dry run"

# writer: acme_app changes acme.orders (order_writes), one statement per connection, until it
# is refused three times in a row (the freeze).
writer() {
  local i=0 failures=0
  while [ "$failures" -lt 3 ]; do
    i=$((i + 1))
    if order_writes "$i"; then failures=0; else failures=$((failures + 1)); fi
  done
}

say "a writer changes acme.orders after the migration and goes on during the cutover"
: >"$IT_TMP/acked"
writer &
WRITER=$!
wait_for_acks 20

say "cutover --freeze-source with the writer running: only acme.orders is copied again"
run_tool cutover cutover --freeze-source --work-dir "$WORK" --consumer-secret "secret-file:$SECRET" --jobs 2
expect_rc 0 "cutover --freeze-source"
if wait "$WRITER"; then ok "the writer stopped once frozen"; else fail "the writer failed"; fi
assert_output_contains "source frozen for " "the freeze window is printed"
assert_output_contains "re-copied acme.orders: " "acme.orders is copied again"
assert_eq "$(grep -c '^re-copied ' "$OUT")" 1 "tables copied again (terminal)"
REPORT="$WORK/cutover_report.json"
assert_eq "$(jq -r '.catch_up.tables_recopied' "$REPORT")" 1 "tables copied again (report)"
assert_eq "$(jq -r '.catch_up.recopied[0].table' "$REPORT")" acme.orders "table copied again (report)"
assert_eq "$(jq -r '.catch_up.rows_recopied' "$REPORT")" \
  "$(src_sql "SELECT count(*) FROM acme.orders")" "rows copied again = rows of acme.orders"
assert_eq "$(jq -r '.catch_up.bytes_recopied > 0 and .freeze_seconds > 0' "$REPORT")" true \
  "bytes copied again and the freeze window in the report"
assert_eq "$(jq -r '.catch_up.tables_checked' "$REPORT")" \
  "$(src_sql "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind = 'r' AND n.nspname = ANY ($(sql_text_array "${TENANT_SCHEMAS[@]}"))")" \
  "tables checksummed (every table of the tenant with rows of its own)"
note "$(grep 'source frozen for' "$OUT")"
if grep -qaF -- "pa55" "$WORK"/* "$OUT" "$ERR"; then
  fail "the consumer's password reached the work directory or the output"
else
  ok "no password in the ledger, the report or the output"
fi

say "the target equals the frozen source"
assert_target_equals_source

say "every write acknowledged before the freeze is on the target"
check_acked_writes

say "cutover --undo; a cutover killed while frozen converges when run again"
run_tool undo cutover --undo --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc 0 "cutover --undo"
assert_eq "$(src_sql "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'acme_app'")" -1 \
  "acme_app's connection limit after undo"
app_sql "UPDATE acme.orders SET notes = 'after undo' WHERE id = (SELECT max(id) FROM acme.orders)" >/dev/null \
  || die "acme_app cannot write after undo"
# A cutover killed while frozen: a lock on a target table holds its checksum, so the kill lands
# after the freeze (the role's limit is 0, the ledger says "freezing") and before the switch.
# The next cutover must give back the limit recorded before the freeze (-1), not 0.
dst_sql "BEGIN; LOCK TABLE acme.notes; SELECT pg_sleep(600)" >/dev/null 2>&1 &
LOCKER=$!
"$TOOL" cutover --freeze-source --work-dir "$WORK" --consumer-secret "secret-file:$SECRET" \
  >"$IT_TMP/killed.out" 2>&1 </dev/null &
KILLED=$!
for _ in $(seq 600); do
  [ "$(dst_sql "SELECT count(*) FROM pg_locks WHERE relation = 'acme.notes'::regclass AND NOT granted")" -gt 0 ] && break
  src_sql "SELECT pg_sleep(0.05)" >/dev/null
done
assert_eq "$(src_sql "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'acme_app'")" 0 \
  "acme_app frozen while the cutover waits for the lock"
kill -9 "$KILLED"
wait "$KILLED" 2>/dev/null || true
kill "$LOCKER" 2>/dev/null || true
dst_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE pid <> pg_backend_pid() AND query LIKE '%LOCK TABLE acme.notes%'" >/dev/null
wait "$LOCKER" 2>/dev/null || true
assert_eq "$(jq -r .port "$SECRET")" "$SRC_PORT" "the killed cutover did not switch the consumer"
run_tool again cutover --freeze-source --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc 0 "cutover --freeze-source after the kill"
assert_output_contains "re-copied acme.orders" "the change made after undo is caught up"
capture src.data2 data_fingerprint "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
capture dst.data2 data_fingerprint "$DST_CONN" "${TENANT_SCHEMAS[@]}"
assert_same_file "$IT_TMP/src.data2" "$IT_TMP/dst.data2" "table data after the rerun"
run_tool undo2 cutover --undo --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc 0 "cutover --undo after the rerun"
assert_eq "$(src_sql "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'acme_app'")" -1 \
  "acme_app's connection limit is the one before the killed cutover"

say "DDL on the source since migrate: cutover refuses, names the table and changes nothing"
src_sql "ALTER TABLE acme.notes ADD COLUMN added_later integer"
cp "$SECRET" "$IT_TMP/consumer.before_ddl.json"
run_tool ddl cutover --freeze-source --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc_nonzero "cutover after DDL on the source"
assert_output_contains "the columns of acme.notes changed" "the refusal names the changed table"
assert_same_file "$IT_TMP/consumer.before_ddl.json" "$SECRET" "consumer secret after the refusal"
assert_eq "$(src_sql "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'acme_app'")" -1 \
  "acme_app unfrozen after the refusal"
