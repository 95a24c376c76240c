#!/usr/bin/env bash
# End-to-end: views, materialized views, functions, procedures, aggregates, triggers, rules and
# extensions (tests/integration/programmable_tenant.sql on top of sample_tenant.sql) between two
# real PostgreSQL clusters, compared with pg_dump and plain SQL (never with tenantshift).
#
#   tests/integration/programmable_test.sh PATH_TO_TENANTSHIFT
#
# Exits 0 when every check passes, 1 on the first failed check.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "${1:-}"

# Calls every tenant routine (and the procedure, rolled back) and reads every view. Run on both
# sides; the outputs must be identical. Consumes one value of acme.product_code_seq.
CALLS_SQL=$(cat <<'SQL'
SELECT 'normalize_code', acme.normalize_code('  ab-1 ');
SELECT 'is_valid_code', acme.is_valid_code('ab-12'), acme.is_valid_code('nope');
SELECT 'next_code', acme.next_code();
SELECT 'fmt_price', acme.fmt_price(12.5::numeric), acme.fmt_price(12.5, 'EUR'), acme.fmt_price(7);
SELECT 'add_tax', acme.add_tax(19.99), acme.add_tax(100, 0.2), pg_typeof(acme.add_tax(1));
SELECT 'sum_all', acme.sum_all(1, 2, 3), acme.sum_all(VARIADIC ARRAY[]::integer[]);
SELECT 'split_code', (acme.split_code('AB-42')).*;
SELECT 'products_in', * FROM acme.products_in('toys');
SELECT 'products_in default', count(*) FROM acme.products_in();
SELECT 'secret_digest', acme.secret_digest('it''s a secret');
SELECT 'is_even', acme.is_even(10), acme.is_odd(7), acme.is_even(3);
SELECT 'list_of', category, acme.list_of(code ORDER BY code) FROM acme.products
  GROUP BY category ORDER BY category;
SELECT 'total_of', acme.total_of(price) FROM acme.products;
SELECT 'total_of window', id, acme.total_of(price) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
  FROM acme.products WHERE id <= 6 ORDER BY id;
SELECT 'open_order_count', acme.open_order_count();
SELECT 'cheap_count', acme.cheap_count();
SELECT 'top_customers', * FROM acme.top_customers(3);
BEGIN;
CALL acme.reprice('toys');
SELECT 'after reprice', sum(price) FROM acme.products;
ROLLBACK;
SQL
)

# Writes through the triggers, rules and views after the migration; run on both sides.
WRITES_SQL=$(cat <<'SQL'
UPDATE acme.products SET price = price + 1 WHERE id IN (7, 8);
INSERT INTO acme.products (id, code, name, price) VALUES (1000, 'NW-1', 'New', 1);
INSERT INTO acme.v_price_entry VALUES (7, 99.5, 'ignored');
DELETE FROM acme.price_log WHERE product_id = 7;
INSERT INTO acme.v_cheap_products (id, code, name, price) VALUES (1001, 'CH-1', 'cheap', 2);
SELECT 'check option', count(*) FROM acme.v_cheap_products WHERE id = 1001;
SQL
)

say "set-up: role acme_owner on both clusters, sample and programmable tenant on src"
both_sql "CREATE ROLE acme_owner NOLOGIN"
load_sample_tenant "$SRC_CONN"
load_programmable_tenant "$SRC_CONN"
ok "sample_tenant.sql and programmable_tenant.sql loaded"
assert_eq "$(dst_sql "SELECT count(*) FROM pg_extension WHERE extname IN ('citext', 'pgcrypto')")" 0 \
  "citext/pgcrypto installed on dst before the migration"

