#!/usr/bin/env bash
# End-to-end: the tenant's principals and their access move with it. Loads
# principals_tenant.sql into src, migrates it with each --passwords mode and checks with psql and
# pg_dump only (never with tenantshift) that every tenant role, membership, setting, owner,
# grant, default privilege and policy is the same on both sides, that users log in to dst with
# password authentication, and that the other tenant's role never reaches dst.
#
#   tests/integration/principals_test.sh PATH_TO_TENANTSHIFT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "${1:-}"

PRINCIPALS_SQL="$IT_DIR/principals_tenant.sql"
SCHEMAS=(tenant_a 'Tenant A "Audit"')
ARGS=(--schema tenant_a --schema 'Tenant A "Audit"' --jobs 2)
READER='Ta Reader "Q" ü'
# Every role the tool must move (ta_auditor only through --include-users).
TENANT_ROLES=(ta_owner "$READER" ta_staff ta_app ta_writer ta_analyst etl_bot ta_dba ta_auditor)
# Roles whose attributes are meant to differ: ta_dba loses SUPERUSER, ta_analyst existed on dst.
SAME_ROLES=(ta_owner "$READER" ta_staff ta_app ta_writer etl_bot ta_auditor)
# Login roles the tool creates (ta_analyst exists on dst already), with their source passwords.
declare -A PASSWORD=([ta_app]='app-Pw-1' [ta_writer]='writer-Pw-2' [etl_bot]='etl-Pw-4'
                     [ta_auditor]='aud-Pw-6')
roles_array() { sql_text_array "$@"; }

# login PORT USER PASSWORD SQL: runs SQL as USER over TCP (scram-sha-256), no pgpass.
login() {
  PGPASSFILE=/dev/null PGPASSWORD=$3 PGOPTIONS="$IT_PGOPTIONS" timeout 60 "$PG_BINDIR/psql" -X -q -At \
    -v ON_ERROR_STOP=1 -d "host=127.0.0.1 port=$1 dbname=postgres user=$2" -c "$4" </dev/null 2>&1
}

# roles_state CONN: attributes, comment, memberships and settings of the given roles.
roles_state() {
  local conn=$1; shift
  local arr; arr=$(roles_array "$@")
  psql_run "$conn" \
    -c "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication,
               rolbypassrls, rolconnlimit, rolvaliduntil, shobj_description(oid, 'pg_authid')
          FROM pg_roles WHERE rolname = ANY ($arr) ORDER BY rolname COLLATE \"C\"" \
    -c "SELECT r.rolname, m.rolname, g.rolname, a.admin_option FROM pg_auth_members a
          JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
          LEFT JOIN pg_roles g ON g.oid = a.grantor
         WHERE m.rolname = ANY ($arr) ORDER BY r.rolname COLLATE \"C\", m.rolname COLLATE \"C\"" \
    -c "SELECT r.rolname, s.setdatabase <> 0, s.setconfig FROM pg_db_role_setting s
          JOIN pg_roles r ON r.oid = s.setrole
         WHERE r.rolname = ANY ($arr) ORDER BY r.rolname COLLATE \"C\", s.setdatabase <> 0"
}

# access_state CONN: \dp / \ddp equivalents for the tenant schemas: owners and ACLs of schemas,
# relations, columns and types, default privileges, row-level security and policies.
access_state() {
  local arr; arr=$(sql_text_array "${SCHEMAS[@]}")
  psql_run "$1" \
    -c "SELECT nspname, pg_get_userbyid(nspowner), nspacl FROM pg_namespace
         WHERE nspname = ANY ($arr) ORDER BY nspname COLLATE \"C\"" \
    -c "SELECT n.nspname, c.relname, c.relkind, pg_get_userbyid(c.relowner), c.relacl,
               c.relrowsecurity, c.relforcerowsecurity
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = ANY ($arr) ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\"" \
    -c "SELECT n.nspname, c.relname, a.attname, a.attacl FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = ANY ($arr) AND a.attacl IS NOT NULL
         ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\", a.attnum" \
    -c "SELECT n.nspname, t.typname, pg_get_userbyid(t.typowner), t.typacl FROM pg_type t
          JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = ANY ($arr) ORDER BY n.nspname COLLATE \"C\", t.typname COLLATE \"C\"" \
    -c "SELECT pg_get_userbyid(d.defaclrole), n.nspname, d.defaclobjtype, d.defaclacl
          FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace
         WHERE n.nspname = ANY ($arr)
         ORDER BY pg_get_userbyid(d.defaclrole) COLLATE \"C\", n.nspname COLLATE \"C\", d.defaclobjtype" \
    -c "SELECT c.relname, p.polname, p.polcmd, p.polpermissive,
               ARRAY(SELECT pg_get_userbyid(r) FROM unnest(p.polroles) r),
               pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
          FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = ANY ($arr) ORDER BY c.relname COLLATE \"C\", p.polname COLLATE \"C\""
}

