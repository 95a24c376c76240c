// Catalog: everything tenantshift knows about one side's tenant, as plain values.
//
// Built by an extractor, read by the planner and renderers. Objects are kept in a stable order
// (by schema, then name) so plans and outputs are reproducible.
// Thread-safety: a value type; share it read-only.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/schema.h"
#include "model/sequence.h"
#include "model/table.h"
#include "model/type.h"

namespace tenantshift {

enum class Dialect { kPostgres, kRedshift, kRedshiftServerless };

struct ServerInfo {
  Dialect dialect = Dialect::kPostgres;
  int version_num = 0;       // server_version_num
  std::string version;       // version()
  std::string current_user;  // the role tenantshift is connected as
  std::string database;
};

struct Catalog {
  ServerInfo server;
  std::vector<Schema> schemas;
  std::vector<UserType> types;
  std::vector<Sequence> sequences;
  std::vector<Table> tables;
  std::set<std::string> roles;  // every role name that exists on this server

  const Schema* FindSchema(const std::string& name) const;
  const Table* FindTable(const QualifiedName& name) const;
  const UserType* FindType(const QualifiedName& name) const;
  const Sequence* FindSequence(const QualifiedName& name) const;
};

}  // namespace tenantshift