# ------------------------------------------------------------------------------------------------
say "an extension the tenant needs in another schema on the target: migrate refuses (exit 4), nothing changed"
dst_sql "CREATE SCHEMA ext; CREATE EXTENSION citext SCHEMA ext" >/dev/null
capture dst_state.before_refused db_state "$DST_CONN"
run_tool refused migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --work-dir "$IT_TMP/work_refused"
expect_rc 4 "migrate with citext installed in schema ext on dst"
assert_file_contains "$ERR" 'extension "citext"' "stderr names the extension"
capture dst_state.after_refused db_state "$DST_CONN"
assert_same_file "$IT_TMP/dst_state.before_refused" "$IT_TMP/dst_state.after_refused" \
  "dst state before/after the refused migrate"
dst_sql "DROP EXTENSION citext; DROP SCHEMA ext" >/dev/null
capture dst_state.initial db_state "$DST_CONN"

# ------------------------------------------------------------------------------------------------
say "plan shows dependency order, not alphabetical order, and changes nothing"
run_tool plan plan --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}"
expect_rc 0 "plan"
grep -E '^-- step [0-9]+: ' "$OUT" | sed -E 's/^-- step ([0-9]+): (.*) \[[^]]*\]( -- skipped.*)?$/\1|\2/' \
  >"$IT_TMP/plan.steps"
# step_no DESCRIPTION: the plan's step number of a step, or fail.
step_no() {
  local n
  n=$(awk -F'|' -v d="$1" '$2 == d { print $1 }' "$IT_TMP/plan.steps")
  [ -n "$n" ] || { show_file "$IT_TMP/plan.steps" 200; die "plan has no step [$1]"; }
  echo "$n"
}
# assert_before A B: step A is printed before step B.
assert_before() {
  local a b
  a=$(step_no "$1"); b=$(step_no "$2")
  [ "$a" -lt "$b" ] || { fail "plan order: [$1] (step $a) should come before [$2] (step $b)"; return 0; }
  ok "plan order: $1 (step $a) before $2 (step $b)"
}
assert_before "create extension citext" "create table acme.products"
assert_before "create function acme.normalize_code(code text)" "create function acme.is_valid_code(code text)"
assert_before "create function acme.is_valid_code(code text)" "create type acme.product_code"
assert_before "create type acme.product_code" "create table acme.products"
assert_before "create function acme.next_code()" "create table acme.products"
assert_before "create view acme.z_order_base" "create view acme.a_order_summary"
assert_before "create view acme.a_order_summary" "create function acme.top_customers(n integer)"
assert_before "create view acme.a_order_summary" "create view Bill\"ing; \$(touch pwned) ü.Summe \"€\"; \$(touch pwned)"
assert_before "create view Bill\"ing; \$(touch pwned) ü.Summe \"€\"; \$(touch pwned)" "create view acme.b_billing_totals"
assert_before "create materialized view acme.mv_z_daily" "create view acme.v_over_mv"
assert_before "create view acme.v_over_mv" "create materialized view acme.mv_a_top"
assert_before "copy data acme.orders" "refresh materialized view acme.mv_z_daily"
assert_before "refresh materialized view acme.mv_z_daily" "refresh materialized view acme.mv_a_top"
assert_before "copy data acme.products" "create trigger products_touch_trg on acme.products"
assert_before "copy data acme.events_2024" "create trigger events_mark_trg on acme.events"
assert_before "refresh materialized view acme.mv_a_top" "create trigger products_touch_trg on acme.products"
assert_before "create function acme.cheap_count()" "create view acme.v_cheap_products"
if grep -qxF 'refresh materialized view acme.mv_no_data' <(cut -d'|' -f2 "$IT_TMP/plan.steps"); then
  fail "plan refreshes acme.mv_no_data, which is WITH NO DATA on the source"
else
  ok "plan does not refresh acme.mv_no_data (WITH NO DATA on the source)"
fi
assert_file_contains "$OUT" "SET LOCAL check_function_bodies = off;" "routines are created without body checks"
capture dst_state.after_plan db_state "$DST_CONN"
assert_same_file "$IT_TMP/dst_state.initial" "$IT_TMP/dst_state.after_plan" "dst state before/after plan"