# verifiers CONN ROLE...: one line per role: name and the md5 of its stored password verifier.
verifiers() {
  local conn=$1; shift
  psql_run "$conn" -c "SELECT rolname, md5(rolpassword) FROM pg_authid
                        WHERE rolname = ANY ($(roles_array "$@")) ORDER BY rolname COLLATE \"C\""
}

# assert_no_secrets WHAT FILE...: no source password, no verifier, no random password appears.
assert_no_secrets() {
  local what=$1 secret hits=''; shift
  while IFS= read -r secret; do
    [ -n "$secret" ] || continue
    if grep -rqaF -- "$secret" "$@" 2>/dev/null; then hits+=" ${secret:0:6}…"; fi
  done <"$IT_TMP/secrets"
  [ -z "$hits" ] || { fail "$what: secrets appear in the output:$hits"; return 0; }
  ok "$what: no password or password hash appears ($(wc -l <"$IT_TMP/secrets") secrets checked)"
}

# reset_dst: removes the tenant and the roles tenantshift created from dst, keeping the roles
# that existed there before (ta_owner, ta_analyst).
reset_dst() {
  local created=("$READER" ta_staff ta_app ta_writer etl_bot ta_dba ta_auditor) r drop=''
  for r in "${created[@]}"; do drop+="${drop:+, }$(sql_ident "$r")"; done
  dst_sql "DROP OWNED BY $drop, ta_owner, ta_analyst CASCADE; DROP ROLE $drop" >/dev/null
  [ "$(dst_sql "SELECT count(*) FROM pg_namespace WHERE nspname = ANY ($(sql_text_array "${SCHEMAS[@]}"))")" = 0 ] \
    || die "reset_dst left tenant schemas behind"
}

# ------------------------------------------------------------------------------------------------
say "set-up: principals_tenant.sql on src; ta_owner (identical) and ta_analyst (different) on dst"
PGOPTIONS="$IT_PGOPTIONS" timeout 120 "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d "$SRC_CONN" \
  -f "$PRINCIPALS_SQL" >"$IT_TMP/load.log" 2>&1 || { show_file "$IT_TMP/load.log"; die "loading principals_tenant.sql failed"; }
src_sql "CREATE ROLE ta_auditor LOGIN PASSWORD $(sql_lit "${PASSWORD[ta_auditor]}")"
dst_sql "CREATE ROLE ta_owner NOLOGIN; COMMENT ON ROLE ta_owner IS 'owns tenant A';
         CREATE ROLE ta_analyst LOGIN NOINHERIT CONNECTION LIMIT 3 PASSWORD 'dst-only-Pw'"
{ printf '%s\n' "${PASSWORD[@]}" analyst-Pw-3 tb-Pw-5 dst-only-Pw
  src_sql "SELECT rolpassword FROM pg_authid WHERE rolpassword IS NOT NULL"
  dst_sql "SELECT rolpassword FROM pg_authid WHERE rolpassword IS NOT NULL"; } >"$IT_TMP/secrets"
capture dst_state.initial db_state "$DST_CONN"
ok "loaded; $(src_sql "SELECT count(*) FROM pg_roles WHERE rolname !~ '^pg_'") roles on src"

# ------------------------------------------------------------------------------------------------
say "plan lists the principals and why, masks passwords, names no other tenant, changes nothing"
run_tool plan plan --source "$SRC_CONN" --target "$DST_CONN" "${ARGS[@]}" --include-users 'ta_aud*'
expect_rc 0 "plan"
assert_file_contains "$OUT" "-- principals: 9 role(s) move" "plan counts 9 principals"
assert_file_contains "$OUT" "--   etl_bot: holds privileges on schema tenant_a" "plan says why etl_bot moves"
assert_file_contains "$OUT" "--   ta_staff: member of $READER" "plan says why ta_staff moves (group of groups)"
assert_file_contains "$OUT" "--   ta_auditor: --include-users ta_aud*" "plan says why ta_auditor moves"
assert_file_contains "$OUT" "PASSWORD '********'" "plan masks passwords"
assert_file_contains "$OUT" "$(sql_ident "$READER")" "plan quotes the reader role"
if grep -qE 'tb_user|tenant_b' "$OUT"; then fail "plan mentions the other tenant"; else ok "plan does not mention tb_user or tenant_b"; fi
assert_no_secrets "plan" "$OUT" "$ERR"
capture dst_state.after_plan db_state "$DST_CONN"
assert_same_file "$IT_TMP/dst_state.initial" "$IT_TMP/dst_state.after_plan" "dst state before/after plan"

