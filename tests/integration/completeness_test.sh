#!/usr/bin/env bash
# End-to-end, issue 18: object kinds that were dropped or broken (completeness_tenant.sql:
# inheritance, tables without columns to copy, partition-only defaults, aggregate and window
# function privileges, foreign tables, materialized-view and index properties, an extension in a
# tenant schema, a database-wide default privilege with --global-default-privileges) move
# between two real PostgreSQL clusters, compared with pg_dump and
# plain SQL (never with tenantshift); and one failed step blocks only what depends on it, and is
# reported.
#
#   tests/integration/completeness_test.sh PATH_TO_TENANTSHIFT
#
# Exits 0 when every check passes, 1 on the first failed check.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "${1:-}"

# shellcheck disable=SC2016  # the $(...) is data, never to be expanded
ODD='Kinds "Odd"; $(touch pwned)'
SCHEMAS=(kinds "$ODD")
ARGS=(--schema kinds --schema "$ODD")

say "set-up: role \"Kind Owner\" on src, the completeness tenant on src"
src_sql 'CREATE ROLE "Kind Owner" NOLOGIN'
PGOPTIONS="$IT_PGOPTIONS" timeout 300 "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$SRC_CONN" \
  -f "$IT_DIR/completeness_tenant.sql" >"$IT_TMP/load.log" 2>&1 \
  || { show_file "$IT_TMP/load.log" 60; die "loading completeness_tenant.sql failed"; }
ok "completeness_tenant.sql loaded"
assert_eq "$(src_sql 'SELECT count(*) FROM kinds.vehicle')" 7 "src: rows of vehicle with its children"

# The foreign server and the table access method of the tenant's foreign table and materialized
# view are outside the tenant: the target must have them (preflight refuses otherwise, below).
dst_sql "CREATE EXTENSION postgres_fdw;
         CREATE SERVER \"Kinds; srv\" FOREIGN DATA WRAPPER postgres_fdw
           OPTIONS (host 'localhost', dbname 'nowhere; ''x''');
         CREATE ACCESS METHOD \"Kinds; am\" TYPE TABLE HANDLER heap_tableam_handler"

# ------------------------------------------------------------------------------------------------
say "a tenant role's database-wide default privileges are a manual step unless opted in"
run_tool plan0 plan --source "$SRC_CONN" --target "$DST_CONN" "${ARGS[@]}"
expect_rc 8 "plan without --global-default-privileges (exit 8: a person must act)"
assert_output_contains '-- manual step: database-wide default privileges of Kind Owner on functions:' \
  "plan names the role and the kind of objects"
assert_output_contains 'ALTER DEFAULT PRIVILEGES FOR ROLE "Kind Owner" GRANT EXECUTE ON FUNCTIONS TO "Kind Owner";' \
  "the manual step shows the privileges"
if grep -E '^-- manual step: (foreign table|extension|CLUSTER ON|storage parameters|column storage|statistics)' \
  "$OUT" >"$IT_TMP/plan0.moved"; then
  show_file "$IT_TMP/plan0.moved"; fail "plan lists as manual steps kinds it moves"
else
  ok "foreign tables, extensions, materialized-view and index properties are not manual steps"
fi

# ------------------------------------------------------------------------------------------------
say "migrate moves every object and row"
run_tool migrate migrate --source "$SRC_CONN" --target "$DST_CONN" "${ARGS[@]}" --jobs 3 \
  --global-default-privileges --work-dir "$IT_TMP/work"
expect_rc 0 "migrate"
assert_output_contains 'match    objects: tables' "migrate ends with validate's object-count comparison"
if grep -q '^MISMATCH' "$OUT"; then show_file "$OUT"; fail "migrate printed a mismatch"; else ok "no mismatch"; fi
capture schema.src schema_dump "$SRC_CONN" "${SCHEMAS[@]}"
capture schema.dst schema_dump "$DST_CONN" "${SCHEMAS[@]}"
assert_same_file "$IT_TMP/schema.src" "$IT_TMP/schema.dst" "schema dumps (src vs dst)"
assert_file_contains "$IT_TMP/schema.dst" 'INHERITS (kinds.vehicle)' "dst: car inherits vehicle"
assert_file_contains "$IT_TMP/schema.dst" \
  'REVOKE ALL ON FUNCTION kinds.total(integer) FROM PUBLIC;' "dst: aggregate privilege revoked"
