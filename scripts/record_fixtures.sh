#!/usr/bin/env bash
# Records what each PostgreSQL catalog query returns for the sample tenant, as JSON files under
# tests/fixtures/postgres/, for the extractor's unit tests (which then run without a server).
#   scripts/record_fixtures.sh CONNINFO SCHEMA_JSON    e.g. "$SRC_CONN" '["acme"]'
# The source must hold tests/integration/sample_tenant.sql and then programmable_tenant.sql.
# $1 in a query is replaced by the schema list literal (psql 15 has no \bind). Every value is
# stored as the text the server sent, so nothing is rounded on the way.
set -euo pipefail
cd "$(dirname "$0")/.."
conn=$1; schemas=$2
out=tests/fixtures/postgres
mkdir -p "$out"
literal="'${schemas//\'/\'\'}'"
for f in src/extract/postgres/sql/*.sql; do
  name=$(basename "$f" .sql)
  query=$(grep -v '^--' "$f" | sed -e "s/\$1/$literal/g" -e 's/;[[:space:]]*$//')
  psql "$conn" -AtqX -v ON_ERROR_STOP=1 \
    -c "SET search_path = ''; SET extra_float_digits = 3;" \
    -c "SELECT jsonb_pretty(coalesce(jsonb_agg((SELECT jsonb_object_agg(key, value)
                                                  FROM json_each_text(row_to_json(q)))), '[]'))
          FROM ($query) q" |
    tail -n +1 >"$out/$name.json"
done
echo "recorded $(ls "$out" | wc -l) fixtures into $out"
