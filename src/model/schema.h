// Schema: a namespace of the tenant. Value type.
#pragma once

#include <cstdint>
#include <string>

namespace tenantshift {

struct Schema {
  std::string name;
  std::string owner;      // role name; never empty for an extracted schema
  std::string comment;    // empty when there is none
  int64_t quota_mb = -1;  // Redshift QUOTA in megabytes; -1: UNLIMITED (and on PostgreSQL)

  bool operator==(const Schema&) const = default;
};

}  // namespace tenantshift
