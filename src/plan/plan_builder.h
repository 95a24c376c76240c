// PlanBuilder: builds the steps of one migration, one phase per Add* method. Internal to plan/
// (planner.cc for schemas, types, tables, data and structure; programmable_steps.cc for
// extensions, routines, views, materialized views, triggers and rules); BuildPlan is its only
// user. Pure: no I/O. Thread-safety: one builder per thread.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ddl/ddl_renderer.h"
#include "plan/access_planner.h"
#include "plan/planner.h"

namespace tenantshift {

// The element of `items` whose `name` is `name`, or null: how the planner finds the target's
// object of the same name (names are unique within a table or a schema).
template <typename T, typename Name>
const T* FindNamed(const std::vector<T>& items, const Name& name) {
  for (const T& item : items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

// Builds the steps of one migration. Each Add* method plans one phase.
class PlanBuilder {
 public:
  PlanBuilder(const Catalog& source, const Catalog& target, const PlanOptions& options)
      : src_(source),
        dst_(target),
        options_(options),
        ddl_(RendererFor(target.server.dialect)),
        access_(source, target, options, &out_) {}

  PlannedMigration Build();
  // --on-existing replace: these tables exist on the target with another definition; the
  // target catalog given to the constructor no longer holds them. Their creation drops them.
  void ReplaceTables(std::set<QualifiedName> tables) { replaced_tables_ = std::move(tables); }

 private:
  int AddSql(const std::string& phase, const std::string& description, std::string sql,
             std::vector<int> deps, int64_t priority = 0);
  // Compares what the source wants with what the target has; returns true when the step must
  // not run (identical, or a conflict that --on-existing skip leaves alone).
  // With --on-existing replace, `drop` (the statement that removes the target's object) runs
  // first in the same step; an object without one stays a conflict.
  bool AlreadyThere(int step, const std::string& what, const std::string& wanted,
                    const std::optional<std::string>& existing, const std::string& drop = "");

  void AddSchemas();
  void AddSequences();
  // Text search dictionaries, then the configurations that map them (PostgreSQL only).
  void AddTextSearch();
  // Operators, operator families and classes, conversions (operator_steps.cc; PostgreSQL only),
  // after the types and early routines they use and before the tables.
  void AddOperators();
  // Text search parsers and templates, before the dictionaries and configurations that use
  // them. Like families and classes they need a superuser on the target; without one each is a
  // manual step (unless the target has it already).
  void AddTextSearchParsersAndTemplates();
  // One of the objects above: what AddOperatorStep plans.
  struct OperatorStepSpec {
    std::string phase;
    // "operator s.===(integer,integer)", "operator family s.f USING btree": for people, and the
    // key other objects' links name it by (kind and identity).
    std::string what;
    std::string sql;
    std::optional<std::string> existing;  // the target's object of that identity, rendered
    std::string drop;                     // for --on-existing replace
    const OperatorLinks* links;
    std::string superuser_statement;  // "CREATE OPERATOR CLASS" when it needs a superuser
  };
  // Plans `o` after the roles, the schemas and what its links name; returns its step, or -1
  // when it became a manual step or needs nothing.
  int AddOperatorStep(const OperatorStepSpec& o);
  // Appends the routines the operators, families, classes and conversions call.
  void AddOperatorRoutines(std::vector<DependencyRef>* todo) const;
  // The steps creating the operators, classes, ... that `user` (a table, view, materialized
  // view or routine) or the index (schema, name) uses; empty when none.
  std::vector<int> OperatorStepsFor(const DependencyRef& user) const;
  std::vector<int> OperatorStepsForIndex(const QualifiedName& index) const;
  // The target's role for an object owned by `source_role`; empty when it cannot own there.
  std::string OwnerOnTarget(const std::string& source_role) const;
  void AddTables();
  std::vector<int> TableCreationDeps(const Table& table) const;
  void AddData();
  void AddConstraintsAndIndexes();
  void AddConstraint(const Table& table, const Constraint& c);
  void AddIndex(const Table& table, const Index& index);
  void AddClusterOn(const Table& table);
  void AddStatistics(const Table& table, const ExtendedStatistics& s);
  void AddStatisticsStep(const ExtendedStatistics& s, std::vector<int> deps,
                         const ExtendedStatistics* existing);
  std::string IndexSql(const QualifiedName& relation, const Index& index) const;
  void AddForeignKeys();
  void AddOwners();
  std::vector<int> AccessDeps(const ObjectRef& o) const;
  void AddSequenceValues();
  void AddAnalyzeAndValidate();
  std::vector<int> TableSteps(const QualifiedName& table) const;

  // Programmable objects (programmable_steps.cc).
  void AddExtensions();
  void AddNotMoved();
  void CheckExternalObjects();
  void CheckExtension(const Extension& ext, int step);
  // Types and the routines tables or types need, in one dependency order, before the tables.
  void AddTypesAndEarlyRoutines();
  std::set<DependencyRef> EarlyRoutines() const;
  void CheckEarlyRoutine(const Routine& routine);
  void AddType(const UserType& type, std::vector<int> deps);
  void AddRoutine(const Routine& routine, std::vector<int> deps);
  // The other routines, views and materialized views, in dependency order, after the data.
  void AddLateObjects();
  void AddView(const View& view, std::vector<int> deps);
  void AddRefresh(const View& view);
  // CREATE STATISTICS on a materialized view, once it exists.
  void AddViewStatistics(const View& view);
  std::string ViewIndexesSql(const View& view) const;
  std::string ViewStepSql(const View& view, bool refreshed) const;
  void AddTriggersAndRules();
  // Returns the step "<verb><what>", after `deps`, its relation and what `refs` name.
  int AddHook(const std::string& phase, const std::string& what, const QualifiedName& relation,
              const std::vector<DependencyRef>& refs, const std::string& sql,
              const std::optional<std::string>& existing, const std::string& verb,
              std::vector<int> deps);
  // Adds to `deps` the steps creating what `refs` name (with `with_data`, a table's data and
  // unique constraints too); warns, once per pair, about references outside the tenant.
  void AddRefDeps(const std::string& who, const std::vector<DependencyRef>& refs, bool with_data,
                  std::vector<int>* deps);
  void ReportCycle(const std::vector<DependencyRef>& nodes, const std::vector<int>& cycle);

  const Catalog& src_;
  const Catalog& dst_;
  const PlanOptions& options_;
  const DdlRenderer& ddl_;  // the target's dialect
  PlannedMigration out_;
  AccessPlanner access_;  // roles, memberships, privileges; writes into out_
  std::vector<int> role_steps_;
  std::vector<int> schema_steps_, type_steps_, seq_steps_;
  std::map<QualifiedName, int> type_step_, table_step_, data_step_;
  std::map<QualifiedName, std::vector<int>> structure_steps_;  // constraints+indexes per table
  std::map<QualifiedName, std::vector<int>> unique_steps_;     // PK/UNIQUE per table, for FKs
  std::map<std::pair<QualifiedName, std::string>, int> constraint_step_;
  std::map<QualifiedName, int> index_step_;  // by (schema, index name)
  std::vector<int> all_data_, all_structure_;
  std::vector<int> ext_steps_;
  std::vector<int> ts_steps_;  // text search dictionaries and configurations
  std::map<QualifiedName, int> ts_parser_step_, ts_template_step_;  // by name
  std::map<std::string, int> operator_step_;  // operators, families, ... by kind and identity
  std::map<DependencyRef, std::vector<int>> operator_users_;    // what each user waits for
  std::map<QualifiedName, std::vector<int>> operator_indexes_;  // the same, per index
  std::vector<int> base_steps_;  // schemas, extensions and sequences: what everything later needs
  std::map<DependencyRef, int> object_step_;  // creation step of types, routines, views, MVs
  std::vector<int> late_steps_;               // creation of late routines, views and MVs
  std::vector<int> refresh_steps_;            // materialized view refreshes
  std::map<QualifiedName, int> refresh_step_;
  std::vector<int> hook_steps_;                                    // triggers and rules
  std::map<QualifiedName, std::vector<int>> relation_hook_steps_;  // the same, per relation
  std::set<std::string> warned_;  // warnings already given (no repeats)
  std::set<QualifiedName> replaced_tables_;
  std::map<std::string, int> schema_step_;                 // creation step per schema
  std::map<QualifiedName, int> seq_step_;                  // creation step per sequence
  std::map<QualifiedName, int> table_owner_step_;          // owner step per table
  std::map<QualifiedName, QualifiedName> identity_table_;  // identity sequence -> its table
  int common_owner_step_ = -1;                             // owners of everything but tables
  // Partitions and INHERITS children of each source table, built on first use by Children().
  mutable std::optional<std::map<QualifiedName, std::vector<QualifiedName>>> children_;
  const std::vector<QualifiedName>& Children(const QualifiedName& table) const;
};

}  // namespace tenantshift
