// Schema: a namespace of the tenant. Value type.
#pragma once

#include <string>

namespace tenantshift {

struct Schema {
  std::string name;
  std::string owner;    // role name; never empty for an extracted schema
  std::string comment;  // empty when there is none

  bool operator==(const Schema&) const = default;
};

}  // namespace tenantshift
