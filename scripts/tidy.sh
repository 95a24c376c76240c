#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy: a small agreed set of checks) over the production sources, or
# over the files given. Needs a configured build/ (scripts/build.sh writes
# build/compile_commands.json). Exits non-zero when a check marked as an error fires.
#
#   scripts/tidy.sh                 every src/**/*.cc except tests
#   scripts/tidy.sh src/move/*.cc   just these
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/compile_commands.json ] || { echo "tidy: run scripts/build.sh first" >&2; exit 2; }
if [ $# -eq 0 ]; then
  mapfile -t files < <(find src -name '*.cc' ! -name '*_test.cc' ! -path 'src/testing/*' | sort)
else
  files=("$@")
fi
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p build --quiet
