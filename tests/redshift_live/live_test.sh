#!/usr/bin/env bash
# Live suite: a real tenant migration between two Redshift endpoints (provisioned or Serverless)
# through a real S3 location. Usage: live_test.sh /path/to/tenantshift
#
# Runs only when these are set (see README.md beside this file); otherwise prints SKIPPED and
# exits 77, which CTest reports as "Skipped", never as passed:
#   TENANTSHIFT_RS_SOURCE   source connection (psql-compatible: URI, key=value or service=NAME)
#   TENANTSHIFT_RS_TARGET   target connection, same forms
#   TENANTSHIFT_RS_S3       s3://bucket/prefix the clusters' IAM role may read, write and delete
#   TENANTSHIFT_RS_IAM_ROLE (optional) IAM role ARN for UNLOAD/COPY; default: IAM_ROLE default
# Passwords: use ~/.pgpass, a service file or PGPASSWORD, never the connection string (the
# string is a process argument).
#
# It creates a uniquely named tenant on the source (tenant.sql), migrates it, compares data and
# catalog on both sides with psql only (never with tenantshift's code), and drops everything it
# created on both sides and in S3 at the end, even when a check fails.
set -euo pipefail

SKIP=77
TOOL=${1:?usage: live_test.sh /path/to/tenantshift}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

missing=()
for v in TENANTSHIFT_RS_SOURCE TENANTSHIFT_RS_TARGET TENANTSHIFT_RS_S3; do
  [ -n "${!v:-}" ] || missing+=("$v")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "SKIPPED: the Redshift live suite needs ${missing[*]} (see tests/redshift_live/README.md);"
  echo "         nothing was created or checked."
  exit $SKIP
fi

fail() {
  printf '\nFAIL: %s\n' "$*" >&2
  exit 1
}
ok() { printf '     ok: %s\n' "$*"; }
say() { printf '\n== %s (t=%ss)\n' "$*" "$SECONDS"; }

[ -x "$TOOL" ] || fail "$TOOL is not an executable tenantshift"
command -v psql >/dev/null || fail "psql is needed (apt-get install postgresql-client)"
case "$TENANTSHIFT_RS_S3" in
  s3://?*) ;;
  *) fail "TENANTSHIFT_RS_S3 must look like s3://bucket/prefix, not '$TENANTSHIFT_RS_S3'" ;;
esac
if ! "$TOOL" migrate --help 2>&1 | grep -q -- '--via' || ! "$TOOL" migrate --help 2>&1 | grep -q -- '--iam-role'; then
  fail "this tenantshift has no migrate --via/--iam-role options: Redshift data moves are not wired into the CLI in this build"
fi

SRC=$TENANTSHIFT_RS_SOURCE
DST=$TENANTSHIFT_RS_TARGET
IAM=${TENANTSHIFT_RS_IAM_ROLE:-default}
RUN="tslive_$(date -u +%Y%m%d%H%M%S)_$$"
SCHEMA=$RUN
OWNER="${RUN}_owner"
READER="${RUN}_reader"
GRP="${RUN}_grp"
ROLE="${RUN}_role"
# shellcheck disable=SC2016  # the $(...) is data, never to be expanded
HOSTILE='tslive "q"; $(touch pwned) ü/..'
STAGE="${TENANTSHIFT_RS_S3%/}/$RUN/"
TMP=$(mktemp -d)

# q CONN [PSQL ARGS]: runs SQL from stdin with the run's names as psql variables; unaligned output.
# Extra arguments go to psql after the defaults (so -v ON_ERROR_STOP=0 overrides).
q() {
  local conn=$1
  shift
  psql -X -q -At -F '|' -P null='<SQLNULL>' -v ON_ERROR_STOP=1 -d "$conn" \
    -v schema="$SCHEMA" -v owner="$OWNER" -v reader="$READER" -v grp="$GRP" -v role="$ROLE" \
    -v hostile="$HOSTILE" "$@"
}

