#include "plan/principals.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <deque>
#include <map>

namespace tenantshift {
namespace {

bool Matches(const std::vector<std::string>& patterns, const std::string& name,
             std::string* which) {
  for (const std::string& p : patterns) {
    if (p == name || fnmatch(p.c_str(), name.c_str(), 0) == 0) {
      *which = p;
      return true;
    }
  }
  return false;
}

void AddReason(Principal* p, std::string reason) {
  if (std::find(p->reasons.begin(), p->reasons.end(), reason) != p->reasons.end()) return;
  if (static_cast<int>(p->reasons.size()) < Principal::kMaxReasons) {
    p->reasons.push_back(std::move(reason));
  } else {
    ++p->more_reasons;
  }
}

class Selector {
 public:
  Selector(const Catalog& source, const PrincipalOptions& options)
      : src_(source), options_(options) {}

  PrincipalSelection Run();

 private:
  // Why `role` never moves; empty when it may.
  std::string WhyNot(const std::string& role) const;
  // Records that the tenant refers to `role` for `reason`; returns true when it newly became a
  // principal (and must be followed).
  bool Refer(const std::string& role, const std::string& reason);
  void AddDirect();
  void AddAclRoles(const std::string& what, const std::string& owner,
                   const std::vector<AclItem>& items);
  void FollowMembers();
  void FollowParents();

  const Catalog& src_;
  const PrincipalOptions& options_;
  std::map<std::string, Principal> in_, out_;
  std::deque<std::string> queue_;
};

std::string Selector::WhyNot(const std::string& role) const {
  std::string pattern;
  if (Matches(options_.exclude, role, &pattern)) return "--exclude-users " + pattern;
  if (role == src_.server.current_user) return "the role tenantshift connects as";
  if (IsSystemRole(role, src_.server.dialect)) return "a system role";
  if (src_.FindRole(role) == nullptr) return "not a role of the source";
  return "";
}

bool Selector::Refer(const std::string& role, const std::string& reason) {
  if (role.empty()) return false;  // PUBLIC
  if (std::string why = WhyNot(role); !why.empty()) {
    Principal& p = out_[role];
    p.name = role;
    if (p.reasons.empty()) p.reasons.push_back("does not move: " + why);
    AddReason(&p, reason);
    return false;
  }
  bool fresh = !in_.count(role);
  Principal& p = in_[role];
  p.name = role;
  AddReason(&p, reason);
  if (fresh) queue_.push_back(role);
  return fresh;
}

void Selector::AddAclRoles(const std::string& what, const std::string& owner,
                           const std::vector<AclItem>& items) {
  Refer(owner, "owns " + what);
  for (const AclItem& item : items) {
    Refer(item.grantee, "holds privileges on " + what);
    Refer(item.grantor, "granted privileges on " + what);
  }
}

void Selector::AddDirect() {
  for (const Schema& s : src_.schemas) Refer(s.owner, "owns schema " + s.name);
  for (const UserType& t : src_.types) Refer(t.owner, "owns type " + t.name.Display());
  for (const Sequence& s : src_.sequences) Refer(s.owner, "owns sequence " + s.name.Display());
  for (const Table& t : src_.tables) {
    Refer(t.owner, "owns table " + t.name.Display());
    for (const Policy& p : t.policies) {
      for (const std::string& r : p.roles) {
        Refer(r, "named in policy " + p.name + " on " + t.name.Display());
      }
    }
  }
  for (const Routine& r : src_.routines) {
    Refer(r.owner, "owns routine " + r.name.Display() + "(" + r.identity_args + ")");
  }
  for (const View& v : src_.views) {
    Refer(v.owner, std::string(v.materialized ? "owns materialized view " : "owns view ") +
                       v.name.Display());
  }
  for (const ObjectAcl& acl : src_.acls) AddAclRoles(acl.object.Display(), acl.owner, acl.items);
  for (const DefaultAcl& d : src_.default_acls) {
    Refer(d.role, "has default privileges in schema " + d.schema);
    for (const AclItem& item : d.items) {
      Refer(item.grantee, "receives default privileges in schema " + d.schema);
    }
  }
  for (const Role& r : src_.roles) {
    std::string pattern;
    if (Matches(options_.include, r.name, &pattern)) Refer(r.name, "--include-users " + pattern);
  }
}

void Selector::FollowMembers() {
  while (!queue_.empty()) {
    std::string role = queue_.front();
    queue_.pop_front();
    for (const RoleMembership& m : src_.memberships) {
      if (m.role == role) Refer(m.member, "member of " + role);
    }
  }
}

void Selector::FollowParents() {
  for (const auto& [name, p] : in_) queue_.push_back(name);
  while (!queue_.empty()) {
    std::string member = queue_.front();
    queue_.pop_front();
    for (const RoleMembership& m : src_.memberships) {
      if (m.member == member) Refer(m.role, "has member " + member);
    }
  }
}

PrincipalSelection Selector::Run() {
  AddDirect();
  FollowMembers();
  FollowParents();
  PrincipalSelection out;
  for (auto& [name, p] : in_) out.principals.push_back(std::move(p));
  for (auto& [name, p] : out_) out.left_out.push_back(std::move(p));
  return out;
}

}  // namespace

std::string Principal::Explain() const {
  std::string out = fmt::format("{}", fmt::join(reasons, "; "));
  if (more_reasons > 0) out += fmt::format(" (+{} more)", more_reasons);
  return out;
}

const Principal* PrincipalSelection::Find(const std::string& name) const {
  auto it = std::lower_bound(principals.begin(), principals.end(), name,
                             [](const Principal& p, const std::string& n) { return p.name < n; });
  return it != principals.end() && it->name == name ? &*it : nullptr;
}

bool IsSystemRole(const std::string& name, Dialect dialect) {
  if (name.rfind("pg_", 0) == 0) return true;
  if (dialect == Dialect::kPostgres) return false;
  return name == "rdsdb" || name.rfind("sys:", 0) == 0;
}

PrincipalSelection SelectPrincipals(const Catalog& source, const PrincipalOptions& options) {
  return Selector(source, options).Run();
}

}  // namespace tenantshift
