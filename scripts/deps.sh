#!/usr/bin/env bash
# Installs what tenantshift needs to build, test and run its demo, from Debian's packages.
# Runs apt-get update and apt-get install every time (both are quick when nothing is missing).
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libpq-dev libsqlite3-dev nlohmann-json3-dev libcli11-dev libfmt-dev libgtest-dev
  libcurl4-openssl-dev libssl-dev libpugixml-dev curl
  postgresql postgresql-client postgresql-contrib
  jq coreutils util-linux
  python3-botocore  # tests/aws_oracle: AWS's own serializers and signer, offline
  sqlfluff  # tests/redshift_grammar: an independent Redshift grammar for rendered SQL
  chromium  # tests/integration/report_test.sh opens the HTML report in it, headless
)

# s3rver (the local S3 for tests) comes from the npm registry; install Debian's nodejs/npm only
# when no npm is on PATH (a NodeSource node ships its own npm, which Debian's package conflicts with).
command -v npm >/dev/null || PACKAGES+=(nodejs npm)

if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
echo "deps: ${#PACKAGES[@]} packages present"
