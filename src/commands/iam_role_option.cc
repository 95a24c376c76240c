#include "commands/iam_role_option.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <ostream>

#include "aws/redshift_iam.h"

namespace tenantshift {
namespace {

std::string HostInConninfo(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (err != nullptr) PQfreemem(err);
  if (opts == nullptr) return "";
  std::string host;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (std::string(o->keyword) == "host" && o->val != nullptr) host = o->val;
  }
  PQconninfoFree(opts);
  return host;
}

}  // namespace

std::string EffectiveIamRole(const MigrationOptions& o) {
  bool unset = o.iam_role.empty() || o.iam_role == "default";
  return unset && !o.associate_iam_role.empty() ? o.associate_iam_role
                                                : (o.iam_role.empty() ? "default" : o.iam_role);
}

std::string ConnSpecHost(const ConnSpec& spec) {
  std::string host;
  for (size_t i = 0; i < spec.keywords.size(); ++i) {
    if (spec.keywords[i] == "host") host = spec.values[i];
    if (spec.keywords[i] == "dbname") {
      std::string inner = HostInConninfo(spec.values[i]);
      if (!inner.empty()) host = inner;
    }
  }
  const char* env = std::getenv("PGHOST");
  if (host.empty() && env != nullptr) host = env;
  return host.substr(0, host.find(','));  // the first of several hosts
}

int AssociateTargetIamRole(const MigrationOptions& o, std::ostream& out, std::ostream& err) {
  Result<ConnSpec> target = ResolveConnSpec(o.target);
  Status s = target.ok() ? Status::Ok() : target.status().WithContext("--target");
  bool changed = false;
  if (s.ok()) s = AssociateRoleWithTarget(ConnSpecHost(*target), o.associate_iam_role, &changed);
  if (!s.ok()) {
    PrintError(err, s.ToString());
    return s.code() == Status::Code::kInvalidArgument ? kExitUsage : kExitTarget;
  }
  out << "IAM role " << o.associate_iam_role
      << (changed ? " associated with the target" : " was already associated with the target")
      << "\n";
  return kExitOk;
}

}  // namespace tenantshift
