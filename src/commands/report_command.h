// The `report` subcommand and the report rewrite `cutover` does: both render
// migration_report.html again from the migration_report.json in a work directory.
// Thread-safety: each call owns everything it touches; concurrent calls on one work directory
// leave whole files (each write is atomic) but the last one wins.
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

#include "util/status.h"

namespace tenantshift {

struct ReportOptions {
  std::string work_dir;  // required: holds migration_report.json
};

// `tenantshift report --work-dir DIR`: writes DIR/migration_report.html from
// DIR/migration_report.json and prints its path. Exit 7 when DIR holds no report, 5 when the
// JSON cannot be read or the page cannot be written.
int RunReport(const ReportOptions& options, std::ostream& out, std::ostream& err);

// Sets the report's "cutover" object to `cutover` ({consumer, switched_at, freeze_started_at,
// freeze_seconds, frozen_roles}; never a secret) in DIR/migration_report.json and writes the
// HTML page again. Ok, changing nothing, when DIR holds no report.
Status AddCutoverToReport(const std::string& work_dir, const nlohmann::json& cutover);

}  // namespace tenantshift
