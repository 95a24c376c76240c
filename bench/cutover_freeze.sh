#!/usr/bin/env bash
# Measures the freeze window of `tenantshift cutover --freeze-source` (seconds the tenant's
# roles are frozen, from the freeze to the switch, as cutover_report.json records it) on the
# bench tenant (pgbench tables + small tables, as bench/bench.sh builds it) under a steady
# writer (pgbench as a tenant login role, rate-limited), in two ways:
#   catch-up: migrate, the writer changes one table (pgbench_branches), cutover re-copies it;
#   follow:   migrate --follow while the writer updates accounts, tellers, branches and history,
#             then cutover (the subscription applies the last changes, nothing is re-copied).
#
#   bench/cutover_freeze.sh            # SCALE=10 SMALL_TABLES=100 JOBS=2 RATE=200
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
SCALE=${SCALE:-10}
SMALL_TABLES=${SMALL_TABLES:-100}
JOBS=${JOBS:-2}
RATE=${RATE:-200}  # writer transactions per second
TOOL=${TENANTSHIFT:-$REPO/build/tenantshift}
WORK=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/cutover-bench.XXXXXX")
chmod 755 "$WORK"
fail() { tail -20 "$WORK/$1" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
cleanup() { "$REPO/scripts/pgcluster.sh" stop "$WORK/pg" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

PGCLUSTER_LOGICAL=1 "$REPO/scripts/pgcluster.sh" start "$WORK/pg" >/dev/null
# shellcheck disable=SC1091
source "$WORK/pg/env"
SRC="host=127.0.0.1 port=$SRC_PORT user=postgres dbname=tenant"
q() { psql "$1" -X -q -At -v ON_ERROR_STOP=1 -c "$2"; }

log "building the tenant: pgbench scale $SCALE + $SMALL_TABLES small tables"
q "host=127.0.0.1 port=$SRC_PORT user=postgres dbname=postgres" "CREATE DATABASE tenant"
pgbench -i -q -s "$SCALE" -h 127.0.0.1 -p "$SRC_PORT" -U postgres tenant >/dev/null 2>&1
psql "$SRC" -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE SCHEMA bench;
ALTER TABLE public.pgbench_accounts SET SCHEMA bench;
ALTER TABLE public.pgbench_branches SET SCHEMA bench;
ALTER TABLE public.pgbench_tellers  SET SCHEMA bench;
ALTER TABLE public.pgbench_history  SET SCHEMA bench;
DO \$\$
BEGIN
  FOR i IN 1..$SMALL_TABLES LOOP
    EXECUTE format('CREATE TABLE bench.%I (id integer PRIMARY KEY, name text NOT NULL)',
                   'small_' || lpad(i::text, 4, '0'));
    EXECUTE format('INSERT INTO bench.%I SELECT g, %L || g FROM generate_series(1, 100) g',
                   'small_' || lpad(i::text, 4, '0'), 'row-' || i || '-');
  END LOOP;
END
\$\$;
CREATE ROLE bench_app LOGIN PASSWORD 'bench-app-pw';
ALTER ROLE bench_app SET search_path = bench;
GRANT USAGE ON SCHEMA bench TO bench_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA bench TO bench_app;
SQL
q "$SRC" "VACUUM ANALYZE"
SIZE=$(q "$SRC" "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bench' AND c.relkind = 'r'")
cp "$PGPASSFILE" "$WORK/server.pgpass"
[ "$(id -u)" = 0 ] && chown postgres "$WORK/server.pgpass"
chmod 600 "$WORK/server.pgpass"
printf '\\set bid random(1, %s)\nUPDATE pgbench_branches SET bbalance = bbalance + 1 WHERE bid = :bid;\n' \
  "$SCALE" >"$WORK/branches.sql"

# writer SCRIPT_ARGS...: pgbench as bench_app at $RATE tx/s until the freeze ends its sessions.
writer() {
  PGPASSWORD=bench-app-pw PGPASSFILE=/dev/null pgbench -n -c 2 -T 600 -R "$RATE" \
    -h 127.0.0.1 -p "$SRC_PORT" -U bench_app "$@" tenant >"$WORK/writer.log" 2>&1 || true
}

# round NAME MIGRATE_ARGS... : migrate into a fresh target database under the writer, cutover.
round() {
  local name=$1 script=$2; shift 2
  q "host=127.0.0.1 port=$DST_PORT user=postgres dbname=postgres" "CREATE DATABASE $name"
  local dst="host=127.0.0.1 port=$DST_PORT user=postgres dbname=$name"
  jq -n --argjson port "$SRC_PORT" '{host: "127.0.0.1", port: $port, dbname: "tenant"}' \
    >"$WORK/$name.secret.json"
  if [ "$name" = catchup ]; then
    "$TOOL" migrate --source "$SRC" --target "$dst" --schema bench --jobs "$JOBS" \
      --work-dir "$WORK/$name" >"$WORK/$name.migrate.log" 2>&1 || [ $? = 8 ] || fail "$name.migrate.log"
    writer $script &
  else
    writer $script &
    "$TOOL" migrate --source "$SRC" --target "$dst" --schema bench --jobs "$JOBS" \
      --work-dir "$WORK/$name" "$@" >"$WORK/$name.migrate.log" 2>&1 || [ $? = 8 ] || fail "$name.migrate.log"
  fi
  local w=$!
  sleep 10  # the writer's steady state, not a synchronisation: nothing waits on it
  "$TOOL" cutover --freeze-source --jobs "$JOBS" --work-dir "$WORK/$name" \
    --consumer-secret "secret-file:$WORK/$name.secret.json" >"$WORK/$name.cutover.log" 2>&1 \
    || fail "$name.cutover.log"
  wait "$w" || true
  jq -r --arg n "$name" '"\($n): frozen \(.freeze_seconds | . * 100 | round / 100) s; checked \(.catch_up.tables_checked) tables in \(.catch_up.checksum_seconds | . * 100 | round / 100) s; re-copied \(.catch_up.tables_recopied) (\(.catch_up.rows_recopied) rows, \(.catch_up.bytes_recopied) bytes)"' \
    "$WORK/$name/cutover_report.json"
  jq -r '"  freeze window: " + ([.freeze_phases[]? | "\(.phase) \(.seconds | . * 100 | round / 100)"] | join(", "))' \
    "$WORK/$name/cutover_report.json"
  grep -h "subscription applied\|after the switch" "$WORK/$name.cutover.log" || true
  echo "  load average after the cutover: $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "tenant: pgbench scale $SCALE + $SMALL_TABLES small tables ($SIZE), --jobs $JOBS, writer $RATE tx/s"
round catchup "-f $WORK/branches.sql"
round follow "-N" --follow --replica-identity-full \
  --follow-conninfo "host=127.0.0.1 port=$SRC_PORT user=postgres dbname=tenant passfile=$WORK/server.pgpass"
