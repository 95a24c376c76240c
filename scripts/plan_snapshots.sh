#!/usr/bin/env bash
# Records the `plan` output of every integration-test tenant into OUT_DIR, one file per tenant,
# so a refactoring can be checked to be behaviour-preserving:
#
#   scripts/plan_snapshots.sh build/tenantshift OUT_DIR
#   ... change the code, rebuild ...
#   scripts/plan_snapshots.sh build/tenantshift OUT_DIR2 && diff -r OUT_DIR OUT_DIR2
#
# Each tenant gets fresh clusters (scripts/pgcluster.sh). The loopback ports, which change from
# run to run, are replaced by PORT in the recorded output.
set -euo pipefail
TOOL=$(realpath "$1")
OUT=$(mkdir -p "$2" && realpath "$2")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
IT="$ROOT/tests/integration"
HOSTILE='Bill"ing; $(touch pwned) ü'

snapshot() {  # NAME SRC_SETUP_SQL DST_SETUP_SQL SQL_FILES(colon-separated) -- PLAN_ARGS...
  local name=$1 src_pre=$2 dst_pre=$3 files=$4 dir f
  shift 5
  dir=$(mktemp -d /tmp/tenantshift-snap.XXXXXX)
  chmod 755 "$dir"
  "$ROOT/scripts/pgcluster.sh" start "$dir/pg" >/dev/null
  # shellcheck disable=SC1091
  source "$dir/pg/env"
  [ -z "$src_pre" ] || "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$SRC_CONN" -c "$src_pre" >/dev/null
  [ -z "$dst_pre" ] || "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$DST_CONN" -c "$dst_pre" >/dev/null
  IFS=: read -ra sqls <<<"$files"
  for f in "${sqls[@]}"; do
    "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$SRC_CONN" -f "$f" >/dev/null 2>"$dir/load.err" \
      || { cat "$dir/load.err" >&2; exit 1; }
  done
  (cd "$dir" && "$TOOL" plan --source "$SRC_CONN" --target "$DST_CONN" "$@" >"$dir/plan.out" 2>"$dir/plan.err"; echo "exit $?" >>"$dir/plan.err") || true
  cat "$dir/plan.out" "$dir/plan.err" | sed -e "s/$SRC_PORT/PORT/g; s/$DST_PORT/PORT/g; s#$dir#DIR#g" >"$OUT/$name.plan"
  "$ROOT/scripts/pgcluster.sh" stop "$dir/pg" >/dev/null
  rm -rf "$dir"
}

snapshot sample "CREATE ROLE acme_owner NOLOGIN" "" "$IT/sample_tenant.sql" -- --schema acme --schema "$HOSTILE" --jobs 3
snapshot programmable "CREATE ROLE acme_owner NOLOGIN" "" "$IT/sample_tenant.sql:$IT/programmable_tenant.sql" -- --schema acme --schema "$HOSTILE"
PRINCIPALS_DST="CREATE ROLE ta_owner NOLOGIN; CREATE ROLE ta_analyst LOGIN NOINHERIT CONNECTION LIMIT 3"
snapshot principals "CREATE ROLE ta_auditor LOGIN" "$PRINCIPALS_DST" "$IT/principals_tenant.sql" -- --schema tenant_a --schema 'Tenant A "Audit"' --jobs 2 --include-users 'ta_aud*'
snapshot principals_excl "CREATE ROLE ta_auditor LOGIN" "$PRINCIPALS_DST" "$IT/principals_tenant.sql" -- --schema tenant_a --schema 'Tenant A "Audit"' --jobs 2 --exclude-users etl_bot
snapshot ledger "CREATE ROLE ledger_owner NOLOGIN" "CREATE ROLE ledger_owner NOLOGIN" "$IT/ledger_tenant.sql" -- --schema shop
ls -l "$OUT"
