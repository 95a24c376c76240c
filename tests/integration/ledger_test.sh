#!/usr/bin/env bash
# End to end: the run ledger and everything built on it, against two real PostgreSQL clusters.
#
#   1. a table whose data violates a CHECK on the target fails alone (exit 1, report, retry file,
#      status), and `retry` after the fix copies only that table (exit 0, all data identical)
#   2. the failure budget: --max-failed-tables 2 with 5 failing tables stops early (exit 6);
#      `resume` after the fix finishes the run (exit 0)
#   3. a second run on a work directory in use is refused (exit 7), with flock(1) holding the
#      lock and with two real tenantshift runs
#   4. resume with another --schema or --target, or migrate onto a work directory holding
#      another migration, is refused (exit 7) and changes nothing; migrate --restart starts over
#   5. Ctrl-C (SIGINT) during the COPY of the big table: exit 130, no partial rows; `resume`
#      finishes without duplicates
#   6. preflight: a source role without SELECT on a table (exit 3) and a target role without
#      CREATE on the database (exit 4), connected through a secret file and a PGPASSFILE entry:
#      one stderr line naming the privilege, the target unchanged
#
# The tenant is tests/integration/ledger_tenant.sql (schema "shop"). Both sides are compared
# with pg_dump and plain SQL (lib.sh), never with tenantshift's own code.
#
#   tests/integration/ledger_test.sh PATH_TO_TENANTSHIFT
#
# Exits 0 when every check passes, 1 on the first failed check (see lib.sh for IT_KEEP_TMP and
# IT_KEEP_GOING). No fixed sleeps: every wait polls for its condition, with a bound.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LEDGER_SQL="$IT_DIR/ledger_tenant.sql"
TENANT=shop
NEIGHBOUR=shop_neighbour
ALL_TABLES=(big currencies customers invoices order_lines orders payments regions settings shipments tags)
BIG_ROWS=500000
# The tables made to fail with CHECK (qty < 50) on the target (each has rows with qty >= 50).
BUDGET_FAILING=(customers order_lines orders payments shipments)
OTHER_DB=ledger_other   # a second database on dst: "a different target"
RUN_LIMIT=120           # seconds a run that must finish may take before it counts as hung
# The fingerprint of shop.big sorts ~40 MB of row text: let it sort in memory.
IT_PGOPTIONS+=' -c work_mem=256MB'

it_init "${1:-}"

# ------------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------------
now_ms() { date +%s%3N; }
ms_to_s() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

# jqr FILE [jq options] FILTER: jq -r on FILE; a missing or unparsable file stops the test.
jqr() {
  local f=$1; shift
  [ -s "$f" ] || { ls -la "$(dirname "$f")" >&2 || true; die "$f is missing or empty"; }
  jq -r "$@" "$f" 2>"$IT_TMP/jq.err" || { show_file "$f"; show_file "$IT_TMP/jq.err"; die "jq $* failed on $f"; }
}

# status_json NAME WORKDIR: `tenantshift status --work-dir WORKDIR --json` into $IT_TMP/NAME.json,
# which must exit 0 and print valid JSON. Leaves RC/OUT/ERR of the status run.
status_json() {
  local name=$1 work=$2
  run_tool "$name" status --work-dir "$work" --json
  expect_rc 0 "status --json ($name)"
  cp "$OUT" "$IT_TMP/$name.json"
  jq -e . "$IT_TMP/$name.json" >/dev/null 2>&1 || { show_file "$IT_TMP/$name.json"; fail "status --json ($name) is not valid JSON"; }
}

# data_step_states FILE: "table state attempts sqlstate" for every data step in a status --json.
data_step_states() {
  jqr "$1" '.steps[] | select(.phase == "data") | "\(.table.name) \(.state) \(.attempts) \(.sqlstate // "-")"' | LC_ALL=C sort
}

# run_cmd NAME COMMAND...: like run_tool, for a command that wraps tenantshift (flock).
run_cmd() {
  local name=$1; shift
  OUT="$IT_TMP/$name.out"; ERR="$IT_TMP/$name.err"
  printf '     $'; printf ' %q' "$@"; printf '\n'
  local start=$SECONDS
  set +e
  "$@" >"$OUT" 2>"$ERR" </dev/null
  RC=$?
  set -e
  ELAPSED=$((SECONDS - start))
  note "exit $RC after ${ELAPSED}s"
}

# expect_one_stderr_line WHAT: the last run printed exactly one line on stderr.
expect_one_stderr_line() {
  local n; n=$(grep -c '' "$ERR" || true)
  if [ "$n" = 1 ]; then
    ok "$1: exactly one line on stderr: $(head -c 300 "$ERR")"
  else
    show_file "$ERR"; fail "$1: expected exactly one line on stderr, got $n"
  fi
}

# poll_sql CONN MAX_POLLS QUERY [PID]: runs QUERY every 50 ms until it returns a non-empty
# result, which it prints; at most MAX_POLLS times, and no longer than process PID lives.
# Returns 1 if the condition was not seen.
poll_sql() {
  local conn=$1 max=$2 query=$3 pid=${4:-} polls=0 got
  while [ "$polls" -lt "$max" ]; do
    got=$(psql_run "$conn" -c "$query") || return 1
    if [ -n "$got" ]; then printf '%s\n' "$got"; return 0; fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    polls=$((polls + 1))
    sleep 0.05
  done
  return 1
}

