#!/usr/bin/env bash
# Benchmark: tenantshift vs pg_dump/pg_restore vs pgcopydb, same tenant, same parallelism.
#
#   bench/bench.sh [--jobs N] [--scale N] [--small-tables N] [--tenantshift PATH]
#                  [--tools LIST] [--repeat N]
#
# Every option can also be given as an environment variable (the option wins):
#   JOBS          parallel workers for every tool               (default 2)
#   SCALE         pgbench scale factor of the tenant            (default 30, ~100k accounts/unit)
#   SMALL_TABLES  number of extra ~100-row tables in the tenant (default 300)
#   TENANTSHIFT   tenantshift binary                            (default <repo>/build/tenantshift)
#   TOOLS         tools to run, in order (default "tenantshift pg_dump pgcopydb")
#   REPEAT        rounds (tools interleaved); the table shows the median wall time (default 1)
#   TOOL_TIMEOUT  seconds before a hung tool command is killed  (default 3600, 0 = never)
#   PGDUMP_COMPRESS  pg_dump -Z level for the directory dump    (default 0, see bench/README.md)
#   BENCH_TMP     where the clusters and dumps go               (default $TMPDIR or /tmp)
#   KEEP_WORK=1   keep the work directory (tool logs, row counts, diffs); clusters are stopped
#
# Starts two throw-away PostgreSQL clusters (scripts/pgcluster.sh), builds the tenant (schema
# "bench") plus a decoy schema "noise" in database "tenant" on the source, migrates the tenant
# with each tool into its own fresh database on the target, checks every result and prints one
# table. Exits 1 if any tool fails or produces a wrong result. Everything is removed on exit.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

JOBS=${JOBS:-2}
SCALE=${SCALE:-30}
SMALL_TABLES=${SMALL_TABLES:-300}
TENANTSHIFT=${TENANTSHIFT:-$REPO/build/tenantshift}
TOOLS=${TOOLS:-tenantshift pg_dump pgcopydb}
PGDUMP_COMPRESS=${PGDUMP_COMPRESS:-0}
REPEAT=${REPEAT:-1}
TOOL_TIMEOUT=${TOOL_TIMEOUT:-3600}

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }
die() { echo "bench: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) JOBS=${2:?}; shift 2 ;;
    --scale) SCALE=${2:?}; shift 2 ;;
    --small-tables) SMALL_TABLES=${2:?}; shift 2 ;;
    --tenantshift) TENANTSHIFT=${2:?}; shift 2 ;;
    --tools) TOOLS=${2:?}; shift 2 ;;
    --repeat) REPEAT=${2:?}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

