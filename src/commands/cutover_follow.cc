#include "commands/cutover_follow.h"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "connect/conn_spec.h"
#include "connect/secret_store.h"
#include "ddl/quote.h"
#include "state/ledger.h"

namespace tenantshift {
namespace {

using Clock = std::chrono::steady_clock;

std::string JsonArray(const std::vector<std::string>& v) { return nlohmann::json(v).dump(); }

// The tenant's tables with rows of their own (plain tables and leaf partitions): what is
// published. Partitions are published one by one (publish_via_partition_root stays false), so
// a row moving between partitions arrives as a delete from one and an insert into the other,
// on the same partitions of the target. Unlogged tables write no WAL and cannot be published
// (https://www.postgresql.org/docs/15/sql-createpublication.html); cutover's catch-up copies
// them again when they changed.
constexpr char kTablesSql[] =
    "SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) AS name "
    "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind = 'r' AND c.relpersistence = 'p' "
    "AND n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json)) "
    "ORDER BY 1";

// Tables whose UPDATE and DELETE the source would refuse once published: no replica identity
// (https://www.postgresql.org/docs/15/logical-replication-publication.html: "a published table
// must have a replica identity configured in order to be able to replicate UPDATE and DELETE").
constexpr char kNoIdentitySql[] =
    "SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) AS name "
    "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind = 'r' AND c.relpersistence = 'p' "
    "AND n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::json)) "
    "AND (c.relreplident = 'n' "
    "  OR (c.relreplident = 'd' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i "
    "      WHERE i.indrelid = c.oid AND i.indisprimary)) "
    "  OR (c.relreplident = 'i' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i "
    "      WHERE i.indrelid = c.oid AND i.indisreplident))) "
    "ORDER BY 1";

Result<std::vector<std::string>> Names(Session& s, const char* sql,
                                       const std::vector<std::string>& schemas) {
  Result<Rows> rows = s.Query(sql, {JsonArray(schemas)});
  if (!rows.ok()) return rows.status();
  std::vector<std::string> out;
  for (size_t r = 0; r < rows->size(); ++r) out.push_back(rows->Get(r, "name"));
  return out;
}

Status CheckSource(Session& source, std::vector<std::string>* problems) {
  Result<Rows> r = source.Query(
      "SELECT pg_catalog.current_setting('wal_level') AS wal_level, "
      "(SELECT rolreplication OR rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) "
      "AS can_replicate, "
      "pg_catalog.current_setting('max_replication_slots')::int - "
      "(SELECT pg_catalog.count(*) FROM pg_catalog.pg_replication_slots) AS free_slots, "
      "pg_catalog.current_setting('max_wal_senders')::int - "
      "(SELECT pg_catalog.count(*) FROM pg_catalog.pg_stat_replication) AS free_senders",
      {});
  if (!r.ok()) return r.status().WithContext("source");
  if (r->Get(0, "wal_level") != "logical") {
    problems->push_back("the source's wal_level is " + r->Get(0, "wal_level") +
                        ", not logical (set wal_level = logical and restart it)");
  }
  if (r->Get(0, "can_replicate") != "t") {
    problems->push_back("the source role has neither REPLICATION nor SUPERUSER");
  }
  if (std::stoi(r->Get(0, "free_slots")) < 1) {
    problems->push_back("the source has no free replication slot (max_replication_slots)");
  }
  if (std::stoi(r->Get(0, "free_senders")) < 1) {
    problems->push_back("the source has no free WAL sender (max_wal_senders)");
  }
  return Status::Ok();
}

// CREATE SUBSCRIPTION takes a superuser on PostgreSQL 15
// (https://www.postgresql.org/docs/15/sql-createsubscription.html).
Status CheckTarget(Session& target, std::vector<std::string>* problems) {
  Result<Rows> r =
      target.Query("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user", {});
  if (!r.ok()) return r.status().WithContext("target");
  if (r->size() == 0 || r->Get(0, "rolsuper") != "t") {
    problems->push_back("the target role is not a superuser; CREATE SUBSCRIPTION needs one");
  }
  return Status::Ok();
}

// A conninfo value in single quotes (libpq's conninfo syntax: backslash escapes ' and \).
std::string ConninfoValue(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

Result<bool> Exists(Session& s, const std::string& sql, const std::string& name) {
  Result<Rows> r = s.Query(sql, {name});
  if (!r.ok()) return r.status();
  return r->size() > 0;
}

void Pause(int ms = 100) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

FollowSlot::~FollowSlot() {
  if (keep || replication == nullptr) return;
  replication->Execute("DROP_REPLICATION_SLOT " + QuoteIdent(names.slot));
  replication->Execute("DROP PUBLICATION IF EXISTS " + QuoteIdent(names.publication) + ";");
}

FollowNames FollowNamesFor(const std::string& application_name) {
  std::string hash = application_name.substr(application_name.rfind(' ') + 1);
  std::string name = "tenantshift_" + hash;
  return {name, name, name};
}

Result<FollowPreflightResult> FollowPreflight(Session& source, Session& target,
                                              const std::vector<std::string>& schemas,
                                              bool set_identity_full) {
  FollowPreflightResult out;
  Status s = CheckSource(source, &out.problems);
  if (s.ok()) s = CheckTarget(target, &out.problems);
  if (!s.ok()) return s;
  Result<std::vector<std::string>> tables = Names(source, kTablesSql, schemas);
  if (!tables.ok()) return tables.status();
  if (tables->empty()) out.problems.push_back("the tenant has no table to follow");
  Result<std::vector<std::string>> none = Names(source, kNoIdentitySql, schemas);
  if (!none.ok()) return none.status();
  out.no_identity = *none;
  if (!none->empty() && !set_identity_full) {
    out.problems.push_back(fmt::format(
        "tables without a replica identity (no primary key or REPLICA IDENTITY index): {}; once "
        "published their UPDATE and DELETE would fail on the source. Add a primary key, or rerun "
        "with --replica-identity-full to give them REPLICA IDENTITY FULL",
        fmt::join(*none, ", ")));
  }
  return out;
}

Result<std::string> SubscriptionConninfo(const std::string& source_arg, const ConnSpec& spec,
                                         const std::string& follow_conninfo) {
  if (!follow_conninfo.empty()) {
    Result<ConnSpec> parsed = ResolveConnSpec(follow_conninfo);
    if (!parsed.ok() || !parsed->secrets.empty() || IsSecretReference(follow_conninfo)) {
      return Status::InvalidArgument(
          "--follow-conninfo must be a connection string without a password (the target keeps "
          "it in pg_subscription); let the target's server authenticate with a passfile= on its "
          "host, a certificate or trust");
    }
    return follow_conninfo;
  }
  if (!IsSecretReference(source_arg)) return BareConnectionString(source_arg);
  std::string out;
  for (size_t i = 0; i < spec.keywords.size(); ++i) {
    const std::string& k = spec.keywords[i];
    if (k != "host" && k != "port" && k != "dbname" && k != "user" && k != "sslmode") continue;
    out += (out.empty() ? "" : " ") + k + "=" + ConninfoValue(spec.values[i]);
  }
  return out;
}

Status ProbeSubscriptionConnection(Session& target, const FollowNames& names,
                                   const std::string& conninfo) {
  std::string probe = QuoteIdent(names.subscription + "_probe");
  target.Execute("DROP SUBSCRIPTION IF EXISTS " + probe + ";");
  Status s = target.Execute(fmt::format(
      "CREATE SUBSCRIPTION {} CONNECTION {} PUBLICATION {} WITH (connect = true, enabled = false, "
      "create_slot = false, copy_data = false, slot_name = NONE);",
      probe, QuoteLiteral(conninfo), QuoteIdent(names.publication)));
  if (!s.ok()) return s.WithContext("the target cannot reach the source for the subscription");
  return target.Execute("DROP SUBSCRIPTION " + probe + ";");
}

Result<FollowSlot> StartFollow(Session& source, const Connector& connect, const ConnSpec& spec,
                               const FollowNames& names, const std::vector<std::string>& schemas,
                               const std::vector<std::string>& set_identity_full) {
  for (const std::string& table : set_identity_full) {  // already quoted by format('%I.%I')
    Status s = source.Execute("ALTER TABLE " + table + " REPLICA IDENTITY FULL;");
    if (!s.ok()) return s;
  }
  Result<std::vector<std::string>> tables = Names(source, kTablesSql, schemas);
  if (!tables.ok()) return tables.status();
  Status s = DropSlotAndPublication(source, names);  // what a killed earlier attempt left
  if (s.ok()) {
    s = source.Execute(fmt::format("CREATE PUBLICATION {} FOR TABLE {};",
                                   QuoteIdent(names.publication), fmt::join(*tables, ", ")));
  }
  if (!s.ok()) return s.WithContext("creating the publication");
  ConnSpec repl = spec;
  repl.keywords.push_back("replication");
  repl.values.push_back("database");
  Result<std::unique_ptr<Session>> session = connect(repl, "source (replication)");
  if (!session.ok()) return session.status();
  // https://www.postgresql.org/docs/15/protocol-replication.html: CREATE_REPLICATION_SLOT
  // slot_name LOGICAL output_plugin (SNAPSHOT 'export') returns slot_name, consistent_point,
  // snapshot_name, output_plugin; the snapshot lives until the next command on this connection.
  Result<Rows> rows = (*session)->Query(
      "CREATE_REPLICATION_SLOT " + QuoteIdent(names.slot) + " LOGICAL pgoutput (SNAPSHOT 'export')",
      {});
  if (!rows.ok()) return rows.status().WithContext("creating the replication slot");
  FollowSlot slot;
  slot.names = names;
  slot.replication = std::move(*session);
  slot.snapshot = rows->Get(0, "snapshot_name");
  slot.consistent_lsn = rows->Get(0, "consistent_point");
  return slot;
}

Status Subscribe(Session& target, const FollowNames& names, const std::string& conninfo) {
  Status s = DropSubscription(target, names);
  if (s.ok()) {
    s = target.Execute(
        fmt::format("CREATE SUBSCRIPTION {} CONNECTION {} PUBLICATION {} WITH (copy_data = false, "
                    "create_slot = false, slot_name = {}, enabled = true);",
                    QuoteIdent(names.subscription), QuoteLiteral(conninfo),
                    QuoteIdent(names.publication), QuoteLiteral(names.slot)));
  }
  if (!s.ok()) return s.WithContext("creating the subscription");
  auto started = Clock::now();
  while (Since(started) < 60) {
    Result<Rows> r = target.Query(
        "SELECT pid IS NOT NULL AND received_lsn IS NOT NULL AS streaming "
        "FROM pg_catalog.pg_stat_subscription WHERE subname = $1",
        {names.subscription});
    if (!r.ok()) return r.status();
    if (r->size() > 0 && r->Get(0, "streaming") == "t") return Status::Ok();
    Pause();
  }
  return Status::Internal("the subscription " + names.subscription +
                          " did not start streaming within a minute (see the target's log)");
}

Result<FollowLag> MeasureLag(Session* source, Session* target, const FollowNames& names) {
  FollowLag lag;
  if (source != nullptr) {
    // replay_lag: the time between the source flushing WAL and the subscriber reporting it
    // applied (https://www.postgresql.org/docs/15/monitoring-stats.html, pg_stat_replication);
    // NULL once nothing is in flight. The subscription's WAL sender is named after it.
    Result<Rows> r = source->Query(
        "SELECT (SELECT pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), "
        "confirmed_flush_lsn)::bigint FROM pg_catalog.pg_replication_slots WHERE slot_name = $1) "
        "AS bytes, (SELECT COALESCE(EXTRACT(EPOCH FROM replay_lag)::float8, 0) "
        "FROM pg_catalog.pg_stat_replication WHERE application_name = $2) AS seconds, "
        "EXISTS (SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = $1) AS slot, "
        "EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = $3) AS pub",
        {names.slot, names.subscription, names.publication});
    if (!r.ok()) return r.status().WithContext("source");
    lag.slot_exists = r->Get(0, "slot") == "t";
    lag.publication_exists = r->Get(0, "pub") == "t";
    if (!r->IsNull(0, "bytes")) lag.bytes = std::stoll(r->Get(0, "bytes"));
    if (!r->IsNull(0, "seconds")) lag.seconds = std::stod(r->Get(0, "seconds"));
  }
  if (target != nullptr) {
    Result<bool> sub = Exists(
        *target, "SELECT 1 FROM pg_catalog.pg_subscription WHERE subname = $1", names.subscription);
    if (!sub.ok()) return sub.status().WithContext("target");
    lag.subscription_exists = *sub;
  }
  return lag;
}

Status WaitCaughtUp(Session& source, const FollowNames& names, double timeout_seconds) {
  Result<Rows> now = source.Query("SELECT pg_catalog.pg_current_wal_lsn()::text AS lsn", {});
  if (!now.ok()) return now.status();
  const std::string lsn = now->Get(0, "lsn");
  auto started = Clock::now();
  for (;;) {
    Result<Rows> r = source.Query(
        "SELECT confirmed_flush_lsn >= $1::pg_lsn AS done, "
        "pg_catalog.pg_wal_lsn_diff($1::pg_lsn, confirmed_flush_lsn)::bigint AS behind "
        "FROM pg_catalog.pg_replication_slots WHERE slot_name = $2",
        {lsn, names.slot});
    if (!r.ok()) return r.status();
    if (r->size() == 0)
      return Status::InvalidArgument("the replication slot " + names.slot +
                                     " is gone from the source");
    if (r->Get(0, "done") == "t") return Status::Ok();
    if (Since(started) > timeout_seconds) {
      return Status::Internal(fmt::format(
          "the subscription did not confirm the source's position {} within {:.0f} s ({} bytes "
          "behind)",
          lsn, timeout_seconds, r->Get(0, "behind")));
    }
    Pause(10);  // inside the freeze window: every poll's delay is downtime
  }
}

Status DropSubscription(Session& target, const FollowNames& names) {
  Result<bool> exists = Exists(
      target, "SELECT 1 FROM pg_catalog.pg_subscription WHERE subname = $1", names.subscription);
  if (!exists.ok() || !*exists) return exists.status();
  // Detached from its slot first, so dropping it never needs the source (the slot is dropped
  // there by DropSlotAndPublication).
  std::string sub = QuoteIdent(names.subscription);
  Status s = target.Execute("ALTER SUBSCRIPTION " + sub + " DISABLE;");
  if (s.ok()) s = target.Execute("ALTER SUBSCRIPTION " + sub + " SET (slot_name = NONE);");
  if (s.ok()) s = target.Execute("DROP SUBSCRIPTION " + sub + ";");
  return s.WithContext("dropping the subscription " + names.subscription);
}

Status DropSlotAndPublication(Session& source, const FollowNames& names) {
  // A slot still used by a WAL sender (the subscription's worker, until it notices it was
  // disabled) cannot be dropped: end that sender and try again for up to a minute.
  auto started = Clock::now();
  for (;;) {
    Result<Rows> r = source.Query(
        "SELECT active_pid, pg_catalog.pg_terminate_backend(active_pid) AS ended "
        "FROM pg_catalog.pg_replication_slots WHERE slot_name = $1",
        {names.slot});
    if (!r.ok()) return r.status();
    if (r->size() == 0) break;
    if (r->IsNull(0, "active_pid")) {
      Result<Rows> dropped =
          source.Query("SELECT pg_catalog.pg_drop_replication_slot($1)::text AS x", {names.slot});
      if (dropped.ok()) break;
      if (Since(started) > 60) return dropped.status().WithContext("dropping the slot");
    } else if (Since(started) > 60) {
      return Status::Internal("the replication slot " + names.slot + " stays in use");
    }
    Pause();
  }
  return source.Execute("DROP PUBLICATION IF EXISTS " + QuoteIdent(names.publication) + ";")
      .WithContext("dropping the publication " + names.publication);
}

}  // namespace tenantshift
