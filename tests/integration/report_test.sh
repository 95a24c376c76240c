#!/usr/bin/env bash
# End-to-end, issue 17: the HTML report of a real migration, opened in headless Chromium; the
# JSON log records of the same run; `plan --format json|dot`; `tenantshift report`.
#
#   tests/integration/report_test.sh PATH_TO_TENANTSHIFT
#
# The tenant is the demo's: sample_tenant.sql plus demo_tenant.sql (roles with passwords,
# functions, views, a materialized view, a trigger, grants, an RLS policy). Chromium is driven by
# report_html_check.py. REPORT_ARTIFACT_DIR (set by CTest to a folder of the build tree) keeps
# the screenshot and the page.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "${1:-}"
command -v chromium >/dev/null || die "chromium is not installed (scripts/deps.sh installs it)"
CHECK="$IT_DIR/report_html_check.py"
ARTIFACTS=${REPORT_ARTIFACT_DIR:-$IT_TMP/artifacts}
mkdir -p "$ARTIFACTS"
# The passwords demo_tenant.sql gives its login roles.
PASSWORDS=(demo-app-password-7Qx demo-analyst-password-3Kd)

say "--help names what moves and between which engines; --version the libraries"
run_tool help --help
expect_rc 0 "--help"
for word in "Redshift provisioned" "Redshift Serverless" "PostgreSQL <-> PostgreSQL" \
            "materialized views" "row-level security policies" "default privileges"; do
  assert_output_contains "$word" "--help names it"
done
run_tool version --version
expect_rc 0 "--version"
# The libraries it runs with are Debian's, the ones it was built against (pkg-config).
assert_eq "$(sed -n 2p "$OUT")" "libpq $(pkg-config --modversion libpq)" "--version libpq line"
assert_eq "$(sed -n 3p "$OUT")" "SQLite $(pkg-config --modversion sqlite3)" "--version SQLite line"

say "set-up: the demo tenant on src"
src_sql "CREATE ROLE acme_owner NOLOGIN"
load_sample_tenant "$SRC_CONN"
PGOPTIONS="$IT_PGOPTIONS" "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$SRC_CONN" \
  -f "$IT_DIR/demo_tenant.sql" >"$IT_TMP/load_demo.log" 2>&1 \
  || { show_file "$IT_TMP/load_demo.log"; die "loading demo_tenant.sql failed"; }
# The stored verifiers must not reach any file either.
mapfile -t VERIFIERS < <(src_sql "SELECT rolpassword FROM pg_authid WHERE rolname IN ('acme_app', 'acme_analyst')")
[ "${#VERIFIERS[@]}" = 2 ] || die "expected 2 password verifiers on src, got ${#VERIFIERS[@]}"
ok "demo tenant loaded"

# ------------------------------------------------------------------------------------------------
say "plan --format json has as many steps as the text plan, and plan --format dot is a graph"
run_tool plan_text plan --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}"
expect_rc 0 "plan (text)"
text_steps=$(grep -c '^-- step [0-9]*: ' "$OUT")
run_tool plan_json plan --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" --format json
expect_rc 0 "plan --format json"
assert_eq "$(jq '.steps | length' "$OUT")" "$text_steps" "JSON plan steps = text plan steps"
assert_eq "$(jq '[.steps[] | select(.depends_on | length > 0)] | length > 0' "$OUT")" true \
  "JSON plan steps carry dependencies"
assert_eq "$(jq -r '[.principals[].name] | sort | join(",")' "$OUT")" \
  "acme_analyst,acme_app,acme_owner,acme_reader" "JSON plan principals"
assert_eq "$(jq '[.principals[] | select(.why == "")] | length' "$OUT")" 0 \
  "every JSON plan principal says why it moves"
run_tool plan_dot plan --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" --format dot
expect_rc 0 "plan --format dot"
assert_eq "$(head -1 "$OUT")" "digraph plan {" "dot output starts a digraph"
assert_eq "$(grep -c '^    s[0-9]* \[label=' "$OUT")" "$text_steps" "dot has one node per step"
assert_eq "$(grep -c 'subgraph cluster_' "$OUT")" "$(jq '[.steps[].phase] | unique | length' "$IT_TMP/plan_json.out")" \
  "dot has one cluster per phase"