# ------------------------------------------------------------------------------------------------
say "migrate --jobs 3 exits 0"
run_tool migrate1 migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --jobs 3 --work-dir "$IT_TMP/work1"
expect_rc 0 "migrate"
assert_eq "$(dst_sql "SELECT string_agg(extname || '@' || extnamespace::regnamespace, ',' ORDER BY extname)
                       FROM pg_extension WHERE extname IN ('citext', 'pgcrypto')")" \
  "citext@public,pgcrypto@public" "extensions created on dst in the source's schema"

say "schema-only dumps of the tenant schemas are identical on src and dst"
capture schema.src schema_dump "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
capture schema.dst schema_dump "$DST_CONN" "${TENANT_SCHEMAS[@]}"
for line in "CREATE MATERIALIZED VIEW acme.mv_a_top AS" "CREATE VIEW acme.a_order_summary AS" \
            "CREATE PROCEDURE acme.reprice(IN category_name text, INOUT changed integer DEFAULT NULL::integer)" \
            "ALTER TABLE acme.products DISABLE TRIGGER products_reject_disabled;" \
            "CREATE AGGREGATE acme.list_of(text) ("; do
  grep -qxF -- "$line" "$IT_TMP/schema.src" || die "schema dump of src lacks [$line] (dump helper broken?)"
done
assert_same_file "$IT_TMP/schema.src" "$IT_TMP/schema.dst" "normalized schema dumps (src vs dst)"

say "table data identical: no trigger fired during the load"
capture fp.src data_fingerprint "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
capture fp.dst data_fingerprint "$DST_CONN" "${TENANT_SCHEMAS[@]}"
assert_same_file "$IT_TMP/fp.src" "$IT_TMP/fp.dst" "per-table count+md5 fingerprints (src vs dst)"
# Every source row went through products_touch_trg once (the five updated ones twice); a firing
# during the load would add one more '*' and one more touch.
assert_eq "$(dst_sql "SELECT sum(touched), count(*) FILTER (WHERE name LIKE '%***') FROM acme.products")" "45|0" \
  "dst acme.products: sum(touched) and rows marked three times"
assert_eq "$(dst_sql "SELECT string_agg(kind, ',') FROM acme.events WHERE kind LIKE 'trig%'")" "trig+" \
  "dst acme.events: the partition trigger marked the row once"
assert_eq "$(dst_sql "SELECT count(*) FROM acme.price_log")" 5 "dst acme.price_log rows (no trigger added any)"

say "materialized views: same content, WITH NO DATA stays unpopulated; views read the same rows"
capture mv.src relation_fingerprint "$SRC_CONN" m "${TENANT_SCHEMAS[@]}"
capture mv.dst relation_fingerprint "$DST_CONN" m "${TENANT_SCHEMAS[@]}"
grep -qF 'acme.mv_no_data|f|not populated' "$IT_TMP/mv.src" || { show_file "$IT_TMP/mv.src"; die "MV helper: mv_no_data not found on src"; }
assert_eq "$(wc -l <"$IT_TMP/mv.src")" 4 "materialized views on src"
assert_same_file "$IT_TMP/mv.src" "$IT_TMP/mv.dst" "materialized view contents (src vs dst)"
capture views.src relation_fingerprint "$SRC_CONN" v "${TENANT_SCHEMAS[@]}"
capture views.dst relation_fingerprint "$DST_CONN" v "${TENANT_SCHEMAS[@]}"
assert_same_file "$IT_TMP/views.src" "$IT_TMP/views.dst" "view contents (src vs dst)"

say "sequences continue where they were"
capture seq.src sequence_state "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
capture seq.dst sequence_state "$DST_CONN" "${TENANT_SCHEMAS[@]}"
assert_same_file "$IT_TMP/seq.src" "$IT_TMP/seq.dst" "sequence states (src vs dst)"

