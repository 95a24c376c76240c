#!/usr/bin/env bash
# Starts or stops two throw-away PostgreSQL clusters ("src" and "dst") for demos and tests.
#
#   scripts/pgcluster.sh start DIR   initdb both clusters under DIR, start them on free loopback
#                                    ports, write DIR/env (shell variables, see below)
#   scripts/pgcluster.sh stop DIR    stop both clusters and delete DIR
#
# DIR/env defines SRC_PORT, DST_PORT, SRC_CONN, DST_CONN, PGPASSFILE and PG_BINDIR. The
# connection strings hold no password: TCP connections use scram-sha-256 and the password of
# the "postgres" role is in DIR/pgpass (mode 0600), which libpq reads through PGPASSFILE.
# PostgreSQL refuses to run as root, so as root the servers run as the "postgres" system user.
# With PGCLUSTER_LOGICAL=1 in the environment both clusters run with wal_level = logical (for
# logical replication: migrate --follow).
set -euo pipefail

die() { echo "pgcluster: $*" >&2; exit 1; }

find_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
  die "no PostgreSQL server found (apt-get install postgresql)"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# shellcheck source=scripts/ports.sh
. "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

start_one() {  # name -> prints the port it listens on
  local name=$1 data="$DIR/$1" port tries
  as_owner "$BINDIR/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 --pwfile="$DIR/pwfile" >"$DIR/$name.initdb.log" 2>&1 \
    || { cat "$DIR/$name.initdb.log" >&2; die "initdb failed for $name"; }
  cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR/sock'
max_connections = 100
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = 4GB
logging_collector = off
CONF
  if [ "${PGCLUSTER_LOGICAL:-0}" = 1 ]; then
    echo "wal_level = logical" >>"$data/postgresql.conf"
  fi
  # Another process may take the free port between the check and the start: try a few.
  for tries in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$BINDIR/pg_ctl" -D "$data" -l "$DIR/$name.log" -o "-p $port" -w -t 60 \
        start >/dev/null; then
      echo "port = $port" >>"$data/postgresql.auto.conf"
      echo "$port"
      return
    fi
  done
  cat "$DIR/$name.log" >&2
  die "could not start $name"
}

cmd=${1:-}; DIR=${2:-}
[ -n "$cmd" ] && [ -n "$DIR" ] || die "usage: $0 start|stop DIR"
BINDIR=$(find_bindir)

case "$cmd" in
  start)
    mkdir -p "$DIR/sock"
    DIR=$(cd "$DIR" && pwd)
    password="pw-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
    umask 077
    printf '%s\n' "$password" >"$DIR/pwfile"
    [ "$(id -u)" = 0 ] && chown -R postgres "$DIR"
    chmod 755 "$DIR"
    src_port=$(start_one src)
    dst_port=$(start_one dst)
    rm -f "$DIR/pwfile"
    printf '127.0.0.1:*:*:postgres:%s\n' "$password" >"$DIR/pgpass"
    chmod 600 "$DIR/pgpass"
    cat >"$DIR/env" <<ENV
export PG_BINDIR='$BINDIR'
export PGPASSFILE='$DIR/pgpass'
export SRC_PORT=$src_port
export DST_PORT=$dst_port
export SRC_CONN='host=127.0.0.1 port=$src_port dbname=postgres user=postgres'
export DST_CONN='host=127.0.0.1 port=$dst_port dbname=postgres user=postgres'
ENV
    echo "$DIR/env"
    ;;
  stop)
    [ -d "$DIR" ] || exit 0
    for name in src dst; do
      if [ -f "$DIR/$name/postmaster.pid" ]; then
        as_owner "$BINDIR/pg_ctl" -D "$DIR/$name" -m immediate -w stop >/dev/null 2>&1 || true
      fi
    done
    rm -rf "$DIR"
    ;;
  *) die "unknown command $cmd" ;;
esac