# ------------------------------------------------------------------------------------------------
say "migrate --log-format json writes the HTML report and JSON records"
WORK="$IT_TMP/work"
run_tool migrate migrate --source "$SRC_CONN" --target "$DST_CONN" "${TENANT_ARGS[@]}" \
  --jobs 3 --work-dir "$WORK" --log-format json
expect_rc 0 "migrate"
REPORT="$WORK/migration_report.json"
HTML="$WORK/migration_report.html"
[ -s "$HTML" ] || die "no migration_report.html in the work directory"
assert_output_contains "report (HTML): $HTML" "migrate prints where the HTML report is"
bad=$(jq -R 'fromjson? // "BAD"' "$ERR" | grep -c '^"BAD"$' || true)
assert_eq "$bad" 0 "every stderr line is a JSON object ($(wc -l <"$ERR") lines)"
assert_eq "$(jq -s '[.[] | select(.time and .level and .event)] | length' "$ERR")" "$(wc -l <"$ERR")" \
  "every record has time, level and event"
copies=$(jq -s '[.[] | select(.event == "step_finished" and .phase == "data")] | length' "$ERR")
assert_eq "$copies" "$(jq .total_tables "$REPORT")" "one step_finished record per table copy"
assert_eq "$(jq -rs '[.[] | select(.event == "step_finished" and .phase == "data")
                      | select(.schema == "" or .table == "" or .schema == null or .table == null)] | length' "$ERR")" 0 \
  "copy records name schema and table in fields"
assert_eq "$(jq -rs '[.[] | select(.phase == "data" and .schema == "Bill\"ing; $(touch pwned) ü")] | length > 0' "$ERR")" true \
  "the hostile schema is a field value, intact"
assert_eq "$(jq '.object_counts | [.functions, .views, .materialized_views, .triggers, .roles, .policies] | map(. > 0) | all' "$REPORT")" \
  true "the report counts functions, views, MVs, triggers, roles and policies"

# ------------------------------------------------------------------------------------------------
say "the HTML report in headless Chromium: no console error, no request, one bar per copy"
python3 "$CHECK" "$HTML" "$ARTIFACTS/migration_report.png" >"$IT_TMP/observed.json" 2>"$IT_TMP/check.err" \
  || { show_file "$IT_TMP/check.err"; fail "report_html_check.py could not drive chromium"; }
cp "$HTML" "$ARTIFACTS/migration_report.html"
OBS="$IT_TMP/observed.json"
assert_eq "$(jq -c .console_errors "$OBS")" "[]" "console errors"
assert_eq "$(jq -c .requests "$OBS")" "[]" "network requests"
assert_eq "$(jq '.bars.copy' "$OBS")" "$(jq '[.timeline[] | select(.kind == "copy")] | length' "$REPORT")" \
  "timeline bars of kind copy = copy steps in the JSON timeline"