for v in JOBS SCALE SMALL_TABLES PGDUMP_COMPRESS REPEAT TOOL_TIMEOUT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer (got '${!v}')"
done
if [ "$JOBS" -lt 1 ] || [ "$SCALE" -lt 1 ] || [ "$REPEAT" -lt 1 ]; then die "JOBS, SCALE and REPEAT must be >= 1"; fi
for t in $TOOLS; do
  case "$t" in
    tenantshift)
      case "$TENANTSHIFT" in /*) ;; *) TENANTSHIFT="$PWD/$TENANTSHIFT" ;; esac
      [ -x "$TENANTSHIFT" ] || die "tenantshift binary not found at $TENANTSHIFT (set TENANTSHIFT, or TOOLS=\"pg_dump pgcopydb\")" ;;
    pg_dump) command -v pg_dump >/dev/null || die "pg_dump not installed"
             command -v pg_restore >/dev/null || die "pg_restore not installed" ;;
    pgcopydb) command -v pgcopydb >/dev/null || die "pgcopydb not installed" ;;
    *) die "unknown tool '$t' in TOOLS (known: tenantshift pg_dump pgcopydb)" ;;
  esac
done
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) not installed"
command -v pgbench >/dev/null || die "pgbench not installed (postgresql-contrib)"

# ---------------------------------------------------------------- work area and clusters
WORK=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/tenantshift-bench.XXXXXX")
chmod 755 "$WORK"          # the servers may run as user postgres and must reach $WORK/pg
CLUSTER="$WORK/pg"

cleanup() {
  local rc=$?
  set +e
  "$REPO/scripts/pgcluster.sh" stop "$CLUSTER" >/dev/null 2>&1
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "bench: work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$LOAD_START" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
  log "warning: load average is $LOAD_START on $(nproc) CPUs; timings will be noisy"
fi
TS_VERSION=
case " $TOOLS " in *" tenantshift "*)
  # run a private copy, so a rebuild of build/tenantshift during the run cannot interfere
  cp "$TENANTSHIFT" "$WORK/tenantshift.bin"
  TS_VERSION=", tenantshift $(timeout -k 2 10 "$WORK/tenantshift.bin" --version 2>/dev/null | head -n 1 || echo '?')"
  TENANTSHIFT_ORIG=$TENANTSHIFT; TENANTSHIFT="$WORK/tenantshift.bin" ;;
esac

log "starting clusters in $CLUSTER"
"$REPO/scripts/pgcluster.sh" start "$CLUSTER" >/dev/null
# shellcheck disable=SC1091
source "$CLUSTER/env"

SRC_DB=tenant
src_conn() { echo "host=127.0.0.1 port=$SRC_PORT user=postgres dbname=${1:-$SRC_DB}"; }
dst_conn() { echo "host=127.0.0.1 port=$DST_PORT user=postgres dbname=${1:-postgres}"; }
src_uri() { echo "postgresql://postgres@127.0.0.1:$SRC_PORT/$SRC_DB"; }
dst_uri() { echo "postgresql://postgres@127.0.0.1:$DST_PORT/$1"; }
psql_on() { local conn=$1; shift; psql "$conn" -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# ---------------------------------------------------------------- build the tenant
log "building tenant: pgbench scale $SCALE + $SMALL_TABLES small tables"
psql_on "$(src_conn postgres)" -c "CREATE DATABASE $SRC_DB"
pgbench -i -q -s "$SCALE" -h 127.0.0.1 -p "$SRC_PORT" -U postgres "$SRC_DB" >"$WORK/pgbench.log" 2>&1 \
  || { cat "$WORK/pgbench.log" >&2; die "pgbench -i failed"; }

psql_on "$(src_conn)" >/dev/null <<SQL
CREATE SCHEMA bench;
ALTER TABLE public.pgbench_accounts SET SCHEMA bench;
ALTER TABLE public.pgbench_branches SET SCHEMA bench;
ALTER TABLE public.pgbench_tellers  SET SCHEMA bench;
ALTER TABLE public.pgbench_history  SET SCHEMA bench;
DO \$\$
BEGIN
  FOR i IN 1..$SMALL_TABLES LOOP
    EXECUTE format('CREATE TABLE bench.%I (
                      id      integer PRIMARY KEY,
                      name    text NOT NULL,
                      amount  numeric(12,2),
                      created timestamptz NOT NULL DEFAULT now())', 'small_' || lpad(i::text, 4, '0'));
    EXECUTE format('INSERT INTO bench.%I (id, name, amount, created)
                    SELECT g, %L || g, g * 1.25, timestamptz ''2024-01-01'' + g * interval ''1 minute''
                    FROM generate_series(1, 100) g', 'small_' || lpad(i::text, 4, '0'), 'row-' || i || '-');
  END LOOP;
END
\$\$;
CREATE SCHEMA noise;
CREATE TABLE noise.must_not_be_copied (id integer PRIMARY KEY, secret text);
INSERT INTO noise.must_not_be_copied SELECT g, md5(g::text) FROM generate_series(1, 1000) g;
SQL
psql_on "$(src_conn)" -c "VACUUM ANALYZE" -c "CHECKPOINT"

read -r N_TABLES BENCH_MB < <(psql_on "$(src_conn)" -F ' ' -c "
  SELECT count(*), round(sum(pg_total_relation_size(c.oid)) / 1048576.0)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'bench' AND c.relkind IN ('r', 'p')")

# ---------------------------------------------------------------- result checks
# One UNION ALL of exact count(*) per table of schema bench, built from the source catalog.
COUNT_SQL=$(psql_on "$(src_conn)" -c "
  SELECT string_agg(format('SELECT %L AS t, count(*) AS n FROM %I.%I', c.relname, n.nspname, c.relname),
                    E'\nUNION ALL ' ORDER BY c.relname) || E'\nORDER BY 1'
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'bench' AND c.relkind IN ('r', 'p')")
# Shape of schema bench: relations, columns, indexes, constraints (names and definitions).
SHAPE_SQL="
  SELECT 'rel ' || c.relname || ' ' || c.relkind::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'bench' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  UNION ALL
  SELECT format('col %s.%s %s%s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                CASE WHEN a.attnotnull THEN ' not null' ELSE '' END)
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'bench' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'idx ' || pg_get_indexdef(i.indexrelid)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'bench'
  UNION ALL
  SELECT format('con %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
  FROM pg_constraint WHERE connamespace = 'bench'::regnamespace
  ORDER BY 1"

log "counting source rows"
psql_on "$(src_conn)" -c "$COUNT_SQL" >"$WORK/src.counts"
psql_on "$(src_conn)" -c "$SHAPE_SQL" >"$WORK/src.shape"
N_ROWS=$(awk -F'|' '{ n += $2 } END { print n }' "$WORK/src.counts")

# check_result TOOL DB -> prints problems to stderr, returns 1 if the target is wrong
check_result() {
  local tool=$1 db=$2 bad=0 noise
  if ! psql_on "$(dst_conn "$db")" -c "$COUNT_SQL" >"$WORK/$tool.counts" 2>"$WORK/$tool.counts.err"; then
    echo "  $tool: counting rows on target failed: $(head -c 400 "$WORK/$tool.counts.err")" >&2; bad=1
  elif ! diff -u "$WORK/src.counts" "$WORK/$tool.counts" >"$WORK/$tool.counts.diff"; then
    echo "  $tool: row counts differ (source vs target):" >&2; sed -n '3,22p' "$WORK/$tool.counts.diff" >&2; bad=1
  fi
  if ! psql_on "$(dst_conn "$db")" -c "$SHAPE_SQL" >"$WORK/$tool.shape" 2>&1; then
    echo "  $tool: reading target catalog failed: $(head -c 400 "$WORK/$tool.shape")" >&2; bad=1
  elif ! diff -u "$WORK/src.shape" "$WORK/$tool.shape" >"$WORK/$tool.shape.diff"; then
    echo "  $tool: schema objects differ (source vs target):" >&2; sed -n '3,22p' "$WORK/$tool.shape.diff" >&2; bad=1
  fi
  noise=$(psql_on "$(dst_conn "$db")" -c "
    SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = 'noise')
         + (SELECT count(*) FROM pg_class WHERE relname = 'must_not_be_copied')")
  if [ "$noise" != 0 ]; then
    echo "  $tool: schema 'noise' (or its table) arrived on the target" >&2; bad=1
  fi
  return "$bad"
}

# ---------------------------------------------------------------- tool runs
# timed NAME CMD... : runs CMD under GNU time, appends "wall rss_kib" to $WORK/NAME.time,
# output to $WORK/NAME.log. Returns CMD's exit status.
timed() {
  local name=$1; shift
  { printf '+'; printf ' %q' "$@"; echo; } >>"$WORK/$name.log"
  local limit=()
  [ "$TOOL_TIMEOUT" = 0 ] || limit=(timeout -k 10 "$TOOL_TIMEOUT")
  /usr/bin/time -f '%e %M' -o "$WORK/$name.time.tmp" "${limit[@]}" "$@" >>"$WORK/$name.log" 2>&1 || {
    local rc=$?; echo "exit status $rc" >>"$WORK/$name.log"; return "$rc"; }
  tail -n 1 "$WORK/$name.time.tmp" >>"$WORK/$name.time"
}

run_tenantshift() {
  local rc=0
  timed tenantshift "$TENANTSHIFT" migrate --source "$(src_conn)" --target "$(dst_conn "$1")" \
    --schema bench --jobs "$JOBS" --work-dir "$WORK/tenantshift.work.$1" || rc=$?
  [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$WORK/tenantshift.work.$1"
  return "$rc"
}

run_pg_dump() {
  local dir="$WORK/pg_dump.dir" rc=0
  timed pg_dump pg_dump -d "$(src_conn)" -Fd -j "$JOBS" -Z "$PGDUMP_COMPRESS" -n bench -f "$dir" &&
  timed pg_dump pg_restore -d "$(dst_conn "$1")" -j "$JOBS" --no-owner --no-acl --exit-on-error "$dir" || rc=$?
  rm -rf "$dir"   # outside the timing
  return "$rc"
}

run_pgcopydb() {
  # pgcopydb 0.10 has no include-only-schema filter: exclude every other schema of the source.
  {
    echo "[exclude-schema]"
    psql_on "$(src_conn)" -c "
      SELECT nspname FROM pg_namespace
      WHERE nspname NOT IN ('bench', 'information_schema') AND nspname !~ '^pg_' ORDER BY 1"
  } >"$WORK/pgcopydb.filters"
  local rc=0
  timed pgcopydb pgcopydb clone --source "$(src_uri)" --target "$(dst_uri "$1")" \
    --table-jobs "$JOBS" --index-jobs "$JOBS" --filters "$WORK/pgcopydb.filters" \
    --dir "$WORK/pgcopydb.work.$1" --no-owner --no-acl --skip-extensions || rc=$?
  [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$WORK/pgcopydb.work.$1"
  return "$rc"
}

declare -A WALLS RSS STATUS WALL
FAILED=0
for t in $TOOLS; do STATUS[$t]=ok; WALLS[$t]=""; RSS[$t]=0; done
for round in $(seq 1 "$REPEAT"); do
  for t in $TOOLS; do
    [ "${STATUS[$t]}" = ok ] || continue          # a tool that failed once is not run again
    db="t_${t}_$round"
    psql_on "$(dst_conn)" -c "CREATE DATABASE $db"
    psql_on "$(dst_conn)" -c "CHECKPOINT"
    psql_on "$(src_conn)" -c "CHECKPOINT"
    sync
    log "round $round/$REPEAT: running $t (jobs $JOBS) into database $db"
    : >"$WORK/$t.time"
    if "run_$t" "$db"; then
      read -r wall rss < <(awk '{ w += $1; if ($2 > m) m = $2 } END { printf "%.2f %d\n", w, m }' "$WORK/$t.time")
      WALLS[$t]+=" $wall"; [ "$rss" -le "${RSS[$t]}" ] || RSS[$t]=$rss
      log "$t finished in $wall s (peak RSS $rss KiB), checking the result"
      check_result "$t" "$db" || { STATUS[$t]="FAIL: wrong result"; FAILED=1; }
    else
      rc=$?
      case $rc in
        124|137) STATUS[$t]="FAIL: killed after TOOL_TIMEOUT=${TOOL_TIMEOUT}s" ;;
        *) STATUS[$t]="FAIL: tool exited with status $rc" ;;
      esac
      FAILED=1
      echo "  $t failed; last lines of its output (KEEP_WORK=1 keeps the whole log):" >&2
      tail -n 25 "$WORK/$t.log" | sed "s|$WORK/tenantshift.bin|${TENANTSHIFT_ORIG:-}|" | sed 's/^/    /' >&2
    fi
    [ "${STATUS[$t]}" = ok ] || echo "$t: ${STATUS[$t]}" >&2
    psql_on "$(dst_conn)" -c "DROP DATABASE $db" || true   # keep disk use down
  done
done
# median wall time over the rounds
for t in $TOOLS; do
  [ -n "${WALLS[$t]}" ] || continue
  # shellcheck disable=SC2086  # WALLS[$t] is a space-separated list of numbers
  WALL[$t]=$(printf '%s\n' ${WALLS[$t]} | sort -n | awk '{ v[NR] = $1 } END {
    printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
done

# ---------------------------------------------------------------- report
label() { case "$1" in pg_dump) echo "pg_dump+pg_restore" ;; *) echo "$1" ;; esac; }
versions="pg_dump $(pg_dump --version | awk '{print $3}')"
command -v pgcopydb >/dev/null && versions+=", pgcopydb $(pgcopydb --version 2>/dev/null | awk '/^pgcopydb version/ {print $3}')"
echo
echo "tenantshift benchmark: JOBS=$JOBS SCALE=$SCALE SMALL_TABLES=$SMALL_TABLES REPEAT=$REPEAT$( [ "$REPEAT" = 1 ] || echo ' (wall = median, RSS = max over rounds)')"
echo "tenant: schema bench, $N_TABLES tables, $N_ROWS rows, $BENCH_MB MiB on disk"
echo "host: $(nproc) CPUs, load average at start $LOAD_START; $versions$TS_VERSION"
printf '%-20s %9s %14s %20s  %s\n' tool "wall s" "peak RSS MiB" "wall / tenantshift" result
for t in $TOOLS; do
  if [ "${STATUS[$t]}" = ok ] || [ -n "${WALL[$t]:-}" ]; then
    wall=${WALL[$t]}; rss=$(awk -v k="${RSS[$t]}" 'BEGIN { printf "%.1f", k / 1024 }')
  else
    wall=-; rss=-
  fi
  ratio=n/a
  if [ "${STATUS[tenantshift]:-}" = ok ] && [ "$wall" != - ]; then
    ratio=$(awk -v a="$wall" -v b="${WALL[tenantshift]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
  fi
  printf '%-20s %9s %14s %20s  %s\n' "$(label "$t")" "$wall" "$rss" "$ratio" "${STATUS[$t]}"
done
if [ "$FAILED" != 0 ]; then echo "FAIL"; exit 1; fi
