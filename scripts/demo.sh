#!/usr/bin/env bash
# Quick start command 1: a real migration on an embedded default. Installs dependencies, builds,
# starts two local PostgreSQL clusters, loads the sample tenant (schemas "acme" and a hostile
# name, plus "other" and "acme_archive" that belong to nobody in this tenant and must stay), runs
# `tenantshift plan`, `migrate` and `validate`, prints the report and stops the clusters.
# Set KEEP=1 to leave the clusters running (their connection strings are printed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh

dir=$(mktemp -d /tmp/tenantshift-demo.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'scripts/pgcluster.sh stop "$dir"' EXIT
env_file=$(scripts/pgcluster.sh start "$dir")
# shellcheck disable=SC1090
. "$env_file"

echo "== loading the sample tenant into the source cluster (port $SRC_PORT)"
# The owner role exists only on the source: tenantshift creates it on the target.
psql "$SRC_CONN" -qX -c "CREATE ROLE acme_owner NOLOGIN" >/dev/null
psql "$SRC_CONN" -qX -v ON_ERROR_STOP=1 -f tests/integration/sample_tenant.sql >/dev/null

hostile='Bill"ing; $(touch pwned) ü'
echo "== tenantshift plan (first lines)"
./build/tenantshift plan --source "$SRC_CONN" --target "$DST_CONN" \
  --schema acme --schema "$hostile" >"$dir/plan.sql"
head -n 20 "$dir/plan.sql"
echo "... ($(wc -l <"$dir/plan.sql") lines in all)"
echo "== tenantshift migrate"
./build/tenantshift migrate --source "$SRC_CONN" --target "$DST_CONN" \
  --schema acme --schema "$hostile" --jobs 4 --work-dir "$dir/work"
echo "== tenantshift validate"
./build/tenantshift validate --source "$SRC_CONN" --target "$DST_CONN" \
  --schema acme --schema "$hostile"
echo "== migration_report.json (head)"
jq '{timestamp, tenant, schemas, total_tables, succeeded_count, failed_count, object_counts}' \
  "$dir/work/migration_report.json"
echo "== schemas on the target (other and acme_archive must be absent)"
psql "$DST_CONN" -AtX -c "SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY 1"
if [ "${KEEP:-0}" = 1 ]; then
  echo "clusters kept: source: $SRC_CONN  target: $DST_CONN  (PGPASSFILE=$PGPASSFILE)"
  echo "stop them with: scripts/pgcluster.sh stop $dir"
fi