say "the report counts the new object kinds"
REPORT="$IT_TMP/work1/migration_report.json"
assert_eq "$(jq -c '.object_counts | [.functions, .procedures, .aggregates, .views, .materialized_views, .triggers, .rules, .extensions]' "$REPORT")" \
  "[23,1,2,12,4,8,2,3]" "object_counts functions, procedures, aggregates, views, MVs, triggers, rules, extensions"
assert_eq "$(jq -r '.failed_count' "$REPORT")" 0 "report failed_count"

# ------------------------------------------------------------------------------------------------
say "validate exits 0 and compares object counts"
run_tool validate1 validate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}"
expect_rc 0 "validate"
assert_file_contains "$OUT" "match    objects: materialized_views  source 4  target 4" "validate counts materialized views"

# ------------------------------------------------------------------------------------------------
say "a second migrate changes nothing: every object is already on the target"
run_tool plan2 plan --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}"
expect_rc 0 "plan after the migration"
if grep -E '^-- step [0-9]+: .*\[(extensions|functions|views|materialized views|triggers|rules|types|tables)\]$' "$OUT" >"$IT_TMP/plan2.pending"; then
  show_file "$IT_TMP/plan2.pending"
  fail "plan after the migration still has object steps to run"
else
  ok "plan after the migration: every extension, type, table, routine, view, MV, trigger and rule step is skipped"
fi
run_tool migrate2 migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --jobs 3 --work-dir "$IT_TMP/work2"
expect_rc 0 "second migrate"
capture schema.dst2 schema_dump "$DST_CONN" "${TENANT_SCHEMAS[@]}"
assert_same_file "$IT_TMP/schema.dst" "$IT_TMP/schema.dst2" "dst schema dump before/after the second migrate"
capture fp.dst2 data_fingerprint "$DST_CONN" "${TENANT_SCHEMAS[@]}"
assert_same_file "$IT_TMP/fp.src" "$IT_TMP/fp.dst2" "fingerprints after the second migrate (src vs dst)"
capture mv.dst2 relation_fingerprint "$DST_CONN" m "${TENANT_SCHEMAS[@]}"
assert_same_file "$IT_TMP/mv.src" "$IT_TMP/mv.dst2" "materialized views after the second migrate (src vs dst)"

# ------------------------------------------------------------------------------------------------
say "every routine returns the same results on both sides"
printf '%s\n' "$CALLS_SQL" >"$IT_TMP/calls.sql"
capture calls.src psql_run "$SRC_CONN" -f "$IT_TMP/calls.sql"
capture calls.dst psql_run "$DST_CONN" -f "$IT_TMP/calls.sql"
grep -qF 'add_tax|21.64|120.00|numeric' "$IT_TMP/calls.src" || { show_file "$IT_TMP/calls.src" 60; die "routine calls: unexpected add_tax result on src"; }
grep -qF 'after reprice|' "$IT_TMP/calls.src" || { show_file "$IT_TMP/calls.src" 60; die "routine calls: the procedure did not run on src"; }
assert_same_file "$IT_TMP/calls.src" "$IT_TMP/calls.dst" "routine results (src vs dst)"

say "triggers, rules and updatable views behave the same on both sides after the migration"
printf '%s\n' "$WRITES_SQL" >"$IT_TMP/writes.sql"
capture writes.src psql_run "$SRC_CONN" -f "$IT_TMP/writes.sql"
capture writes.dst psql_run "$DST_CONN" -f "$IT_TMP/writes.sql"
assert_same_file "$IT_TMP/writes.src" "$IT_TMP/writes.dst" "write results (src vs dst)"
capture fp.src3 data_fingerprint "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
capture fp.dst3 data_fingerprint "$DST_CONN" "${TENANT_SCHEMAS[@]}"
assert_same_file "$IT_TMP/fp.src3" "$IT_TMP/fp.dst3" "fingerprints after the same writes (src vs dst)"
assert_eq "$(dst_sql "SELECT count(*) FROM acme.price_log WHERE note = 'via view'")" 1 \
  "dst: the INSTEAD OF trigger wrote through the view"
assert_no_pwned
