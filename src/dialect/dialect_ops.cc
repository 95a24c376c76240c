#include "dialect/dialect_ops.h"

#include <libpq-fe.h>
#include <strings.h>

#include "ddl/quote.h"
#include "extract/extractor.h"
#include "extract/redshift/rs_data_facts.h"

namespace tenantshift {
namespace {

// Session settings that make text output identical on both sides and DDL fully qualified.
constexpr const char* kPostgresSessionSetup =
    "SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';"
    " SET extra_float_digits = 3; SET TimeZone = 'UTC'; SET standard_conforming_strings = on;"
    " SET bytea_output = 'hex'; SET search_path = ''; SET statement_timeout = 0;"
    " SET lock_timeout = 0; SET idle_in_transaction_session_timeout = 0;";

// Redshift has none of PostgreSQL's IntervalStyle, bytea_output or lock_timeout settings.
// extra_float_digits 2 (its maximum) "is especially useful for outputting float data that must be
// restored exactly" (D5; https://docs.aws.amazon.com/redshift/latest/dg/r_extra_float_digits.html):
// FLOAT8 prints 17 significant digits (DBL_DIG 15 + 2), enough to read back the same double.
constexpr const char* kRedshiftSessionSetup =
    "SET timezone TO 'UTC'; SET datestyle TO 'ISO, YMD'; SET extra_float_digits TO 2;"
    " SET statement_timeout TO 0;";

// "(lit1, lit2, ...)" of `names`, each quoted by `ops`. REQUIRES: names is not empty.
std::string LiteralList(const DialectOps& ops, const std::vector<std::string>& names) {
  std::string out = "(";
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + ops.QuoteLiteral(names[i]);
  return out + ")";
}

class PostgresOps final : public DialectOps {
 public:
  Dialect dialect() const override { return Dialect::kPostgres; }
  const char* Name() const override { return "PostgreSQL"; }
  Status SetUpSession(Session& session) const override {
    return session.Execute(kPostgresSessionSetup);
  }
  Status SetUpTargetSession(Session& session) const override {
    Status s = SetUpSession(session);
    return s.ok() ? session.Execute("SET maintenance_work_mem = '256MB';") : s;
  }
  bool HasExportedSnapshots() const override { return true; }
  std::string TruncateSql(const QualifiedName& table) const override {
    return "TRUNCATE ONLY " + QuoteName(table);
  }
  std::string DeleteAllSql(const QualifiedName& table) const override {
    return "DELETE FROM ONLY " + QuoteName(table);
  }
  bool NeedsStagedData() const override { return false; }
  std::string QuoteLiteral(std::string_view value) const override {
    return tenantshift::QuoteLiteral(value);
  }
  std::string RowCountSql(const QualifiedName& table) const override {
    return "SELECT pg_catalog.count(*) AS n, '' AS sum FROM ONLY " + QuoteName(table);
  }
  std::string ConnectionLimitSql(const std::string& role, int limit) const override {
    return "ALTER ROLE " + QuoteIdent(role) + " CONNECTION LIMIT " + std::to_string(limit) + ";";
  }
  std::string RoleSessionsFrom(const std::vector<std::string>& roles) const override {
    return " FROM pg_catalog.pg_stat_activity WHERE usename IN " + LiteralList(*this, roles) +
           " AND pid <> pg_catalog.pg_backend_pid()";
  }
  const char* SessionIdColumn() const override { return "pid"; }
  std::vector<std::string> SourceNotes() const override { return {}; }
  Result<std::vector<std::string>> MissingTargetPrivileges(
      Session& target, const ServerInfo&, const std::vector<std::string>& schemas,
      const std::vector<std::string>& owners) const override {
    return tenantshift::MissingTargetPrivileges(target, schemas, owners);
  }
  bool ListsApplicationName() const override { return true; }
  bool ShowsPasswordVerifiers() const override { return true; }
  Result<std::string> PasswordVerifier(Session& target, const std::string& password,
                                       const std::string& role) const override {
    return target.EncryptPassword(password, role);
  }
  Result<Catalog> Extract(Session& session, const ServerInfo& info,
                          const std::vector<std::string>& schemas) const override {
    return ExtractPostgres(session, info, schemas);
  }
  Status ReadSourceFacts(Session&, Catalog*) const override { return Status::Ok(); }

