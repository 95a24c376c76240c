# Shared helpers for the tenantshift end-to-end tests. Source it; do not run it.
#
#   source "$(dirname "$0")/lib.sh"
#   it_init "$1"                 # checks the binary, starts src+dst clusters, cd's into a scratch dir
#   ...
#
# Everything the tests compare is computed here with psql/pg_dump only, never with tenantshift's
# own code, so a bug in the tool cannot hide itself.
#
# Environment knobs:
#   IT_TOOL_TIMEOUT  seconds one tenantshift run may take before it is killed (default 300)
#   IT_KEEP_TMP=1    keep the scratch directory (tool output, dumps) after the test
#   IT_KEEP_GOING=1  report a failed check and go on with the next one (diagnostics only; the
#                    test still exits 1 at the end). Set-up failures always stop the test.
set -euo pipefail

IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$IT_DIR/../.." && pwd)
SAMPLE_SQL="$IT_DIR/sample_tenant.sql"
PROGRAMMABLE_SQL="$IT_DIR/programmable_tenant.sql"  # loaded after SAMPLE_SQL by some tests

# The tenant of sample_tenant.sql. The second name is hostile on purpose.
# shellcheck disable=SC2016  # the $(...) is data, never to be expanded
HOSTILE_SCHEMA='Bill"ing; $(touch pwned) ü'
TENANT_SCHEMAS=(acme "$HOSTILE_SCHEMA")
# shellcheck disable=SC2034  # used by the test scripts
NON_TENANT_SCHEMAS=(other acme_archive)

IT_TOOL_TIMEOUT=${IT_TOOL_TIMEOUT:-300}
# Fixed session settings for every comparison query, so text output is identical on both sides.
IT_PGOPTIONS='-c TimeZone=UTC -c DateStyle=ISO,MDY -c IntervalStyle=postgres -c extra_float_digits=3 -c bytea_output=hex -c xmloption=content -c lc_monetary=C.UTF-8'

TOOL=''
IT_TMP=''
IT_STEP=0
IT_FAILURES=0

# ----------------------------------------------------------------------------------------------
# Messages and assertions
# ----------------------------------------------------------------------------------------------
say() { IT_STEP=$((IT_STEP + 1)); printf '\n[%02d] %s  (t=%ss)\n' "$IT_STEP" "$*" "$SECONDS"; }
ok() { printf '     ok: %s\n' "$*"; }
note() { printf '     .. %s\n' "$*"; }

# die MESSAGE: set-up or harness failure; print a clear message and stop (exit 1).
die() {
  printf '\nFAIL: %s\n' "$*" >&2
  exit 1
}

# fail MESSAGE: a check failed; print a clear message and stop the test (exit 1), or with
# IT_KEEP_GOING=1 count it and return so the caller can go on. Must run in the main shell.
fail() {
  printf '\nFAIL: %s\n' "$*" >&2
  if [ "${IT_KEEP_GOING:-0}" = 1 ]; then
    IT_FAILURES=$((IT_FAILURES + 1))
    return 0
  fi
  exit 1
}

# show_file FILE [LINES]: print the head of a file for diagnostics.
show_file() {
  local f=$1 n=${2:-40}
  if [ -s "$f" ]; then
    printf -- '---- %s (first %s lines) ----\n' "${f##*/}" "$n" >&2
    head -n "$n" "$f" | cut -c1-400 >&2
    printf -- '---- end ----\n' >&2
  else
    printf -- '---- %s: empty ----\n' "${f##*/}" >&2
  fi
}

assert_eq() {  # ACTUAL EXPECTED WHAT
  [ "$1" == "$2" ] || { fail "$3: expected [$2], got [$1]"; return 0; }
  ok "$3 = $2"
}

