// Dialect detection and dispatch to the dialect's extractor.
#include "extract/extractor.h"

#include <fnmatch.h>

#include <cstdio>
#include <set>

#include "extract/redshift/rs_catalog_text.h"

namespace tenantshift {
namespace {

// "PostgreSQL 8.0.2 on i686-pc-linux-gnu, ..." -> 80002; 0 when the text has no version.
int VersionNumber(const std::string& version) {
  int major = 0, minor = 0, patch = 0;
  if (std::sscanf(version.c_str(), "PostgreSQL %d.%d.%d", &major, &minor, &patch) < 2) return 0;
  return major * 10000 + minor * 100 + patch;
}

// Provisioned or Serverless, from the endpoint's name or, failing that, from whether an STV
// view answers (Serverless refuses STL, STV and SVL views).
Result<Dialect> RedshiftKind(Session& session) {
  std::string host = DescribedHost(session.Describe());
  if (IsServerlessHost(host)) return Dialect::kRedshiftServerless;
  if (IsProvisionedHost(host)) return Dialect::kRedshift;
  Result<Rows> probe = RunEmbeddedQuery(session, "redshift/probe_provisioned.sql");
  if (probe.ok()) return Dialect::kRedshift;
  if (probe.status().retryable()) return probe.status();  // lost connection: not an answer
  return Dialect::kRedshiftServerless;
}

Result<ServerInfo> DetectRedshift(Session& session, const std::string& version) {
  Result<Rows> rows = RunEmbeddedQuery(session, "redshift/server.sql");
  if (!rows.ok()) return rows.status();
  if (rows->size() != 1) return Status::Server("redshift/server.sql returned no row");
  Result<Dialect> dialect = RedshiftKind(session);
  if (!dialect.ok()) return dialect.status();
  ServerInfo info;
  info.dialect = *dialect;
  info.version = version;
  info.version_num = VersionNumber(version);
  info.current_user = rows->Get(0, "current_user");
  info.database = rows->Get(0, "database");
  const std::string& super = rows->Get(0, "superuser");
  info.superuser = super == "t" || super == "true";
  info.can_read_passwords = false;  // Redshift shows password hashes to nobody
  return info;
}

}  // namespace

Result<Rows> RunEmbeddedQuery(Session& session, const std::string& file,
                              const std::vector<std::optional<std::string>>& params) {
  std::string_view sql = EmbeddedSql(file);
  if (sql.empty()) return Status::Internal("missing embedded query " + file);
  Result<Rows> rows = session.Query(std::string(sql), params);
  if (!rows.ok()) return rows.status().WithContext("catalog query " + file);
  return rows;
}

Result<ServerInfo> DetectServer(Session& session) {
  Result<Rows> rows = RunEmbeddedQuery(session, "common/version.sql");
  if (!rows.ok()) return rows.status();
  if (rows->size() != 1) return Status::Server("version() returned no row");
  std::string version = rows->Get(0, "version");
  if (version.find("Redshift") != std::string::npos) return DetectRedshift(session, version);
  return DetectPostgres(session, version);
}

Result<std::vector<std::string>> ResolveSchemas(Session& session,
                                                const std::vector<std::string>& patterns,
                                                bool require_match) {
  ServerInfo postgres;
  return ResolveSchemas(session, postgres, patterns, require_match);
}

Result<std::vector<std::string>> ResolveSchemas(Session& session, const ServerInfo& info,
                                                const std::vector<std::string>& patterns,
                                                bool require_match) {
  bool redshift = info.dialect != Dialect::kPostgres;
  Result<Rows> rows =
      RunEmbeddedQuery(session, redshift ? "redshift/schemas.sql" : "postgres/schemas.sql");
  if (!rows.ok()) return rows.status();
  std::set<std::string> out;
  for (const std::string& pattern : patterns) {
    bool matched = false;
    for (size_t r = 0; r < rows->size(); ++r) {
      const std::string& name = rows->Get(r, "name");
      if (redshift && rows->Get(r, "external") == "t") continue;  // Spectrum: not local DDL
      if (name == pattern || fnmatch(pattern.c_str(), name.c_str(), 0) == 0) {
        out.insert(name);
        matched = true;
      }
    }
    if (!matched && require_match) {
      return Status::InvalidArgument("schema \"" + pattern + "\" does not exist on the source");
    }
  }
  return std::vector<std::string>(out.begin(), out.end());
}

Result<std::vector<std::string>> MissingSourcePrivileges(Session& session, const ServerInfo& info,
                                                         const std::vector<std::string>& schemas) {
  if (info.dialect == Dialect::kPostgres) return MissingSourcePrivileges(session, schemas);
  if (info.superuser) return std::vector<std::string>{};
  return std::vector<std::string>{
      "superuser (" + info.current_user +
      " is not one; pg_user_info, svv_table_info and the privilege views show a regular user "
      "only part of the catalog, so the tenant would be read incompletely)"};
}

Result<Catalog> ExtractCatalog(Session& session, const std::vector<std::string>& schemas) {
  Result<ServerInfo> info = DetectServer(session);
  if (!info.ok()) return info.status();
  return ExtractCatalog(session, *info, schemas);
}

Result<Catalog> ExtractCatalog(Session& session, const ServerInfo& info,
                               const std::vector<std::string>& schemas) {
  if (info.dialect == Dialect::kPostgres) return ExtractPostgres(session, info, schemas);
  return ExtractRedshift(session, info, schemas);
}

}  // namespace tenantshift
