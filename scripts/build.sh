#!/usr/bin/env bash
# Configures and builds tenantshift into build/ (Release with debug info; warnings are errors here and in CI, not in a plain CMake build).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTENANTSHIFT_WERROR=ON >/dev/null
cmake --build build -j "$(nproc)"
