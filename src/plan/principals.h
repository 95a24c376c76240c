// Principals: which roles belong to a tenant, and why. Pure (no I/O).
//
// Computed from the source catalog, never guessed from names:
//   direct   every role that owns a tenant object, holds or granted a privilege on one, has
//            or receives default privileges in a tenant schema, is named in a row-level
//            security policy of a tenant table, or matches --include-users;
//   members  every role that is, transitively, a member of a direct principal: it holds the
//            direct principal's privileges through that membership;
//   parents  every role a direct principal or member is, transitively, a member of, so the
//            tenant's memberships can be recreated.
// Roles matching --exclude-users, the role tenantshift connects as and system roles (pg_*;
// on Redshift also rdsdb and sys:*) never move, and the closure does not pass through them.
// Thread-safety: pure functions over value types.
#pragma once

#include <string>
#include <vector>

#include "model/catalog.h"

namespace tenantshift {

struct PrincipalOptions {
  std::vector<std::string> include;  // --include-users: glob patterns over role names
  std::vector<std::string> exclude;  // --exclude-users: glob patterns over role names
};

struct Principal {
  std::string name;
  // Why it was chosen (or, for a left-out role, why it does not move, then why the tenant refers
  // to it), first found first, at most kMaxReasons of them.
  std::vector<std::string> reasons;
  int more_reasons = 0;  // how many more reasons there were
  static constexpr int kMaxReasons = 3;

  // "owns table acme.t; member of readers (+2 more)".
  std::string Explain() const;
};

struct PrincipalSelection {
  std::vector<Principal> principals;  // the roles that move, sorted by name
  std::vector<Principal> left_out;    // roles the tenant refers to that never move, by name

  // The principal named `name`, or nullptr when that role does not move.
  const Principal* Find(const std::string& name) const;
};

// True for roles that exist on every server of `dialect` and never move.
bool IsSystemRole(const std::string& name, Dialect dialect);

PrincipalSelection SelectPrincipals(const Catalog& source, const PrincipalOptions& options);

}  // namespace tenantshift
