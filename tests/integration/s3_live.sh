#!/usr/bin/env bash
# Runs the S3Live tests (tenantshift_s3_test) against a local s3rver and two PostgreSQL clusters
# that this script starts (scripts/s3server.sh, scripts/pgcluster.sh) and always stops.
#
#   tests/integration/s3_live.sh PATH_TO_TENANTSHIFT_S3_TEST
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ -x "${1:-}" ] || { echo "usage: $0 PATH_TO_TENANTSHIFT_S3_TEST" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/tenantshift-s3.XXXXXX")
chmod 755 "$dir"  # the clusters run as "postgres" when we are root
trap '"$REPO_ROOT/scripts/s3server.sh" stop "$dir/s3"; "$REPO_ROOT/scripts/pgcluster.sh" stop "$dir/pg"; rm -rf "$dir"' EXIT
"$REPO_ROOT/scripts/s3server.sh" start "$dir/s3" >/dev/null
"$REPO_ROOT/scripts/pgcluster.sh" start "$dir/pg" >/dev/null
# If this shell is SIGKILLed (a ctest timeout), the pipe closes and the servers are stopped anyway.
# shellcheck disable=SC2016,SC2034  # expanded by the inner bash; the fd is only held open
exec {watchdog}> >(exec setsid bash -c 'read -r _ || true
  "$0" stop "$2/s3" >/dev/null 2>&1; "$1" stop "$2/pg" >/dev/null 2>&1; rm -rf "$2"' \
  "$REPO_ROOT/scripts/s3server.sh" "$REPO_ROOT/scripts/pgcluster.sh" "$dir")
# shellcheck disable=SC1091
source "$dir/s3/env"
# shellcheck disable=SC1091
source "$dir/pg/env"
"$1" --gtest_filter='S3Live*'