run_tool plan_excl plan --source "$SRC_CONN" --target "$DST_CONN" "${ARGS[@]}" --exclude-users etl_bot
expect_rc 0 "plan --exclude-users etl_bot"
assert_file_contains "$OUT" "--   (not moved) etl_bot: does not move: --exclude-users etl_bot" "plan lists the excluded role"
if grep -qF 'CREATE ROLE "etl_bot"' "$OUT"; then fail "excluded etl_bot would be created"; else ok "excluded etl_bot is not created"; fi
assert_file_contains "$OUT" "-- warning: privileges of etl_bot on 3 object(s)" "plan warns about etl_bot's grants"

# ------------------------------------------------------------------------------------------------
say "migrate (--passwords copy-hash, the default) exits 0 and reports what it did not copy"
run_tool migrate1 migrate --source "$SRC_CONN" --target "$DST_CONN" "${ARGS[@]}" \
  --include-users 'ta_aud*' --work-dir "$IT_TMP/work1"
expect_rc 0 "migrate"
assert_file_contains "$OUT" "role ta_dba is a superuser on the source; it is created without SUPERUSER" \
  "superuser downgrade is reported"
assert_file_contains "$OUT" "role ta_analyst exists on the target and differs" "ta_analyst's differences are reported"
assert_eq "$(jq -r '[.warnings[] | select(test("ta_dba is a superuser"))] | length' "$IT_TMP/work1/migration_report.json")" 1 \
  "the report says ta_dba lost SUPERUSER"
assert_eq "$(jq -r '.principals | keys | length' "$IT_TMP/work1/migration_report.json")" 9 \
  "the report lists the 9 principals"
assert_no_secrets "migrate" "$OUT" "$ERR" "$IT_TMP/work1"

say "every tenant role, membership and setting is the same on both sides"
capture roles.src roles_state "$SRC_CONN" "${SAME_ROLES[@]}"
capture roles.dst roles_state "$DST_CONN" "${SAME_ROLES[@]}"
grep -qF 'ta_app|f|t|f|f|t|f|f|7|2099-12-31 23:00:00+00|application login' "$IT_TMP/roles.src" \
  || { show_file "$IT_TMP/roles.src"; die "roles_state helper: ta_app not as expected on src"; }
assert_same_file "$IT_TMP/roles.src" "$IT_TMP/roles.dst" "roles, memberships and settings (src vs dst)"
assert_eq "$(dst_sql "SELECT rolsuper FROM pg_roles WHERE rolname = 'ta_dba'")" f "ta_dba is no superuser on dst"
assert_eq "$(dst_sql "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'ta_analyst'")" 3 \
  "pre-existing ta_analyst left as it was (connection limit 3)"
assert_eq "$(dst_sql "SELECT count(*) FROM pg_roles WHERE rolname = 'tb_user'")" 0 "other tenant's tb_user on dst"
assert_eq "$(dst_sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_b'")" 0 "schema tenant_b on dst"

say "owners, grants (table, column, grant option, grantor), default privileges and policies are the same"
capture access.src access_state "$SRC_CONN"
capture access.dst access_state "$DST_CONN"
grep -qF 'etl_bot=a/ta_writer' "$IT_TMP/access.src" || die "access_state helper: no grant by ta_writer on src"
assert_same_file "$IT_TMP/access.src" "$IT_TMP/access.dst" "\\dp/\\ddp equivalents (src vs dst)"
# pg_dump lists a policy's roles in pg_authid's physical order, not the policy's; access_state
# compares the policies exactly, so their lines are left out of the dumps here.
schema_dump_without_policies() { schema_dump "$@" | grep -v '^CREATE POLICY '; }
capture schema.src schema_dump_without_policies "$SRC_CONN" "${SCHEMAS[@]}"
capture schema.dst schema_dump_without_policies "$DST_CONN" "${SCHEMAS[@]}"
grep -qF 'REVOKE ALL ON TYPE tenant_a.mood FROM PUBLIC;' "$IT_TMP/schema.src" \
  || die "schema dump of src lacks the revoked PUBLIC USAGE"
assert_same_file "$IT_TMP/schema.src" "$IT_TMP/schema.dst" "pg_dump --schema-only incl. GRANT and ALTER DEFAULT PRIVILEGES (src vs dst)"

say "copy-hash: stored verifiers equal; users log in to dst with their source password"
capture ver.src verifiers "$SRC_CONN" "${!PASSWORD[@]}"
capture ver.dst verifiers "$DST_CONN" "${!PASSWORD[@]}"
assert_same_file "$IT_TMP/ver.src" "$IT_TMP/ver.dst" "password verifiers (md5 of each)"
for r in ta_app ta_writer; do
  assert_eq "$(login "$DST_PORT" "$r" "${PASSWORD[$r]}" "SELECT current_user")" "$r" "$r logs in to dst with its source password"
done
if login "$DST_PORT" ta_app wrong-password "SELECT 1" >/dev/null; then
  fail "ta_app logs in with a wrong password: authentication is not enforced"