# assert_same_file A B WHAT: the two files are byte-identical; otherwise prints a unified diff.
assert_same_file() {
  local a=$1 b=$2 what=$3
  if ! diff -u --label "${a##*/}" --label "${b##*/}" "$a" "$b" >"$IT_TMP/last.diff"; then
    printf -- '---- diff (first 80 lines) ----\n' >&2
    head -n 80 "$IT_TMP/last.diff" | cut -c1-400 >&2
    fail "$what differ"
    return 0
  fi
  ok "$what identical ($(wc -l <"$a") lines)"
}

# assert_file_contains FILE FIXED_STRING WHAT
assert_file_contains() {
  grep -qF -- "$2" "$1" || { show_file "$1"; fail "$3: [$2] not found in ${1##*/}"; return 0; }
  ok "$3"
}

# assert_output_contains FIXED_STRING WHAT: the last run_tool's stdout or stderr contains it.
assert_output_contains() {
  # grep reads the files itself: "cat | grep -q" under pipefail fails when grep stops early
  # and cat gets SIGPIPE (seen as a flaky "not found" on a match).
  if ! grep -qF -- "$1" "$OUT" "$ERR"; then
    show_file "$OUT"; show_file "$ERR"
    fail "$2: [$1] not found in the output"
    return 0
  fi
  ok "$2 ($1)"
}

# ----------------------------------------------------------------------------------------------
# Set-up and tear-down
# ----------------------------------------------------------------------------------------------