  const DdlRenderer& Renderer() const override { return RendererFor(Dialect::kPostgres); }
};

class RedshiftOps final : public DialectOps {
 public:
  explicit RedshiftOps(Dialect dialect) : dialect_(dialect) {}
  Dialect dialect() const override { return dialect_; }
  const char* Name() const override {
    return dialect_ == Dialect::kRedshiftServerless ? "Redshift Serverless" : "Redshift";
  }
  Status SetUpSession(Session& session) const override {
    return session.Execute(kRedshiftSessionSetup);
  }
  bool HasExportedSnapshots() const override { return false; }
  // Redshift: "TRUNCATE commits the transaction in which it is run"
  // (https://docs.aws.amazon.com/redshift/latest/dg/r_TRUNCATE.html): DELETE keeps the load
  // all-or-nothing.
  std::string TruncateSql(const QualifiedName& table) const override { return DeleteAllSql(table); }
  std::string DeleteAllSql(const QualifiedName& table) const override {
    return "DELETE FROM " + QuoteName(table);
  }
  bool NeedsStagedData() const override { return true; }
  std::string QuoteLiteral(std::string_view value) const override {
    return QuoteRedshiftLiteral(value);
  }
  std::string RowCountSql(const QualifiedName& table) const override {
    return "SELECT count(*) AS n, '' AS sum FROM " + QuoteName(table);
  }
  // ALTER USER ... CONNECTION LIMIT { limit | UNLIMITED }
  // (https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_USER.html; not enforced for
  // superusers, which cutover leaves out and names).
  std::string ConnectionLimitSql(const std::string& role, int limit) const override {
    return "ALTER USER " + QuoteIdent(role) + " CONNECTION LIMIT " +
           (limit < 0 ? std::string("UNLIMITED") : std::to_string(limit)) + ";";
  }
  // Provisioned: STV_SESSIONS lists the active sessions, `process` the id PG_TERMINATE_BACKEND
  // takes, `user_name` a character(50) (blank-padded) name
  // (https://docs.aws.amazon.com/redshift/latest/dg/r_STV_SESSIONS.html, whose example output
  // shows both; https://docs.aws.amazon.com/redshift/latest/dg/PG_TERMINATE_BACKEND.html).
  // Serverless has no STV tables; SYS_SESSION_HISTORY lists sessions with `status` 'active'
  // and `session_id`, but types `user_id` as char(50) "the identifier of the user" without an
  // example, so both the user's name and its usesysid are matched
  // (https://docs.aws.amazon.com/redshift/latest/dg/SYS_SESSION_HISTORY.html).
  std::string RoleSessionsFrom(const std::vector<std::string>& roles) const override {
    const std::string names = LiteralList(*this, roles);
    if (dialect_ == Dialect::kRedshift) {
      return " FROM stv_sessions WHERE rtrim(user_name) IN " + names +
             " AND process <> pg_backend_pid()";
    }
    return " FROM sys_session_history WHERE rtrim(status) = 'active' AND (rtrim(user_id) IN " +
           names +
           " OR rtrim(user_id) IN (SELECT usesysid::varchar FROM pg_user WHERE usename IN " +
           names + ")) AND session_id <> pg_backend_pid()";
  }
  const char* SessionIdColumn() const override {
    return dialect_ == Dialect::kRedshift ? "process" : "session_id";
  }
  std::vector<std::string> SourceNotes() const override {
    return {
        "Redshift has no exported snapshots: each table is read as of its own UNLOAD, not all "
        "at one instant; stop writes to the tenant during the migration for a consistent copy"};
  }
  // Creating users and groups and giving objects to other owners take a superuser there.
  Result<std::vector<std::string>> MissingTargetPrivileges(
      Session&, const ServerInfo& target, const std::vector<std::string>&,
      const std::vector<std::string>&) const override {
    if (target.superuser) return std::vector<std::string>{};
    return std::vector<std::string>{
        "superuser (" + target.current_user +
        " is not one; on Redshift creating users and groups and giving objects to other "
        "owners take a superuser)"};
  }
  // Redshift lists no application_name in pg_stat_activity: a killed load's transaction rolls
  // back when its connection drops.
  bool ListsApplicationName() const override { return false; }
  bool ShowsPasswordVerifiers() const override { return false; }
  Result<std::string> PasswordVerifier(Session&, const std::string& password,
                                       const std::string& role) const override {
    // Redshift stores 'md5' || md5(password || user name) (CREATE USER, PASSWORD 'md5...':
    // https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_USER.html), which is libpq's
    // MD5 verifier.
    char* md5 = PQencryptPassword(password.c_str(), role.c_str());
    if (md5 == nullptr)
      return Status::Internal("cannot compute an md5 password hash: out of memory");
    std::string out = md5;
    explicit_bzero(md5, out.size());
    PQfreemem(md5);
    return out;
  }
  Result<Catalog> Extract(Session& session, const ServerInfo& info,
                          const std::vector<std::string>& schemas) const override {
    return ExtractRedshift(session, info, schemas);
  }
  Status ReadSourceFacts(Session& source, Catalog* catalog) const override {
    return ReadRedshiftDataFacts(source, catalog);
  }

  const DdlRenderer& Renderer() const override { return RendererFor(dialect_); }

 private:
  Dialect dialect_;
};

}  // namespace

const DialectOps& OpsFor(Dialect dialect) {
  static const PostgresOps postgres;
  static const RedshiftOps provisioned(Dialect::kRedshift);
  static const RedshiftOps serverless(Dialect::kRedshiftServerless);
  switch (dialect) {
    case Dialect::kPostgres:
      return postgres;
    case Dialect::kRedshift:
      return provisioned;
    case Dialect::kRedshiftServerless:
      return serverless;
  }
  return postgres;
}

}  // namespace tenantshift
