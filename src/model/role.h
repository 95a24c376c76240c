// Role: a principal (user, group or role) with its attributes, settings and comment, and
// RoleMembership: one role being a member of another. Value types.
//
// PostgreSQL has one kind of principal, the role. Redshift distinguishes users, groups and RBAC
// roles and adds SYSLOG ACCESS and SESSION TIMEOUT; the model carries those for its extractor.
// A role's password verifier is a secret and is not part of Role: it is read only when needed
// (ReadPasswordVerifiers) and travels as a Secret (PlanOptions::passwords).
#pragma once

#include <string>
#include <vector>

namespace tenantshift {

// ALTER ROLE ... [IN DATABASE ...] SET name TO value.
struct RoleSetting {
  // True: applies in the tenant's database only (IN DATABASE); false: in every database.
  bool in_database = false;
  std::string name;   // configuration parameter, e.g. "search_path", "app.tenant"
  std::string value;  // as the server stores it, e.g. `acme, "$user"`

  bool operator==(const RoleSetting&) const = default;
};

struct Role {
  enum class Kind {
    kRole,   // PostgreSQL role; Redshift RBAC role
    kUser,   // Redshift user
    kGroup,  // Redshift group
  };

  std::string name;
  Kind kind = Kind::kRole;
  bool superuser = false;
  bool inherit = true;
  bool create_role = false;
  bool create_db = false;
  bool can_login = false;
  bool replication = false;
  bool bypass_rls = false;
  int connection_limit = -1;  // -1: no limit
  std::string valid_until;    // timestamptz as text (UTC, ISO); empty: never expires
  std::string comment;        // empty when there is none
  // Role-wide settings first, then those for the tenant's database, each in server order.
  std::vector<RoleSetting> settings;
  // Redshift only.
  std::string syslog_access;  // "RESTRICTED" or "UNRESTRICTED"; empty elsewhere
  int session_timeout = 0;    // seconds; 0: none
  // Redshift RBAC roles: system privileges granted to the role ("CREATE USER", "ACCESS SYSTEM
  // TABLE", ...), sorted.
  std::vector<std::string> system_privileges;
  // Redshift users and RBAC roles: EXTERNALID, the identity provider's id; empty when none.
  std::string external_id;

  bool operator==(const Role&) const = default;
};

// GRANT role TO member [WITH ADMIN OPTION] [GRANTED BY grantor].
struct RoleMembership {
  std::string role;     // the group
  std::string member;   // the role that belongs to it
  std::string grantor;  // empty when unknown
  bool admin_option = false;
  // Redshift: a user in a group (kGroup, kUser), a role granted to a user (kRole, kUser) or to
  // another role (kRole, kRole). PostgreSQL: always kRole, kRole.
  Role::Kind role_kind = Role::Kind::kRole;
  Role::Kind member_kind = Role::Kind::kRole;

  bool operator==(const RoleMembership&) const = default;
};

}  // namespace tenantshift
