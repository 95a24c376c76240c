# Helpers shared by the cutover tests (sourced after lib.sh and it_init): a tenant login role
# writing on the source, and the check that its acknowledged writes reached the target.
# Set APP_PASSWORD before use. The writer logs to $IT_TMP/acked, one line per statement psql
# reported committed: "ins ID", "upd ID" (notes = 'upd ID'), "del ID".

# setup_writer_tenant TABLES: the sample tenant on the source, and the login role acme_app
# (password $APP_PASSWORD) that may change TABLES (a comma-separated list) and use the sequences.
setup_writer_tenant() {
  src_sql "CREATE ROLE acme_owner NOLOGIN"
  load_sample_tenant "$SRC_CONN"
  src_sql "CREATE ROLE acme_app LOGIN PASSWORD $(sql_lit "$APP_PASSWORD")"
  src_sql "GRANT USAGE ON SCHEMA acme TO acme_app;
           GRANT SELECT, INSERT, UPDATE, DELETE ON $1 TO acme_app;
           GRANT USAGE ON ALL SEQUENCES IN SCHEMA acme TO acme_app"
  app_sql "SELECT 1" >/dev/null || die "acme_app cannot log in to src"
}

# app_sql SQL: runs SQL as acme_app on the source with its password (not from .pgpass).
app_sql() {
  PGPASSWORD=$APP_PASSWORD PGPASSFILE=/dev/null timeout 60 "$PG_BINDIR/psql" -X -q -At \
    -v ON_ERROR_STOP=1 -d "host=127.0.0.1 port=$SRC_PORT dbname=postgres user=acme_app" \
    -c "$1" 2>&1 </dev/null
}

# order_writes I: inserts an order as acme_app, updates it every 3rd and deletes it every 7th
# time, logging what committed. Fails when the insert was refused.
order_writes() {
  local i=$1 id
  id=$(app_sql "INSERT INTO acme.orders (customer_id, qty, unit_price, sku, notes)
                VALUES (10, 2, 3.50, 'W-$i', 'writer') RETURNING id") || return 1
  echo "ins $id" >>"$IT_TMP/acked"
  if [ $((i % 3)) = 0 ] && app_sql "UPDATE acme.orders SET notes = 'upd $id' WHERE id = $id" >/dev/null; then
    echo "upd $id" >>"$IT_TMP/acked"
  fi
  if [ $((i % 7)) = 0 ] && app_sql "DELETE FROM acme.orders WHERE id = $id" >/dev/null; then
    echo "del $id" >>"$IT_TMP/acked"
  fi
}

# wait_for_acks N: waits (polling, at most 30 s) until the writer logged N statements.
wait_for_acks() {
  for _ in $(seq 300); do
    [ "$(wc -l <"$IT_TMP/acked")" -ge "$1" ] && break
    src_sql "SELECT pg_sleep(0.1)" >/dev/null
  done
  [ "$(wc -l <"$IT_TMP/acked")" -ge "$1" ] || die "the writer did not get going"
  ok "the writer committed $(wc -l <"$IT_TMP/acked") statements so far"
}

# check_acked_writes: every insert, update and delete the writer saw committed is on the target.
check_acked_writes() {
  local acked_ins deleted updated kept upd_kept
  acked_ins=$(awk '$1 == "ins" {print $2}' "$IT_TMP/acked" | sort -u)
  deleted=$(awk '$1 == "del" {print $2}' "$IT_TMP/acked" | sort -u)
  updated=$(awk '$1 == "upd" {print $2}' "$IT_TMP/acked" | sort -u)
  kept=$(comm -23 <(echo "$acked_ins") <(echo "$deleted") | paste -sd, -)
  assert_eq "$(dst_sql "SELECT count(*) FROM acme.orders WHERE id IN ($kept)")" \
    "$(tr ',' '\n' <<<"$kept" | grep -c .)" "acknowledged inserts present on the target"
  assert_eq "$(dst_sql "SELECT count(*) FROM acme.orders WHERE id IN (0$(sed 's/^/,/' <<<"$deleted" | tr -d '\n'))")" 0 \
    "acknowledged deletes absent on the target"
  upd_kept=$(comm -23 <(echo "$updated") <(echo "$deleted") | paste -sd, -)
  assert_eq "$(dst_sql "SELECT count(*) FROM acme.orders WHERE id IN (0,$upd_kept) AND notes = 'upd ' || id")" \
    "$(tr ',' '\n' <<<"$upd_kept" | grep -c .)" "acknowledged updates present on the target"
}

# follow_server_passfile: a copy of the postgres role's passfile that the target's server (the
# subscription) can read, in SERVER_PASS, and FOLLOW_CONN, the --follow-conninfo using it.
follow_server_passfile() {
  SERVER_PASS="$IT_TMP/server.pgpass"
  cp "$PGPASSFILE" "$SERVER_PASS"
  [ "$(id -u)" = 0 ] && chown postgres "$SERVER_PASS"
  chmod 600 "$SERVER_PASS"
  FOLLOW_CONN="host=127.0.0.1 port=$SRC_PORT dbname=postgres user=postgres passfile=$SERVER_PASS"
}

# assert_target_equals_source: the tenant's tables (count and md5 of each) and sequences
# (definition, last_value, is_called) are the same on dst as on src.
assert_target_equals_source() {
  capture src.data data_fingerprint "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
  capture dst.data data_fingerprint "$DST_CONN" "${TENANT_SCHEMAS[@]}"
  assert_same_file "$IT_TMP/src.data" "$IT_TMP/dst.data" "table data (count and md5 of every table)"
  capture src.seq sequence_state "$SRC_CONN" "${TENANT_SCHEMAS[@]}"
  capture dst.seq sequence_state "$DST_CONN" "${TENANT_SCHEMAS[@]}"
  assert_same_file "$IT_TMP/src.seq" "$IT_TMP/dst.seq" "sequences (definition, last_value, is_called)"
}
