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

num() {  # VALUE -> two decimals, or VALUE itself when it is not a number (FAIL)
  if [[ $1 =~ ^[0-9.]+$ ]]; then printf '%.2f' "$1"; else printf '%s' "$1"; fi
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
  # pg_dump locks every table it dumps in one transaction: past max_locks_per_transaction x
  # max_connections relations (6,400 with the defaults) it fails with "out of shared memory".
  # Such a failure is reported in the table (FAIL, reason on stderr), not the end of the run.
  start=$(date +%s.%N)
  if "$PG_BINDIR/pg_dump" -d "$SRC_CONN" -n big -Fd -j "$JOBS" -Z 0 -f "$WORK/dump" \
       2>"$WORK/dump.err" \
     && "$PG_BINDIR/pg_restore" -d "$RESTORED" -j "$JOBS" "$WORK/dump" 2>>"$WORK/dump.err"; then
    dump_s=$(echo "$(date +%s.%N) - $start" | bc)
    [ "$(tables_in "$RESTORED")" = "$n" ] || { echo "bench: $RESTORED lacks tables" >&2; exit 1; }
    ratio=$(echo "scale=2; $mig_s / $dump_s" | bc)
  else
    echo "bench: pg_dump|pg_restore failed at $n tables: $(grep -m1 -i error "$WORK/dump.err")" >&2
    dump_s=FAIL ratio=n/a
  fi
  [ "$(tables_in "$DST_CONN")" = "$n" ] || { echo "bench: $DST_CONN lacks tables" >&2; exit 1; }
  printf '%7s %9.2f %9s %10.2f %9s %11s %8s\n' "$n" "$plan_s" "$plan_mb" "$mig_s" "$mig_mb" \
    "$(num "$dump_s")" "$ratio"
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
  dgrow=n/a
  [[ $d0 =~ ^[0-9.]+$ && $d1 =~ ^[0-9.]+$ ]] && dgrow=$(printf '%+.2f s' "$(echo "($d1 - $d0) / $k" | bc -l)")
  printf '  %5s -> %5s: plan %+.2f s, migrate %+.2f s, dump+restore %s, migrate RSS %+.1f MiB\n' \
    "$n0" "$n1" "$(echo "($p1 - $p0) / $k" | bc -l)" "$(echo "($m1 - $m0) / $k" | bc -l)" \
    "$dgrow" "$(echo "($r1 - $r0) / $k" | bc -l)"
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg) (other jobs share these CPUs)"
