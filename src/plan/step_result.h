// StepResult: what running one plan step produced. The executor (exec/) fills it, the ledger
// (state/) stores it and the data movers (move/) return it, so it lives below all three.
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/status.h"

namespace tenantshift {

struct StepResult {
  Status status;
  int attempts = 0;
  double seconds = 0;
  // When and where it ran, for the report's timeline: the worker (-1: unknown), the wall
  // times (unix seconds) its first attempt started and its last ended, and when each attempt
  // that failed and was tried again ended.
  int worker = -1;
  double started_at = 0, finished_at = 0;
  std::vector<double> retried_at;
  int64_t rows = 0;            // kCopyData: rows copied
  int64_t bytes = 0;           // kCopyData: bytes streamed
  bool skipped_equal = false;  // kCopyData: target already held exactly these rows
  // kCopyData through S3 (to or from Redshift): seconds to stage (UNLOAD, or the PostgreSQL
  // writer) and to load (COPY, or the PostgreSQL reader), and how many files were staged
  // (`bytes` holds their size); 0 when the move was not staged.
  double stage_seconds = 0, load_seconds = 0;
  int64_t staged_files = 0;
  // kValidate: what each side holds.
  int64_t source_rows = -1, target_rows = -1;
  std::string source_checksum, target_checksum;
};

struct Step;
enum class StepState;

// One step's outcome as the executor hands a group of them to the ledger (group commit).
struct FinishedStep {
  const Step* step;
  const StepResult* result;
  StepState state;  // kSucceeded or kFailed
};

}  // namespace tenantshift