assert_file_contains "$IT_TMP/schema.dst" \
  'REVOKE ALL ON FUNCTION kinds.row_no() FROM PUBLIC;' "dst: window function privilege revoked"
assert_file_contains "$IT_TMP/schema.dst" "WITH (fillfactor='70', autovacuum_enabled='false');" \
  "dst: storage parameters"
assert_file_contains "$IT_TMP/schema.dst" 'ALTER COLUMN n SET (n_distinct=100);' "dst: attribute options"
assert_file_contains "$IT_TMP/schema.dst" 'CLUSTER ON vehicle_id_idx;' "dst: CLUSTER ON"
assert_file_contains "$IT_TMP/schema.dst" "IS 'n stays positive; \"quoted\"';" "dst: comment on an inline CHECK"
assert_file_contains "$IT_TMP/schema.dst" "IS 'positive \"only\"';" "dst: comment on a domain constraint"
assert_file_contains "$IT_TMP/schema.dst" "IS 'policy; comment';" "dst: comment on a policy"
assert_file_contains "$IT_TMP/schema.dst" 'ALTER STATISTICS kinds."Car; stats" SET STATISTICS 200;' \
  "dst: extended statistics with their target"
assert_file_contains "$IT_TMP/schema.dst" 'CREATE TEXT SEARCH CONFIGURATION kinds."Words; cfg" (' \
  "dst: text search configuration"
assert_file_contains "$IT_TMP/schema.dst" "SERVER \"Kinds; srv\"" "dst: foreign table on its server"
assert_file_contains "$IT_TMP/schema.dst" "    table_name 'remote''s; t'" "dst: foreign table options"
assert_file_contains "$IT_TMP/schema.dst" "    column_name 'remote id'" "dst: foreign table column options"
assert_file_contains "$IT_TMP/schema.dst" 'GRANT SELECT ON TABLE kinds."Remote; ""r""" TO PUBLIC;' \
  "dst: foreign table privilege"
# (pg_dump sets the access method with a SET line, which normalize_dump leaves out.)
AM_SQL="SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam
          WHERE c.oid = 'kinds.\"Mv; \"\"m\"\"\"'::regclass"
assert_eq "$(dst_sql "$AM_SQL")" 'Kinds; am' "dst: materialized view access method"
assert_file_contains "$IT_TMP/schema.dst" "WITH (fillfactor='60') AS" \
  "dst: materialized view storage parameters"
assert_file_contains "$IT_TMP/schema.dst" 'ALTER COLUMN label SET STATISTICS 77;' \
  "dst: materialized view column statistics"
assert_file_contains "$IT_TMP/schema.dst" 'ALTER COLUMN label SET STORAGE MAIN;' \
  "dst: materialized view column storage"
assert_file_contains "$IT_TMP/schema.dst" 'CLUSTER ON "Mv; idx";' "dst: materialized view CLUSTER ON"
assert_file_contains "$IT_TMP/schema.dst" 'CREATE STATISTICS kinds."Mv; stats" ON id, label FROM kinds."Mv; ""m""";' \
  "dst: extended statistics on a materialized view"
assert_file_contains "$IT_TMP/schema.dst" 'ALTER INDEX kinds."Expr; idx" ALTER COLUMN 1 SET STATISTICS 321;' \
  "dst: index column statistics (table)"
assert_file_contains "$IT_TMP/schema.dst" 'ALTER INDEX kinds."Mv; idx" ALTER COLUMN 1 SET STATISTICS 99;' \
  "dst: index column statistics (materialized view)"
EXT_SQL="SELECT e.extname || ' ' || e.extversion || ' ' || n.nspname FROM pg_extension e
           JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'fuzzystrmatch'"
assert_eq "$(dst_sql "$EXT_SQL")" "$(src_sql "$EXT_SQL")" "dst: the extension in a tenant schema, same version"
GLOBAL_SQL="SELECT defaclobjtype::text || ' ' || defaclacl::text FROM pg_default_acl
              WHERE defaclnamespace = 0 AND defaclrole = '\"Kind Owner\"'::regrole"
assert_eq "$(dst_sql "$GLOBAL_SQL")" "$(src_sql "$GLOBAL_SQL")" "dst: the database-wide default privileges"
assert_eq "$(dst_sql "$GLOBAL_SQL")" 'f {"\"Kind Owner\"=X/\"Kind Owner\""}' \
  "dst: PUBLIC may not run Kind Owner's new functions"
