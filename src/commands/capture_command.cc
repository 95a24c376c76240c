// tenantshift capture: runs the source side of `plan` through a RecordingSession and writes
// what every catalog query answered to one file (connect/capture.h).
#include <fmt/format.h>

#include <ostream>

#include "commands/migration.h"
#include "connect/capture.h"
#include "dialect/dialect_ops.h"
#include "extract/extractor.h"

namespace tenantshift {
namespace {

const char* DialectName(Dialect d) {
  switch (d) {
    case Dialect::kPostgres:
      return "postgres";
    case Dialect::kRedshift:
      return "redshift";
    case Dialect::kRedshiftServerless:
      return "redshift-serverless";
  }
  return "postgres";
}

// The catalog queries `plan` runs on its source, in its order, through `rec`.
Status RecordPlanQueries(RecordingSession& rec, const std::vector<std::string>& patterns,
                         Capture* capture) {
  Result<ServerInfo> server = DetectServer(rec);
  if (!server.ok()) return server.status();
  capture->dialect = DialectName(server->dialect);
  Status s = OpsFor(server->dialect).SetUpSession(rec);
  if (!s.ok()) return s;
  Result<std::vector<std::string>> schemas = ResolveSchemas(rec, *server, patterns, true);
  if (!schemas.ok()) return schemas.status();
  Result<std::vector<std::string>> missing = MissingSourcePrivileges(rec, *server, *schemas);
  if (!missing.ok()) return missing.status();
  Result<Catalog> catalog = ExtractCatalog(rec, *server, *schemas);
  if (!catalog.ok()) return catalog.status();
  s = OpsFor(server->dialect).ReadSourceFacts(rec, &*catalog);
  if (!s.ok()) return s;
  // --passwords copy-hash asks for the verifiers of the roles it creates; record which roles
  // have one (the recorder writes "********" for every verifier).
  if (server->can_read_passwords && OpsFor(server->dialect).ShowsPasswordVerifiers()) {
    std::vector<std::string> roles;
    for (const Role& r : catalog->roles) roles.push_back(r.name);
    Result<std::map<std::string, Secret>> v = ReadPasswordVerifiers(rec, roles);
    if (!v.ok()) return v.status();
  }
  return Status::Ok();
}

}  // namespace

int RunCapture(const CaptureOptions& o, std::ostream& out, std::ostream& err) {
  if (o.schemas.empty())
    return FailWith(kExitUsage, Status::InvalidArgument("no --schema given"), err);
  if (o.out.empty()) {
    return FailWith(kExitUsage, Status::InvalidArgument("no --out file given"), err);
  }
  if (CapturePath(o.source)) {
    return FailWith(kExitUsage, Status::InvalidArgument("--source is already a capture"), err);
  }
  Result<ConnSpec> spec = ResolveConnSpec(o.source);
  if (!spec.ok()) return FailWith(kExitUsage, spec.status().WithContext("--source"), err);
  Connector connect = o.connect ? o.connect : LibpqConnector();
  Result<std::unique_ptr<Session>> source = connect(*spec, "source");
  if (!source.ok()) return FailWith(kExitSource, source.status(), err);
  RecordingSession rec(**source);
  Capture capture;
  capture.tenantshift_version = TENANTSHIFT_VERSION;
  capture.source = rec.Describe();
  capture.server_version_num = rec.ServerVersion();
  capture.schemas = o.schemas;
  Status s = RecordPlanQueries(rec, o.schemas, &capture);
  if (!s.ok()) return FailWith(kExitSource, s, err);
  capture.queries = rec.recorded();
  s = WriteCapture(o.out, capture);
  if (!s.ok()) return FailWith(kExitUsage, s.WithContext("--out"), err);
  out << fmt::format("captured {} catalog queries of {} ({}) into {}\n", capture.queries.size(),
                     capture.source, capture.dialect, o.out);
  return kExitOk;
}

}  // namespace tenantshift
