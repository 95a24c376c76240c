#!/usr/bin/env bash
# kill -9 of tenantshift during migrate --follow and during cutover, then resume / cutover again:
# every case converges, and nothing (slot, publication, subscription) is left on either server
# after the cutover and after --undo. Each kill lands at a known moment without sleeping: a psql
# session holds a lock the tool must wait for, the test polls the server until the tool's
# session is the one waiting (or its last query is the one named), then kills it.
#   1. migrate --follow killed during its copy: resume refuses (naming --cleanup-follow) and
#      changes nothing; --cleanup-follow, resume and cutover --freeze-source then converge.
#   2. cutover --freeze-source killed while waiting for the subscription (its apply worker waits
#      on a locked table), 3. the next cutover killed while checksumming (the subscription
#      already dropped: the one after must not wait for it), 4. the next one killed after the
#      switch while dropping the publication; the fourth cutover finishes: the target equals
#      the frozen source and holds every acknowledged write, nothing is left; --undo then too.
#
#   tests/integration/follow_kill_test.sh PATH_TO_TENANTSHIFT
export PGCLUSTER_LOGICAL=1
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/cutover_lib.sh"
it_init "${1:-}"

APP_PASSWORD='k1ll "pa55"'
say "set-up: sample tenant on src, a login role acme_app writing orders"
setup_writer_tenant "acme.orders"

follow_server_passfile

# leftovers: "slots publications subscriptions" on the servers.
leftovers() {
  echo "$(src_sql "SELECT count(*) FROM pg_replication_slots") $(src_sql "SELECT count(*) FROM pg_publication") $(dst_sql "SELECT count(*) FROM pg_subscription")"
}

# hold_lock SIDE SQL: runs "BEGIN; SQL" in a psql session on SIDE (src|dst) that then sleeps
# holding the locks SQL took; LOCKER is its pid. release_lock ends it.
hold_lock() {
  "${1}_sql" "BEGIN; $2; SELECT pg_sleep(600)" >/dev/null 2>&1 &
  LOCKER=$!
  LOCKER_SIDE=$1
}
release_lock() {
  "${LOCKER_SIDE}_sql" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE pid <> pg_backend_pid() AND query LIKE '%pg_sleep(600)%'" >/dev/null
  wait "$LOCKER" 2>/dev/null || true
}

# wait_until SIDE SQL WHAT: polls SIDE until SQL answers t (at most a minute).
wait_until() {
  for _ in $(seq 1200); do
    [ "$("${1}_sql" "$2")" = t ] && { ok "$3"; return 0; }
    src_sql "SELECT pg_sleep(0.05)" >/dev/null
  done
  die "timed out waiting until $3"
}

# start_tool NAME ARGS...: tenantshift in the background; KILLED is its pid.
start_tool() {
  local name=$1; shift
  "$TOOL" "$@" >"$IT_TMP/$name.out" 2>&1 </dev/null &
  KILLED=$!
}
kill_tool() {
  kill -9 "$KILLED"
  wait "$KILLED" 2>/dev/null || true
  ok "tenantshift killed with SIGKILL ($1)"
}

# waits_on_lock SIDE TABLE: t when a session other than the locker waits for a lock on TABLE.
waits_on_lock() {
  echo "SELECT count(*) > 0 FROM pg_locks WHERE relation = $(sql_lit "$1")::regclass AND NOT granted"
}

say "1. migrate --follow killed during its copy; resume refuses and changes nothing"
WORK1="$IT_TMP/work1"
both_sql "CREATE SCHEMA scratch; CREATE TABLE scratch.t (id int PRIMARY KEY, v text)"
src_sql "INSERT INTO scratch.t SELECT g, md5(g::text) FROM generate_series(1, 1000) g"
hold_lock dst "LOCK TABLE scratch.t IN ACCESS EXCLUSIVE MODE"
start_tool migrate1 migrate --follow --on-existing skip --source "$SRC_CONN" --target "$DST_CONN" \
  --schema scratch --work-dir "$WORK1" --follow-conninfo "$FOLLOW_CONN"
wait_until dst "$(waits_on_lock scratch.t)" "the copy waits for scratch.t, its slot created"
kill_tool "during the copy"
release_lock
assert_eq "$(leftovers)" "1 1 0" "slots, publications, subscriptions left by the killed run"
run_tool resume1 resume --work-dir "$WORK1"
expect_rc 7 "resume of a killed migrate --follow"
assert_output_contains "cutover --cleanup-follow" "the refusal says how to go on"
assert_eq "$(leftovers)" "1 1 0" "slots, publications, subscriptions after the refusal"
assert_eq "$(dst_sql "SELECT count(*) FROM scratch.t")" 0 "rows the refused resume copied"
run_tool clean1 cutover --cleanup-follow --work-dir "$WORK1"
expect_rc 0 "cutover --cleanup-follow"
assert_eq "$(leftovers)" "0 0 0" "slots, publications, subscriptions after --cleanup-follow"
run_tool resume1b resume --work-dir "$WORK1"
expect_rc 0 "resume once the follow is cleaned up"
src_sql "UPDATE scratch.t SET v = 'changed since' WHERE id <= 10"
SECRET1="$IT_TMP/consumer1.json"
jq -n --argjson port "$SRC_PORT" '{host: "127.0.0.1", port: $port, dbname: "postgres"}' >"$SECRET1"
run_tool cut1 cutover --freeze-source --work-dir "$WORK1" --consumer-secret "secret-file:$SECRET1"
expect_rc 0 "cutover --freeze-source through the catch-up"
assert_eq "$(jq -r '.catch_up.tables_recopied' "$WORK1/cutover_report.json")" 1 "tables copied again"
assert_eq "$(dst_sql "SELECT count(*) FROM scratch.t WHERE v = 'changed since'")" 10 "changed rows on dst"
assert_eq "$(leftovers)" "0 0 0" "slots, publications, subscriptions after the cutover"