# Issue 18: operators, operator families and classes, conversions, text search parsers and
# templates (the test clusters' sessions are superusers, so the last four move too).
assert_file_contains "$IT_TMP/schema.dst" 'CREATE OPERATOR "Kinds ""Odd""; $(touch pwned)".=== (' \
  "dst: operator"
assert_file_contains "$IT_TMP/schema.dst" 'CREATE OPERATOR FAMILY kinds."Rev; ""fam""" USING btree;' \
  "dst: operator family"
assert_file_contains "$IT_TMP/schema.dst" 'ALTER OPERATOR FAMILY kinds."Rev; ""fam""" USING btree ADD' \
  "dst: the operator family's loose members"
assert_file_contains "$IT_TMP/schema.dst" 'CREATE OPERATOR CLASS kinds."Rev; ""ops"""' "dst: operator class"
assert_file_contains "$IT_TMP/schema.dst" \
  'CREATE INDEX "Rev; idx" ON kinds.vehicle USING btree (id kinds."Rev; ""ops""");' \
  "dst: the index that uses the operator class"
assert_file_contains "$IT_TMP/schema.dst" \
  "CREATE DEFAULT CONVERSION kinds.\"Latin; \"\"conv\"\"\" FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;" \
  "dst: conversion"
assert_file_contains "$IT_TMP/schema.dst" 'CREATE TEXT SEARCH PARSER kinds."Parse; ""p""" (' \
  "dst: text search parser"
assert_file_contains "$IT_TMP/schema.dst" \
  'CREATE TEXT SEARCH TEMPLATE "Kinds ""Odd""; $(touch pwned)"."Tmpl; ""t""" (' \
  "dst: text search template"
capture fp.src data_fingerprint "$SRC_CONN" "${SCHEMAS[@]}"
capture fp.dst data_fingerprint "$DST_CONN" "${SCHEMAS[@]}"
assert_same_file "$IT_TMP/fp.src" "$IT_TMP/fp.dst" "data fingerprints, parents counted with children"
assert_eq "$(dst_sql 'SELECT count(*) FROM kinds.vehicle')" 7 "dst: rows of vehicle with its children"
assert_eq "$(dst_sql 'SELECT count(*) FROM ONLY kinds.vehicle')" 2 "dst: rows of vehicle alone"
assert_eq "$(dst_sql 'SELECT count(*) FROM kinds.no_columns')" 3 "dst: rows of the table without columns"
assert_eq "$(dst_sql 'SELECT count(*), sum(g) FROM kinds.only_generated')" '2|14' \
  "dst: rows of the table with only a generated column"
# A partition's own default applies to rows inserted into it directly (through the parent, the
# parent's does); its disabled trigger clone does not fire, the other partition's does.
READINGS_SQL="INSERT INTO kinds.readings_manual (at) VALUES ('2031-01-01');
              INSERT INTO kinds.readings (at) VALUES ('2024-02-02');
              SELECT string_agg(source, ',' ORDER BY at) FROM kinds.readings WHERE value IS NULL;
              DELETE FROM kinds.readings WHERE value IS NULL"
assert_eq "$(src_sql "$READINGS_SQL")" 'sensor+trg,manual' "src: partition default and trigger states"
assert_eq "$(dst_sql "$READINGS_SQL")" 'sensor+trg,manual' "dst: partition default and trigger states"
assert_no_pwned

# ------------------------------------------------------------------------------------------------
say "validate exits 0; a second migrate changes nothing"
run_tool validate validate --source "$SRC_CONN" --target "$DST_CONN" "${ARGS[@]}"
expect_rc 0 "validate"
assert_output_contains 'skipped  kinds.Remote; "r"  foreign table (server Kinds; srv): not counted' \
  "validate does not count a foreign table's rows (they live on its server)"
run_tool plan2 plan --source "$SRC_CONN" --target "$DST_CONN" "${ARGS[@]}"
expect_rc 0 "plan after the migration"
if grep -E '^-- step [0-9]+: .*\[(extensions|types|operators|tables|indexes|functions|materialized views|privileges|default privileges|owners)\]$' "$OUT" \
  >"$IT_TMP/plan2.pending"; then
  show_file "$IT_TMP/plan2.pending"
  fail "plan after the migration still has object steps to run"
else
  ok "plan after the migration: every type, operator, table, index, function, owner and privilege step is skipped"
