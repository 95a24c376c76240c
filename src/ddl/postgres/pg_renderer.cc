#include "ddl/postgres/pg_renderer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstring>

#include "ddl/quote.h"

namespace tenantshift::pgddl {
namespace {

const char* kNotValid = " NOT VALID";
const char* kCreateOrReplace = "CREATE OR REPLACE ";

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string CommentOn(const std::string& what, const std::string& comment) {
  if (comment.empty()) return "";
  return fmt::format("COMMENT ON {} IS {};\n", what, QuoteLiteral(comment));
}

std::string Collate(const std::string& collation) {
  return collation.empty() ? "" : " COLLATE " + collation;
}

std::string SequenceOptionsSql(const SequenceOptions& o) {
  return fmt::format("START WITH {} INCREMENT BY {} MINVALUE {} MAXVALUE {} CACHE {}{}", o.start,
                     o.increment, o.min_value, o.max_value, o.cache,
                     o.cycle ? " CYCLE" : " NO CYCLE");
}

// " OPTIONS (key 'value', ...)": a foreign table's or column's generic options ("key=value", as
// the catalog keeps them); empty when there are none.
std::string GenericOptions(const std::vector<std::string>& options) {
  if (options.empty()) return "";
  std::vector<std::string> items;
  for (const std::string& o : options) {
    size_t eq = o.find('=');
    std::string value = eq == std::string::npos ? "" : o.substr(eq + 1);
    items.push_back(QuoteIdent(o.substr(0, eq)) + " " + QuoteLiteral(value));
  }
  return fmt::format(" OPTIONS ({})", fmt::join(items, ", "));
}

// "TABLE", "UNLOGGED TABLE" or "FOREIGN TABLE": what CREATE and COMMENT ON call the table.
std::string TableKeyword(const Table& table) {
  if (table.foreign()) return "FOREIGN TABLE";
  return table.unlogged ? "UNLOGGED TABLE" : "TABLE";
}

std::string ColumnSql(const Table& table, const Column& c) {
  std::string sql =
      QuoteIdent(c.name) + " " + c.type + GenericOptions(c.foreign_options) + Collate(c.collation);
  if (c.identity != '\0') {
    sql += fmt::format(" GENERATED {} AS IDENTITY (SEQUENCE NAME {} {})",
                       c.identity == 'a' ? "ALWAYS" : "BY DEFAULT",
                       QuoteName({table.name.schema, c.identity_sequence}),
                       SequenceOptionsSql(c.identity_options));
  } else if (c.generated()) {
    sql += " GENERATED ALWAYS AS (" + c.generated_expr + ") STORED";
  } else if (!c.default_expr.empty()) {
    sql += " DEFAULT " + c.default_expr;
  }
  if (c.not_null) sql += " NOT NULL";
  return sql;
}

std::string InlineCheck(const Constraint& c) {
  return "CONSTRAINT " + QuoteIdent(c.name) + " " + c.definition;
}

std::vector<std::string> InlineChecks(const Table& table) {
  std::vector<std::string> out;
  for (const Constraint& c : table.constraints) {
    if (!IsPostDataConstraint(c) && c.local) out.push_back(InlineCheck(c));
  }
  return out;
}

// What an inherited column has on this table only: ALTER TABLE ONLY ... SET/DROP DEFAULT and
// SET NOT NULL, as pg_dump sets them after CREATE TABLE.
std::string InheritedColumnSettings(const Table& table) {
  std::string sql;
  for (const Column& c : table.columns) {
    if (!c.inherited || c.generated() || c.identity != '\0') continue;
    std::string alter =
        "ALTER TABLE ONLY " + QuoteName(table.name) + " ALTER COLUMN " + QuoteIdent(c.name);
    if (!c.parent_default) {
      sql += alter + (c.default_expr.empty() ? " DROP DEFAULT" : " SET DEFAULT " + c.default_expr) +
             ";\n";
    }
    if (c.not_null && !c.parent_not_null) sql += alter + " SET NOT NULL;\n";
  }
  return sql;
}

// "(fillfactor='70', autovacuum_enabled='false')": reloptions as SET and WITH take them, each
// value quoted (as pg_dump does), names as the server printed them.
std::string OptionList(const std::vector<std::string>& options) {
  std::vector<std::string> items;
  for (const std::string& o : options) {
    size_t eq = o.find('=');
    items.push_back(
        eq == std::string::npos ? o : o.substr(0, eq) + "=" + QuoteLiteral(o.substr(eq + 1)));
  }
  return fmt::format("({})", fmt::join(items, ", "));
}

// What follows a CREATE TABLE's columns or partition bound: PARTITION BY, USING the access
// method and WITH the storage parameters, in the grammar's order; a foreign table's SERVER and
// OPTIONS.
std::string TableClauses(const Table& table) {
  std::string sql;
  if (table.foreign()) {
    return " SERVER " + QuoteIdent(table.foreign_server) + GenericOptions(table.foreign_options);
  }
  if (table.partitioned()) sql += " PARTITION BY " + table.partition_key;
  if (!table.access_method.empty()) sql += " USING " + QuoteIdent(table.access_method);
  if (!table.storage_parameters.empty()) sql += " WITH " + OptionList(table.storage_parameters);
  return sql;
}

// ALTER COLUMN ... SET STORAGE, COMPRESSION, STATISTICS and attribute options of one column (a
// table's Column or a materialized view's ViewColumn), as pg_dump sets them after CREATE;
// `alter` starts the statement ("ALTER TABLE ONLY s.t").
template <typename C>
std::string ColumnSettings(const std::string& alter_relation, const C& c) {
  std::string sql;
  std::string alter = alter_relation + " ALTER COLUMN " + QuoteIdent(c.name);
  if (c.storage != '\0') {
    const char* storage = c.storage == 'p'   ? "PLAIN"
                          : c.storage == 'e' ? "EXTERNAL"
                          : c.storage == 'm' ? "MAIN"
                                             : "EXTENDED";
    sql += alter + " SET STORAGE " + storage + ";\n";
  }
  if (c.compression != '\0') {
    sql += alter + " SET COMPRESSION " + (c.compression == 'l' ? "lz4" : "pglz") + ";\n";
  }
  if (c.statistics >= 0) sql += alter + fmt::format(" SET STATISTICS {};\n", c.statistics);
  if (!c.options.empty()) sql += alter + " SET " + OptionList(c.options) + ";\n";
  return sql;
}

std::string ColumnProperties(const Table& table) {
  std::string sql;
  for (const Column& c : table.columns) {
    sql += ColumnSettings("ALTER TABLE ONLY " + QuoteName(table.name), c);
  }
  return sql;
}

std::string PartitionOf(const Table& table) {
  std::vector<std::string> checks = InlineChecks(table);
  std::string sql = fmt::format("CREATE {} {} PARTITION OF {}", TableKeyword(table),
                                QuoteName(table.name), QuoteName(*table.partition_parent));
  if (!checks.empty()) sql += " (\n    " + fmt::format("{}", fmt::join(checks, ",\n    ")) + "\n)";
  sql += " " + table.partition_bound + TableClauses(table);
  return sql + ";\n" + InheritedColumnSettings(table) + ColumnProperties(table);
}

// "schema"."name"(identity args): how COMMENT and ALTER name a routine.
std::string RoutineSignature(const Routine& r) {
  std::string args = r.identity_args;
  if (args.empty() && r.kind == Routine::Kind::kAggregate) args = "*";
  return QuoteName(r.name) + "(" + args + ")";
}

const char* ModifyKeyword(char code) {
  return code == 's' ? "SHAREABLE" : code == 'w' ? "READ_WRITE" : "READ_ONLY";
}

// The options of CREATE AGGREGATE, in pg_dump's order, defaults left out.
std::vector<std::string> AggregateOptions(const AggregateSpec& a) {
  std::vector<std::string> o;
  auto add = [&o](const char* key, const std::string& value) {
    if (!value.empty()) o.push_back(std::string(key) + " = " + value);
  };
  add("SFUNC", a.sfunc);
  add("STYPE", a.stype);
  if (a.sspace != 0) add("SSPACE", std::to_string(a.sspace));
  add("FINALFUNC", a.finalfunc);
  if (a.finalfunc_extra) o.push_back("FINALFUNC_EXTRA");
  char default_modify = a.kind == 'n' ? 'r' : 'w';
  if (a.finalfunc_modify != default_modify)
    add("FINALFUNC_MODIFY", ModifyKeyword(a.finalfunc_modify));
  add("COMBINEFUNC", a.combinefunc);
  add("SERIALFUNC", a.serialfunc);
  add("DESERIALFUNC", a.deserialfunc);
  if (a.initcond) add("INITCOND", QuoteLiteral(*a.initcond));
  add("MSFUNC", a.msfunc);
  add("MINVFUNC", a.minvfunc);
  add("MSTYPE", a.mstype);
  if (a.msspace != 0) add("MSSPACE", std::to_string(a.msspace));
  add("MFINALFUNC", a.mfinalfunc);
  if (a.mfinalfunc_extra) o.push_back("MFINALFUNC_EXTRA");
  if (a.mfinalfunc_modify != 'r') add("MFINALFUNC_MODIFY", ModifyKeyword(a.mfinalfunc_modify));
  if (a.minitcond) add("MINITCOND", QuoteLiteral(*a.minitcond));
  add("SORTOP", a.sortop);
  if (a.kind == 'h') o.push_back("HYPOTHETICAL");
  if (a.parallel == 's') add("PARALLEL", "SAFE");
  if (a.parallel == 'r') add("PARALLEL", "RESTRICTED");
  return o;
}

std::string CreateAggregate(const Routine& r) {
  std::string args = r.aggregate.arguments.empty() ? "*" : r.aggregate.arguments;
  return fmt::format("CREATE AGGREGATE {}({}) (\n    {}\n);\n", QuoteName(r.name), args,
                     fmt::join(AggregateOptions(r.aggregate), ",\n    "));
}

const char* ViewKeyword(const View& v) { return v.materialized ? "MATERIALIZED VIEW" : "VIEW"; }

std::string ViewWith(const View& v) {
  if (v.options.empty()) return "";
  std::vector<std::string> parts;
  for (const auto& [name, value] : v.options)
    parts.push_back(QuoteIdent(name) + "=" + QuoteLiteral(value));
  return fmt::format(" WITH ({})", fmt::join(parts, ", "));
}

std::string CheckOption(const View& v) {
  if (v.check_option == "local") return "\n  WITH LOCAL CHECK OPTION";
  if (v.check_option == "cascaded") return "\n  WITH CASCADED CHECK OPTION";
  return "";
}

// ALTER TABLE ... DISABLE / ENABLE REPLICA / ENABLE ALWAYS `what` (TRIGGER or RULE); empty for
// 'O' (enabled, the state CREATE leaves it in).
std::string EnableState(const QualifiedName& relation, const char* what, const std::string& name,
                        char enabled) {
  const char* action = enabled == 'D'   ? "DISABLE"
                       : enabled == 'R' ? "ENABLE REPLICA"
                       : enabled == 'A' ? "ENABLE ALWAYS"
                                        : nullptr;
  if (action == nullptr) return "";
  return fmt::format("ALTER TABLE {} {} {} {};\n", QuoteName(relation), action, what,
                     QuoteIdent(name));
}
}  // namespace

const char* RoutineKeyword(const Routine& r) {
  switch (r.kind) {
    case Routine::Kind::kProcedure:
      return "PROCEDURE";
    case Routine::Kind::kAggregate:
      return "AGGREGATE";
    case Routine::Kind::kFunction:
      break;
  }
  return "FUNCTION";
}

std::string CreateSchema(const Schema& schema) {
  return "CREATE SCHEMA " + QuoteIdent(schema.name) + ";\n";
}

std::string CreateType(const UserType& t) {
  const std::string name = QuoteName(t.name);
  std::vector<std::string> parts;
  switch (t.kind) {
    case UserType::Kind::kEnum:
      for (const auto& label : t.enum_labels) parts.push_back(QuoteLiteral(label));
      return fmt::format("CREATE TYPE {} AS ENUM ({});\n", name, fmt::join(parts, ", "));
    case UserType::Kind::kComposite:
      for (const auto& a : t.attributes) {
        parts.push_back(QuoteIdent(a.name) + " " + a.type + Collate(a.collation));
      }
      return fmt::format("CREATE TYPE {} AS (\n    {}\n);\n", name, fmt::join(parts, ",\n    "));
    case UserType::Kind::kRange: {
      parts.push_back("SUBTYPE = " + t.base_type);
      if (!t.range_opclass.empty()) parts.push_back("SUBTYPE_OPCLASS = " + t.range_opclass);
      if (!t.collation.empty()) parts.push_back("COLLATION = " + t.collation);
      if (!t.range_subdiff.empty()) parts.push_back("SUBTYPE_DIFF = " + t.range_subdiff);
      if (!t.range_multirange.empty()) {
        parts.push_back("MULTIRANGE_TYPE_NAME = " + t.range_multirange);
      }
      return fmt::format("CREATE TYPE {} AS RANGE (\n    {}\n);\n", name,
                         fmt::join(parts, ",\n    "));
    }
    case UserType::Kind::kDomain: {
      std::string sql = "CREATE DOMAIN " + name + " AS " + t.base_type + Collate(t.collation);
      if (!t.domain_default.empty()) sql += " DEFAULT " + t.domain_default;
      if (t.domain_not_null) sql += " NOT NULL";
      for (const auto& c : t.domain_checks) {
        sql += "\n    CONSTRAINT " + QuoteIdent(c.name) + " " + c.definition;
      }
      return sql + ";\n";
    }
  }
  return "";
}

std::string CreateSequence(const Sequence& seq) {
  return fmt::format("CREATE SEQUENCE {} AS {} {};\n", QuoteName(seq.name), seq.options.data_type,
                     SequenceOptionsSql(seq.options));
}

std::string CreateTable(const Table& table) {
  if (table.partition_parent) return PartitionOf(table);
  std::vector<std::string> items;
  for (const Column& c : table.columns) {
    if (!c.inherited) items.push_back(ColumnSql(table, c));
  }
  for (std::string& check : InlineChecks(table)) items.push_back(std::move(check));
  std::string sql = fmt::format("CREATE {} {} (\n    {}\n)", TableKeyword(table),
                                QuoteName(table.name), fmt::join(items, ",\n    "));
  if (!table.inherits.empty()) {
    std::vector<std::string> parents;
    for (const QualifiedName& p : table.inherits) parents.push_back(QuoteName(p));
    sql += fmt::format(" INHERITS ({})", fmt::join(parents, ", "));
  }
  return sql + TableClauses(table) + ";\n" + InheritedColumnSettings(table) +
         ColumnProperties(table);
}

std::string SchemaComment(const Schema& s) {
  return CommentOn("SCHEMA " + QuoteIdent(s.name), s.comment);
}

std::string TypeComment(const UserType& t) {
  std::string sql = CommentOn(
      (t.kind == UserType::Kind::kDomain ? "DOMAIN " : "TYPE ") + QuoteName(t.name), t.comment);
  for (const DomainConstraint& c : t.domain_checks) {
    sql += CommentOn("CONSTRAINT " + QuoteIdent(c.name) + " ON DOMAIN " + QuoteName(t.name),
                     c.comment);
  }
  return sql;
}

std::string SequenceComment(const Sequence& s) {
  return CommentOn("SEQUENCE " + QuoteName(s.name), s.comment);
}

std::string TableComments(const Table& table) {
  std::string sql = CommentOn(
      (table.foreign() ? "FOREIGN TABLE " : "TABLE ") + QuoteName(table.name), table.comment);
  for (const Column& c : table.columns) {
    sql += CommentOn("COLUMN " + QuoteName(table.name) + "." + QuoteIdent(c.name), c.comment);
  }
  // CHECK constraints CREATE TABLE makes (inline or inherited); the others get theirs with
  // their own ADD CONSTRAINT step.
  for (const Constraint& c : table.constraints) {
    if (!IsPostDataConstraint(c)) sql += ConstraintComment(table.name, c);
  }
  return sql;
}

std::string IndexComment(const QualifiedName& table, const Index& index) {
  return CommentOn("INDEX " + QuoteName({table.schema, index.name}), index.comment);
}

std::string ConstraintComment(const QualifiedName& table, const Constraint& c) {
  return CommentOn("CONSTRAINT " + QuoteIdent(c.name) + " ON " + QuoteName(table), c.comment);
}

bool IsPostDataConstraint(const Constraint& c) {
  return c.kind != Constraint::Kind::kCheck || EndsWith(c.definition, kNotValid);
}

std::string AddConstraint(const Table& table, const Constraint& c) {
  // Foreign keys on a partitioned table cannot use ONLY; everything else must, so that the
  // partitions' own constraints are created (and attached) exactly as on the source.
  // A CHECK on an INHERITS parent cannot be added with ONLY (PostgreSQL refuses unless it is
  // NO INHERIT); without it the children get their inherited copy, as they have on the source.
  bool only = !(c.kind == Constraint::Kind::kForeignKey && table.partitioned()) &&
              !(c.kind == Constraint::Kind::kCheck && table.has_inheritance_children &&
                c.definition.find("NO INHERIT") == std::string::npos);
  return fmt::format("ALTER TABLE {}{} ADD CONSTRAINT {} {};\n", only ? "ONLY " : "",
                     QuoteName(table.name), QuoteIdent(c.name), c.definition);
}

std::string CreateIndex(const Index& index) { return index.definition + ";\n"; }

std::string IndexStatistics(const QualifiedName& table, const Index& index) {
  std::string sql;
  for (const auto& [column, target] : index.column_statistics) {
    sql += fmt::format("ALTER INDEX {} ALTER COLUMN {} SET STATISTICS {};\n",
                       QuoteName({table.schema, index.name}), column, target);
  }
  return sql;
}

std::string CreateStatistics(const ExtendedStatistics& s, const std::string& owner) {
  std::string sql = s.definition + ";\n";
  const std::string name = QuoteName(s.name);
  if (s.statistics >= 0)
    sql += fmt::format("ALTER STATISTICS {} SET STATISTICS {};\n", name, s.statistics);
  if (!owner.empty()) sql += "ALTER STATISTICS " + name + " OWNER TO " + QuoteIdent(owner) + ";\n";
  return sql + CommentOn("STATISTICS " + name, s.comment);
}

std::string CreateTextSearchDictionary(const TextSearchDictionary& d, const std::string& owner) {
  const std::string what = "TEXT SEARCH DICTIONARY " + QuoteName(d.name);
  std::string sql = fmt::format("CREATE {} (\n    TEMPLATE = {}", what, QuoteName(d.template_name));
  if (!d.options.empty()) sql += ",\n    " + d.options;
  sql += " );\n";
  if (!owner.empty()) sql += "ALTER " + what + " OWNER TO " + QuoteIdent(owner) + ";\n";
  return sql + CommentOn(what, d.comment);
}

std::string CreateTextSearchConfiguration(const TextSearchConfiguration& c,
                                          const std::string& owner) {
  const std::string what = "TEXT SEARCH CONFIGURATION " + QuoteName(c.name);
  std::string sql = fmt::format("CREATE {} (\n    PARSER = {} );\n", what, QuoteName(c.parser));
  for (const TextSearchMapping& m : c.mappings) {
    std::vector<std::string> dicts;
    for (const QualifiedName& d : m.dictionaries) dicts.push_back(QuoteName(d));
    sql += fmt::format("ALTER {}\n    ADD MAPPING FOR {} WITH {};\n", what, QuoteIdent(m.token),
                       fmt::join(dicts, ", "));
  }
  if (!owner.empty()) sql += "ALTER " + what + " OWNER TO " + QuoteIdent(owner) + ";\n";
  return sql + CommentOn(what, c.comment);
}

std::string ClusterOn(const QualifiedName& table, const std::string& index) {
  return fmt::format("ALTER TABLE ONLY {} CLUSTER ON {};\n", QuoteName(table), QuoteIdent(index));
}

std::string AttachIndex(const QualifiedName& parent, const QualifiedName& child) {
  return fmt::format("ALTER INDEX {} ATTACH PARTITION {};\n", QuoteName(parent), QuoteName(child));
}

std::string SequenceOwnedBy(const Sequence& seq) {
  if (!seq.owned_by_table) return "";
  return fmt::format("ALTER SEQUENCE {} OWNED BY {}.{};\n", QuoteName(seq.name),
                     QuoteName(*seq.owned_by_table), QuoteIdent(seq.owned_by_column));
}

std::string SetSequenceValue(const QualifiedName& seq, const SequenceState& state) {
  return fmt::format("SELECT pg_catalog.setval({}::pg_catalog.regclass, {}, {});\n",
                     QuoteLiteral(QuoteName(seq)), state.last_value,
                     state.is_called ? "true" : "false");
}

std::string SchemaOwner(const Schema& s) {
  return "ALTER SCHEMA " + QuoteIdent(s.name) + " OWNER TO " + QuoteIdent(s.owner) + ";\n";
}

std::string TypeOwner(const UserType& t) {
  return fmt::format("ALTER {} {} OWNER TO {};\n",
                     t.kind == UserType::Kind::kDomain ? "DOMAIN" : "TYPE", QuoteName(t.name),
                     QuoteIdent(t.owner));
}

std::string SequenceOwner(const Sequence& s) {
  return "ALTER SEQUENCE " + QuoteName(s.name) + " OWNER TO " + QuoteIdent(s.owner) + ";\n";
}

std::string TableOwner(const Table& t) {
  return "ALTER TABLE " + QuoteName(t.name) + " OWNER TO " + QuoteIdent(t.owner) + ";\n";
}

std::string CreateExtension(const Extension& ext) {
  std::string version = ext.version.empty() ? "" : " VERSION " + QuoteLiteral(ext.version);
  return fmt::format("CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}{};\n", QuoteIdent(ext.name),
                     QuoteIdent(ext.schema), version);
}

std::string NoFunctionBodyChecks() { return "SET LOCAL check_function_bodies = off;\n"; }

std::string CreateRoutine(const Routine& r) {
  if (r.kind == Routine::Kind::kAggregate) return CreateAggregate(r);
  std::string def = r.definition;
  if (def.rfind(kCreateOrReplace, 0) == 0) def = "CREATE " + def.substr(strlen(kCreateOrReplace));
  while (!def.empty() && (def.back() == '\n' || def.back() == ' ')) def.pop_back();
  return def + ";\n";
}

std::string RoutineComment(const Routine& r) {
  return CommentOn(std::string(RoutineKeyword(r)) + " " + RoutineSignature(r), r.comment);
}

std::string RoutineOwner(const Routine& r) {
  return fmt::format("ALTER {} {} OWNER TO {};\n", RoutineKeyword(r), RoutineSignature(r),
                     QuoteIdent(r.owner));
}

std::string CreateView(const View& v) {
  std::string using_am = v.access_method.empty() ? "" : " USING " + QuoteIdent(v.access_method);
  std::string sql = fmt::format("CREATE {} {}{}{} AS\n{}", ViewKeyword(v), QuoteName(v.name),
                                using_am, ViewWith(v), v.definition);
  sql += v.materialized ? "\n  WITH NO DATA;\n" : CheckOption(v) + ";\n";
  for (const ViewColumn& c : v.columns) {
    sql += ColumnSettings("ALTER MATERIALIZED VIEW " + QuoteName(v.name), c);
    if (c.default_expr.empty()) continue;
    sql += fmt::format("ALTER VIEW {} ALTER COLUMN {} SET DEFAULT {};\n", QuoteName(v.name),
                       QuoteIdent(c.name), c.default_expr);
  }
  return sql;
}

std::string ViewComments(const View& v) {
  std::string sql = CommentOn(std::string(ViewKeyword(v)) + " " + QuoteName(v.name), v.comment);
  for (const ViewColumn& c : v.columns) {
    sql += CommentOn("COLUMN " + QuoteName(v.name) + "." + QuoteIdent(c.name), c.comment);
  }
  return sql;
}

std::string RefreshMaterializedView(const View& v) {
  return "REFRESH MATERIALIZED VIEW " + QuoteName(v.name) + ";\n";
}

std::string DropSequence(const QualifiedName& q) { return "DROP SEQUENCE " + QuoteName(q) + ";\n"; }

std::string DropType(const UserType& t) {
  return fmt::format("DROP {} {};\n", t.kind == UserType::Kind::kDomain ? "DOMAIN" : "TYPE",
                     QuoteName(t.name));
}

std::string DropConstraint(const QualifiedName& table, const std::string& constraint) {
  return fmt::format("ALTER TABLE {} DROP CONSTRAINT {};\n", QuoteName(table),
                     QuoteIdent(constraint));
}

std::string DropIndex(const QualifiedName& index) {
  return "DROP INDEX " + QuoteName(index) + ";\n";
}

std::string DropRoutine(const Routine& r) {
  return fmt::format("DROP {} {};\n", RoutineKeyword(r), RoutineSignature(r));
}

std::string DropView(const View& v) {
  return fmt::format("DROP {} {};\n", ViewKeyword(v), QuoteName(v.name));
}

std::string ViewOwner(const View& v) {
  return fmt::format("ALTER {} {} OWNER TO {};\n", ViewKeyword(v), QuoteName(v.name),
                     QuoteIdent(v.owner));
}

std::string CreateTrigger(const Trigger& t) {
  if (t.clone) {
    std::string state = EnableState(t.relation, "TRIGGER", t.name, t.enabled);
    return state.empty() ? fmt::format("ALTER TABLE {} ENABLE TRIGGER {};\n", QuoteName(t.relation),
                                       QuoteIdent(t.name))
                         : state;
  }
  return t.definition + ";\n" + EnableState(t.relation, "TRIGGER", t.name, t.enabled) +
         CommentOn("TRIGGER " + QuoteIdent(t.name) + " ON " + QuoteName(t.relation), t.comment);
}

std::string CreateRule(const Rule& r) {
  return r.definition + ";\n" + EnableState(r.relation, "RULE", r.name, r.enabled) +
         CommentOn("RULE " + QuoteIdent(r.name) + " ON " + QuoteName(r.relation), r.comment);
}

namespace {

std::string CopyColumnList(const Table& table) {
  std::vector<std::string> cols;
  for (const Column& c : table.columns) {
    if (!c.generated()) cols.push_back(QuoteIdent(c.name));
  }
  return fmt::format("{}", fmt::join(cols, ", "));
}

}  // namespace

bool CanCopyBinary(const Table& table) {
  for (const Column& c : table.columns) {
    if (!c.generated() && !c.binary_safe) return false;
  }
  return true;
}

// " (a, b)": the columns COPY names; empty when the table has none to copy (no columns, or only
// generated ones). "COPY t () ..." is a syntax error, while a bare "COPY t" carries exactly those
// columns (never generated ones) and, for no column at all, one empty line per row: so a table
// without columns keeps its row count, as pg_dump does.
std::string CopyColumns(const Table& table) {
  std::string list = CopyColumnList(table);
  return list.empty() ? "" : " (" + list + ")";
}

std::string CopyOut(const Table& table, bool binary) {
  return fmt::format("COPY {}{} TO STDOUT{}", QuoteName(table.name), CopyColumns(table),
                     binary ? " WITH (FORMAT binary)" : "");
}

std::string CopyIn(const Table& table, bool binary, bool freeze) {
  std::vector<std::string> opts;
  if (binary) opts.push_back("FORMAT binary");
  if (freeze) opts.push_back("FREEZE");
  std::string with = opts.empty() ? "" : fmt::format(" WITH ({})", fmt::join(opts, ", "));
  return fmt::format("COPY {}{} FROM STDIN{}", QuoteName(table.name), CopyColumns(table), with);
}

}  // namespace tenantshift::pgddl
