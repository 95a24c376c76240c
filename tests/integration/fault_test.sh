#!/usr/bin/env bash
# Fault injection end to end: a migrate killed with SIGKILL at any moment loses nothing and a
# rerun converges; a connection dropped in the middle of a COPY (target side, then source side)
# is retried and the run still succeeds. Both sides are compared with pg_dump and plain SQL
# (lib.sh), never with tenantshift.
#
#   tests/integration/fault_test.sh PATH_TO_TENANTSHIFT
#
# The kill moments are pseudo-random but reproducible: they are drawn from FAULT_SEED (printed
# at the start). Knobs (environment):
#   FAULT_SEED      seed of the kill delays (default fixed below)
#   FAULT_ROUNDS    number of kill -9 rounds (default 20)
#   FAULT_BIG_ROWS  rows in acme.big, the table that makes a migration last a few seconds
#                   (default 600000 rows of about 200 bytes: a clean run takes ~3 s on 2 cores;
#                   every round costs about three clean runs, so this sets the test's duration)
# plus lib.sh's IT_KEEP_TMP / IT_KEEP_GOING / IT_TOOL_TIMEOUT.
#
# Exits 0 when every check passes, 1 on the first failed check.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FAULT_SEED=${FAULT_SEED:-1729}
FAULT_ROUNDS=${FAULT_ROUNDS:-20}
FAULT_BIG_ROWS=${FAULT_BIG_ROWS:-600000}
FAULT_JOBS=3
# A run that must finish (rerun, retried run) may take this long before it counts as hung.
FAULT_RUN_LIMIT=60
# The per-table fingerprint of acme.big sorts all its row text (~140 MB): let it sort in memory.
IT_PGOPTIONS+=' -c work_mem=256MB'

for v in FAULT_SEED FAULT_ROUNDS FAULT_BIG_ROWS; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer, got [${!v}]"
done
[ "$FAULT_ROUNDS" -ge 1 ] || die "FAULT_ROUNDS must be at least 1"

it_init "${1:-}"

