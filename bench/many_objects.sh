#!/usr/bin/env bash
# Many-object benchmark (issue 14): how tenantshift's cost grows with the number of tables,
# next to pg_dump -Fd -jN | pg_restore -jN on the same tenant.
#
#   bench/many_objects.sh [SIZE ...]          (default sizes: 1000 3000 10000)
#
# Environment:
#   JOBS         parallel workers for both tools (default 2)
#   TENANTSHIFT  tenantshift binary (default <repo>/build/tenantshift)
#   BENCH_TMP    where the clusters and dumps go (default $TMPDIR or /tmp)
#
# For each size it starts two throw-away clusters with PostgreSQL's default lock settings,
# loads tests/integration/scale_tenant.sql (SIZE tables, each with a primary key, an index, a
# comment, a grant and rows; a view per 4 tables, a function per 8, a role per 20), then runs
#   - tenantshift plan (wall time, peak RSS),
#   - tenantshift migrate --jobs JOBS into an empty target (wall time, peak RSS),
#   - pg_dump -Fd -jJOBS | pg_restore -jJOBS into another empty database of the target,
# checks that both results have every table, and prints one line per size plus the growth per
# 1,000 tables between consecutive sizes (equal growth per 1,000 tables = linear cost).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JOBS=${JOBS:-2}
TENANTSHIFT=${TENANTSHIFT:-$REPO/build/tenantshift}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 3000 10000)
[ -x "$TENANTSHIFT" ] || { echo "bench: no tenantshift binary at $TENANTSHIFT" >&2; exit 2; }
WORK=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/tenantshift-many.XXXXXX")
chmod 755 "$WORK"
cleanup() {
  [ -d "$WORK/pg" ] && "$REPO/scripts/pgcluster.sh" stop "$WORK/pg" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
cp "$TENANTSHIFT" "$WORK/tenantshift"

# timed NAME CMD...: runs CMD under GNU time; sets WALL (s) and RSS (MiB).
timed() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" \
    || { tail -5 "$WORK/$name.err" >&2; echo "bench: $name failed" >&2; exit 1; }
  read -r WALL RSS <"$WORK/$name.time"
  RSS=$((RSS / 1024))
}

tables_in() {  # CONN -> number of tables in schema big
  "$PG_BINDIR/psql" -X -At -d "$1" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'big'"
}

echo "many-object benchmark: jobs $JOBS, $(nproc) CPUs, load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%7s %9s %9s %10s %9s %11s %8s\n' tables plan_s plan_MiB migrate_s mig_MiB dump+rest_s ratio
declare -a LINES=()
for n in "${SIZES[@]}"; do
  "$REPO/scripts/pgcluster.sh" start "$WORK/pg" >/dev/null
  # shellcheck disable=SC1091
  source "$WORK/pg/env"
  "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -v tables="$n" -d "$SRC_CONN" \
    -f "$REPO/tests/integration/scale_tenant.sql" >"$WORK/load.log" 2>&1
  "$PG_BINDIR/psql" -X -q -d "$DST_CONN" -c "CREATE DATABASE restored" >/dev/null
  timed plan "$WORK/tenantshift" plan --source "$SRC_CONN" --target "$DST_CONN" --schema big \
    --jobs "$JOBS"
  plan_s=$WALL plan_mb=$RSS
  timed migrate "$WORK/tenantshift" migrate --source "$SRC_CONN" --target "$DST_CONN" \
    --schema big --jobs "$JOBS" --work-dir "$WORK/w$n"
  mig_s=$WALL mig_mb=$RSS
  rm -rf "$WORK/dump"
  RESTORED="${DST_CONN/dbname=postgres/dbname=restored}"
  # The roles are global: pg_restore needs them, and tenantshift created them on the target
  # already, so the baseline is not charged for them.
  start=$(date +%s.%N)
  "$PG_BINDIR/pg_dump" -d "$SRC_CONN" -n big -Fd -j "$JOBS" -Z 0 -f "$WORK/dump"
  "$PG_BINDIR/pg_restore" -d "$RESTORED" -j "$JOBS" "$WORK/dump"
  dump_s=$(echo "$(date +%s.%N) - $start" | bc)
  for conn in "$DST_CONN" "$RESTORED"; do
    [ "$(tables_in "$conn")" = "$n" ] || { echo "bench: $conn lacks tables" >&2; exit 1; }
  done
  ratio=$(echo "scale=2; $mig_s / $dump_s" | bc)
  printf '%7s %9.2f %9s %10.2f %9s %11.2f %8s\n' "$n" "$plan_s" "$plan_mb" "$mig_s" "$mig_mb" \
    "$dump_s" "$ratio"
  LINES+=("$n $plan_s $mig_s $dump_s $mig_mb")
  "$REPO/scripts/pgcluster.sh" stop "$WORK/pg" >/dev/null
  rm -rf "$WORK/pg" "$WORK/w$n"
done
echo
echo "growth per 1,000 tables between consecutive sizes (seconds; MiB for migrate RSS):"
for ((i = 1; i < ${#LINES[@]}; i++)); do
  read -r n0 p0 m0 d0 r0 <<<"${LINES[i - 1]}"
  read -r n1 p1 m1 d1 r1 <<<"${LINES[i]}"
  k=$(echo "scale=3; ($n1 - $n0) / 1000" | bc)
  printf '  %5s -> %5s: plan %+.2f s, migrate %+.2f s, dump+restore %+.2f s, migrate RSS %+.1f MiB\n' \
    "$n0" "$n1" "$(echo "($p1 - $p0) / $k" | bc -l)" "$(echo "($m1 - $m0) / $k" | bc -l)" \
    "$(echo "($d1 - $d0) / $k" | bc -l)" "$(echo "($r1 - $r0) / $k" | bc -l)"
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg) (other jobs share these CPUs)"
