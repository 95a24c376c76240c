#!/usr/bin/env bash
# CTest entry: renders the recorded Redshift tenant's plan with the unit-test binary, then parses
# every statement with sqlfluff's Redshift grammar (sqlfluff_check.py).
set -euo pipefail
TEST_BIN=$1
OUT=$(mktemp /tmp/tenantshift-rsplan.XXXXXX)
trap 'rm -f "$OUT"' EXIT
TENANTSHIFT_PLAN_OUT=$OUT "$TEST_BIN" --gtest_filter='RedshiftPipeline.WritesThePlanForTheGrammarSmokeCheck' >/dev/null
python3 "$(dirname "$0")/sqlfluff_check.py" "$OUT"