MIGRATE_ARGS=(migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" --jobs "$FAULT_JOBS")
DROP_TENANT_SQL="DROP SCHEMA IF EXISTS $(sql_ident acme), $(sql_ident "$HOSTILE_SCHEMA") CASCADE"

now_ms() { date +%s%3N; }
ms_to_s() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

# Deterministic pseudo-random numbers: a 31-bit linear congruential generator (glibc's
# constants), independent of bash's $RANDOM so the sequence is the same on every bash version.
PRNG_STATE=$FAULT_SEED
# prng_next: sets PRNG_OUT to the next number in [0, 2^23) (the low bits of an LCG are weak).
prng_next() {
  PRNG_STATE=$(((PRNG_STATE * 1103515245 + 12345) % 2147483648))
  PRNG_OUT=$((PRNG_STATE >> 8))
}

# dst_tenant_state: a one-line summary of what the tenant looks like on dst right now, read from
# the catalogs (which never wait for locks), plus the committed rows of acme.big when its lock
# is free, and the dst backends still running a statement (left over from a killed client).
dst_tenant_state() {
  local arr; arr=$(sql_text_array "${TENANT_SCHEMAS[@]}")
  psql_run "$DST_CONN" -c "
    SELECT format('schemas=%s tables=%s indexes=%s constraints=%s sequences=%s',
           (SELECT count(*) FROM pg_namespace WHERE nspname = ANY ($arr)),
           count(*) FILTER (WHERE c.relkind IN ('r', 'p')),
           count(*) FILTER (WHERE c.relkind IN ('i', 'I')),
           (SELECT count(*) FROM pg_constraint k JOIN pg_namespace kn ON kn.oid = k.connamespace
             WHERE kn.nspname = ANY ($arr)),
           count(*) FILTER (WHERE c.relkind = 'S'))
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY ($arr)"
  if [ "$(psql_run "$DST_CONN" -c "SELECT to_regclass('acme.big') IS NOT NULL")" = t ]; then
    psql_run "$DST_CONN" -c "SET lock_timeout = '100ms'" -c "SELECT 'acme.big rows=' || count(*) FROM acme.big" \
      2>/dev/null || echo "acme.big rows=? (locked by a leftover backend)"
  else
    echo "acme.big absent"
  fi
  psql_run "$DST_CONN" -c "
    SELECT 'leftover backend ' || pid || ' (' || state || ', ' || round(extract(epoch FROM now() - query_start)::numeric, 2)
           || ' s): ' || left(regexp_replace(query, '\s+', ' ', 'g'), 100)
      FROM pg_stat_activity
     WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'
     ORDER BY pid"
}

# assert_dst_matches_src WHAT: the tenant on dst equals the one on src: normalized schema dump,
# per-table row count + md5 of all rows (no row missing or duplicated), sequence definitions and
# positions.
assert_dst_matches_src() {
  local what=$1
  capture schema.dst schema_dump "$DST_CONN" "${TENANT_SCHEMAS[@]}"
  assert_same_file "$IT_TMP/schema.src" "$IT_TMP/schema.dst" "$what: normalized schema dumps (src vs dst)"
  capture fp.dst data_fingerprint "$DST_CONN" "${TENANT_SCHEMAS[@]}"
  if [ -n "${FP_SRC_PID:-}" ]; then  # the src fingerprint, computed alongside (first check only)
    wait "$FP_SRC_PID" || die "computing the src fingerprint failed"
    FP_SRC_PID=''
    [ "$(wc -l <"$IT_TMP/fp.src")" -ge 17 ] || die "fingerprint of src lists too few tables"
    grep -qF "acme.big|$FAULT_BIG_ROWS|" "$IT_TMP/fp.src" || die "fingerprint of src lacks acme.big with $FAULT_BIG_ROWS rows"
  fi
  assert_same_file "$IT_TMP/fp.src" "$IT_TMP/fp.dst" "$what: per-table count+md5 fingerprints (src vs dst)"
  capture seq.dst sequence_state "$DST_CONN" "${TENANT_SCHEMAS[@]}"
  assert_same_file "$IT_TMP/seq.src" "$IT_TMP/seq.dst" "$what: sequence states (src vs dst)"
}

reset_dst() {
  dst_sql "$DROP_TENANT_SQL" >/dev/null 2>&1 || die "could not drop the tenant schemas on dst"
  assert_eq "$(dst_sql "SELECT count(*) FROM pg_namespace WHERE nspname = ANY ($(sql_text_array "${TENANT_SCHEMAS[@]}"))")" 0 \
    "tenant schemas on dst after the reset"
}

# ------------------------------------------------------------------------------------------------
say "set-up: role acme_owner on both clusters, sample tenant plus acme.big ($FAULT_BIG_ROWS rows) on src"
both_sql "CREATE ROLE acme_owner NOLOGIN"
load_sample_tenant "$SRC_CONN"
src_sql "
  CREATE TABLE acme.big (
    id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    customer_id integer NOT NULL,
    created_at  timestamptz NOT NULL,
    payload     text NOT NULL
  );
  ALTER TABLE acme.big OWNER TO acme_owner;
  COMMENT ON TABLE acme.big IS 'bulk rows: makes a migration last a few seconds';
  INSERT INTO acme.big (customer_id, created_at, payload)
  SELECT 10 + 5 * (g % 60), timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',
         repeat(md5(g::text), 5) || ' ü ' || g
    FROM generate_series(1, $FAULT_BIG_ROWS) g;
  CREATE INDEX big_customer_created_idx ON acme.big (customer_id, created_at);
  -- Wide text keys: slow to build, so a good part of a run is spent building acme.big's indexes
  -- after its data is in, and kills land there too (a killed client's CREATE INDEX goes on).
  CREATE INDEX big_payload_idx ON acme.big (payload);" >/dev/null
# Set hint bits and the visibility map now, so the clean run (whose duration bounds the kill
# moments) is not slowed down by being the first to read the fresh rows.
src_sql "VACUUM (FREEZE, ANALYZE) acme.big" >/dev/null
BIG_ROWS_SRC=$(src_sql "SELECT count(*) FROM acme.big")
assert_eq "$BIG_ROWS_SRC" "$FAULT_BIG_ROWS" "rows in acme.big on src"
note "acme.big on src: $(src_sql "SELECT pg_size_pretty(pg_relation_size('acme.big'))") heap, $(src_sql "SELECT pg_size_pretty(pg_total_relation_size('acme.big'))") with indexes"

# The source never changes: take its views once (the fingerprint after the clean run).
capture schema.src schema_dump "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
capture seq.src sequence_state "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
grep -qxF "CREATE SCHEMA acme;" "$IT_TMP/schema.src" || die "schema dump of src lacks CREATE SCHEMA acme (dump helper broken?)"

# ------------------------------------------------------------------------------------------------
say "clean migrate (measures how long a whole run takes)"
t0=$(now_ms)
run_tool clean --timeout "$FAULT_RUN_LIMIT" "${MIGRATE_ARGS[@]}" --work-dir "$IT_TMP/work_clean"
CLEAN_MS=$(($(now_ms) - t0))
expect_rc 0 "clean migrate"
note "clean run took $(ms_to_s "$CLEAN_MS") s"
[ "$CLEAN_MS" -ge 500 ] || die "the clean run took only ${CLEAN_MS} ms: acme.big is too small to leave room for faults"
# The src fingerprint (seconds: acme.big) runs in the background next to dst's.
capture fp.src data_fingerprint "$SRC_CONN" "${TENANT_SCHEMAS[@]}" &
FP_SRC_PID=$!
assert_dst_matches_src "clean run"
reset_dst

# ------------------------------------------------------------------------------------------------
# kill -9 at FAULT_ROUNDS seeded moments. The moments are stratified: round i is killed at a
# pseudo-random point of the i-th slice of [0, clean run duration), so a handful of rounds still
# covers the start (catalog, DDL), the middle (COPY) and the end (indexes, constraints, owners,
# sequences, ANALYZE, validation) of a run.
say "kill -9 at $FAULT_ROUNDS pseudo-random moments (seed $FAULT_SEED, window 0..$(ms_to_s "$CLEAN_MS") s), then rerun"
note "reproduce with FAULT_SEED=$FAULT_SEED FAULT_ROUNDS=$FAULT_ROUNDS FAULT_BIG_ROWS=$FAULT_BIG_ROWS"
KILLED_ROUNDS=0
SUMMARY=()
for ((round = 1; round <= FAULT_ROUNDS; round++)); do
  prng_next
  delay_ms=$((((round - 1) * CLEAN_MS + (PRNG_OUT * CLEAN_MS >> 23)) / FAULT_ROUNDS))
  say "round $round/$FAULT_ROUNDS: migrate, kill -9 after $(ms_to_s "$delay_ms") s, rerun to completion"
  work="$IT_TMP/work_kill$round"
  printf '     $ tenantshift'; printf ' %q' "${MIGRATE_ARGS[@]}" --work-dir "$work"; printf ' &  # then kill -9\n'
  t0=$(now_ms)
  "$TOOL" "${MIGRATE_ARGS[@]}" --work-dir "$work" >"$IT_TMP/kill$round.out" 2>"$IT_TMP/kill$round.err" </dev/null &
  pid=$!
  sleep "$(ms_to_s "$delay_ms")"  # the deliberate random kill moment, not a synchronisation
  kill -KILL "$pid" 2>/dev/null || true
  set +e
  wait "$pid" 2>/dev/null
  rc=$?
  set -e
  elapsed_ms=$(($(now_ms) - t0))
  state=$(dst_tenant_state | paste -sd';' | sed 's/;/; /g')
  if [ "$rc" = 137 ]; then
    KILLED_ROUNDS=$((KILLED_ROUNDS + 1))
    note "killed at $(ms_to_s "$delay_ms") s (reaped after $(ms_to_s "$elapsed_ms") s); dst then: $state"
    note "the killed run's last log line: $(tail -n 1 "$IT_TMP/kill$round.out" | cut -c1-160)"
  else
    # Not a failure of the tool: a run can be quicker than the clean one. Still rerun and check.
    note "the run had already ended with exit $rc before the kill at $(ms_to_s "$delay_ms") s; dst: $state"
  fi
  SUMMARY+=("round $round: kill at $(ms_to_s "$delay_ms") s, $([ "$rc" = 137 ] && echo killed || echo "already exited $rc"); dst at kill: $state")

  # resume continues the killed run; a kill that landed before the run was even recorded in the
  # ledger leaves nothing to resume (exit 7), and then the same migrate starts it again.
  run_tool "rerun$round" --timeout "$FAULT_RUN_LIMIT" resume --work-dir "$work" --jobs "$FAULT_JOBS"
  if [ "$RC" = 7 ] && grep -q "nothing to resume" "$IT_TMP/rerun$round.err" 2>/dev/null; then
    note "the kill came before the run was recorded: migrate again"
    run_tool "rerun$round" --timeout "$FAULT_RUN_LIMIT" "${MIGRATE_ARGS[@]}" --work-dir "$work"
  fi
  expect_rc 0 "resume after the kill at $(ms_to_s "$delay_ms") s"
  SUMMARY[-1]+="; rerun exit $RC in ${ELAPSED}s"
  assert_dst_matches_src "round $round"
  reset_dst
done
say "kill rounds summary (seed $FAULT_SEED, clean run $(ms_to_s "$CLEAN_MS") s)"
printf '     %s\n' "${SUMMARY[@]}"
[ "$KILLED_ROUNDS" -ge $(((FAULT_ROUNDS + 1) / 2)) ] \
  || fail "only $KILLED_ROUNDS of $FAULT_ROUNDS runs were still running when killed: the kill moments did not hit running migrations"
ok "$KILLED_ROUNDS of $FAULT_ROUNDS runs were killed while running"

# ------------------------------------------------------------------------------------------------
# terminate_mid_copy SIDE: SIDE is dst (the COPY ... FROM STDIN backend on the target) or src
# (the COPY ... TO STDOUT backend on the source). Starts a migrate of an empty dst, waits for
# that backend to have moved at least 100000 rows of acme.big, terminates it, and expects the
# tool to retry the table and succeed.
terminate_mid_copy() {
  local side=$1 conn pattern name="terminate_$1"
  if [ "$side" = dst ]; then
    conn=$DST_CONN; pattern='COPY "acme"."big" (%) FROM STDIN%'
  else
    conn=$SRC_CONN; pattern='COPY "acme"."big" (%) TO STDOUT%'
  fi
  local work="$IT_TMP/work_$name"
  OUT="$IT_TMP/$name.out"; ERR="$IT_TMP/$name.err"
  printf '     $ tenantshift'; printf ' %q' "${MIGRATE_ARGS[@]}" --work-dir "$work"; printf ' &\n'
  local t0; t0=$(now_ms)
  timeout -k 10 "$FAULT_RUN_LIMIT" "$TOOL" "${MIGRATE_ARGS[@]}" --work-dir "$work" >"$OUT" 2>"$ERR" </dev/null &
  local pid=$! found='' polls=0
  # Wait for the condition: poll pg_stat_activity + pg_stat_progress_copy every 50 ms, 30 s at most.
  while [ "$polls" -lt 600 ]; do
    found=$(psql_run "$conn" -c "
      SELECT a.pid || ' ' || p.tuples_processed
        FROM pg_stat_activity a JOIN pg_stat_progress_copy p ON p.pid = a.pid
       WHERE a.query LIKE $(sql_lit "$pattern") AND p.tuples_processed >= 100000
       ORDER BY a.pid LIMIT 1")
    [ -z "$found" ] || break
    kill -0 "$pid" 2>/dev/null || break
    polls=$((polls + 1))
    sleep 0.05
  done
  if [ -z "$found" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    show_file "$OUT"; show_file "$ERR"
    fail "$side: no backend running [$pattern] with >= 100000 rows moved was seen within 30 s"
    return 0
  fi
  local bpid=${found%% *} rows=${found#* }
  local terminated
  terminated=$(psql_run "$conn" -c "SELECT pg_terminate_backend($bpid)")
  note "$side backend $bpid (${pattern%% (*} ...) had moved $rows of $BIG_ROWS_SRC rows after $(ms_to_s $(($(now_ms) - t0))) s"
  assert_eq "$terminated" t "pg_terminate_backend($bpid) on $side"
  set +e
  wait "$pid" 2>/dev/null
  RC=$?
  set -e
  note "the migrate exited $RC after $(ms_to_s $(($(now_ms) - t0))) s"
  # The terminated COPY had not finished and its transaction cannot have committed, so a success
  # with all the rows on dst means the table was copied again.
  expect_rc 0 "migrate with its $side COPY connection terminated mid-COPY"
  assert_eq "$(psql_run "$conn" -c "SELECT count(*) FROM pg_stat_activity WHERE pid = $bpid")" 0 \
    "terminated backend $bpid is gone"
  assert_dst_matches_src "$side connection dropped mid-COPY"
  assert_eq "$(dst_sql "SELECT count(*) FROM acme.big")" "$BIG_ROWS_SRC" \
    "rows in acme.big on dst (= src, no duplicates)"
  assert_eq "$(dst_sql "SELECT count(*) FROM (SELECT id FROM acme.big GROUP BY id HAVING count(*) > 1) d")" 0 \
    "ids in acme.big on dst that occur more than once"
  assert_eq "$(jq -r '.tables[] | select(.schema == "acme" and .table == "big") | "\(.succeeded) \(.rows)"' "$work/migration_report.json")" \
    "true $BIG_ROWS_SRC" "report: acme.big succeeded, rows"
}

say "target connection dropped mid-COPY: pg_terminate_backend on dst's COPY \"acme\".\"big\" ... FROM STDIN"
terminate_mid_copy dst
reset_dst

say "source connection dropped mid-COPY: pg_terminate_backend on src's COPY \"acme\".\"big\" ... TO STDOUT"
terminate_mid_copy src

assert_no_pwned
note "total test time ${SECONDS}s"