# wait_bounded PID SECONDS: waits for the background process PID, polling every 50 ms for at
# most SECONDS; kills it (exit 137) if it is still running then. Sets RC.
wait_bounded() {
  local pid=$1 limit_polls=$(($2 * 20)) polls=0
  while kill -0 "$pid" 2>/dev/null && [ "$polls" -lt "$limit_polls" ]; do
    polls=$((polls + 1))
    sleep 0.05
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  set +e
  wait "$pid" 2>/dev/null
  RC=$?
  set -e
}

# assert_dst_state_unchanged REFERENCE WHAT: db_state of dst equals $IT_TMP/REFERENCE.
assert_dst_state_unchanged() {
  capture dst_state.now db_state "$DST_CONN"
  assert_same_file "$IT_TMP/$1" "$IT_TMP/dst_state.now" "dst state before/after $2"
}

# assert_tenant_matches CONN WHAT: the tenant on CONN equals the one on src: normalized schema
# dump, per-table count+md5 fingerprint, sequence states; and shop.big holds no duplicate id.
assert_tenant_matches() {
  local conn=$1 what=$2
  capture schema.dst schema_dump "$conn" "$TENANT"
  assert_same_file "$IT_TMP/schema.src" "$IT_TMP/schema.dst" "$what: normalized schema dumps (src vs dst)"
  capture fp.dst data_fingerprint "$conn" "$TENANT"
  assert_same_file "$IT_TMP/fp.src" "$IT_TMP/fp.dst" "$what: per-table count+md5 fingerprints (src vs dst)"
  capture seq.dst sequence_state "$conn" "$TENANT"
  assert_same_file "$IT_TMP/seq.src" "$IT_TMP/seq.dst" "$what: sequence states (src vs dst)"
  assert_eq "$(psql_run "$conn" -c "SELECT count(*) || ' ' || count(DISTINCT id) FROM shop.big")" "$BIG_ROWS $BIG_ROWS" \
    "$what: rows and distinct ids of shop.big"
}

# dst_table_versions: one line per tenant table on dst: name|relfilenode|rows|min xmin|max xmin.
# A table whose rows were copied again (TRUNCATE gives a new relfilenode, new rows new xmins)
# shows a different line.
dst_table_versions() {
  psql_gexec "$DST_CONN" "
    SELECT format('SELECT %L, %s, count(*), min(xmin::text::bigint), max(xmin::text::bigint) FROM %I.%I',
                  c.relname, c.relfilenode, n.nspname, c.relname)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $(sql_lit "$TENANT") AND c.relkind IN ('r', 'p')
     ORDER BY c.relname COLLATE \"C\""
}

# precreate_failing TABLE...: on dst, the tenant schema and these tables exactly as on src
# (pg_dump --schema-only of src), each plus CONSTRAINT TABLE_qty_small CHECK (qty < 50).
precreate_failing() {
  local t args=()
  for t in "$@"; do args+=(-t "$TENANT.$t"); done
  { timeout 120 "$PG_BINDIR/pg_dump" -d "$SRC_CONN" --schema-only --no-privileges -n "$TENANT" -T "$TENANT.*"
    timeout 120 "$PG_BINDIR/pg_dump" -d "$SRC_CONN" --schema-only --no-privileges "${args[@]}"
  } >"$IT_TMP/precreate.sql" || die "pg_dump of schema $TENANT / tables $* on src failed"
  timeout 120 "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$DST_CONN" -f "$IT_TMP/precreate.sql" >/dev/null \
    || die "pre-creating schema $TENANT and tables $* on dst failed"
  for t in "$@"; do
    dst_sql "ALTER TABLE $TENANT.$t ADD CONSTRAINT ${t}_qty_small CHECK (qty < 50)" >/dev/null
  done
}

drop_tenant_on_dst() {
  dst_sql "DROP SCHEMA IF EXISTS $TENANT CASCADE" >/dev/null 2>&1 || die "could not drop schema $TENANT on dst"
  assert_eq "$(dst_sql "SELECT count(*) FROM pg_namespace WHERE nspname = $(sql_lit "$TENANT")")" 0 \
    "schema $TENANT on dst after dropping it"
}

