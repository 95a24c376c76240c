# shellcheck shell=bash
# Free loopback ports for the local test servers (sourced by pgcluster.sh and s3server.sh).
# The caller defines die(). A port found free may be taken before the server binds it: callers
# retry their start a few times.

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p tries=0
  while [ $tries -lt 200 ]; do
    p=$(( 20000 + RANDOM % 30000 ))
    if port_free "$p"; then echo "$p"; return; fi
    tries=$((tries + 1))
  done
  die "no free port found"
}
