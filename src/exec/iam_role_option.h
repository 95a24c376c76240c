// The IAM role options of `migrate`:
//   --associate-iam-role ARN  attach ARN to the TARGET warehouse before anything moves (never
//                             to the source), and wait until it is in effect;
//   --iam-role ARN|default    the role UNLOAD and COPY name (StagingConfig::iam_role); "default"
//                             writes IAM_ROLE default (the warehouse's default role).
// Without --iam-role, the associated role is the one UNLOAD/COPY use.
// Thread-safety: stateless.
#pragma once

#include <iosfwd>
#include <string>

#include "exec/migration.h"
#include "pg/conn_spec.h"

namespace tenantshift {

// The role for StagingConfig::iam_role: --iam-role, else --associate-iam-role, else "".
std::string EffectiveIamRole(const MigrationOptions& options);

// CLI check of --iam-role: "" when `value` is "default" or comma-separated IAM role ARNs (role
// chaining), otherwise what is wrong.
std::string CheckIamRoleOption(const std::string& value);

// The host a ConnSpec connects to: its last "host", else the host inside a conninfo/URI
// argument, else PGHOST; "" when none (libpq's local socket).
std::string ConnSpecHost(const ConnSpec& spec);

// --associate-iam-role: resolves the target, associates the role with it and prints what
// happened. Returns kExitOk, kExitUsage (bad ARN, target not a Redshift endpoint name) or
// kExitTarget (AWS refused or the role did not come into effect).
int AssociateTargetIamRole(const MigrationOptions& options, std::ostream& out, std::ostream& err);

}  // namespace tenantshift