assert_eq "$(jq '.bars.copy' "$OBS")" "$(jq .total_tables "$REPORT")" "one copy bar per table"
assert_eq "$(jq '.bars | add' "$OBS")" "$(jq '.timeline | length' "$REPORT")" "one bar per step that ran"
for pair in total-tables:total_tables total-succeeded:succeeded_count total-failed:failed_count \
            exit-code:exit_code; do
  assert_eq "$(jq ".totals[\"${pair%%:*}\"]" "$OBS")" "$(jq ".${pair#*:}" "$REPORT")" \
    "page ${pair%%:*} = JSON ${pair#*:}"
done
assert_eq "$(jq '.totals["total-rows"]' "$OBS")" "$(jq '[.tables[].rows] | add' "$REPORT")" "page rows = JSON rows"
assert_eq "$(jq '.totals["total-bytes"]' "$OBS")" "$(jq '[.tables[].bytes] | add' "$REPORT")" "page bytes = JSON bytes"
[ -s "$ARTIFACTS/migration_report.png" ] && ok "screenshot saved: $ARTIFACTS/migration_report.png" \
  || fail "no screenshot was saved"

say "no password or verifier in the page, the JSON report, the logs or the ledger"
for secret in "${PASSWORDS[@]}" "${VERIFIERS[@]}"; do
  hits=$(grep -rlF -- "$secret" "$WORK" "$IT_TMP"/*.out "$IT_TMP"/*.err 2>/dev/null || true)
  [ -z "$hits" ] || fail "a secret (${secret:0:6}...) is in: $hits"
done
ok "none of ${#PASSWORDS[@]} passwords and ${#VERIFIERS[@]} verifiers found"
assert_eq "$(grep -c 'SCRAM-SHA-256\$' "$HTML" || true)" 0 "no SCRAM verifier text in the page"

# ------------------------------------------------------------------------------------------------
say "the checker fails when it should: a planted script error and a planted request"
PLANTED="$IT_TMP/planted.html"
# Without the page's Content-Security-Policy, so the planted request is really attempted.
sed -e '/Content-Security-Policy/d' \
    -e 's|</body>|<script>no_such_function();</script><img src="http://127.0.0.1:9/x.png"></body>|' \
    "$HTML" >"$PLANTED"
python3 "$CHECK" "$PLANTED" "$IT_TMP/planted.png" >"$IT_TMP/planted.json" 2>"$IT_TMP/planted.err" \
  || { show_file "$IT_TMP/planted.err"; fail "report_html_check.py failed on the planted page"; }
assert_eq "$(jq '[.console_errors[] | select(test("no_such_function"))] | length > 0' "$IT_TMP/planted.json")" \
  true "the planted script error is seen"
assert_eq "$(jq '[.requests[] | select(test("127.0.0.1:9"))] | length' "$IT_TMP/planted.json")" 1 \
  "the planted request is seen"

# ------------------------------------------------------------------------------------------------
say "tenantshift report --work-dir rewrites the same page from the JSON report"
mv "$HTML" "$IT_TMP/first.html"
run_tool report report --work-dir "$WORK"
expect_rc 0 "report"
assert_same_file "$IT_TMP/first.html" "$HTML" "the page written by migrate and by report"
run_tool report_none report --work-dir "$IT_TMP/nowhere"
expect_rc 7 "report without a run"
assert_output_contains "no migration_report.json in" "report names what is missing"

# ------------------------------------------------------------------------------------------------
say "cutover --freeze-source adds the freeze window to both reports"
SECRET="$IT_TMP/consumer.json"
jq -n --arg pw "${PASSWORDS[0]}" --argjson port "$SRC_PORT" \
  '{host: "127.0.0.1", port: $port, dbname: "postgres", username: "acme_app", password: $pw}' >"$SECRET"
run_tool cutover cutover --freeze-source --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc 0 "cutover --freeze-source"
assert_eq "$(jq -r '.cutover.frozen_roles | sort | join(",")' "$REPORT")" "acme_analyst,acme_app" \
  "the JSON report lists the frozen roles"
assert_eq "$(jq '.cutover.freeze_seconds >= 0 and (.cutover.freeze_started_at | length) > 0
                 and .cutover.switched_at >= .cutover.freeze_started_at' "$REPORT")" true \
  "the JSON report has the freeze window"
assert_file_contains "$HTML" "id=\"freeze-window\">$(jq -r .cutover.freeze_started_at "$REPORT") to" \
  "the HTML report shows the freeze window"
python3 "$CHECK" "$HTML" "$ARTIFACTS/migration_report_cutover.png" >"$IT_TMP/observed2.json" 2>"$IT_TMP/check2.err" \
  || { show_file "$IT_TMP/check2.err"; fail "report_html_check.py could not drive chromium"; }
assert_eq "$(jq -c '[.console_errors, .requests]' "$IT_TMP/observed2.json")" "[[],[]]" \
  "after cutover: no console error, no request"
hits=$(grep -rlF -- "${PASSWORDS[0]}" "$WORK" || true)
assert_eq "$hits" "" "the consumer's password is in no file of the work directory"
run_tool undo cutover --undo --work-dir "$WORK" --consumer-secret "secret-file:$SECRET"
expect_rc 0 "cutover --undo"

assert_no_pwned