# Drops what this run created on one side; every statement may fail (not created yet).
drop_side() {
  local conn=$1
  q "$conn" -v ON_ERROR_STOP=0 >/dev/null 2>&1 <<'SQL' || true
ALTER DEFAULT PRIVILEGES FOR USER :"owner" IN SCHEMA :"schema" REVOKE SELECT ON TABLES FROM GROUP :"grp";
DROP SCHEMA :"schema" CASCADE;
REVOKE ROLE :"role" FROM :"reader";
ALTER GROUP :"grp" DROP USER :"reader";
DROP ROLE :"role" FORCE;
DROP GROUP :"grp";
DROP USER :"reader";
DROP USER :"owner";
SQL
  local left
  left=$(q "$conn" 2>/dev/null <<'SQL' || echo "(could not check)"
SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname = :'schema'
UNION ALL SELECT 'user ' || usename FROM pg_user WHERE usename IN (:'owner', :'reader')
UNION ALL SELECT 'group ' || groname FROM pg_group WHERE groname = :'grp'
UNION ALL SELECT 'role ' || role_name FROM svv_roles WHERE role_name = :'role';
SQL
  )
  [ -z "$left" ] || printf 'WARNING: left on %s after cleanup (drop by hand):\n%s\n' "$2" "$left" >&2
}

