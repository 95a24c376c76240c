#!/usr/bin/env bash
# Quick start command 2: installs dependencies, builds, and runs every test (unit tests and the
# integration tests against two real PostgreSQL clusters) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
cd build
ctest --output-on-failure --timeout 900
