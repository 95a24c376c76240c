#!/usr/bin/env bash
# End-to-end: owners and privileges of functions, procedures, views and materialized views move
# with the tenant, including a revoked PUBLIC EXECUTE and a grant option, for roles with
# awkward names; checked on the catalogs with psql only.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "${1:-}"

say "set-up: schema fx with routines and views owned by fn_owner, granted to other roles"
src_sql "CREATE ROLE fn_owner; CREATE ROLE \"Fn User \"\"x\"\" ü\"; CREATE ROLE fn_reader"
src_sql "CREATE SCHEMA fx AUTHORIZATION fn_owner;
CREATE TABLE fx.t (id int PRIMARY KEY, v numeric(10,2));
ALTER TABLE fx.t OWNER TO fn_owner;
INSERT INTO fx.t VALUES (1, 2.5), (2, 4.25);
CREATE FUNCTION fx.scale(a numeric(10,2), b int) RETURNS numeric LANGUAGE sql AS 'SELECT a * b';
ALTER FUNCTION fx.scale(numeric, int) OWNER TO fn_owner;
REVOKE EXECUTE ON FUNCTION fx.scale(numeric, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fx.scale(numeric, int) TO \"Fn User \"\"x\"\" ü\" WITH GRANT OPTION;
CREATE FUNCTION fx.scale(a int) RETURNS int LANGUAGE sql AS 'SELECT a * 2';
ALTER FUNCTION fx.scale(int) OWNER TO fn_owner;
CREATE PROCEDURE fx.touch() LANGUAGE sql AS 'SELECT 1';
ALTER PROCEDURE fx.touch() OWNER TO fn_owner;
REVOKE ALL ON PROCEDURE fx.touch() FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE fx.touch() TO fn_reader;
CREATE VIEW fx.v AS SELECT id FROM fx.t;
ALTER VIEW fx.v OWNER TO fn_owner;
GRANT SELECT ON fx.v TO \"Fn User \"\"x\"\" ü\";
CREATE MATERIALIZED VIEW fx.mv AS SELECT id, v FROM fx.t;
ALTER MATERIALIZED VIEW fx.mv OWNER TO fn_owner;
GRANT SELECT ON fx.mv TO fn_reader;"
# Hostile names at PostgreSQL's 63-byte limit, with quotes, a backslash, a semicolon, \$(...) and
# unicode, for a role, a function and a view.
HOSTILE_ROLE='r"; $(touch pwned) \ ü-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
HOSTILE_FN='f"; $(touch pwned) \ ü-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
HOSTILE_VIEW='v"; $(touch pwned) \ ü-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
for n in "$HOSTILE_ROLE" "$HOSTILE_FN" "$HOSTILE_VIEW"; do
  [ "$(printf '%s' "$n" | wc -c)" -eq 63 ] || die "test name is not 63 bytes long: $n"
done
src_sql "CREATE ROLE $(sql_ident "$HOSTILE_ROLE");
CREATE FUNCTION fx.$(sql_ident "$HOSTILE_FN")(x text) RETURNS text LANGUAGE sql AS \$\$ SELECT x || ';' \$\$;
ALTER FUNCTION fx.$(sql_ident "$HOSTILE_FN")(text) OWNER TO fn_owner;
GRANT EXECUTE ON FUNCTION fx.$(sql_ident "$HOSTILE_FN")(text) TO $(sql_ident "$HOSTILE_ROLE");
CREATE VIEW fx.$(sql_ident "$HOSTILE_VIEW") AS SELECT id, fx.$(sql_ident "$HOSTILE_FN")(v::text) AS s FROM fx.t;
ALTER VIEW fx.$(sql_ident "$HOSTILE_VIEW") OWNER TO fn_owner;
GRANT SELECT ON fx.$(sql_ident "$HOSTILE_VIEW") TO $(sql_ident "$HOSTILE_ROLE");"

acl_state() {  # CONN: owners and ACLs of every routine and relation in fx, as text
  psql_run "$1" -At -c "SELECT 'routine', p.oid::regprocedure::text, p.proowner::regrole::text,
                                coalesce(p.proacl::text, 'default')
                           FROM pg_proc p WHERE p.pronamespace = 'fx'::regnamespace
                         UNION ALL
                         SELECT 'relation', c.relname, c.relowner::regrole::text,
                                coalesce(c.relacl::text, 'default')
                           FROM pg_class c WHERE c.relnamespace = 'fx'::regnamespace
                            AND c.relkind IN ('r', 'v', 'm')
                          ORDER BY 1, 2"
}

say "migrate the tenant (tenantshift creates the roles)"
run_tool migrate migrate --source "$SRC_CONN" --target "$DST_CONN" --schema fx --jobs 2 \
  --work-dir "$IT_TMP/work"
expect_rc 0 "migrate"
capture acl.src acl_state "$SRC_CONN"
capture acl.dst acl_state "$DST_CONN"
assert_same_file "$IT_TMP/acl.src" "$IT_TMP/acl.dst" "routine and view owners and ACLs"
assert_file_contains "$IT_TMP/acl.dst" "fn_reader=X/fn_owner" "EXECUTE on the procedure for fn_reader"
line=$(grep -F "scale(numeric,integer)" "$IT_TMP/acl.dst")
case "$line" in
  *"{=X"* | *",=X"* | *default) fail "PUBLIC may execute fx.scale(numeric,integer) on dst: $line" ;;
  *) ok "PUBLIC's EXECUTE on fx.scale(numeric,integer) stays revoked" ;;
esac
out=$(psql_run "$DST_CONN" -At -c "SET ROLE fn_reader; SELECT fx.scale(2.50::numeric, 2)" 2>&1 || true)
case "$out" in
  *"permission denied"*) ok "fn_reader may not execute fx.scale(numeric,integer) on dst" ;;
  *) fail "fn_reader executed fx.scale(numeric,integer) on dst: $out" ;;
esac

for n in "$HOSTILE_ROLE"; do
  got=$(psql_run "$DST_CONN" -c "SELECT rolname FROM pg_roles WHERE rolname = $(sql_lit "$n")")
  assert_eq "$got" "$n" "the 63-byte hostile role exists on dst, name exact"
done
got=$(psql_run "$DST_CONN" -c "SELECT s FROM fx.$(sql_ident "$HOSTILE_VIEW") ORDER BY id LIMIT 1")
assert_eq "$got" "2.50;" "the hostile view calls the hostile function on dst"
assert_no_pwned

say "a second migrate changes nothing"
run_tool migrate2 migrate --source "$SRC_CONN" --target "$DST_CONN" --schema fx --jobs 2 \
  --work-dir "$IT_TMP/work"
expect_rc 0 "second migrate"
capture acl.dst2 acl_state "$DST_CONN"
assert_same_file "$IT_TMP/acl.dst" "$IT_TMP/acl.dst2" "ACLs after the second migrate"
