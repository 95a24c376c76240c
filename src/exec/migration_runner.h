// MigrationRunner: the StepRunner that talks to real servers.
//
// Each worker owns one source and one target Session, opened on first use. Every data and
// validation step reads the source in its own short transaction that imports the migration's
// exported snapshot (when one is given): every table is copied and checked as of the same
// instant, and no transaction holds locks on more than the one table it reads, however many
// tables the tenant has. Data moves with COPY straight from a source connection
// into a target connection: binary when every column type allows it and both servers share a
// major version, text otherwise; rows are never parsed and memory does not grow with tables.
// Thread-safety: Run() and ResetWorker() may be called concurrently for distinct workers.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exec/executor.h"
#include "model/catalog.h"
#include "move/load_txn.h"
#include "move/redshift_mover.h"
#include "move/staging.h"
#include "pg/session.h"
#include "report/progress.h"

namespace tenantshift {

using SessionFactory = std::function<Result<std::unique_ptr<Session>>()>;

// Row count and order-independent checksum of one table, as text.
struct TableChecksum {
  int64_t rows = 0;
  std::string checksum;
};
enum class ChecksumMethod {
  kRowText,  // hash of each row's text: exact for every type
  kRowHash,  // hash_record_extended: the columns' own hashes, ~3x cheaper
};
// kRowHash only when both servers share a major version (>= 14) and every column's type hashes
// its exact stored value (integers, text without a collation, dates, timestamps, uuid, ...).
ChecksumMethod ChooseChecksum(const Table& table, bool same_major, int server_version);
Result<TableChecksum> ComputeChecksum(Session& session, const QualifiedName& table,
                                      ChecksumMethod method = ChecksumMethod::kRowText);

struct RunnerConfig {
  SessionFactory connect_source;
  SessionFactory connect_target;
  std::string snapshot;      // exported snapshot id; empty reads current data
  bool allow_binary = true;  // false when the servers' major versions differ
  StagingConfig staging;     // --via: tables travel through S3 instead of a COPY pipe
  // The target's dialect (the source's is in the source catalog).
  Dialect target_dialect = Dialect::kPostgres;
  // Test seams of the Redshift mover (staged-file deletion, NULL marker); unset in production.
  RedshiftMoverHooks redshift;
};

class MigrationRunner final : public StepRunner {
 public:
  // REQUIRES: `source` and `progress` outlive the runner.
  MigrationRunner(const Catalog& source, RunnerConfig config, Progress& progress, int jobs);

  StepResult Run(const Step& step, int worker) override;
  void ResetWorker(int worker) override;
  // Cancels the statement running on every open session; safe from any thread.
  void CancelAll();

 private:
  struct Worker {
    std::unique_ptr<Session> source;
    std::unique_ptr<Session> target;
  };
  // Replaces a worker's session (nullptr drops it).
  void SetSession(std::unique_ptr<Session>* slot, std::unique_ptr<Session> session);
  Result<Session*> Source(int worker);
  Result<Session*> Target(int worker);
  StepResult RunSql(const Step& step, int worker);
  StepResult CopyData(const Step& step, int worker);
  // CopyData inside the step's source transaction.
  StepResult CopyTable(const Table& table, const Step& step, int worker, Session& src,
                       Session& dst);
  // Opens the step's own read-only source transaction in the exported snapshot (nothing
  // without one); EndSourceRead ends it, dropping the session if it cannot.
  Status BeginSourceRead(Session& src) const;
  void EndSourceRead(int worker);
  StepResult Validate(const Step& step, int worker);
  // Leaves the target session idle after a failure, or drops it when it is unusable.
  void RecoverTarget(int worker);
  ChecksumMethod Method(const Table& table) const;
  // How a table receives its rows: kFresh (created by this run: TRUNCATE, COPY FREEZE),
  // kAppend (empty on the target), kReplace (DELETE the target's rows first). Always one
  // transaction with the COPY.
  StepResult CopyInto(const Table& table, Session& src, Session& dst, ClearTable clear);

  const Catalog& source_;
  RunnerConfig config_;
  Progress& progress_;
  // One per worker index. A worker's thread is the only one that replaces its sessions, under
  // sessions_mu_; CancelAll reads them under sessions_mu_.
  std::mutex sessions_mu_;
  std::vector<Worker> workers_;
};

}  // namespace tenantshift
