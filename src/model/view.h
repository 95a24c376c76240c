// View: a view or materialized view of a tenant schema. Value type.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/dependency_ref.h"
#include "model/table.h"

namespace tenantshift {

struct ViewColumn {
  std::string name;
  std::string comment;       // empty when none
  std::string default_expr;  // views only: ALTER VIEW ... SET DEFAULT; empty when none
  // Materialized views: STORAGE, COMPRESSION, STATISTICS and attribute options, with the
  // meanings of the Column fields of the same names (model/table.h).
  char storage = '\0';
  char compression = '\0';
  int statistics = -1;
  std::vector<std::string> options = {};

  bool operator==(const ViewColumn&) const = default;
};

struct View {
  QualifiedName name;
  bool materialized = false;
  std::string owner;
  std::string comment;
  // pg_get_viewdef(): the query, schema-qualified (printed with an empty search_path), without a
  // trailing semicolon. A recursive view's query is its WITH RECURSIVE form.
  std::string definition;
  // Storage and view options (reloptions) in catalog order, as (name, value), except
  // check_option: security_barrier, security_invoker, fillfactor, ...
  std::vector<std::pair<std::string, std::string>> options;
  std::string check_option;         // "local", "cascaded" or empty
  bool populated = true;            // materialized views: relispopulated
  std::vector<ViewColumn> columns;  // in attnum order
  std::vector<Index> indexes;       // materialized views only
  // Materialized views (PostgreSQL): the access method when not heap (empty for heap), the index
  // CLUSTER ON names (empty when none) and the extended statistics on it, by schema and name.
  std::string access_method;
  std::string cluster_index;
  std::vector<ExtendedStatistics> statistics;
  // Redshift only.
  bool late_binding = false;  // WITH NO SCHEMA BINDING
  // The explicit column list of CREATE VIEW v (a, b) as the server printed it, "(a, b)"; empty
  // when the definition has none (a late-binding view has no pg_attribute rows to name them).
  std::string column_list;
  bool auto_refresh = false;  // materialized views: AUTO REFRESH YES
  bool backup = true;         // materialized views: false is BACKUP NO
  Distribution distribution;  // materialized views
  SortKey sort_key;           // materialized views
  // Tables, views, materialized views, routines and types the query reads, from pg_depend.
  std::vector<DependencyRef> depends_on;

  DependencyRef ref() const {
    return {materialized ? DependencyKind::kMaterializedView : DependencyKind::kView, name, ""};
  }
  bool operator==(const View&) const = default;
};

}  // namespace tenantshift
