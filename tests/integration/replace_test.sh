#!/usr/bin/env bash
# End-to-end: objects in the way on the target. By default migrate refuses (exit 4, nothing
# changed); with --on-existing replace it drops the differing objects, copies differing rows
# again, and the tenant ends identical to the source.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "${1:-}"

TENANT="CREATE SCHEMA rp;
CREATE TABLE rp.items (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE rp.notes (id int PRIMARY KEY, body text);
CREATE INDEX notes_body_idx ON rp.notes (body);
CREATE FUNCTION rp.label(i int) RETURNS text LANGUAGE sql AS 'SELECT ''item '' || i';
CREATE VIEW rp.labelled AS SELECT id, rp.label(id) AS label FROM rp.items;"

say "set-up: the tenant on src; on dst a different items table, notes with other rows, another label()"
src_sql "$TENANT"
src_sql "INSERT INTO rp.items SELECT g, 'n' || g FROM generate_series(1, 500) g;
         INSERT INTO rp.notes SELECT g, 'body ' || g FROM generate_series(1, 300) g;"
dst_sql "CREATE SCHEMA rp;
CREATE TABLE rp.items (id int PRIMARY KEY, name text NOT NULL, extra int);
CREATE TABLE rp.notes (id int PRIMARY KEY, body text);
CREATE INDEX notes_body_idx ON rp.notes (body);
INSERT INTO rp.notes VALUES (1, 'stale'), (9999, 'not on the source');
CREATE FUNCTION rp.label(i int) RETURNS text LANGUAGE sql AS 'SELECT ''old '' || i';"
capture dst.before db_state "$DST_CONN"

say "migrate without --on-existing refuses and changes nothing"
run_tool refuse migrate --source "$SRC_CONN" --target "$DST_CONN" --schema rp --work-dir "$IT_TMP/w1"
expect_rc 4 "migrate with objects in the way"
assert_file_contains "$ERR" "rp.items" "the conflict names rp.items"
capture dst.after_refusal db_state "$DST_CONN"
assert_same_file "$IT_TMP/dst.before" "$IT_TMP/dst.after_refusal" "dst unchanged after the refusal"

say "migrate --on-existing replace makes the tenant identical to the source"
run_tool replace migrate --source "$SRC_CONN" --target "$DST_CONN" --schema rp \
  --on-existing replace --work-dir "$IT_TMP/w2"
expect_rc 0 "migrate --on-existing replace"
assert_file_contains "$OUT" "dropped and created again" "the run says what it replaced"
capture schema.src schema_dump "$SRC_CONN" rp
capture schema.dst schema_dump "$DST_CONN" rp
assert_same_file "$IT_TMP/schema.src" "$IT_TMP/schema.dst" "schema-only dump of rp"
capture data.src data_fingerprint "$SRC_CONN" rp
capture data.dst data_fingerprint "$DST_CONN" rp
assert_same_file "$IT_TMP/data.src" "$IT_TMP/data.dst" "data fingerprints of rp"
got=$(psql_run "$DST_CONN" -c "SELECT label FROM rp.labelled WHERE id = 7")
assert_eq "$got" "item 7" "the view calls the source's function on dst"
