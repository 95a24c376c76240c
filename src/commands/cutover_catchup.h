// Catch-up during a cutover's freeze: with the tenant's roles frozen on the source, bring the
// target level with it by re-copying only the tables that changed since `migrate`.
//
// CatchUp checksums every tenant table on both sides (in parallel, --jobs workers), re-copies
// each table whose count or checksum differs in one transaction on the target (DELETE + COPY,
// through the same MigrationRunner and load transaction as `migrate`, so every dialect pair and
// --via path is served), checksums those tables again, and sets every sequence of the tenant to
// the frozen source's value. The freeze window therefore grows with the changed data, not with
// the tenant.
//
// On a PostgreSQL target the re-copying sessions run with session_replication_role = replica
// (what PostgreSQL's own logical replication apply does), so neither the tenant's triggers nor
// its foreign keys fire while a table's rows are replaced; the tables are equal to the source's
// afterwards, so every constraint holds again. Where the target role may not set it (it takes a
// superuser), the copy runs without it.
// Thread-safety: each call owns everything it creates.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "connect/connector.h"
#include "model/catalog.h"
#include "move/staging.h"
#include "state/ledger.h"
#include "util/interrupt.h"
#include "util/status.h"

namespace tenantshift {

// A table the catch-up copied again.
struct RecopiedTable {
  std::string table;  // schema.table, for display
  int64_t rows = 0;
  int64_t bytes = 0;
  double seconds = 0;
};

// The wall time of each phase of a freeze, in order: for the terminal and cutover_report.json.
// Not thread-safe: one coordinator marks it.
class PhaseTimes {
 public:
  // Starts timing the first phase now.
  void Start();
  // The time since Start or the previous Mark is `phase`'s.
  void Mark(const std::string& phase);
  const std::vector<std::pair<std::string, double>>& phases() const { return phases_; }
  // [{"phase": ..., "seconds": ...}, ...]
  nlohmann::json ToJson() const;
  // "phase 0.12 s, phase 1.50 s, ..."
  std::string ToString() const;

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, double>> phases_;
};

struct CatchUpResult {
  int tables_checked = 0;
  double checksum_seconds = 0;  // wall time of the first checksum pass
  std::vector<RecopiedTable> recopied;
  int sequences_set = 0;
  int64_t RecopiedRows() const;
  int64_t RecopiedBytes() const;
  nlohmann::json ToJson() const;
};

// The shape of the source's tables as `migrate` planned them, to detect DDL on the source
// before a catch-up: {"schema.table": ["column type", ...]}. Pure.
nlohmann::json TableSignature(const Catalog& catalog);
// What differs from `planned` in `now` (tables added or dropped, columns changed), one phrase
// each, sorted; empty when the same. Pure.
std::vector<std::string> SignatureDifferences(const nlohmann::json& planned,
                                              const nlohmann::json& now);

struct CatchUpOptions {
  RunIdentity run;  // the migrated run: source, target, schemas
  int jobs = 4;
  Connector connect;               // opens every session
  std::string application_name;    // of every session; empty: libpq's default
  Interrupt* interrupt = nullptr;  // stops the catch-up (steps in flight roll back)
  PhaseTimes* phases = nullptr;    // marked after each phase when set
  // TableSignature of the source when migrate planned; null: not compared. A difference (DDL
  // since migrate) fails the catch-up before it copies anything, naming the tables.
  nlohmann::json planned_tables;
  StagingConfig staging;  // --via: a Redshift side's tables travel through S3
};

// A catch-up split around the freeze, so the freeze window holds only what must see the frozen
// source. PrepareCatchUp (before the freeze) connects to both servers and reads the source's
// catalog, refusing DDL since migrate planned (`planned_tables`) before anything is frozen.
// Run (with the source frozen) exports the snapshot every worker reads, checksums the tables
// of that catalog while the coordinator reads the catalog again inside the snapshot, and fails
// when the tables changed in between (DDL just before the freeze), before copying anything.
class PreparedCatchUp {
 public:
  ~PreparedCatchUp();
  // Brings the target level with the (frozen) source, as the header says. On success every
  // tenant table has the same rows on both sides and the sequences hold the source's values.
  // Fails with Mismatch naming the tables still different after their copy, or with the first
  // error (a failed copy leaves that table as it was: its transaction rolled back).
  // REQUIRES: called once.
  Result<CatchUpResult> Run(std::ostream& out);

 private:
  struct State;
  explicit PreparedCatchUp(std::unique_ptr<State> state);
  friend Result<std::unique_ptr<PreparedCatchUp>> PrepareCatchUp(const CatchUpOptions& options);
  std::unique_ptr<State> state_;
};
Result<std::unique_ptr<PreparedCatchUp>> PrepareCatchUp(const CatchUpOptions& options);

// PrepareCatchUp and Run in one go.
Result<CatchUpResult> CatchUp(const CatchUpOptions& options, std::ostream& out);

// The expected freeze window of a catch-up, from the ledger's last validation: the checksum
// pass as the last run's validation steps took it on `jobs` workers (the longest step, or the
// total shared by the workers, whichever is longer), and the rate at which its data steps
// copied, for the changed tables. Pure.
struct FreezeEstimate {
  int tables = 0;                    // validated tables the estimate is made of
  double checksum_seconds = 0;       // expected wall time of the checksum pass
  double copy_bytes_per_second = 0;  // 0: no data step to measure
};
FreezeEstimate EstimateFreezeWindow(const std::map<std::string, StepRecord>& steps, int jobs);

}  // namespace tenantshift