cleanup() {
  local rc=$?
  say "cleanup"
  drop_side "$SRC" source
  drop_side "$DST" target
  if command -v aws >/dev/null; then
    aws s3 rm --recursive --only-show-errors "$STAGE" || echo "WARNING: could not empty $STAGE" >&2
  else
    echo "note: no aws CLI; check that $STAGE is empty" >&2
  fi
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT

# compare LABEL: runs the SQL on stdin on both sides and fails unless the outputs are equal
# and not empty (an empty answer would check nothing).
compare() {
  local label=$1 sql
  sql=$(cat)
  q "$SRC" <<<"$sql" >"$TMP/src.out" || fail "$label: query failed on the source"
  q "$DST" <<<"$sql" >"$TMP/dst.out" || fail "$label: query failed on the target"
  [ -s "$TMP/src.out" ] || fail "$label: the source answered nothing, so nothing was compared"
  diff -u "$TMP/src.out" "$TMP/dst.out" >"$TMP/diff.out" ||
    fail "$label differs (- source, + target):
$(head -50 "$TMP/diff.out")"
  ok "$label: $(wc -l <"$TMP/src.out") line(s) equal"
}

say "create tenant $SCHEMA on the source"
q "$SRC" <"$HERE/tenant.sql" >/dev/null || fail "could not create the test tenant on the source"
ok "created"

# Redshift shows nobody a password hash, so the default --passwords copy-hash is refused with a
# Redshift source; the tenant's users have PASSWORD DISABLE anyway.
PASSWORDS=(--passwords disable)

say "plan"
"$TOOL" plan --source "$SRC" --target "$DST" --schema "$SCHEMA" "${PASSWORDS[@]}" \
  >"$TMP/plan.sql" || fail "plan exited $?"
for t in orders events floats big odd_types empty_one "$HOSTILE"; do
  grep -qF -- "copy data $SCHEMA.$t [data]" "$TMP/plan.sql" || fail "the plan copies no data into $t"
done
grep -qF "each table is read as of its own UNLOAD" "$TMP/plan.sql" ||
  fail "the plan does not say that Redshift reads each table at its own time"
ok "plan names a data step per table and the snapshot limit"
# D10: the seed is read from the source before the CREATE and the plan says which and why.
grep -qF "identity column $SCHEMA.orders.id: created with IDENTITY(" "$TMP/plan.sql" ||
  fail "the plan does not say which identity seed orders.id gets"
grep -F "identity column $SCHEMA.orders.id" "$TMP/plan.sql" | sed 's/^/     /'
grep -qF "MAXFILESIZE 1 GB" "$TMP/plan.sql" || fail "the plan does not show how UNLOAD cuts files"
ok "plan shows the identity seed and the UNLOAD file choices"

say "migrate without --via is refused before any change"
set +e
"$TOOL" migrate --source "$SRC" --target "$DST" --schema "$SCHEMA" "${PASSWORDS[@]}" \
  --work-dir "$TMP/novia" >"$TMP/novia.out" 2>&1
rc=$?
set -e
[ "$rc" = 2 ] || fail "migrate without --via exited $rc, not 2: $(cat "$TMP/novia.out")"
grep -qF -- "--via s3://" "$TMP/novia.out" || fail "the error does not name --via: $(cat "$TMP/novia.out")"
[ -z "$(q "$DST" <<<"SELECT nspname FROM pg_namespace WHERE nspname = :'schema';")" ] ||
  fail "migrate without --via created the schema on the target"
ok "exit 2, names --via, target unchanged"

say "migrate"
set +e
timeout 3600 "$TOOL" migrate --source "$SRC" --target "$DST" --schema "$SCHEMA" \
  "${PASSWORDS[@]}" --via "$STAGE" --iam-role "$IAM" --work-dir "$TMP/work" --jobs 2 \
  >"$TMP/migrate.out" 2>&1
rc=$?
set -e
cat "$TMP/migrate.out"
# 8: everything moved and validated, with manual steps listed for a person (README, exit codes).
[ "$rc" = 0 ] || [ "$rc" = 8 ] || fail "migrate exited $rc"
ok "migrate exited $rc"
if [ -n "${PGPASSWORD:-}" ] && grep -rqF -- "$PGPASSWORD" "$TMP/migrate.out" "$TMP/work"; then
  fail "the password reached the tool's output or work directory"
fi

say "validate with tenantshift"
set +e
"$TOOL" validate --source "$SRC" --target "$DST" --schema "$SCHEMA" >"$TMP/validate.out" 2>&1
rc=$?
set -e
cat "$TMP/validate.out"
[ "$rc" = 0 ] || fail "tenantshift validate exited $rc"
# Both sides are Redshift: every table's checksum was compared, not only its row count.
grep -qE '^([0-9]+) tables: \1 match, 0 differ$' "$TMP/validate.out" ||
  fail "validate did not report every table matching"
! grep -q "row count" "$TMP/validate.out" || fail "validate compared row counts only"
ok "validate exited 0: every table matches by count and checksum"

say "data, compared independently with psql"
compare "orders rows" <<'SQL'
SET timezone TO 'UTC';
SELECT * FROM :"schema".orders ORDER BY id;
SQL
compare "events rows" <<'SQL'
SET timezone TO 'UTC';
SELECT id, kind, at, JSON_SERIALIZE(doc), raw, ST_AsEWKT(shape) FROM :"schema".events ORDER BY id;
SQL
# D5: every digit, both as printed with extra_float_digits 2 (REAL widened to FLOAT8, exact) and
# by equality with the same expressions computed on the target.
compare "floats, every digit" <<'SQL'
SET extra_float_digits TO 2;
SELECT id, d, r::FLOAT8 FROM :"schema".floats ORDER BY id;
SQL
floats_equal=$(q "$DST" <<'SQL'
SELECT count(*) FROM :"schema".floats
WHERE (id = 1 AND d = 0.1::FLOAT8 + 0.2::FLOAT8 AND r = 0.1::REAL)
   OR (id = 2 AND d = 1::FLOAT8 / 3.0::FLOAT8 AND r = (1::FLOAT8 / 3.0::FLOAT8)::REAL)
   OR (id = 3 AND d = 1e-300::FLOAT8 AND r = 1.17549435e-38::REAL)
   OR (id = 4 AND d = 1.7976931348623157e308::FLOAT8 AND r = 3.4028235e38::REAL)
   OR (id = 5 AND d = -2.5e-7::FLOAT8 AND r = 1.04815894e18::REAL);
SQL
)
[ "$floats_equal" = 5 ] || fail "only $floats_equal of 5 float rows equal their source expressions on the target"
ok "floats: 5 of 5 rows equal their expressions exactly"
# D12, R9: values over the VARCHAR limit, compared by size and per-chunk digests.
compare "100 KB SUPER and VARBYTE" <<'SQL'
SELECT id, JSON_SIZE(doc), MD5(doc[0]::VARCHAR), MD5(doc[1]::VARCHAR), MD5(doc[2]::VARCHAR),
       LEN(raw), MD5(FROM_VARBYTE(SUBSTRING(raw, 1, 30000), 'hex')),
       MD5(FROM_VARBYTE(SUBSTRING(raw, 30001, 30000), 'hex')),
       MD5(FROM_VARBYTE(SUBSTRING(raw, 60001, 30000), 'hex')),
       MD5(FROM_VARBYTE(SUBSTRING(raw, 90001, 30000), 'hex'))
FROM :"schema".big ORDER BY id;
SQL
# R18: INTERVAL, TIME/TIMETZ, an empty VARBYTE next to NULL, HLLSKETCH.
compare "odd types (R18)" <<'SQL'
SET timezone TO 'UTC';
SELECT id, span, ym, at, at_tz,
       CASE WHEN bytes IS NULL THEN 'null' ELSE 'len ' || LEN(bytes) || ' ' || FROM_VARBYTE(bytes, 'hex') END,
       HLL_CARDINALITY(sketch), sketch
FROM :"schema".odd_types ORDER BY id;
SQL
compare "hostile-name rows" <<'SQL'
SELECT * FROM :"schema".:"hostile" ORDER BY 1;
SQL
compare "NULL versus empty string" <<'SQL'
SELECT sum(CASE WHEN note IS NULL THEN 1 ELSE 0 END), sum(CASE WHEN note = '' THEN 1 ELSE 0 END),
       sum(CASE WHEN code IS NULL THEN 1 ELSE 0 END) FROM :"schema".orders;
SQL
compare "empty table" <<'SQL'
SELECT 'rows: ' || count(*) FROM :"schema".empty_one;
SQL

say "catalog, compared with psql"
compare "relations" <<'SQL'
SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :'schema' AND c.relname NOT LIKE 'mv_tbl__%' ORDER BY 1;
SQL
# A Serverless target keeps no INTERLEAVED sort key: migrate makes it COMPOUND on the same
# columns and warns (attsortkeyord is negative for interleaved keys, positive for compound).
if grep -q "has an INTERLEAVED sort key" "$TMP/migrate.out"; then
  SORTKEY_ORD='abs(a.attsortkeyord)'
  ok "migrate warned that the interleaved sort key becomes compound"
else
  SORTKEY_ORD='a.attsortkeyord'
fi
compare "distribution and sort keys" <<SQL
SELECT c.relname, a.attname, a.attisdistkey, $SORTKEY_ORD
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :'schema' AND c.relkind = 'r' AND a.attnum > 0 AND c.relname NOT LIKE 'mv_tbl__%'
ORDER BY 1, a.attnum;
SQL
compare "views (late-binding) and materialized views" <<'SQL'
SELECT viewname FROM pg_views WHERE schemaname = :'schema' ORDER BY 1;
SQL
compare "procedures" <<'SQL'
SELECT p.proname FROM pg_proc_info p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = :'schema' ORDER BY 1;
SQL
compare "table owners" <<'SQL'
SELECT tablename, tableowner FROM pg_tables WHERE schemaname = :'schema' ORDER BY 1;
SQL
compare "principals" <<'SQL'
SELECT 'user ' || usename FROM pg_user WHERE usename IN (:'owner', :'reader')
UNION ALL SELECT 'group ' || groname FROM pg_group WHERE groname = :'grp'
UNION ALL SELECT 'role ' || role_name FROM svv_roles WHERE role_name = :'role'
ORDER BY 1;
SQL
compare "relation privileges" <<'SQL'
SELECT relation_name, privilege_type, identity_name, identity_type FROM svv_relation_privileges
WHERE namespace_name = :'schema' ORDER BY 1, 2, 3;
SQL
compare "column privileges" <<'SQL'
SELECT relation_name, column_name, privilege_type, identity_name FROM svv_column_privileges
WHERE namespace_name = :'schema' ORDER BY 1, 2, 3, 4;
SQL
compare "default privileges" <<'SQL'
SELECT owner_name, object_type, privilege_type, grantee_name, grantee_type
FROM svv_default_privileges WHERE schema_name = :'schema' ORDER BY 1, 2, 3, 4;
SQL
compare "the reader's effective privileges (through its group)" <<'SQL'
SELECT has_schema_privilege(:'reader', :'schema', 'usage'),
       has_table_privilege(:'reader', :'schema' || '.orders', 'select');
SQL

say "identity after the copy (D10)"
# The target was created with its seed past the source's highest id, so the next generated
# value is greater than every copied one.
above=$(q "$DST" <<'SQL'
INSERT INTO :"schema".orders (customer) VALUES ('inserted-after-copy');
SELECT count(*) FROM :"schema".orders
WHERE customer <> 'inserted-after-copy'
  AND id >= (SELECT id FROM :"schema".orders WHERE customer = 'inserted-after-copy');
SQL
)
[ "$above" = 0 ] || fail "$above copied row(s) have an id at or above the one generated after the copy"
ok "the id generated after the copy is greater than every copied id"

say "throughput per table"
grep -E "^throughput: |throughput: $SCHEMA\." "$TMP/migrate.out" | sed 's/^/     /' || true
for t in orders events floats big odd_types; do
  grep -qF "throughput: $SCHEMA.$t: UNLOAD " "$TMP/migrate.out" ||
    fail "migrate printed no throughput line for $t"
done
report="$TMP/work/migration_report.json"
if [ -f "$report" ]; then
  grep -q '"stage_seconds"' "$report" || fail "the report has no per-table stage_seconds"
  grep -q '"staged_files"' "$report" || fail "the report has no per-table staged_files"
  ok "the report carries UNLOAD/COPY seconds and staged files per table"
else
  echo "note: no $report (the work directory layout changed?); report figures not checked"
fi

say "a failing load names its error detail (item 7)"
# A second tenant whose target table already exists with a narrower column: --on-existing skip
# keeps it, COPY rejects the first row, and the error must name file, line, column and reason
# from SYS_LOAD_ERROR_DETAIL.
BAD="${RUN}_bad"
q "$SRC" -v bad="$BAD" <<'SQL' >/dev/null || fail "could not create the failing-load tenant"
CREATE SCHEMA :"bad";
CREATE TABLE :"bad".t (v VARCHAR(32));
INSERT INTO :"bad".t VALUES ('twelve chars');
SQL
q "$DST" -v bad="$BAD" <<'SQL' >/dev/null || fail "could not prepare the target of the failing load"
CREATE SCHEMA :"bad";
CREATE TABLE :"bad".t (v VARCHAR(4));
SQL
set +e
"$TOOL" migrate --source "$SRC" --target "$DST" --schema "$BAD" "${PASSWORDS[@]}" \
  --via "$STAGE" --iam-role "$IAM" --work-dir "$TMP/bad" --on-existing skip >"$TMP/bad.out" 2>&1
rc=$?
set -e
q "$SRC" -v bad="$BAD" <<<'DROP SCHEMA :"bad" CASCADE;' >/dev/null 2>&1 || true
q "$DST" -v bad="$BAD" <<<'DROP SCHEMA :"bad" CASCADE;' >/dev/null 2>&1 || true
[ "$rc" != 0 ] || fail "a load that cannot fit exited 0"
grep -F "sys_load_error_detail" "$TMP/bad.out" | sed 's/^/     /' || true
grep -qE "sys_load_error_detail; s3://[^ ]+ line [0-9]+, column v " "$TMP/bad.out" ||
  fail "the failed load does not name file, line and column from sys_load_error_detail:
$(cat "$TMP/bad.out")"
if [ -n "${PGPASSWORD:-}" ] && grep -qF -- "$PGPASSWORD" "$TMP/bad.out"; then
  fail "the password reached the failed load's output"
fi
ok "exit $rc; the error names the staged file, line, column and reason"

say "staged files"
if command -v aws >/dev/null; then
  left=$(aws s3 ls --recursive "$STAGE" || true)
  [ -z "$left" ] || fail "staged files were left after a successful run:
$left"
  ok "nothing left under $STAGE"
else
  echo "note: no aws CLI, staged-file deletion not checked"
fi

say "PASS"