say "migrate --follow of the sample tenant with a writer running"
WORK="$IT_TMP/work"
SECRET="$IT_TMP/consumer.json"
jq -n --argjson port "$SRC_PORT" '{host: "127.0.0.1", port: $port, dbname: "postgres"}' >"$SECRET"
: >"$IT_TMP/acked"
writer() {
  local i=0 failures=0
  while [ "$failures" -lt 3 ]; do
    i=$((i + 1))
    if order_writes "$i"; then failures=0; else failures=$((failures + 1)); fi
  done
}
writer &
WRITER=$!
run_tool migrate migrate --follow --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --work-dir "$WORK" --jobs 2 --replica-identity-full --follow-conninfo "$FOLLOW_CONN"
expect_rc 0 "migrate --follow"
assert_eq "$(leftovers)" "1 1 1" "slots, publications, subscriptions while following"
wait_for_acks "$(($(wc -l <"$IT_TMP/acked") + 20))"
CUTOVER=(cutover --freeze-source --work-dir "$WORK" --consumer-secret "secret-file:$SECRET" --jobs 2)

say "2. cutover killed while waiting for the subscription (its apply worker waits on acme.orders)"
hold_lock dst "LOCK TABLE acme.orders IN ACCESS EXCLUSIVE MODE"
start_tool cut2 "${CUTOVER[@]}"
wait_until src "SELECT count(*) > 0 FROM pg_stat_activity
                WHERE pid <> pg_backend_pid() AND query LIKE '%confirmed_flush_lsn >= \$1%'" \
  "the cutover froze the source and waits for the subscription"
kill_tool "waiting for the subscription"
release_lock
if wait "$WRITER"; then ok "the writer stopped once frozen"; else fail "the writer failed"; fi
assert_eq "$(src_sql "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'acme_app'")" 0 "acme_app frozen"

say "3. cutover again, killed while checksumming (acme.notes locked on dst)"
hold_lock dst "LOCK TABLE acme.notes IN ACCESS EXCLUSIVE MODE"
start_tool cut3 "${CUTOVER[@]}"
wait_until dst "$(waits_on_lock acme.notes)" "the catch-up waits for acme.notes"
kill_tool "checksumming"
release_lock
assert_eq "$(leftovers)" "1 1 0" "slot and publication left, the subscription dropped"

say "4. cutover again, killed after the switch while dropping the publication"
PUB=$(src_sql "SELECT pubname FROM pg_publication")
hold_lock src "ALTER PUBLICATION $(sql_ident "$PUB") SET (publish = 'insert, update, delete')"
start_tool cut4 "${CUTOVER[@]}"
wait_until src "SELECT count(*) > 0 FROM pg_stat_activity
                WHERE wait_event_type = 'Lock' AND query LIKE 'DROP PUBLICATION%'" \
  "the cutover switched and waits to drop the publication"
kill_tool "dropping the publication"
# Its backend would go on once the lock is released: end it too, as a server does on noticing.
src_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE pid <> pg_backend_pid() AND query LIKE 'DROP PUBLICATION%'" >/dev/null
release_lock
# The switch was recorded before the kill (the killed process's terminal output is lost).
assert_eq "$(jq -r '[.freeze_phases[].phase] | index("wait for the subscription")' "$WORK/cutover_report.json")" \
  null "the third cutover did not wait for the dropped subscription"
assert_eq "$(jq -r .port "$SECRET")" "$DST_PORT" "the consumer secret points at dst"
assert_eq "$(leftovers)" "0 1 0" "the publication left by the kill"

say "the next cutover finishes: nothing is left, the target equals the frozen source"
run_tool cut5 "${CUTOVER[@]}"
expect_rc 0 "cutover after the kills"
assert_output_contains "stopped after switching" "it finishes the interrupted cleanup"
assert_eq "$(leftovers)" "0 0 0" "slots, publications, subscriptions after the cutover"
assert_target_equals_source
check_acked_writes

say "cutover --undo leaves nothing and unfreezes the source"
run_tool undo cutover --undo --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc 0 "cutover --undo"
assert_eq "$(leftovers)" "0 0 0" "slots, publications, subscriptions after --undo"
assert_eq "$(src_sql "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'acme_app'")" -1 "acme_app unfrozen"
assert_eq "$(jq -r .port "$SECRET")" "$SRC_PORT" "the consumer secret points at src again"
