#include "move/load_txn.h"

#include <fmt/format.h>

#include "dialect/dialect_ops.h"

namespace tenantshift {

std::string BeginLoadSql(Dialect target_dialect, const QualifiedName& table, ClearTable clear) {
  const DialectOps& ops = OpsFor(target_dialect);
  switch (clear) {
    case ClearTable::kTruncate:
      return "BEGIN; " + ops.TruncateSql(table) + ";";
    case ClearTable::kDelete:
      return "BEGIN; " + ops.DeleteAllSql(table) + ";";
    case ClearTable::kNone:
      break;
  }
  return "BEGIN;";
}

Result<int64_t> LoadInTransaction(Session& target, const std::string& begin_sql, const LoadFn& load,
                                  int64_t expected_rows) {
  Status s = target.Execute(begin_sql);
  Result<int64_t> loaded = s.ok() ? load() : Result<int64_t>(s);
  if (loaded.ok() && expected_rows >= 0 && *loaded != expected_rows) {
    loaded = Status::Mismatch(
        fmt::format("the source staged {} rows but the target loaded {}", expected_rows, *loaded));
  }
  if (loaded.ok()) {
    s = target.Execute("COMMIT");
    if (s.ok()) return loaded;
    loaded = s;
  }
  target.Execute("ROLLBACK");
  return loaded;
}

}  // namespace tenantshift
