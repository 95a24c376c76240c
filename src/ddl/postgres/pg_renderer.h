// PostgreSQL DDL rendered from the catalog model.
//
// Every function is pure: model values in, SQL text out. Identifiers and literals go through
// QuoteIdent/QuoteLiteral only; SQL fragments in the model (defaults, constraint and index
// definitions) come from the source server's own deparser and are emitted as they are.
// Each statement ends with ";". Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "model/catalog.h"

namespace tenantshift::pgddl {

// "FUNCTION", "PROCEDURE" or "AGGREGATE": the keyword of CREATE/ALTER/COMMENT for a routine.
const char* RoutineKeyword(const Routine& r);

std::string CreateSchema(const Schema& schema);
std::string CreateType(const UserType& type);
std::string CreateSequence(const Sequence& seq);
// CREATE TABLE with columns, identity, generated columns, collations and valid local CHECK
// constraints; partitions are created with PARTITION OF their parent.
std::string CreateTable(const Table& table);
// COMMENT ON statements for the object and its parts; empty when nothing is commented.
std::string SchemaComment(const Schema& schema);
std::string TypeComment(const UserType& type);
std::string SequenceComment(const Sequence& seq);
std::string TableComments(const Table& table);
std::string IndexComment(const QualifiedName& table, const Index& index);
std::string ConstraintComment(const QualifiedName& table, const Constraint& c);

// True when a constraint is created after the data (everything but valid local CHECKs).
bool IsPostDataConstraint(const Constraint& c);
std::string AddConstraint(const Table& table, const Constraint& c);
std::string CreateIndex(const Index& index);
// ALTER INDEX ... ALTER COLUMN n SET STATISTICS v for each of the index's column targets (the
// index is in `table`'s schema); empty when it has none.
std::string IndexStatistics(const QualifiedName& table, const Index& index);
// ALTER INDEX parent ATTACH PARTITION child.
std::string AttachIndex(const QualifiedName& parent, const QualifiedName& child);
std::string ClusterOn(const QualifiedName& table, const std::string& index);
// CREATE STATISTICS as the server printed it, its SET STATISTICS target, `owner` (the target's
// role; empty: left to the connected role) and comment.
std::string CreateStatistics(const ExtendedStatistics& s, const std::string& owner);
// CREATE TEXT SEARCH DICTIONARY / CONFIGURATION (the latter with ALTER ... ADD MAPPING for
// each token type), as pg_dump writes them, with `owner` (empty: left to the connected role)
// and comment.
std::string CreateTextSearchDictionary(const TextSearchDictionary& d, const std::string& owner);
std::string CreateTextSearchConfiguration(const TextSearchConfiguration& c,
                                          const std::string& owner);

std::string SequenceOwnedBy(const Sequence& seq);
std::string SetSequenceValue(const QualifiedName& seq, const SequenceState& state);

// ALTER ... OWNER TO for each kind.
std::string SchemaOwner(const Schema& schema);
std::string TypeOwner(const UserType& type);
std::string SequenceOwner(const Sequence& seq);
std::string TableOwner(const Table& table);

// CREATE EXTENSION IF NOT EXISTS ... WITH SCHEMA (the source's schema) [VERSION v].
std::string CreateExtension(const Extension& ext);

// Starts a step's transaction so routine bodies are not validated at creation, as pg_dump does:
// bodies may call routines and read relations that are created later.
std::string NoFunctionBodyChecks();
// Functions and procedures: the source's definition with CREATE instead of CREATE OR REPLACE
// (so one in the way is an error, never replaced). Aggregates: CREATE AGGREGATE with every
// option that differs from its default.
std::string CreateRoutine(const Routine& routine);
std::string RoutineComment(const Routine& routine);
std::string RoutineOwner(const Routine& routine);

// CREATE VIEW ... WITH (options) AS ... [WITH LOCAL|CASCADED CHECK OPTION] and its column
// defaults; for a materialized view CREATE MATERIALIZED VIEW ... WITH NO DATA (populated later
// with RefreshMaterializedView).
std::string CreateView(const View& view);
// COMMENT ON the view and its columns; empty when nothing is commented.
std::string ViewComments(const View& view);
std::string RefreshMaterializedView(const View& view);
std::string ViewOwner(const View& view);

// DROP statements for --on-existing replace. None cascades: an object that others depend on
// fails to drop, with the server naming the dependents, instead of taking them along.
std::string DropSequence(const QualifiedName& seq);
std::string DropType(const UserType& type);
std::string DropConstraint(const QualifiedName& table, const std::string& constraint);
std::string DropIndex(const QualifiedName& index);
std::string DropRoutine(const Routine& routine);
std::string DropView(const View& view);

// CREATE TRIGGER / CREATE RULE, then ALTER TABLE ... DISABLE or ENABLE REPLICA|ALWAYS unless it
// is simply enabled, then its comment.
std::string CreateTrigger(const Trigger& trigger);
std::string CreateRule(const Rule& rule);

// The column list COPY uses, " (a, b)": every column except generated ones, quoted; empty when
// there is none (a bare "COPY t" then carries one empty line per row; "COPY t ()" is an error).
std::string CopyColumns(const Table& table);
// True when every copied column can travel as COPY BINARY.
bool CanCopyBinary(const Table& table);
std::string CopyOut(const Table& table, bool binary);
// COPY ... FROM STDIN; `freeze` when the table was created or truncated in this transaction.
std::string CopyIn(const Table& table, bool binary, bool freeze);

}  // namespace tenantshift::pgddl
