// Extraction: reads one side's tenant into a Catalog through a Session.
//
// Issues a fixed number of catalog queries (one per object kind), independent of how many
// objects exist. Run it inside the migration's snapshot transaction so the catalog and the data
// describe the same instant. Thread-safety: uses the given Session only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/catalog.h"
#include "pg/session.h"
#include "util/secret.h"

namespace tenantshift {

// Text of an embedded catalog query, e.g. "postgres/tables.sql"; empty when unknown.
std::string_view EmbeddedSql(std::string_view name);

// The rows of the embedded catalog query `file` ("postgres/tables.sql"); errors name the file.
Result<Rows> RunEmbeddedQuery(Session& session, const std::string& file,
                              const std::vector<std::optional<std::string>>& params = {});

// Reads version(), current_user and the database, and detects the dialect: Redshift when
// version() says so; then Serverless when the endpoint host is *.redshift-serverless.amazonaws.com,
// provisioned when it is *.redshift.amazonaws.com, and otherwise (a proxy, tunnel or custom
// name) by probing an STV view, which Serverless refuses. REQUIRES for that probe: not inside a
// transaction block (a refused query aborts it); connect by the AWS endpoint name to avoid it.
Result<ServerInfo> DetectServer(Session& session);

// The PostgreSQL part of DetectServer, once version() (`version`) says PostgreSQL.
Result<ServerInfo> DetectPostgres(Session& session, const std::string& version);

// DetectServer, then the extractor of the detected dialect.
Result<Catalog> ExtractCatalog(Session& session, const std::vector<std::string>& schemas);
// The same when DetectServer has already run on this session.
Result<Catalog> ExtractCatalog(Session& session, const ServerInfo& info,
                               const std::vector<std::string>& schemas);

// Expands the user's schema arguments (exact names or globs with * ? [...]) against the
// schemas that exist. With `require_match`, a name or pattern that matches nothing is an
// InvalidArgument error naming it. Returns sorted, de-duplicated names.
Result<std::vector<std::string>> ResolveSchemas(Session& session,
                                                const std::vector<std::string>& patterns,
                                                bool require_match);
// The same on the dialect `info` names (DetectServer); on Redshift, external (Spectrum)
// schemas never match.
Result<std::vector<std::string>> ResolveSchemas(Session& session, const ServerInfo& info,
                                                const std::vector<std::string>& patterns,
                                                bool require_match);

// Preflight: the privileges the connected role lacks for a migration of `schemas`, one
// sentence each ("SELECT on acme.orders"); empty when nothing is missing. On the target,
// `owners` are the roles that will own tenant objects.
Result<std::vector<std::string>> MissingSourcePrivileges(Session& session,
                                                         const std::vector<std::string>& schemas);
// The same on the dialect `info` names. On Redshift the source must be a superuser (several
// catalog views show others only their own rows); nothing else is checked there.
Result<std::vector<std::string>> MissingSourcePrivileges(Session& session, const ServerInfo& info,
                                                         const std::vector<std::string>& schemas);
Result<std::vector<std::string>> MissingTargetPrivileges(Session& session,
                                                         const std::vector<std::string>& schemas,
                                                         const std::vector<std::string>& owners);

// Preflight on a PostgreSQL target: those of `wanted` (a source's Catalog::external_objects)
// that this server lacks, in the same form; empty when it has them all or `wanted` is empty.
Result<std::vector<ExternalObject>> MissingExternalObjects(
    Session& session, const std::vector<ExternalObject>& wanted);

// Extracts the named schemas (those of them that exist) and everything in them, plus every
// role and role membership of the server (password verifiers excepted).
Result<Catalog> ExtractPostgres(Session& session, const std::vector<std::string>& schemas);
Result<Catalog> ExtractPostgres(Session& session, const ServerInfo& info,
                                const std::vector<std::string>& schemas);

// Extracts a Redshift (provisioned or Serverless: `info.dialect` picks the system views) tenant:
// the named schemas and everything in them, every user, group and RBAC role with their
// memberships and system privileges, privileges of users, groups, roles and PUBLIC, and
// default privileges of the schemas and the database-wide ones of the tenant's principals.
// System users (rdsdb, IAM:*), ds:* roles, system schemas and materialized-view backing tables
// (mv_tbl__*) are left out; sys:* roles are kept (never created, but memberships in them
// move). External schemas, RLS and masking policies, scoped and ASSUMEROLE grants, LANGUAGE
// privileges, datashares and ML models are recorded in Catalog::unmoved (manual steps). Runs
// a fixed number of plain catalog queries
// (redshift/*.sql) and filters the tenant in C++. REQUIRES: a superuser session (several
// catalog views show only one's own rows otherwise).
Result<Catalog> ExtractRedshift(Session& session, const ServerInfo& info,
                                const std::vector<std::string>& schemas);

// The stored password verifier (md5 or SCRAM) of each named role that has one; roles without a
// password are absent. REQUIRES: ServerInfo::can_read_passwords (else the query fails, which
// aborts the session's transaction). The values are secrets: never log them.
Result<std::map<std::string, Secret>> ReadPasswordVerifiers(Session& session,
                                                            const std::vector<std::string>& roles);

}  // namespace tenantshift
