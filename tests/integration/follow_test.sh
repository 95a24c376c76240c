#!/usr/bin/env bash
# End-to-end: migrate --follow (PostgreSQL logical replication) under a steady writer, then
# cutover --freeze-source. Clusters run with wal_level = logical. The writer (a tenant login
# role) inserts, updates and deletes on several tables, one of them partitioned with rows moving
# between partitions, from before the migration until the freeze. Asserted with psql only:
# the preflight refuses tables without a replica identity and changes nothing; the target
# equals the frozen source in data and sequences; every acknowledged write is on the target;
# the freeze window is printed; nothing (slot, publication, subscription) is left on either
# server after the cutover, after --undo, or after --cleanup-follow following a kill -9.
#
#   tests/integration/follow_test.sh PATH_TO_TENANTSHIFT
export PGCLUSTER_LOGICAL=1
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/cutover_lib.sh"
it_init "${1:-}"

APP_PASSWORD='f0llow "pa55"'
say "set-up: sample tenant on src, a login role acme_app writing orders, events and customers"
setup_writer_tenant "acme.orders, acme.events, acme.customers"
assert_eq "$(src_sql "SHOW wal_level")" logical "wal_level of src"


# The target's server reaches the source with a passfile on its own host (the subscription's
# connection string holds no password).
follow_server_passfile

# nothing_left WHAT: no tenantshift slot or publication on src, no subscription on dst.
nothing_left() {
  assert_eq "$(src_sql "SELECT count(*) FROM pg_replication_slots") $(src_sql "SELECT count(*) FROM pg_publication") $(dst_sql "SELECT count(*) FROM pg_subscription")" \
    "0 0 0" "slots, publications on src and subscriptions on dst $1"
}

WORK="$IT_TMP/work"
SECRET="$IT_TMP/consumer.json"
jq -n --arg pw "$APP_PASSWORD" --argjson port "$SRC_PORT" \
  '{host: "127.0.0.1", port: $port, dbname: "postgres", username: "acme_app", password: $pw}' \
  >"$SECRET"

say "preflight: tables without a replica identity are listed and refused; nothing changes"
NO_IDENTITY=$(src_sql "SELECT format('%I.%I', n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname = ANY ($(sql_text_array "${TENANT_SCHEMAS[@]}"))
    AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)")
[ -n "$NO_IDENTITY" ] || die "the sample tenant has no table without a primary key to refuse"
run_tool refuse migrate --follow --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --work-dir "$WORK" --follow-conninfo "$FOLLOW_CONN"
expect_rc 3 "migrate --follow with tables lacking a replica identity"
while IFS= read -r t; do assert_output_contains "$t" "the refusal lists $t"; done <<<"$NO_IDENTITY"
assert_output_contains "--replica-identity-full" "the refusal names the option"
nothing_left "after the refusal"
assert_eq "$(dst_sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'acme'")" 0 "schema acme on dst"
run_tool pw migrate --follow --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --work-dir "$WORK" --replica-identity-full --follow-conninfo "$FOLLOW_CONN password=hunter2"
expect_rc 2 "a --follow-conninfo with a password"
if grep -qF hunter2 "$OUT" "$ERR"; then fail "the password was echoed"; else ok "the password is not echoed"; fi
nothing_left "after the refused conninfo"

# writer: order_writes, plus an event moved between partitions and a customer updated, one
# statement per connection, until refused three times in a row (the freeze).
writer() {
  local i=0 failures=0
  while [ "$failures" -lt 3 ]; do
    i=$((i + 1))
    if ! order_writes "$i"; then failures=$((failures + 1)) && continue; fi
    failures=0
    # 2022 rows go to the default partition, then to 2023, 2024, back to the default one.
    app_sql "UPDATE acme.events SET occurred_at = occurred_at + interval '1 year', kind = 'moved $i'
             WHERE id = $(((i * 37) % 3000 + 1))" >/dev/null && echo "mov $i" >>"$IT_TMP/acked"
    app_sql "UPDATE acme.customers SET name = name || '.' WHERE id = $((10 + 5 * (i % 60)))" >/dev/null || true  # refused once frozen
  done
}

