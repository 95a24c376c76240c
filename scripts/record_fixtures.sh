#!/usr/bin/env bash
# Records what each PostgreSQL catalog query returns for the sample tenant, as JSON files under
# tests/fixtures/postgres/, for the extractor's unit tests (which then run without a server).
#   scripts/record_fixtures.sh CONNINFO SCHEMA_JSON [OUT_DIR]   e.g. "$SRC_CONN" '["acme"]'
# For OUT_DIR tests/fixtures/postgres (the default) the server must hold
# tests/integration/sample_tenant.sql and then programmable_tenant.sql; for
# tests/fixtures/postgres_principals only tests/integration/principals_tenant.sql, recorded with
# '["tenant_a","Tenant A \"Audit\""]'. role_passwords.sql is never recorded: password verifiers
# do not belong in the repository. $1 in a query is replaced by the schema list literal (psql 15
# has no \bind). Every value is stored as the text the server sent, so nothing is rounded.
set -euo pipefail
cd "$(dirname "$0")/.."
conn=$1; schemas=$2
out=${3:-tests/fixtures/postgres}
mkdir -p "$out"
literal="'${schemas//\'/\'\'}'"
# Escaped for sed's replacement text (backslashes, & and the / delimiter).
sed_literal=$(printf '%s' "$literal" | sed -e 's/[\\&/]/\\&/g')
for f in src/extract/postgres/sql/*.sql src/extract/common/sql/*.sql; do
  case "$f" in */preflight_*|*/external_missing.sql) continue ;; esac  # not catalog extraction
  name=$(basename "$f" .sql)
  [ "$name" != role_passwords ] || continue
  query=$(grep -v '^--' "$f" | sed -e "s/\$1/$sed_literal/g" -e 's/;[[:space:]]*$//')
  psql "$conn" -AtqX -v ON_ERROR_STOP=1 \
    -c "SET search_path = ''; SET extra_float_digits = 3;" \
    -c "SELECT jsonb_pretty(coalesce(jsonb_agg((SELECT jsonb_object_agg(key, value)
                                                  FROM json_each_text(row_to_json(q)))), '[]'))
          FROM ($query) q" |
    tail -n +1 >"$out/$name.json"
done
echo "recorded $(ls "$out" | wc -l) fixtures into $out"
