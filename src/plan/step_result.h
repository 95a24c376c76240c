// StepResult: what running one plan step produced. The executor (exec/) fills it, the ledger
// (state/) stores it and the data movers (move/) return it, so it lives below all three.
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <string>

#include "util/status.h"

namespace tenantshift {

struct StepResult {
  Status status;
  int attempts = 0;
  double seconds = 0;
  int64_t rows = 0;            // kCopyData: rows copied
  int64_t bytes = 0;           // kCopyData: bytes streamed
  bool skipped_equal = false;  // kCopyData: target already held exactly these rows
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