# it_init TOOL_PATH: validates the binary, creates the scratch dir, starts both clusters and
# installs the traps that always stop them. Afterwards SRC_CONN, DST_CONN, SRC_PORT, DST_PORT,
# PGPASSFILE, PG_BINDIR are exported and the current directory is "$IT_TMP/cwd".
it_init() {
  if [ $# -lt 1 ] || [ -z "$1" ]; then die "usage: $0 PATH_TO_TENANTSHIFT"; fi
  TOOL=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  [ -x "$TOOL" ] || die "tenantshift binary not found or not executable: $1"
  for cmd in psql pg_dump timeout jq diff md5sum setsid; do
    command -v "$cmd" >/dev/null || die "required command not found: $cmd"
  done

  IT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tenantshift-it.XXXXXX")
  chmod 755 "$IT_TMP"  # the servers run as "postgres" when we are root and must reach pg/
  trap it_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM HUP
  mkdir -p "$IT_TMP/cwd"
  touch "$IT_TMP/start-marker"

  say "starting two PostgreSQL clusters under $IT_TMP/pg"
  "$REPO_ROOT/scripts/pgcluster.sh" start "$IT_TMP/pg" >/dev/null \
    || die "scripts/pgcluster.sh start failed"
  # shellcheck disable=SC1091
  source "$IT_TMP/pg/env"
  # Watchdog in its own session: if this shell dies without running its EXIT trap (SIGKILL from
  # a CTest timeout), the pipe closes once the last child holding it exits, read returns and the
  # clusters are stopped and the scratch dir removed anyway. It is created after the servers
  # started, so they do not hold the pipe open.
  # shellcheck disable=SC2016  # expanded by the inner bash
  exec {IT_WATCHDOG_FD}> >(exec setsid bash -c '
      read -r _ || true
      "$0" stop "$1/pg" >/dev/null 2>&1
      [ "$2" = 1 ] || rm -rf "$1"' "$REPO_ROOT/scripts/pgcluster.sh" "$IT_TMP" "${IT_KEEP_TMP:-0}")
  ok "src on 127.0.0.1:$SRC_PORT, dst on 127.0.0.1:$DST_PORT ($("$PG_BINDIR/postgres" --version))"
  cd "$IT_TMP/cwd"
}

it_cleanup() {
  local rc=$?
  set +e
  if [ "$rc" = 0 ] && [ "$IT_FAILURES" -gt 0 ]; then rc=1; fi
  cd /
  if [ -n "$IT_TMP" ] && [ -d "$IT_TMP/pg" ]; then
    "$REPO_ROOT/scripts/pgcluster.sh" stop "$IT_TMP/pg" >/dev/null 2>&1
  fi
  [ -n "${IT_WATCHDOG_FD:-}" ] && exec {IT_WATCHDOG_FD}>&-
  if [ -n "$IT_TMP" ]; then
    if [ "${IT_KEEP_TMP:-0}" = 1 ]; then
      echo "scratch directory kept: $IT_TMP"
    else
      rm -rf "$IT_TMP"
    fi
  fi
  if [ "$rc" = 0 ]; then
    printf '\nPASS: %s\n' "$(basename "$0")"
  else
    printf '\nFAILED: %s (exit %s, %s failed checks)%s\n' "$(basename "$0")" "$rc" "$((IT_FAILURES > 0 ? IT_FAILURES : 1))" \
      "$([ "${IT_KEEP_TMP:-0}" = 1 ] || echo '; rerun with IT_KEEP_TMP=1 to keep tool output and dumps')"
  fi
  exit "$rc"
}

# ----------------------------------------------------------------------------------------------
# Running SQL
# ----------------------------------------------------------------------------------------------

# sql_ident TEXT / sql_lit TEXT: quote an identifier / a string literal for SQL (and pg_dump -n).
sql_ident() { local s=${1//\"/\"\"}; printf '"%s"' "$s"; }
sql_lit() { local s=${1//\'/\'\'}; printf "'%s'" "$s"; }

# sql_text_array NAME...: ARRAY['a','b']::text[]
sql_text_array() {
  local out='' s
  for s in "$@"; do out+="${out:+,}$(sql_lit "$s")"; done
  printf 'ARRAY[%s]::text[]' "$out"
}

# psql_run CONN [psql args...]: psql with fixed settings, unaligned tuples-only output.
psql_run() {
  local conn=$1; shift
  PGOPTIONS="$IT_PGOPTIONS" timeout 120 "$PG_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 \
    -d "$conn" "$@" </dev/null
}
src_sql() { psql_run "$SRC_CONN" -c "$1"; }
dst_sql() { psql_run "$DST_CONN" -c "$1"; }
both_sql() { src_sql "$1" && dst_sql "$1"; }

# psql_gexec CONN QUERY: runs QUERY, then each statement it returns (psql's \gexec).
psql_gexec() {
  local conn=$1 query=$2
  printf '%s\n\\gexec\n' "$query" | PGOPTIONS="$IT_PGOPTIONS" timeout 300 "$PG_BINDIR/psql" -X -q -At \
    -v ON_ERROR_STOP=1 -d "$conn" -f -
}

load_sample_tenant() {  # CONN
  PGOPTIONS="$IT_PGOPTIONS" timeout 300 "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$1" \
    -f "$SAMPLE_SQL" >"$IT_TMP/load_sample.log" 2>&1 \
    || { show_file "$IT_TMP/load_sample.log" 60; die "loading sample_tenant.sql failed"; }
}

load_programmable_tenant() {  # CONN; after load_sample_tenant
  PGOPTIONS="$IT_PGOPTIONS" timeout 300 "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$1" \
    -f "$PROGRAMMABLE_SQL" >"$IT_TMP/load_programmable.log" 2>&1 \
    || { show_file "$IT_TMP/load_programmable.log" 60; die "loading programmable_tenant.sql failed"; }
}

# ----------------------------------------------------------------------------------------------
# Independent views of a database, all written as plain text so two sides can be diffed
# ----------------------------------------------------------------------------------------------

# normalize_dump: drop comments, blank lines, SET lines, set_config calls and pg_dump's random
# \restrict/\unrestrict keys, so dumps of two servers can be compared line by line.
normalize_dump() {
  awk '!/^--/ && !/^SET / && !/^SELECT pg_catalog\.set_config\(/ && !/^\\(un)?restrict / && !/^[[:space:]]*$/'
}

# schema_dump CONN SCHEMA... > FILE: normalized pg_dump --schema-only of exactly these schemas.
schema_dump() {
  local conn=$1 s; shift
  local args=()
  for s in "$@"; do args+=(-n "$(sql_ident "$s")"); done
  timeout 120 "$PG_BINDIR/pg_dump" -d "$conn" --schema-only --strict-names "${args[@]}" | normalize_dump
}

# db_state CONN > FILE: everything a tool run could change on a server: a full normalized dump
# (schema and data) of the database, plus roles, databases and their settings.
db_state() {
  local conn=$1
  timeout 120 "$PG_BINDIR/pg_dump" -d "$conn" | normalize_dump
  psql_run "$conn" -c "SELECT 'role', rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb,
                              rolcanlogin, rolreplication, rolbypassrls, rolconnlimit, rolvaliduntil
                         FROM pg_roles ORDER BY rolname COLLATE \"C\"" \
                   -c "SELECT 'member', roleid::regrole, member::regrole FROM pg_auth_members ORDER BY 2, 3" \
                   -c "SELECT 'database', datname, datdba::regrole FROM pg_database ORDER BY 2" \
                   -c "SELECT 'setting', setdatabase, setrole, setconfig FROM pg_db_role_setting ORDER BY 2, 3"
}

# data_fingerprint CONN SCHEMA...: one line per table (partitioned parents and leaf partitions
# included) of these schemas: qualified name | row count | md5 of all rows' text, sorted.
data_fingerprint() {
  local conn=$1; shift
  psql_gexec "$conn" "
    SELECT format('SELECT %L, count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text COLLATE \"C\"), %L)) FROM %I.%I AS t',
                  n.nspname || '.' || c.relname, '', n.nspname, c.relname)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY ($(sql_text_array "$@")) AND c.relkind IN ('r', 'p')
     ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\""
}

# relation_fingerprint CONN RELKIND SCHEMA...: like data_fingerprint, for the views (RELKIND v)
# or materialized views (m) of these schemas, with pg_class.relispopulated; an unpopulated
# materialized view cannot be read and prints "not populated" instead of its rows.
relation_fingerprint() {
  local conn=$1 relkind=$2; shift 2
  psql_gexec "$conn" "
    SELECT CASE WHEN c.relispopulated
             THEN format('SELECT %L, true, count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text COLLATE \"C\"), %L)) FROM %I.%I AS t',
                         n.nspname || '.' || c.relname, '', n.nspname, c.relname)
             ELSE format('SELECT %L, false, %L', n.nspname || '.' || c.relname, 'not populated')
           END
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY ($(sql_text_array "$@")) AND c.relkind = $(sql_lit "$relkind")
     ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\""
}

# sequence_state CONN SCHEMA...: definition and position of every sequence of these schemas
# (pg_sequences plus last_value/is_called read from each sequence itself).
sequence_state() {
  local conn=$1; shift
  local arr; arr=$(sql_text_array "$@")
  psql_run "$conn" -c "SELECT * FROM pg_sequences WHERE schemaname = ANY ($arr)
                        ORDER BY schemaname COLLATE \"C\", sequencename COLLATE \"C\""
  psql_gexec "$conn" "
    SELECT format('SELECT %L, last_value, is_called FROM %I.%I', n.nspname || '.' || c.relname, n.nspname, c.relname)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY ($arr) AND c.relkind = 'S'
     ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\""
}

# next_values CONN SCHEMA...: CONSUMES one value of every identity/serial column's sequence
# (found with pg_get_serial_sequence) and then of every sequence of these schemas, printing
# them. Changes the sequences: call it last.
next_values() {
  local conn=$1; shift
  local arr; arr=$(sql_text_array "$@")
  psql_gexec "$conn" "
    SELECT format('SELECT %L, nextval(%L::regclass)', format('%I.%I.%I', n.nspname, c.relname, a.attname),
                  pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname))
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY ($arr) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
       AND pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) IS NOT NULL
     ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\", a.attnum"
  psql_gexec "$conn" "
    SELECT format('SELECT %L, nextval(%L::regclass)', n.nspname || '.' || c.relname, format('%I.%I', n.nspname, c.relname))
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY ($arr) AND c.relkind = 'S'
     ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\""
}

# schema_names CONN: all non-system schema names, one per line.
schema_names() {
  psql_run "$1" -c "SELECT nspname FROM pg_namespace
                     WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'
                     ORDER BY nspname COLLATE \"C\""
}

# capture NAME COMMAND...: run a helper into $IT_TMP/NAME, failing the test if it fails.
capture() {
  local name=$1; shift
  "$@" >"$IT_TMP/$name" 2>"$IT_TMP/$name.err" \
    || { show_file "$IT_TMP/$name.err"; die "helper failed: $* (see $IT_TMP/$name.err)"; }
}

# ----------------------------------------------------------------------------------------------
# Running tenantshift
# ----------------------------------------------------------------------------------------------

# run_tool NAME [--timeout SECONDS] ARGS...: runs "$TOOL ARGS" bounded by timeout, stdin from
# /dev/null, stdout to $IT_TMP/NAME.out and stderr to $IT_TMP/NAME.err. Sets RC, OUT, ERR and
# ELAPSED (seconds). Never fails by itself.
run_tool() {
  local name=$1 limit=$IT_TOOL_TIMEOUT; shift
  if [ "${1:-}" = --timeout ]; then limit=$2; shift 2; fi
  OUT="$IT_TMP/$name.out"; ERR="$IT_TMP/$name.err"
  printf '     $ tenantshift'; printf ' %q' "$@"; printf '\n'
  local start=$SECONDS
  set +e
  timeout -k 10 "$limit" "$TOOL" "$@" >"$OUT" 2>"$ERR" </dev/null
  RC=$?
  set -e
  ELAPSED=$((SECONDS - start))
  note "exit $RC after ${ELAPSED}s"
}

# expect_rc EXPECTED WHAT: the last run_tool exited with EXPECTED; otherwise show its output.
expect_rc() {
  local want=$1 what=$2
  if [ "$RC" != "$want" ]; then
    show_file "$OUT" 60; show_file "$ERR" 60
    if [ "$RC" = 124 ] || [ "$RC" = 137 ]; then
      fail "$what: killed by the time limit (expected exit $want)"
    else
      fail "$what: expected exit code $want, got $RC"
    fi
    return 0
  fi
  ok "$what: exit code $want"
}

# expect_rc_nonzero WHAT: the last run_tool failed (but was not killed by the time limit).
expect_rc_nonzero() {
  local what=$1
  if [ "$RC" = 0 ] || [ "$RC" = 124 ] || [ "$RC" = 137 ]; then
    show_file "$OUT" 60; show_file "$ERR" 60
    fail "$what: expected a non-zero exit code, got $RC"
    return 0
  fi
  ok "$what: exit code $RC"
}

# assert_no_pwned: no "pwned" file was created by shell injection anywhere we can think of
# (scratch dir incl. the servers' data directories, /tmp, $HOME, /, the repo).
assert_no_pwned() {
  local hits
  hits=$( { find "$IT_TMP" -name pwned 2>/dev/null
            find /tmp / "${HOME:-/root}" "$REPO_ROOT" -maxdepth 1 -name pwned -newer "$IT_TMP/start-marker" 2>/dev/null
          } | sort -u)
  [ -z "$hits" ] || { fail "shell injection: file(s) created: $hits"; return 0; }
  ok "no 'pwned' file created (schema name contains \$(touch pwned))"
}

# tenant_args: --schema options for the sample tenant, into the array TENANT_ARGS.
TENANT_ARGS=()
for _s in "${TENANT_SCHEMAS[@]}"; do TENANT_ARGS+=(--schema "$_s"); done
unset _s