# log_tables FILE: the tables named by the per-table log lines (started/done/FAILED) of a run's
# stdout, sorted and unique.
log_tables() {
  { grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z (started|done|FAILED) ' "$1" || true; } \
    | awk '{ name = $3; sub(/:$/, "", name); print name }' | LC_ALL=C sort -u
}

MIGRATE=(migrate --source "$SRC_CONN" --target "$DST_CONN" --schema "$TENANT")
OTHER_DST_CONN="host=127.0.0.1 port=$DST_PORT dbname=$OTHER_DB user=postgres"

# ------------------------------------------------------------------------------------------------
say "set-up: role ledger_owner on both clusters, database $OTHER_DB on dst, ledger_tenant.sql on src"
both_sql "CREATE ROLE ledger_owner NOLOGIN"
dst_sql "CREATE DATABASE $OTHER_DB" >/dev/null
PGOPTIONS="$IT_PGOPTIONS" timeout 300 "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$SRC_CONN" \
  -f "$LEDGER_SQL" >"$IT_TMP/load_ledger.log" 2>&1 \
  || { show_file "$IT_TMP/load_ledger.log" 60; die "loading ledger_tenant.sql failed"; }
capture src_tables src_sql "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                             WHERE n.nspname = 'shop' AND c.relkind = 'r' ORDER BY c.relname COLLATE \"C\""
assert_eq "$(paste -sd' ' "$IT_TMP/src_tables")" "${ALL_TABLES[*]}" "tenant tables on src"
assert_eq "$(src_sql "SELECT count(*) FROM shop.big")" "$BIG_ROWS" "rows in shop.big on src"
capture schema.src schema_dump "$SRC_CONN" "$TENANT"
capture seq.src sequence_state "$SRC_CONN" "$TENANT"
capture fp.src data_fingerprint "$SRC_CONN" "$TENANT"
[ "$(grep -c '' "$IT_TMP/fp.src")" = "${#ALL_TABLES[@]}" ] || die "fingerprint of src does not list ${#ALL_TABLES[@]} tables"
for t in "${BUDGET_FAILING[@]}"; do  # the fixture's promise the failure cases rely on
  [ "$(src_sql "SELECT count(*) > 0 FROM shop.$t WHERE qty >= 50")" = t ] || die "shop.$t on src has no row with qty >= 50"
done
[ "$(src_sql "SELECT max(qty) < 50 FROM (SELECT qty FROM shop.regions UNION ALL SELECT qty FROM shop.currencies
                UNION ALL SELECT qty FROM shop.settings UNION ALL SELECT qty FROM shop.tags) q")" = t ] \
  || die "a tiny table on src has qty >= 50"
ok "ledger_tenant.sql loaded: ${#ALL_TABLES[@]} tables, shop.big $BIG_ROWS rows ($(src_sql "SELECT pg_size_pretty(pg_relation_size('shop.big'))"))"

# ================================================================================================
# 6. Preflight: missing privileges of the connecting roles
# ================================================================================================
say "preflight set-up: src role ts_reader (no SELECT on shop.payments), dst role ts_writer (no CREATE on the database)"
READER_PW='r3ader-Pw!'
WRITER_PW='wr1ter-Pw!'
src_sql "CREATE ROLE ts_reader LOGIN PASSWORD $(sql_lit "$READER_PW");
         GRANT USAGE ON SCHEMA shop TO ts_reader;
         GRANT SELECT ON ALL TABLES IN SCHEMA shop TO ts_reader;
         GRANT SELECT ON ALL SEQUENCES IN SCHEMA shop TO ts_reader;
         REVOKE SELECT ON shop.payments FROM ts_reader" >/dev/null
dst_sql "CREATE ROLE ts_writer LOGIN PASSWORD $(sql_lit "$WRITER_PW");
         GRANT ledger_owner TO ts_writer" >/dev/null
assert_eq "$(dst_sql "SELECT has_database_privilege('ts_writer', current_database(), 'CREATE')")" f \
  "ts_writer has CREATE on database postgres (dst)"
mkdir -p "$IT_TMP/secrets"
(umask 077
 jq -n --arg port "$SRC_PORT" --arg pw "$READER_PW" \
   '{host: "127.0.0.1", port: ($port | tonumber), database: "postgres", username: "ts_reader", password: $pw}' \
   >"$IT_TMP/secrets/src-reader.json"
 { cat "$PGPASSFILE"; printf '127.0.0.1:%s:postgres:ts_writer:%s\n' "$DST_PORT" "$WRITER_PW"; } >"$IT_TMP/secrets/pgpass-writer")
READER_SRC="secret-file:$IT_TMP/secrets/src-reader.json"
WRITER_DST="host=127.0.0.1 port=$DST_PORT dbname=postgres user=ts_writer"
capture dst_state.pre db_state "$DST_CONN"

say "preflight: the source role lacks SELECT on shop.payments → exit 3, one line naming it, dst unchanged"
run_tool pre_src migrate --source "$READER_SRC" --target "$DST_CONN" --schema "$TENANT" --work-dir "$IT_TMP/work_pre_src"
expect_rc 3 "migrate with a source role lacking SELECT on shop.payments"
expect_one_stderr_line "missing source privilege"
assert_file_contains "$ERR" "SELECT on shop.payments" "stderr names the missing privilege (SELECT on shop.payments)"
if grep -qF "$READER_PW" "$OUT" "$ERR"; then fail "the source role's password appears in the output"; else ok "no password in the output"; fi
assert_dst_state_unchanged dst_state.pre "the refused migrate (source privilege)"

say "preflight: the target role lacks CREATE on the database → exit 4, one line naming it, dst unchanged"
PGPASSFILE="$IT_TMP/secrets/pgpass-writer" run_tool pre_dst migrate --source "$SRC_CONN" --target "$WRITER_DST" \
  --schema "$TENANT" --work-dir "$IT_TMP/work_pre_dst"
expect_rc 4 "migrate with a target role lacking CREATE on the database"
expect_one_stderr_line "missing target privilege"
assert_file_contains "$ERR" "CREATE on database postgres" "stderr names the missing privilege (CREATE on database postgres)"
assert_dst_state_unchanged dst_state.pre "the refused migrate (target privilege)"

say "preflight controls: with the privilege granted, the same roles pass the preflight (plan exits 0)"
src_sql "GRANT SELECT ON shop.payments TO ts_reader" >/dev/null
run_tool pre_src_ok plan --source "$READER_SRC" --target "$DST_CONN" --schema "$TENANT"
expect_rc 0 "plan with ts_reader (secret file) after GRANT SELECT ON shop.payments"
dst_sql "GRANT CREATE ON DATABASE postgres TO ts_writer" >/dev/null
PGPASSFILE="$IT_TMP/secrets/pgpass-writer" run_tool pre_dst_ok plan --source "$SRC_CONN" --target "$WRITER_DST" --schema "$TENANT"
expect_rc 0 "plan with ts_writer (PGPASSFILE entry) after GRANT CREATE ON DATABASE"
# Privileges are not migrated yet: drop the roles again, so src's grants do not show up as a
# difference in the schema dumps compared below.
src_sql "DROP OWNED BY ts_reader; DROP ROLE ts_reader" >/dev/null
dst_sql "REVOKE CREATE ON DATABASE postgres FROM ts_writer; DROP OWNED BY ts_writer; DROP ROLE ts_writer" >/dev/null
capture schema.src2 schema_dump "$SRC_CONN" "$TENANT"
cmp -s "$IT_TMP/schema.src" "$IT_TMP/schema.src2" || die "dropping ts_reader did not restore src's schema dump"

# ================================================================================================
# 3. One run per work directory: the lock held by flock(1)
# ================================================================================================
say "a work directory whose lock is held (flock -n W/lock tenantshift migrate ... W) is refused: exit 7"
W3="$IT_TMP/work_locked"
mkdir -p "$W3"
touch "$W3/lock"
capture dst_state.lock db_state "$DST_CONN"
run_cmd locked flock -n -E 99 "$W3/lock" timeout -k 10 60 "$TOOL" "${MIGRATE[@]}" --work-dir "$W3"
[ "$RC" != 99 ] || die "flock(1) could not take $W3/lock (exit 99): the test's own set-up is wrong"
expect_rc 7 "tenantshift migrate run under flock on its own work directory's lock"
expect_one_stderr_line "work directory in use"
assert_file_contains "$ERR" "$W3" "stderr names the work directory $W3"
[ ! -e "$W3/ledger.db" ] || { ls -la "$W3" >&2; fail "the refused run created $W3/ledger.db"; }
ok "the refused run created no ledger.db"
assert_dst_state_unchanged dst_state.lock "the run refused for the lock"

# ================================================================================================
# 1. A table whose data violates a CHECK on the target; retry after the fix
# ================================================================================================
say "dst: schema shop and table shop.orders as on src, plus CHECK (qty < 50) that src rows violate"
precreate_failing orders
assert_eq "$(dst_sql "SELECT count(*) FROM pg_constraint WHERE conname = 'orders_qty_small'")" 1 \
  "CHECK constraint orders_qty_small on dst"

say "migrate --on-existing skip: exit 1, the other 10 tables migrated and identical"
W1="$IT_TMP/work1"
run_tool fail1 "${MIGRATE[@]}" --on-existing skip --jobs 3 --work-dir "$W1"
expect_rc 1 "migrate with shop.orders violating orders_qty_small on dst"
capture fp.dst1 data_fingerprint "$DST_CONN" "$TENANT"
grep -v '^shop\.orders|' "$IT_TMP/fp.src" >"$IT_TMP/fp.src.not_orders"
grep -v '^shop\.orders|' "$IT_TMP/fp.dst1" >"$IT_TMP/fp.dst1.not_orders"
assert_same_file "$IT_TMP/fp.src.not_orders" "$IT_TMP/fp.dst1.not_orders" "fingerprints of the 10 other tables (src vs dst)"
assert_eq "$(dst_sql "SELECT count(*) FROM shop.orders")" 0 "rows of shop.orders on dst (the failed COPY left none)"

say "migration_report.json and retry_failed_tables.json name shop.orders, its constraint and SQLSTATE 23514"
R1="$W1/migration_report.json"
assert_eq "$(jqr "$R1" '.exit_code')" 1 "report exit_code"
assert_eq "$(jqr "$R1" '.failed_count')" 1 "report failed_count"
assert_eq "$(jqr "$R1" '.succeeded_count')" 10 "report succeeded_count"
assert_eq "$(jqr "$R1" '[.failed_tables[] | "\(.schema).\(.table)"] | join(",")')" "shop.orders" "report failed_tables"
assert_eq "$(jqr "$R1" '.failed_tables[0].cause')" 23514 "report failed_tables[0].cause (SQLSTATE)"
assert_eq "$(jqr "$R1" '.failed_tables[0].error | contains("orders_qty_small")')" true \
  "report failed_tables[0].error mentions the constraint orders_qty_small ($(jqr "$R1" '.failed_tables[0].error' | cut -c1-120))"
assert_eq "$(jqr "$R1" '.succeeded_tables | sort | join(" ")')" "$(printf '%s\n' "${ALL_TABLES[@]}" | grep -vx orders | LC_ALL=C sort | paste -sd' ')" \
  "report succeeded_tables"
assert_eq "$(jqr "$W1/retry_failed_tables.json" '[.tables[] | "\(.schema).\(.table)"] | join(",")')" "shop.orders" \
  "retry_failed_tables.json tables"

say "status and status --json show shop.orders failed, the other tables succeeded"
run_tool status1 status --work-dir "$W1"
expect_rc 0 "status"
if grep -qE '^ *failed +shop\.orders ' "$OUT"; then ok "status lists: $(grep -E '^ *failed +shop\.orders ' "$OUT" | head -1 | sed 's/  */ /g')"
else show_file "$OUT"; fail "status does not list shop.orders as failed"; fi
assert_eq "$(grep -cE '^ *succeeded +shop\.' "$OUT" || true)" 10 "tables listed as succeeded by status"
assert_file_contains "$OUT" "exit code 1" "status reports the last run's exit code 1"
status_json st1 "$W1"
assert_eq "$(jqr "$IT_TMP/st1.json" '.run.exit_code')" 1 "status --json run.exit_code"
data_step_states "$IT_TMP/st1.json" >"$IT_TMP/st1.data"
assert_eq "$(grep -c '' "$IT_TMP/st1.data")" 11 "data steps in status --json"
assert_eq "$(awk '$2 == "failed"' "$IT_TMP/st1.data")" "orders failed 1 23514" \
  "status --json failed data steps (table state attempts sqlstate)"
assert_eq "$(awk '$2 == "succeeded"' "$IT_TMP/st1.data" | grep -c '')" 10 "status --json succeeded data steps"
assert_eq "$(jqr "$IT_TMP/st1.json" '.steps[] | select(.phase == "data" and .table.name == "orders") | .error | contains("orders_qty_small")')" \
  true "status --json error of the orders data step mentions orders_qty_small"

say "fix the target (drop the CHECK), retry: exit 0, only shop.orders copied, everything identical"
capture versions.before dst_table_versions
jqr "$IT_TMP/st1.json" '.steps[] | select(.state == "succeeded") | "\(.key)\t\(.attempts)"' | LC_ALL=C sort >"$IT_TMP/st1.succeeded"
[ "$(grep -c '' "$IT_TMP/st1.succeeded")" -ge 20 ] || die "status --json lists too few succeeded steps"
dst_sql "ALTER TABLE shop.orders DROP CONSTRAINT orders_qty_small" >/dev/null
run_tool retry1 retry --work-dir "$W1"
expect_rc 0 "retry after dropping orders_qty_small"
cp "$OUT" "$IT_TMP/retry1.log"
assert_eq "$(jqr "$R1" '.failed_count')" 0 "report failed_count after retry"
assert_eq "$(jqr "$R1" '.exit_code')" 0 "report exit_code after retry"
assert_eq "$(jqr "$R1" '.succeeded_count')" 11 "report succeeded_count after retry"
assert_eq "$(jqr "$W1/retry_failed_tables.json" '.tables | length')" 0 "retry_failed_tables.json tables after retry"
assert_tenant_matches "$DST_CONN" "after retry"
assert_eq "$(log_tables "$IT_TMP/retry1.log" | paste -sd' ')" "shop.orders" "tables the retry's log shows copying"
status_json st2 "$W1"
assert_eq "$(jqr "$IT_TMP/st2.json" '.run.command')" retry "status --json run.command"
assert_eq "$(jqr "$IT_TMP/st2.json" '.run.exit_code')" 0 "status --json run.exit_code after retry"
assert_eq "$(jqr "$IT_TMP/st2.json" '[.steps[] | select(.state != "succeeded" and .state != "skipped")] | length')" 0 \
  "steps neither succeeded nor skipped after retry"
jqr "$IT_TMP/st2.json" '.steps[] | "\(.key)\t\(.attempts)"' | LC_ALL=C sort >"$IT_TMP/st2.attempts"
LC_ALL=C join -t $'\t' -a 1 -e MISSING -o 0,1.2,2.2 "$IT_TMP/st1.succeeded" "$IT_TMP/st2.attempts" \
  | awk -F'\t' '$2 != $3' >"$IT_TMP/rerun_steps"
if [ -s "$IT_TMP/rerun_steps" ]; then
  show_file "$IT_TMP/rerun_steps"; fail "retry re-ran steps that had succeeded (attempts changed)"
else
  ok "the $(grep -c '' "$IT_TMP/st1.succeeded") steps that had succeeded kept their attempt counts (not re-run)"
fi
assert_eq "$(jqr "$IT_TMP/st2.json" '.steps[] | select(.phase == "data" and .table.name == "orders") | "\(.state) \(.attempts)"')" \
  "succeeded 2" "status --json orders data step (state attempts)"
capture versions.after dst_table_versions
diff "$IT_TMP/versions.before" "$IT_TMP/versions.after" | grep '^[<>]' | cut -c3- | cut -d'|' -f1 | LC_ALL=C sort -u >"$IT_TMP/versions.changed" || true
assert_eq "$(paste -sd' ' "$IT_TMP/versions.changed")" "orders" \
  "dst tables whose storage or rows changed during the retry (relfilenode, xmin)"

# ================================================================================================
# 4. A work directory holding a run: other --schema / --target refused, --restart starts over
# ================================================================================================
say "control: resume of the finished run in $W1 with its recorded identity exits 0"
run_tool resume_same resume --work-dir "$W1"
expect_rc 0 "resume with the recorded source, target and schemas"

say "resume with another --schema or --target, migrate onto $W1 with another target: exit 7, nothing changed"
status_json st4 "$W1"
capture dst_state.w1 db_state "$DST_CONN"
capture other_state.w1 db_state "$OTHER_DST_CONN"

run_tool resume_schema resume --work-dir "$W1" --schema "$NEIGHBOUR"
expect_rc 7 "resume --schema $NEIGHBOUR (recorded: $TENANT)"
expect_one_stderr_line "resume with another --schema"
assert_file_contains "$ERR" "--schema" "stderr says the --schema arguments differ"
assert_file_contains "$ERR" "$W1" "stderr names the work directory"

run_tool resume_target resume --work-dir "$W1" --target "$OTHER_DST_CONN"
expect_rc 7 "resume --target (database $OTHER_DB; recorded: postgres)"
expect_one_stderr_line "resume with another --target"
assert_file_contains "$ERR" "target differs" "stderr says the target differs"
assert_file_contains "$ERR" "$OTHER_DB" "stderr names the new target"
assert_file_contains "$ERR" "$W1" "stderr names the work directory"

run_tool retry_schema retry --work-dir "$W1" --schema "$NEIGHBOUR"
expect_rc 7 "retry --schema $NEIGHBOUR (recorded: $TENANT)"

run_tool migrate_other migrate --source "$SRC_CONN" --target "$OTHER_DST_CONN" --schema "$TENANT" \
  --on-existing skip --work-dir "$W1"
expect_rc 7 "migrate to $OTHER_DB on a work directory holding the migration to postgres"
expect_one_stderr_line "migrate onto a work directory holding another migration"
assert_file_contains "$ERR" "$W1" "stderr names the work directory"
assert_file_contains "$ERR" "--restart" "stderr points to --restart"

run_tool resume_empty resume --work-dir "$IT_TMP/work_empty"
expect_rc 7 "resume of an empty work directory"
assert_file_contains "$ERR" "nothing to resume" "stderr says there is nothing to resume"

run_tool st4b status --work-dir "$W1" --json
expect_rc 0 "status --json after the refused commands"
assert_same_file "$IT_TMP/st4.json" "$OUT" "status --json of $W1 before/after the refused commands"
assert_dst_state_unchanged dst_state.w1 "the refused commands (database postgres)"
capture other_state.now db_state "$OTHER_DST_CONN"
assert_same_file "$IT_TMP/other_state.w1" "$IT_TMP/other_state.now" "dst database $OTHER_DB before/after the refused commands"

say "migrate --restart onto $W1 with the other target starts over: exit 0, tenant identical in $OTHER_DB"
run_tool migrate_restart migrate --source "$SRC_CONN" --target "$OTHER_DST_CONN" --schema "$TENANT" \
  --on-existing skip --work-dir "$W1" --restart --jobs 3
expect_rc 0 "migrate --restart to $OTHER_DB"
assert_tenant_matches "$OTHER_DST_CONN" "$OTHER_DB after migrate --restart"
status_json st5 "$W1"
# shellcheck disable=SC2016  # $db is jq's
assert_eq "$(jqr "$IT_TMP/st5.json" --arg db "$OTHER_DB" '"\(.run.command) \(.run.exit_code) \(.run.identity.target | contains($db))"')" \
  "migrate 0 true" "status --json of $W1: last run (command, exit code, target is $OTHER_DB)"
assert_eq "$(jqr "$IT_TMP/st5.json" '[.steps[] | select(.phase == "data" and .state == "succeeded" and .attempts == 1)] | length')" 11 \
  "data steps succeeded at the first attempt in the restarted run (the old run's records are gone)"

# ================================================================================================
# 2. Failure budget: --max-failed-tables 2 with 5 failing tables; resume after the fix
# ================================================================================================
say "dst: schema shop plus 5 tables (${BUDGET_FAILING[*]}) whose CHECK (qty < 50) src rows violate"
drop_tenant_on_dst
precreate_failing "${BUDGET_FAILING[@]}"

say "migrate --max-failed-tables 2 --jobs 2: stops early with exit 6"
W2="$IT_TMP/work2"
run_tool budget "${MIGRATE[@]}" --on-existing skip --max-failed-tables 2 --jobs 2 --work-dir "$W2"
expect_rc 6 "migrate with 5 failing tables and --max-failed-tables 2"
R2="$W2/migration_report.json"
assert_eq "$(jqr "$R2" '.exit_code')" 6 "report exit_code"
assert_eq "$(jqr "$R2" '[.warnings[] | select(contains("max-failed-tables"))] | length > 0')" true \
  "report warns that --max-failed-tables stopped the run"
status_json stb "$W2"
assert_eq "$(jqr "$IT_TMP/stb.json" '.run.exit_code')" 6 "status --json run.exit_code"
data_step_states "$IT_TMP/stb.json" >"$IT_TMP/stb.data"
note "data steps (table state attempts sqlstate): $(paste -sd, "$IT_TMP/stb.data" | sed 's/,/, /g')"
assert_eq "$(grep -c '' "$IT_TMP/stb.data")" 11 "data steps in status --json"
n_failed=$(awk '$2 == "failed"' "$IT_TMP/stb.data" | grep -c '' || true)
if [ "$n_failed" -ge 3 ] && [ "$n_failed" -le 4 ]; then
  ok "$n_failed tables failed: more than the budget of 2, at most 2 + --jobs 2 (the ones in flight when it ran out)"
else
  fail "expected 3 or 4 failed data steps (budget 2, --jobs 2), got $n_failed"
fi
bad=$(awk '$2 == "failed" && $4 != "23514"' "$IT_TMP/stb.data")
[ -z "$bad" ] || fail "failed data steps without SQLSTATE 23514: $bad"
mapfile -t failed_tables < <(awk '$2 == "failed" { print $1 }' "$IT_TMP/stb.data")
for t in "${failed_tables[@]}"; do
  printf '%s\n' "${BUDGET_FAILING[@]}" | grep -qx "$t" || fail "data step of $t failed, but it is not one of the failing tables"
done
ok "every failed data step is one of the 5 failing tables, with SQLSTATE 23514"
awk '$2 == "waiting" && $3 == 0 { print $1 }' "$IT_TMP/stb.data" >"$IT_TMP/never_run"
mapfile -t never_run <"$IT_TMP/never_run"
n_never=${#never_run[@]}
if [ "$n_never" -ge 1 ]; then ok "$n_never tables never attempted (waiting, 0 attempts): $(paste -sd' ' "$IT_TMP/never_run")"
else fail "no table was left unattempted: the run did not stop early"; fi
assert_eq "$(jqr "$IT_TMP/stb.json" '[.steps[] | select(.state == "running")] | length')" 0 \
  "steps the ledger still shows running after the stop"
run_tool status_budget status --work-dir "$W2"
expect_rc 0 "status"
for t in "${never_run[@]}"; do
  grep -qE "^ *waiting +shop\.$t " "$OUT" || { show_file "$OUT"; fail "status does not list shop.$t as waiting"; }
done
ok "status lists the never attempted tables as waiting"
jqr "$R2" '.tables[] | select(.cause == "not run") | .table' | LC_ALL=C sort >"$IT_TMP/report_not_run"
assert_eq "$(paste -sd' ' "$IT_TMP/report_not_run")" "$(LC_ALL=C sort "$IT_TMP/never_run" | paste -sd' ')" \
  "report: tables with cause \"not run\" = the never attempted ones"
for t in "${never_run[@]}"; do
  if [ "$(dst_sql "SELECT to_regclass('shop.$t') IS NULL")" = t ]; then
    note "never attempted table shop.$t does not exist on dst"
  else
    assert_eq "$(dst_sql "SELECT count(*) FROM shop.$t")" 0 "rows of the never attempted table shop.$t on dst"
  fi
done
for t in "${BUDGET_FAILING[@]}"; do
  assert_eq "$(dst_sql "SELECT count(*) FROM shop.$t")" 0 "rows of shop.$t on dst (pre-created, failing)"
done

say "fix the target (drop the 5 CHECKs), resume: exit 0, everything identical"
for t in "${BUDGET_FAILING[@]}"; do dst_sql "ALTER TABLE shop.$t DROP CONSTRAINT ${t}_qty_small" >/dev/null; done
run_tool budget_resume resume --work-dir "$W2"
expect_rc 0 "resume after dropping the CHECKs"
assert_eq "$(jqr "$R2" '"\(.exit_code) \(.failed_count) \(.succeeded_count)"')" "0 0 11" \
  "report after resume (exit_code failed_count succeeded_count)"
status_json stb2 "$W2"
assert_eq "$(jqr "$IT_TMP/stb2.json" '"\(.run.command) \(.run.exit_code)"')" "resume 0" "status --json last run after resume"
assert_eq "$(data_step_states "$IT_TMP/stb2.json" | awk '$2 == "succeeded"' | grep -c '' || true)" 11 "data steps succeeded after resume"
assert_tenant_matches "$DST_CONN" "after the budget stop and resume"

# ================================================================================================
# 5. Ctrl-C during the COPY of shop.big; resume (with a second run on the same directory refused)
# ================================================================================================
say "Ctrl-C: migrate in the background, SIGINT once the COPY of shop.big streams rows"
drop_tenant_on_dst
W5="$IT_TMP/work5"
OUT="$IT_TMP/sigint.out"; ERR="$IT_TMP/sigint.err"
printf '     $ tenantshift'; printf ' %q' "${MIGRATE[@]}" --jobs 2 --work-dir "$W5"; printf ' &  # then SIGINT\n'
t0=$(now_ms)
"$TOOL" "${MIGRATE[@]}" --jobs 2 --work-dir "$W5" >"$OUT" 2>"$ERR" </dev/null &
pid=$!
# Poll pg_stat_activity/pg_stat_progress_copy on dst every 50 ms, 30 s at most.
if found=$(poll_sql "$DST_CONN" 600 "
     SELECT a.pid || ' ' || p.tuples_processed
       FROM pg_stat_activity a JOIN pg_stat_progress_copy p ON p.pid = a.pid
      WHERE a.query LIKE 'COPY \"shop\".\"big\" (%) FROM STDIN%' AND p.tuples_processed > 0
      LIMIT 1" "$pid"); then
  kill -INT "$pid"
  note "SIGINT sent after $(ms_to_s $(($(now_ms) - t0))) s, dst COPY backend ${found%% *} had received ${found#* } of $BIG_ROWS rows"
else
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  show_file "$OUT"; show_file "$ERR"
  die "no COPY of shop.big with rows streamed was seen on dst within 30 s (the run may have ended first)"
fi
wait_bounded "$pid" 60
note "the migrate exited $RC $(ms_to_s $(($(now_ms) - t0))) s after it started"
expect_rc 130 "migrate interrupted with SIGINT"
assert_file_contains "$ERR" "stopping" "stderr says the run is stopping"
BIG_AFTER=$(dst_sql "SELECT count(*) FROM shop.big")
if [ "$BIG_AFTER" = 0 ] || [ "$BIG_AFTER" = "$BIG_ROWS" ]; then
  ok "rows of shop.big on dst after the interrupt: $BIG_AFTER (no partial COPY)"
else
  fail "shop.big on dst holds $BIG_AFTER rows after the interrupt: a partial COPY was committed"
fi
assert_eq "$(jqr "$W5/migration_report.json" '.exit_code')" 130 "report exit_code"
status_json st_int "$W5"
assert_eq "$(jqr "$IT_TMP/st_int.json" '.run.exit_code')" 130 "status --json run.exit_code"
assert_eq "$(jqr "$IT_TMP/st_int.json" '[.steps[] | select(.state == "running")] | length')" 0 \
  "steps the ledger still shows running after the graceful stop"

say "resume while dst's shop.big is locked: a second run on the same directory is refused, status shows it running"
LOCKED=0
if [ "$BIG_AFTER" = 0 ]; then
  # A dst session holds SHARE on shop.big, so the resumed run's copy of it waits (no sleep).
  PGAPPNAME=ledger_test_lock_holder PGOPTIONS="$IT_PGOPTIONS" timeout 120 "$PG_BINDIR/psql" -X -q -At \
    -d "$DST_CONN" -c "BEGIN; LOCK TABLE shop.big IN SHARE MODE; SELECT pg_sleep(110);" \
    >"$IT_TMP/holder.out" 2>&1 </dev/null &
  holder=$!
  holder_pid=$(poll_sql "$DST_CONN" 200 "
     SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
      WHERE a.application_name = 'ledger_test_lock_holder' AND l.relation = 'shop.big'::regclass
        AND l.mode = 'ShareLock' AND l.granted" "$holder") \
    || { show_file "$IT_TMP/holder.out"; die "the lock holder session did not get SHARE on shop.big"; }
  LOCKED=1
  ok "dst session $holder_pid holds SHARE on shop.big"
fi
OUT="$IT_TMP/resume5.out"; ERR="$IT_TMP/resume5.err"
printf '     $ tenantshift resume --work-dir %q &\n' "$W5"
timeout -k 10 "$RUN_LIMIT" "$TOOL" resume --work-dir "$W5" >"$OUT" 2>"$ERR" </dev/null &
rpid=$!
if [ "$LOCKED" = 1 ]; then
  waiting=$(poll_sql "$DST_CONN" 600 "
     SELECT pid FROM pg_stat_activity
      WHERE wait_event_type = 'Lock' AND query LIKE '%\"shop\".\"big\"%' AND pid <> $holder_pid LIMIT 1" "$rpid") \
    || { show_file "$OUT"; show_file "$ERR"; die "the resumed run never waited for the lock on shop.big"; }
  ok "the resumed run's backend $waiting waits for the lock on shop.big"
  run_tool resume5_second resume --work-dir "$W5"
  expect_rc 7 "a second resume on $W5 while the first runs"
  assert_file_contains "$ERR" "$W5" "stderr names the work directory"
  run_tool migrate5_second "${MIGRATE[@]}" --work-dir "$W5"
  expect_rc 7 "a migrate on $W5 while the resume runs"
  status_json st_run "$W5"
  assert_eq "$(jqr "$IT_TMP/st_run.json" '"\(.run.command) \(.run.exit_code)"')" "resume null" \
    "status --json while the resume runs (command, exit code)"
  assert_eq "$(jqr "$IT_TMP/st_run.json" '.steps[] | select(.phase == "data" and .table.name == "big") | .state')" running \
    "status --json: the data step of shop.big while it waits"
  assert_eq "$(dst_sql "SELECT pg_cancel_backend($holder_pid)")" t "cancel the lock holder (releases the lock)"
  wait_bounded "$holder" 30
  [ "$RC" != 0 ] || fail "the lock holder ended normally: it should have been cancelled"
else
  note "shop.big was complete after the interrupt: the concurrent-run checks need its copy to wait, skipped"
fi
OUT="$IT_TMP/resume5.out"; ERR="$IT_TMP/resume5.err"
wait_bounded "$rpid" "$RUN_LIMIT"
expect_rc 0 "resume after the interrupt"
assert_eq "$(jqr "$W5/migration_report.json" '"\(.exit_code) \(.failed_count)"')" "0 0" "report after resume (exit_code failed_count)"
assert_tenant_matches "$DST_CONN" "after Ctrl-C and resume"

# ================================================================================================
say "nothing outside the tenant reached dst"
assert_eq "$(dst_sql "SELECT count(*) FROM pg_namespace WHERE nspname = $(sql_lit "$NEIGHBOUR")")" 0 \
  "schema $NEIGHBOUR on dst"
assert_eq "$(psql_run "$OTHER_DST_CONN" -c "SELECT count(*) FROM pg_namespace WHERE nspname = $(sql_lit "$NEIGHBOUR")")" 0 \
  "schema $NEIGHBOUR in $OTHER_DB on dst"
note "total test time ${SECONDS}s"
