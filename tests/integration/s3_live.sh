#!/usr/bin/env bash
# Runs the S3Live tests (tenantshift_s3_test) against a local s3rver that this script starts
# (scripts/s3server.sh) and always stops.
#
#   tests/integration/s3_live.sh PATH_TO_TENANTSHIFT_S3_TEST
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ -x "${1:-}" ] || { echo "usage: $0 PATH_TO_TENANTSHIFT_S3_TEST" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/tenantshift-s3.XXXXXX")
trap '"$REPO_ROOT/scripts/s3server.sh" stop "$dir"' EXIT
"$REPO_ROOT/scripts/s3server.sh" start "$dir" >/dev/null
# If this shell is SIGKILLed (a ctest timeout), the pipe closes and the server is stopped anyway.
# shellcheck disable=SC2016  # expanded by the inner bash
exec {watchdog}> >(exec setsid bash -c 'read -r _ || true; "$0" stop "$1" >/dev/null 2>&1' \
  "$REPO_ROOT/scripts/s3server.sh" "$dir")
# shellcheck disable=SC1091
source "$dir/env"
"$1" --gtest_filter='S3Live*'