say "migrate --follow with a writer running from before the copy"
: >"$IT_TMP/acked"
writer &
WRITER=$!
run_tool migrate migrate --follow --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --work-dir "$WORK" --jobs 2 --replica-identity-full --follow-conninfo "$FOLLOW_CONN"
expect_rc 0 "migrate --follow"
assert_output_contains "following: the subscription" "migrate returns once streaming"
assert_eq "$(dst_sql "SELECT count(*) FROM pg_stat_subscription WHERE pid IS NOT NULL")" 1 \
  "a running subscription worker on dst"
assert_eq "$(dst_sql "SELECT subconninfo LIKE '%password%' FROM pg_subscription")" f \
  "no password in pg_subscription"
at_migrate=$(wc -l <"$IT_TMP/acked")

say "status shows the replication lag"
run_tool status status --work-dir "$WORK"
expect_rc 0 "status"
assert_output_contains "follow: streaming; lag" "status shows the lag"
run_tool statusj status --json --work-dir "$WORK"
assert_eq "$(jq -r '.follow.lag_bytes >= 0 and .follow.slot and .follow.subscription' "$OUT")" true \
  "status --json: lag in bytes, slot and subscription"

wait_for_acks $((at_migrate + 30))

say "cutover --freeze-source: the subscription catches up, nothing needs copying again"
run_tool cutover cutover --freeze-source --work-dir "$WORK" --consumer-secret "secret-file:$SECRET" --jobs 2
expect_rc 0 "cutover --freeze-source"
if wait "$WRITER"; then ok "the writer stopped once frozen"; else fail "the writer failed"; fi
assert_output_contains "the subscription applied every change of the frozen source" "caught up by replication"
assert_output_contains "source frozen for " "the freeze window is printed"
assert_eq "$(jq -r '.catch_up.tables_recopied' "$WORK/cutover_report.json")" 0 \
  "tables copied again during the freeze"
note "$(grep 'source frozen for' "$OUT")"
nothing_left "after the cutover"

say "the target equals the frozen source"
assert_target_equals_source
assert_eq "$(dst_sql "SELECT count(*) FROM acme.events WHERE kind LIKE 'moved %'")" \
  "$(src_sql "SELECT count(*) FROM acme.events WHERE kind LIKE 'moved %'")" "moved events on dst"
assert_eq "$(dst_sql "SELECT count(*) > 0 FROM acme.events_2024 WHERE kind LIKE 'moved %'")" t \
  "rows moved into another partition arrived there"

say "every write acknowledged before the freeze is on the target"
check_acked_writes

say "cutover --undo leaves nothing either"
run_tool undo cutover --undo --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc 0 "cutover --undo"
nothing_left "after --undo"

say "kill -9 during migrate --follow, then status warns and --cleanup-follow removes what is left"
WORK2="$IT_TMP/work2"
both_sql "CREATE SCHEMA scratch; CREATE TABLE scratch.t (id int PRIMARY KEY, v text)"
src_sql "INSERT INTO scratch.t SELECT g, md5(g::text) FROM generate_series(1, 1000) g"
# The (empty) table is already on dst and locked there: the run waits on it after creating its
# slot, so the kill lands while the slot exists.
dst_sql "BEGIN; LOCK TABLE scratch.t IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600)" >/dev/null 2>&1 &
LOCKER=$!
"$TOOL" migrate --follow --on-existing skip --source "$SRC_CONN" --target "$DST_CONN" --schema scratch \
  --work-dir "$WORK2" --follow-conninfo "$FOLLOW_CONN" >"$IT_TMP/killed.out" 2>&1 </dev/null &
KILLED=$!
for _ in $(seq 600); do
  [ "$(dst_sql "SELECT count(*) FROM pg_locks WHERE relation = 'scratch.t'::regclass AND NOT granted")" -gt 0 ] && break
  src_sql "SELECT pg_sleep(0.05)" >/dev/null
done
assert_eq "$(src_sql "SELECT count(*) FROM pg_replication_slots")" 1 "a slot exists while the run waits"
kill -9 "$KILLED"
wait "$KILLED" 2>/dev/null || true
dst_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE pid <> pg_backend_pid() AND query LIKE '%LOCK TABLE scratch.t%'" >/dev/null
wait "$LOCKER" 2>/dev/null || true
run_tool status2 status --work-dir "$WORK2"
assert_output_contains "warning: follow left the replication slot" "status warns about the slot left behind"
run_tool clean cutover --cleanup-follow --work-dir "$WORK2"
expect_rc 0 "cutover --cleanup-follow"
nothing_left "after --cleanup-follow"
