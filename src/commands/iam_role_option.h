// `migrate --associate-iam-role ARN`: attach ARN to the TARGET warehouse before anything moves
// (never to the source) and wait until it is in effect. UNLOAD and COPY then use that role
// unless --iam-role (default "default": IAM_ROLE default) names an ARN of its own.
// Thread-safety: stateless.
#pragma once

#include <iosfwd>
#include <string>

#include "commands/migration.h"
#include "connect/conn_spec.h"

namespace tenantshift {

// The role for StagingConfig::iam_role: --iam-role when it names an ARN, else the
// --associate-iam-role ARN when given, else "default".
std::string EffectiveIamRole(const MigrationOptions& options);

// The host a ConnSpec connects to: its last "host", else the host inside a conninfo/URI
// argument, else PGHOST; "" when none (libpq's local socket).
std::string ConnSpecHost(const ConnSpec& spec);

// --associate-iam-role: resolves the target, associates the role with it and prints what
// happened. Returns kExitOk, kExitUsage (bad ARN, target not a Redshift endpoint name) or
// kExitTarget (AWS refused or the role did not come into effect).
int AssociateTargetIamRole(const MigrationOptions& options, std::ostream& out, std::ostream& err);

}  // namespace tenantshift
