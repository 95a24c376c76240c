#!/usr/bin/env bash
# Starts or stops a throw-away local S3 server (s3rver, from the npm registry) for tests.
#
#   scripts/s3server.sh start DIR   install s3rver if missing, start it on a free loopback port
#                                   with its data under DIR, create the test bucket, write DIR/env
#   scripts/s3server.sh stop DIR    stop the server and delete DIR
#
# DIR/env (mode 0600) exports AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
# AWS_REGION and S3_TEST_BUCKET. The keys are s3rver's fixed test account (S3RVER/S3RVER), not
# real credentials. s3rver is installed with `npm install --prefix` into S3RVER_PREFIX (default:
# ./s3rver-cache, i.e. the build tree when run by ctest), once; later starts reuse it.
# s3rver checks that the access key id exists but not SigV4 signatures (see its
# lib/middleware/authentication.js), does not implement ListMultipartUploads or
# AbortMultipartUpload, and gives multipart objects a plain MD5 ETag.
set -euo pipefail

die() { echo "s3server: $*" >&2; exit 1; }

S3RVER_VERSION=3.7.1
BUCKET=tenantshift-test

# shellcheck source=scripts/ports.sh
. "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

install_s3rver() {  # -> path of the s3rver executable
  local prefix=$1 bin="$1/node_modules/.bin/s3rver"
  command -v npm >/dev/null || die "npm not found (scripts/deps.sh installs nodejs and npm)"
  mkdir -p "$prefix"
  # Two tests may start at once: one installs, the other waits for it.
  (
    flock 9
    if [ ! -x "$bin" ]; then
      npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
        "s3rver@$S3RVER_VERSION" >"$prefix/install.log" 2>&1 \
        || { cat "$prefix/install.log" >&2; die "npm install s3rver@$S3RVER_VERSION failed"; }
    fi
  ) 9>"$prefix/.lock"
  [ -x "$bin" ] || die "s3rver missing after install in $prefix"
  echo "$bin"
}

wait_ready() {  # port pid -> 0 once GET / answers, 1 if the server died or took too long
  local port=$1 pid=$2
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || return 1
    curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/" && return 0
    sleep 0.1  # polling interval of a bounded readiness check, not synchronisation
  done
  return 1
}

start_server() {  # s3rver-binary -> "port pid" of a server that answers
  local bin=$1 port pid tries
  mkdir -p "$DIR/data"
  # Another process may take the free port between the check and the start: try a few.
  for tries in 1 2 3 4 5; do
    port=$(free_port)
    # s3rver encrypts ListObjectsV2 continuation tokens with DES, which Node's OpenSSL 3 only
    # offers through its legacy provider.
    NODE_OPTIONS=--openssl-legacy-provider setsid "$bin" -d "$DIR/data" -a 127.0.0.1 -p "$port" --no-vhost-buckets \
      --configure-bucket "$BUCKET" >"$DIR/s3rver.log" 2>&1 </dev/null &
    pid=$!
    if wait_ready "$port" "$pid"; then
      echo "$port $pid"
      return
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  cat "$DIR/s3rver.log" >&2
  die "could not start s3rver"
}

cmd=${1:-}; DIR=${2:-}
if [ -z "$cmd" ] || [ -z "$DIR" ]; then die "usage: $0 start|stop DIR"; fi

case "$cmd" in
  start)
    command -v curl >/dev/null || die "curl not found (apt-get install curl)"
    prefix=$(mkdir -p "${S3RVER_PREFIX:-s3rver-cache}" && cd "${S3RVER_PREFIX:-s3rver-cache}" && pwd)
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    bin=$(install_s3rver "$prefix")
    read -r port pid < <(start_server "$bin")
    [ -n "${pid:-}" ] || die "could not start s3rver"
    echo "$pid" >"$DIR/pid"
    # The bucket is created by --configure-bucket before the server listens; check it.
    curl -sf -o /dev/null "http://127.0.0.1:$port/$BUCKET" || die "bucket $BUCKET missing"
    umask 077
    cat >"$DIR/env" <<ENV
export AWS_ENDPOINT_URL_S3='http://127.0.0.1:$port'
export AWS_ACCESS_KEY_ID='S3RVER'
export AWS_SECRET_ACCESS_KEY='S3RVER'
export AWS_REGION='us-east-1'
export S3_TEST_BUCKET='$BUCKET'
export S3RVER_DATA='$DIR/data'
ENV
    echo "$DIR/env"
    ;;
  stop)
    [ -d "$DIR" ] || exit 0
    if [ -f "$DIR/pid" ]; then
      pid=$(cat "$DIR/pid")
      if kill "$pid" 2>/dev/null; then
        # Wait (bounded) until the process is gone before deleting its data directory.
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
      fi
    fi
    rm -rf "$DIR"
    ;;
  *) die "unknown command $cmd" ;;
esac