else
  ok "a wrong password is refused (password authentication, not trust)"
fi
for side in "$SRC_PORT" "$DST_PORT"; do
  login "$side" ta_app "${PASSWORD[ta_app]}" "SHOW search_path; SELECT count(*), min(id), max(id) FROM tenant_a.customers" \
    >"$IT_TMP/seen.ta_app.$side"
  login "$side" ta_writer "${PASSWORD[ta_writer]}" "SELECT count(*) FROM tenant_a.customers; SELECT secret_note FROM tenant_a.customers LIMIT 1" \
    >"$IT_TMP/seen.ta_writer.$side" || true
  login "$side" etl_bot "${PASSWORD[etl_bot]}" "SELECT count(*) FROM tenant_a.customers" \
    >"$IT_TMP/seen.etl_bot.$side" || true
done
grep -qx '10|2|20' "$IT_TMP/seen.ta_app.$SRC_PORT" || { show_file "$IT_TMP/seen.ta_app.$SRC_PORT"; die "ta_app does not see its 10 rows on src"; }
for r in ta_app ta_writer etl_bot; do
  assert_same_file "$IT_TMP/seen.$r.$SRC_PORT" "$IT_TMP/seen.$r.$DST_PORT" "what $r sees (src vs dst)"
done

say "a second migrate changes nothing"
capture dst_state.before2 db_state "$DST_CONN"
run_tool migrate2 migrate --source "$SRC_CONN" --target "$DST_CONN" "${ARGS[@]}" \
  --include-users 'ta_aud*' --work-dir "$IT_TMP/work2"
expect_rc 0 "second migrate"
capture dst_state.after2 db_state "$DST_CONN"
assert_same_file "$IT_TMP/dst_state.before2" "$IT_TMP/dst_state.after2" "dst state before/after the second migrate"

# ------------------------------------------------------------------------------------------------
say "--passwords random: one strong password per new login role, in a 0600 file only"
reset_dst
WORK3="$IT_TMP/work3"
run_tool migrate3 migrate --source "$SRC_CONN" --target "$DST_CONN" "${ARGS[@]}" \
  --include-users 'ta_aud*' --passwords random --work-dir "$WORK3"
expect_rc 0 "migrate --passwords random"
PWFILE="$WORK3/role_passwords.jsonl"
[ -f "$PWFILE" ] || die "no $PWFILE"
assert_eq "$(stat -c %a "$PWFILE")" 600 "mode of role_passwords.jsonl"
assert_eq "$(jq -r .role "$PWFILE" | LC_ALL=C sort | paste -sd,)" "etl_bot,ta_app,ta_auditor,ta_writer" \
  "roles in the password file (the new login roles)"
assert_eq "$(jq -r .password "$PWFILE" | sort -u | wc -l)" 4 "distinct passwords"
assert_eq "$(jq -r '.password | length >= 32' "$PWFILE" | sort -u)" true "every password has 32+ characters"
jq -r .password "$PWFILE" >>"$IT_TMP/secrets"
dst_sql "SELECT rolpassword FROM pg_authid WHERE rolpassword IS NOT NULL" >>"$IT_TMP/secrets"
while IFS=$'\t' read -r role pw; do
  assert_eq "$(login "$DST_PORT" "$role" "$pw" "SELECT current_user")" "$role" "$role logs in with its password from the file"
done < <(jq -r '[.role, .password] | @tsv' "$PWFILE")
if login "$DST_PORT" ta_app "${PASSWORD[ta_app]}" "SELECT 1" >/dev/null; then
  fail "ta_app still logs in with its source password"
else
  ok "the source password no longer works for ta_app"
fi
assert_no_secrets "migrate --passwords random (output and report)" "$OUT" "$ERR" "$WORK3/migration_report.json" \
  "$WORK3/retry_failed_tables.json"
capture access.dst3 access_state "$DST_CONN"
assert_same_file "$IT_TMP/access.src" "$IT_TMP/access.dst3" "\\dp/\\ddp equivalents after a migrate with random passwords"

# ------------------------------------------------------------------------------------------------
say "--passwords disable: new roles have no password"
reset_dst
run_tool migrate4 migrate --source "$SRC_CONN" --target "$DST_CONN" "${ARGS[@]}" \
  --include-users 'ta_aud*' --passwords disable --work-dir "$IT_TMP/work4"
expect_rc 0 "migrate --passwords disable"
assert_eq "$(dst_sql "SELECT count(*) FROM pg_authid WHERE rolname = ANY ($(roles_array "${!PASSWORD[@]}")) AND rolpassword IS NULL")" 4 \
  "new login roles without a password"
[ ! -e "$IT_TMP/work4/role_passwords.jsonl" ] || fail "a password file was written with --passwords disable"
assert_no_pwned