fi
# A second migrate (a work directory of its own) runs none of those steps: its ledger says so.
run_tool migrate2 migrate --source "$SRC_CONN" --target "$DST_CONN" "${ARGS[@]}" \
  --global-default-privileges --work-dir "$IT_TMP/work2"
expect_rc 0 "second migrate"
# shellcheck disable=SC2016  # python, not shell
RAN=$(python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for (d,) in db.execute("SELECT description FROM step WHERE state = ? AND phase IN "
                       "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ORDER BY 1", ("succeeded", "extensions",
                       "types", "operators", "tables", "indexes", "functions",
                       "materialized views", "privileges", "default privileges", "owners")):
    print(d)' "$IT_TMP/work2/ledger.db")
assert_eq "$RAN" "" "second migrate: no extension, type, operator, table, index, function, materialized view, owner or privilege step ran"

# ------------------------------------------------------------------------------------------------
say "kinds tenantshift does not move are named, never dropped silently"
src_sql "CREATE TYPE kinds.floatrange AS RANGE (subtype = float8);
         CREATE TEXT SEARCH CONFIGURATION kinds.my_ts (COPY = pg_catalog.simple);
         CREATE TEXT SEARCH TEMPLATE kinds.my_tmpl (INIT = dsimple_init, LEXIZE = dsimple_lexize);
         CREATE FUNCTION kinds.same(integer, integer) RETURNS boolean LANGUAGE sql
           AS 'SELECT \$1 = \$2';
         CREATE OPERATOR kinds.=== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = kinds.same);
         CREATE MATERIALIZED VIEW kinds.mv WITH (fillfactor = 60) AS SELECT 1 AS one, 2 AS two;
         CREATE STATISTICS kinds.mv_stats ON one, two FROM kinds.mv;
         CREATE COLLATION kinds.my_coll FROM \"C\""
run_tool plan3 plan --source "$SRC_CONN" --target "$DST_CONN" "${ARGS[@]}"
expect_rc 8 "plan with objects it does not move (exit 8: a person must act)"
assert_output_contains 'CREATE TYPE "kinds"."floatrange" AS RANGE (' "plan creates the range type"
assert_output_contains 'CREATE TEXT SEARCH CONFIGURATION "kinds"."my_ts" (' \
  "plan creates the text search configuration"
assert_output_contains 'CREATE TEXT SEARCH TEMPLATE "kinds"."my_tmpl" (' \
  "plan creates the text search template (the target session is a superuser)"
assert_output_contains 'CREATE OPERATOR "kinds".=== (' "plan creates the operator"
if grep -qE '^-- manual step: (operator|text search template) ' "$OUT"; then
  fail "plan lists an operator or text search template as a manual step"
else
  ok "no manual step for the operator or the text search template"
fi
assert_output_contains '-- manual step: collation kinds.my_coll:' "plan names the collation"
assert_output_contains 'CREATE STATISTICS kinds.mv_stats ON one, two FROM kinds.mv;' \
  "plan creates a materialized view's statistics object"
assert_output_contains 'CREATE MATERIALIZED VIEW "kinds"."mv" WITH ("fillfactor"='"'60'"') AS' \
  "plan creates a materialized view with its storage parameter"
if grep -E '^-- manual step: (statistics object kinds.mv_stats|storage parameters of materialized view)' \
  "$OUT"; then
  fail "plan lists a materialized view's statistics or storage parameters as a manual step"
else
  ok "no manual step for a materialized view's statistics or storage parameters"
fi
if grep -qE '^-- (step [0-9]+: create function|manual step: (multi)?range type) kinds\.float(multi)?range' "$OUT"; then
  fail "plan creates a range type's constructor function, or lists the range type as not moved"
else
  ok "no step creates a range type's constructor functions, no manual step for it"
fi

# ------------------------------------------------------------------------------------------------
say "a type that fails on the target blocks only the tables that use it, and is reported"
src_sql "CREATE TYPE kinds.mood AS ENUM ('ok');
         CREATE TABLE kinds.uses_mood (m kinds.mood); INSERT INTO kinds.uses_mood VALUES ('ok');
         CREATE TABLE kinds.plain (x integer); INSERT INTO kinds.plain VALUES (1)"
# Something else of that name on the target: CREATE TYPE fails there.
dst_sql "CREATE TABLE kinds.mood (x integer)"
run_tool migrate3 migrate --source "$SRC_CONN" --target "$DST_CONN" "${ARGS[@]}" \
  --work-dir "$IT_TMP/work3"
