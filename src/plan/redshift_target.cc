#include "plan/redshift_target.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "ddl/ddl_renderer.h"
#include "ddl/redshift/redshift_ddl.h"

namespace tenantshift {
namespace {

bool IsPython(const Routine& r) {
  std::string lower = r.language;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  return lower.rfind("plpython", 0) == 0;
}

ObjectRef RoutineObject(const Routine& r) {
  return {r.kind == Routine::Kind::kProcedure ? ObjectKind::kProcedure : ObjectKind::kFunction,
          r.name, r.identity_args, ""};
}

std::string RoutineDisplay(const Routine& r) {
  return fmt::format("{} {}({})", r.kind == Routine::Kind::kProcedure ? "procedure" : "function",
                     r.name.Display(), r.identity_args);
}

// Python UDFs leave the catalog (with their privileges) and become manual steps.
void MovePythonToManual(const DdlRenderer& ddl, RedshiftAdaptation* a) {
  std::vector<Routine>& routines = a->source.routines;
  for (const Routine& r : routines) {
    if (!IsPython(r)) continue;
    ObjectRef object = RoutineObject(r);
    std::string sql = ddl.CreateRoutine(r);
    if (!r.owner.empty()) sql += ddl.RoutineOwner(r);
    for (const ObjectAcl& acl : a->source.acls) {
      if (acl.object != object) continue;
      for (const AclItem& item : acl.items) sql += ddl.Grant(object, item);
    }
    a->manual_steps.push_back(
        {"create " + RoutineDisplay(r),
         "Redshift no longer creates Python UDFs (language " + r.language +
             "); rewrite it in SQL or as a Lambda UDF, or create it where Python UDFs are still "
             "accepted",
         sql});
    std::erase_if(a->source.acls, [&](const ObjectAcl& acl) { return acl.object == object; });
  }
  std::erase_if(routines, IsPython);
}

void MakeCompound(const std::string& what, const char* where, SortKey* key,
                  std::vector<std::string>* warnings) {
  if (key->style != SortKey::Style::kInterleaved) return;
  key->style = SortKey::Style::kCompound;
  warnings->push_back(fmt::format(
      "{} has an INTERLEAVED sort key ({}); it is created with a COMPOUND sort key on the same "
      "columns, because {}",
      what, fmt::join(key->columns, ", "), where));
}

void ConvertSortKeys(bool serverless, RedshiftAdaptation* a) {
  if (serverless) {
    for (Table& t : a->source.tables) {
      MakeCompound("table " + t.name.Display(),
                   "Redshift Serverless keeps no interleaved sort keys", &t.sort_key, &a->warnings);
    }
  }
  for (View& v : a->source.views) {
    if (!v.materialized) continue;
    MakeCompound("materialized view " + v.name.Display(),
                 "a materialized view accepts only a compound sort key", &v.sort_key, &a->warnings);
  }
}

void DropComment(const std::string& what, std::string* comment,
                 std::vector<std::string>* warnings) {
  if (comment->empty()) return;
  comment->clear();
  warnings->push_back("the comment on " + what +
                      " is not carried: Redshift's COMMENT ON has no such object");
}

void DropUnsupportedComments(RedshiftAdaptation* a) {
  for (Schema& s : a->source.schemas) DropComment("schema " + s.name, &s.comment, &a->warnings);
  for (Routine& r : a->source.routines) DropComment(RoutineDisplay(r), &r.comment, &a->warnings);
}

void CheckSystemPrivileges(RedshiftAdaptation* a) {
  for (Role& r : a->source.roles) {
    std::vector<std::string> unknown;
    for (const std::string& p : r.system_privileges) {
      if (!IsRedshiftSystemPrivilege(p)) unknown.push_back(p);
    }
    std::erase_if(r.system_privileges,
                  [](const std::string& p) { return !IsRedshiftSystemPrivilege(p); });
    if (unknown.empty()) continue;
    a->warnings.push_back(fmt::format(
        "role {} holds system privilege(s) this version does not know ({}); grant them by hand",
        r.name, fmt::join(unknown, ", ")));
  }
}

// Redshift takes WITH GRANT OPTION for users only.
void CheckGrantOptions(RedshiftAdaptation* a) {
  for (ObjectAcl& acl : a->source.acls) {
    for (AclItem& item : acl.items) {
      if (!item.grantee.empty() && item.grantee_kind == GranteeKind::kPlain) continue;
      bool had = false;
      for (Privilege& p : item.privileges) had = std::exchange(p.grantable, false) || had;
      if (!had) continue;
      a->warnings.push_back(fmt::format(
          "privileges of {} on {} are granted without their GRANT OPTION: Redshift gives it to "
          "users only",
          item.grantee.empty() ? "PUBLIC" : item.grantee, acl.object.Display()));
    }
  }
}

}  // namespace

RedshiftAdaptation AdaptForRedshift(const Catalog& source, const ServerInfo& target) {
  RedshiftAdaptation a{source, {}, {}};
  const DdlRenderer& ddl = RendererFor(target.dialect);
  MovePythonToManual(ddl, &a);
  ConvertSortKeys(target.dialect == Dialect::kRedshiftServerless, &a);
  DropUnsupportedComments(&a);
  CheckSystemPrivileges(&a);
  CheckGrantOptions(&a);
  return a;
}

}  // namespace tenantshift
