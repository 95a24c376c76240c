// DialectOps: everything tenantshift does differently on PostgreSQL and on Redshift, behind one
// interface chosen at run time from the detected dialect (OpsFor), the way leveldb picks
// env_posix or env_windows. Code above this layer asks the seam instead of branching on the
// dialect itself; what depends on the source/target *pair* (how validation compares, whether
// data needs --via) is in dialect/dialect_pair.h, built on these answers.
//
// One instance per dialect, stateless, shared by every thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ddl/ddl_renderer.h"
#include "model/catalog.h"
#include "pg/session.h"
#include "util/status.h"

namespace tenantshift {

class DialectOps {
 public:
  virtual ~DialectOps() = default;

  virtual Dialect dialect() const = 0;
  // "PostgreSQL", "Redshift" or "Redshift Serverless", for messages.
  virtual const char* Name() const = 0;

  // Session setup: settings every tenantshift session on this engine runs first, so both sides
  // print values the same way and nothing times out.
  virtual Status SetUpSession(Session& session) const = 0;
  // SetUpSession, plus what a session that builds the target's tables and indexes wants.
  virtual Status SetUpTargetSession(Session& session) const { return SetUpSession(session); }

  // Snapshots: whether a transaction can export a snapshot that other sessions import
  // (pg_export_snapshot). Without it each table is read as of its own statement.
  virtual bool HasExportedSnapshots() const = 0;

  // Data path: whether table data to or from this engine must be staged in files (S3), so a
  // migration needs --via.
  virtual bool NeedsStagedData() const = 0;

  // Statements that empty `table` inside a load transaction: the cheapest way for a table this
  // run created (PostgreSQL TRUNCATE; Redshift DELETE, since its TRUNCATE commits at once), and
  // the way for rows that must survive a rollback (DELETE). PostgreSQL's say ONLY, so a
  // parent's clear never reaches its children.
  virtual std::string TruncateSql(const QualifiedName& table) const = 0;
  virtual std::string DeleteAllSql(const QualifiedName& table) const = 0;

  // One string literal, quoted by this engine's rule: PostgreSQL with standard-conforming
  // strings doubles quotes only; Redshift also reads backslashes as escapes.
  virtual std::string QuoteLiteral(std::string_view value) const = 0;

  // SELECT answering n (the row count) and sum ('') for `table`, as validation reads it.
  virtual std::string RowCountSql(const QualifiedName& table) const = 0;

  // Plan notes: warnings every plan reading from this engine carries.
  virtual std::vector<std::string> SourceNotes() const = 0;

  // Preflight of a target: what its connected user (`info`) lacks to create the tenant
  // `schemas` and hand their objects to `owners`, one sentence each; empty when nothing is.
  virtual Result<std::vector<std::string>> MissingTargetPrivileges(
      Session& target, const ServerInfo& info, const std::vector<std::string>& schemas,
      const std::vector<std::string>& owners) const = 0;

  // Whether pg_stat_activity names each session's application_name, so sessions a killed run
  // left behind can be found and ended.
  virtual bool ListsApplicationName() const = 0;

  // Password verifiers: whether this engine shows stored password verifiers to a superuser, so
  // --passwords copy-hash can read them.
  virtual bool ShowsPasswordVerifiers() const = 0;
  // The verifier this engine stores for `password` of `role` (PostgreSQL: SCRAM-SHA-256 as the
  // target server computes it; Redshift: md5 of password and user name).
  virtual Result<std::string> PasswordVerifier(Session& target, const std::string& password,
                                               const std::string& role) const = 0;

  // Extractor: the tenant `schemas` and everything in them, as this engine's catalogs say.
  virtual Result<Catalog> Extract(Session& session, const ServerInfo& info,
                                  const std::vector<std::string>& schemas) const = 0;

  // Data facts a plan reading from this engine needs before it creates anything (Redshift:
  // identity high-water marks and SUPER value sizes, extract/redshift/rs_data_facts.h),
  // recorded on `catalog`'s columns; PostgreSQL needs none (its sequences carry their state).
  virtual Status ReadSourceFacts(Session& source, Catalog* catalog) const = 0;

  // Freezing a tenant (cutover --freeze-source): the statement that sets `role`'s connection
  // limit (-1: none), and the sessions of `roles` other than the caller's own, as the tail of a
  // SELECT (" FROM ... WHERE ...") whose session id column is SessionIdColumn().
  virtual std::string ConnectionLimitSql(const std::string& role, int limit) const = 0;
  virtual std::string RoleSessionsFrom(const std::vector<std::string>& roles) const = 0;
  virtual const char* SessionIdColumn() const = 0;

  // Renderer: the DDL generator for a target of this engine.
  virtual const DdlRenderer& Renderer() const = 0;
};

// The DialectOps of `dialect`. Never fails: every Dialect value has one.
const DialectOps& OpsFor(Dialect dialect);

}  // namespace tenantshift
