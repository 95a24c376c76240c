// Sequence: a standalone sequence in a tenant schema (identity sequences live on their column).
// Value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/object_name.h"

namespace tenantshift {

struct SequenceOptions {
  std::string data_type = "bigint";  // smallint, integer or bigint
  int64_t start = 1;
  int64_t increment = 1;
  int64_t min_value = 1;
  int64_t max_value = INT64_MAX;
  int64_t cache = 1;
  bool cycle = false;

  bool operator==(const SequenceOptions&) const = default;
};

// The value a sequence reached: setval(seq, last_value, is_called).
struct SequenceState {
  int64_t last_value = 1;
  bool is_called = false;

  bool operator==(const SequenceState&) const = default;
};

struct Sequence {
  QualifiedName name;
  std::string owner;
  std::string comment;
  SequenceOptions options;
  SequenceState state;
  // OWNED BY table.column, when set (name.schema/name.name is the table).
  std::optional<QualifiedName> owned_by_table;
  std::string owned_by_column;

  bool operator==(const Sequence&) const = default;
};

}  // namespace tenantshift
