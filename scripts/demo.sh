#!/usr/bin/env bash
# Quick start command 1: a real migration on an embedded default. Installs dependencies, builds,
# starts two local PostgreSQL clusters, loads the sample tenant (schemas "acme" and a hostile
# name, plus "other" and "acme_archive" that belong to nobody in this tenant and must stay) and
# the demo's additions (tests/integration/demo_tenant.sql: roles with grants, column grants and
# default privileges, functions, a procedure, views on views, a materialized view, a trigger, a
# row-level security policy), runs `tenantshift plan`, `migrate`, `validate` and `status`,
# prints what moved and where the HTML report is, and stops the clusters.
# Set KEEP=1 to leave the clusters running (their connection strings are printed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh

dir=$(mktemp -d /tmp/tenantshift-demo.XXXXXX)
chmod 755 "$dir"  # the servers run as "postgres" when we are root and must reach pg/
# The clusters live in $dir/pg (removed when they stop); the work directory with the reports stays.
[ "${KEEP:-0}" = 1 ] || trap 'scripts/pgcluster.sh stop "$dir/pg"' EXIT
env_file=$(scripts/pgcluster.sh start "$dir/pg")
# shellcheck disable=SC1090
. "$env_file"

echo "== loading the sample tenant into the source cluster (port $SRC_PORT)"
# The owner role exists only on the source: tenantshift creates it on the target.
psql "$SRC_CONN" -qX -c "CREATE ROLE acme_owner NOLOGIN" >/dev/null
psql "$SRC_CONN" -qX -v ON_ERROR_STOP=1 -f tests/integration/sample_tenant.sql >/dev/null
psql "$SRC_CONN" -qX -v ON_ERROR_STOP=1 -f tests/integration/demo_tenant.sql >/dev/null

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
echo "== tenantshift status"
./build/tenantshift status --work-dir "$dir/work" | head -n 8
echo "== migration_report.json (head)"
jq '{timestamp, tenant, schemas, total_tables, succeeded_count, failed_count, principals}' \
  "$dir/work/migration_report.json"
echo "== what moved besides tables (object_counts)"
jq -r '.object_counts | to_entries[] | "\(.key): \(.value)"' "$dir/work/migration_report.json"
# The demo shows the whole tenant: each of these kinds must have moved at least once.
for kind in functions procedures views materialized_views triggers roles policies; do
  n=$(jq --arg k "$kind" '.object_counts[$k] // 0' "$dir/work/migration_report.json")
  [ "$n" -gt 0 ] || { echo "demo: no $kind in the report" >&2; exit 1; }
done
echo "== schemas on the target (other and acme_archive must be absent)"
psql "$DST_CONN" -AtX -c "SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY 1"
# The report stays after the clusters are stopped (the scratch directory is not removed).
echo "== HTML report (open it in a browser): $dir/work/migration_report.html"
if [ "${KEEP:-0}" = 1 ]; then
  echo "clusters kept: source: $SRC_CONN  target: $DST_CONN  (PGPASSFILE=$PGPASSFILE)"
  echo "stop them with: scripts/pgcluster.sh stop $dir/pg"
fi