expect_rc_nonzero "migrate with a failing type"
assert_eq "$(dst_sql 'SELECT count(*) FROM kinds.plain')" 1 "dst: the table not using the type was moved"
assert_eq "$(dst_sql "SELECT to_regclass('kinds.uses_mood') IS NULL")" t \
  "dst: the table using the type was not created"
REPORT="$IT_TMP/work3/migration_report.json"
assert_eq "$(jq -r '.failed_steps[] | select(.state == "failed") | .step' "$REPORT")" \
  'create type kinds.mood' "report: the failed type step"
assert_eq "$(jq -r '.failed_steps[] | select(.state == "blocked" and .step == "create table kinds.uses_mood") | .error' "$REPORT")" \
  'did not run: create type kinds.mood failed' "report: the blocked table names its cause"
assert_eq "$(jq -r '[.failed_tables[].table] | join(",")' "$REPORT")" 'uses_mood' \
  "report: failed_tables lists the blocked table"
assert_output_contains 'blocked [tables] create table kinds.uses_mood' "summary lists the blocked step"
assert_eq "$(jq -r '.manual_steps[] | select(.what == "collation kinds.my_coll") | .what' "$REPORT")" \
  'collation kinds.my_coll' "report: objects not moved are manual steps"

# ------------------------------------------------------------------------------------------------
say "plan exits non-zero when it prints errors"
src_sql "CREATE EXTENSION citext; CREATE TABLE kinds.ci (c public.citext)"
dst_sql "CREATE SCHEMA ext; CREATE EXTENSION citext SCHEMA ext"
run_tool plan4 plan --source "$SRC_CONN" --target "$DST_CONN" "${ARGS[@]}"
expect_rc 4 "plan with an extension in another schema on the target"
assert_output_contains '-- error: extension "citext"' "plan prints the error"

# ------------------------------------------------------------------------------------------------
say "preflight: what the tenant uses from outside its schemas and the target lacks is refused"
# A tenant of its own ("needs; x") whose table uses a type, a collation and a table access method
# of schema public / the server, and whose foreign table uses a foreign server: none of them is
# created on the target, and tenantshift does not create them.
src_sql 'CREATE ROLE "Needs Owner" NOLOGIN;
         CREATE SCHEMA "needs; x" AUTHORIZATION "Needs Owner";
         CREATE TYPE public."Ext Pair" AS (a integer, b integer);
         CREATE COLLATION public."Ext ""Coll""" (locale = '"'C'"');
         CREATE ACCESS METHOD "ext heap" TYPE TABLE HANDLER heap_tableam_handler;
         CREATE EXTENSION IF NOT EXISTS postgres_fdw;
         CREATE SERVER "ext; srv" FOREIGN DATA WRAPPER postgres_fdw;
         CREATE TABLE "needs; x".t (p public."Ext Pair", c text COLLATE public."Ext ""Coll""")
           USING "ext heap";
         INSERT INTO "needs; x".t VALUES ((1, 2), '"'x'"');
         CREATE FOREIGN TABLE "needs; x".remote (x integer) SERVER "ext; srv";
         ALTER TABLE "needs; x".t OWNER TO "Needs Owner"'
capture state.before db_state "$DST_CONN"
run_tool preflight migrate --source "$SRC_CONN" --target "$DST_CONN" --schema 'needs; x' \
  --work-dir "$IT_TMP/work-preflight"
expect_rc 4 "migrate refuses a tenant using what the target lacks (exit 4)"
assert_output_contains 'type public.Ext Pair is used by "needs; x".t.p but does not exist on the target' \
  "the missing type is named with its user"
assert_output_contains 'collation public.Ext "Coll" is used by "needs; x".t.c' "the missing collation is named"
assert_output_contains 'access method ext heap is used by "needs; x".t' "the missing access method is named"
assert_output_contains 'foreign server ext; srv is used by "needs; x".remote' "the missing foreign server is named"
assert_output_contains 'nothing was changed' "migrate says nothing was changed"
capture state.after db_state "$DST_CONN"
assert_same_file "$IT_TMP/state.before" "$IT_TMP/state.after" "dst unchanged by the refused migrate"
run_tool preflight-plan plan --source "$SRC_CONN" --target "$DST_CONN" --schema 'needs; x'
expect_rc 4 "plan exits 4 as well"
assert_output_contains '-- error: access method ext heap' "plan prints the error"
assert_no_pwned
