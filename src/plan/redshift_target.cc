#include "plan/redshift_target.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "ddl/ddl_renderer.h"
#include "ddl/redshift/redshift_ddl.h"

namespace tenantshift {
namespace {

std::string LowerLanguage(const Routine& r) {
  std::string lower = r.language;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  return lower;
}

bool IsPython(const Routine& r) { return LowerLanguage(r).rfind("plpython", 0) == 0; }

// Languages whose routines CREATE FUNCTION / CREATE PROCEDURE can write: sql, plpythonu
// (r_CREATE_FUNCTION.html) and plpgsql (r_CREATE_PROCEDURE.html). Anything else on a Redshift
// source is a Lambda UDF (CREATE EXTERNAL FUNCTION ... LAMBDA ... IAM_ROLE,
// r_CREATE_EXTERNAL_FUNCTION.html), whose LAMBDA and IAM_ROLE no documented catalog column
// holds (a language named exfunc appears in the SVV_LANGUAGE_PRIVILEGES sample).
bool IsExternal(const Routine& r) {
  std::string lower = LowerLanguage(r);
  return !lower.empty() && lower != "sql" && lower != "plpgsql" && !IsPython(r);
}

ObjectRef RoutineObject(const Routine& r) {
  return {r.kind == Routine::Kind::kProcedure ? ObjectKind::kProcedure : ObjectKind::kFunction,
          r.name, r.identity_args, ""};
}

std::string RoutineDisplay(const Routine& r) {
  return fmt::format("{} {}({})", r.kind == Routine::Kind::kProcedure ? "procedure" : "function",
                     r.name.Display(), r.identity_args);
}

// Lambda UDFs leave the catalog (with their privileges) and become manual steps.
void MoveExternalToManual(RedshiftAdaptation* a) {
  for (const Routine& r : a->source.routines) {
    if (!IsExternal(r)) continue;
    a->manual_steps.push_back(
        {"create " + RoutineDisplay(r),
         "its language (" + r.language +
             ") is not one CREATE FUNCTION writes: a Lambda UDF; recreate it with CREATE "
             "EXTERNAL FUNCTION ... LAMBDA ... IAM_ROLE and grant EXECUTE again "
             "(https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_EXTERNAL_FUNCTION.html)",
         ""});
    ObjectRef object = RoutineObject(r);
    std::erase_if(a->source.acls, [&](const ObjectAcl& acl) { return acl.object == object; });
  }
  std::erase_if(a->source.routines, IsExternal);
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

// COMMENT ON's syntax block names TABLE, COLUMN, CONSTRAINT, DATABASE and VIEW only; its
// parameter list also names SCHEMA, which no example shows and no live run has confirmed
// (https://docs.aws.amazon.com/redshift/latest/dg/r_COMMENT.html). Functions, procedures and
// users are in neither.
void DropComment(const std::string& what, std::string* comment,
                 std::vector<std::string>* warnings) {
  if (comment->empty()) return;
  comment->clear();
  warnings->push_back("the comment on " + what +
                      " is not carried: Redshift's COMMENT ON syntax has no such object");
}

void DropUnsupportedComments(RedshiftAdaptation* a) {
  for (Schema& s : a->source.schemas) DropComment("schema " + s.name, &s.comment, &a->warnings);
  for (Routine& r : a->source.routines) DropComment(RoutineDisplay(r), &r.comment, &a->warnings);
}

void CheckSystemPrivileges(RedshiftAdaptation* a) {
  for (Role& r : a->source.roles) {
    if (r.name.rfind("sys:", 0) == 0) continue;  // system-defined: never created
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

// ALTER DEFAULT PRIVILEGES takes fewer privileges than the ACL letters can hold (no ALTER on
// TABLES, only EXECUTE on FUNCTIONS and PROCEDURES): r_ALTER_DEFAULT_PRIVILEGES.html.
void CheckDefaultPrivileges(RedshiftAdaptation* a) {
  for (DefaultAcl& rule : a->source.default_acls) {
    for (AclItem& item : rule.items) {
      std::vector<std::string> dropped;
      for (const Privilege& p : item.privileges) {
        bool ungrantable = p.name == "RULE" || p.name == "TRIGGER";  // r_GRANT: not supported
        if (!ungrantable && !IsRedshiftDefaultPrivilege(rule.on, p.name)) dropped.push_back(p.name);
      }
      if (dropped.empty()) continue;
      a->warnings.push_back(fmt::format(
          "default privileges of {}{} for {}: {} cannot be granted by ALTER DEFAULT PRIVILEGES on "
          "Redshift and are left out",
          rule.role, rule.schema.empty() ? "" : " in schema " + rule.schema,
          item.grantee.empty() ? "PUBLIC" : item.grantee, fmt::join(dropped, ", ")));
    }
  }
}

// SET clauses and NONATOMIC of a Redshift source's procedures are in no documented catalog
// column (PG_PROC_INFO adds only prooid, prokind, proargmodes, proallargtypes to PostgreSQL 8.0's
// PG_PROC: https://docs.aws.amazon.com/redshift/latest/dg/r_PG_PROC_INFO.html), so they are not
// read; say so once.
void WarnProcedureClauses(const Catalog& source, RedshiftAdaptation* a) {
  if (!IsRedshift(source.server.dialect)) return;
  std::vector<std::string> names;
  for (const Routine& r : source.routines) {
    if (r.kind == Routine::Kind::kProcedure) names.push_back(r.name.Display());
  }
  if (names.empty()) return;
  a->warnings.push_back(fmt::format(
      "procedures {} are created without NONATOMIC or SET clauses: no documented Redshift "
      "catalog column holds them; compare SHOW PROCEDURE on both sides",
      fmt::join(names, ", ")));
}

// For ContinueIdentities: `c` takes the seed of the same identity column of `existing` (the
// target's table); true when there is one. Warns when the source's values reach that seed.
bool KeepTargetSeed(const Table& t, const Table& existing, Column* c,
                    std::vector<std::string>* warnings) {
  auto same = std::find_if(existing.columns.begin(), existing.columns.end(), [&](const Column& e) {
    return e.name == c->name && e.identity != '\0';
  });
  if (same == existing.columns.end()) return false;
  SequenceOptions& o = c->identity_options;
  o.start = same->identity_options.start;
  int64_t last = c->identity_state.last_value;
  bool reached = o.increment >= 0 ? last >= o.start : last <= o.start;
  if (reached) {
    warnings->push_back(fmt::format(
        "identity column {}.{}: the target's table already exists with seed {}, and the source "
        "reached {}: rows inserted on the target without a value may repeat copied ones "
        "(Redshift cannot reseed an identity; --on-existing replace does not recreate a table for "
        "its seed alone)",
        t.name.Display(), c->name, o.start, last));
  }
  return true;
}

// D10: a table this plan creates continues its identity where the source ended. COPY keeps
// the source's values (EXPLICIT_IDS) but "doesn't update the identity high watermark"
// (https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html), and
// only CREATE TABLE sets a seed (IDENTITY(seed, step):
// https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_NEW.html), so the seed moves
// past the source's high-water mark before the table exists, as aws-samples/redshift-migrate-db
// does (02_migrate_ddl.sh @ 9f40a3b: seed from SELECT MAX(col) on the source).
//
// A table already on the target keeps the seed it was created with (its CREATE is compared
// with the target's, and a rerun after more rows on the source must not turn it into a
// conflict); when copied values reach that seed, a warning says new rows may repeat them.
void ContinueIdentities(const Catalog* target, RedshiftAdaptation* a) {
  for (Table& t : a->source.tables) {
    const Table* existing = target ? target->FindTable(t.name) : nullptr;
    for (Column& c : t.columns) {
      if (c.identity == '\0' || !c.identity_state.is_called) continue;
      if (existing != nullptr && KeepTargetSeed(t, *existing, &c, &a->warnings)) continue;
      SequenceOptions& o = c.identity_options;
      std::optional<int64_t> seed = ContinuedIdentitySeed(c);
      std::string column = t.name.Display() + "." + c.name;
      if (!seed) {
        a->warnings.push_back(fmt::format(
            "identity column {}: the source reached {}, and one more step of {} leaves BIGINT; "
            "the table is created with its own seed {}, so new rows on the target may repeat "
            "copied values",
            column, c.identity_state.last_value, o.increment, o.start));
        continue;
      }
      if (*seed == o.start) continue;
      a->warnings.push_back(fmt::format(
          "identity column {}: created with IDENTITY({}, {}) instead of the source's seed {}, "
          "because the source's {} value is {} (read before planning) and COPY does not move an "
          "identity's next value; new rows on the target continue after the copied ones",
          column, *seed, o.increment, o.start, o.increment < 0 ? "lowest" : "highest",
          c.identity_state.last_value));
      o.start = *seed;
    }
  }
}

// R8: COPY reads no input row over 4 MB
// (https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-source.html; for JSON
// "The maximum size of a JSON object in Amazon Redshift is 4 MB":
// https://docs.aws.amazon.com/redshift/latest/dg/copy_json.html), and a SUPER value is staged
// as its JSON text. A value whose JSON_SIZE alone is over the limit cannot load: refused before
// any change. Over half of it may still fail, since CSV doubles every '"' of the JSON text: a
// warning.
void CheckSuperSizes(RedshiftAdaptation* a) {
  for (const Table& t : a->source.tables) {
    for (const Column& c : t.columns) {
      int64_t bytes = c.largest_json_bytes;
      if (bytes > kCopyMaxRowBytes) {
        a->errors.push_back(fmt::format(
            "table {} column {} holds a SUPER value of {} bytes (JSON_SIZE on the source), over "
            "the {} bytes (4 MB) COPY reads in one row: Redshift cannot load it from S3. Leave the "
            "table out, or split or shrink those values on the source first",
            t.name.Display(), c.name, bytes, kCopyMaxRowBytes));
      } else if (bytes > kCopyMaxRowBytes / 2) {
        a->warnings.push_back(fmt::format(
            "table {} column {} holds a SUPER value of {} bytes (JSON_SIZE on the source); CSV "
            "staging doubles each '\"' in it, and COPY reads no row over 4 MB, so its load may "
            "fail (nothing is lost then: the load rolls back)",
            t.name.Display(), c.name, bytes));
      }
    }
  }
}

// PostgreSQL foreign tables leave the catalog (with their privileges) and become manual steps:
// Redshift has no CREATE FOREIGN TABLE (its SQL commands, https://docs.aws.amazon.com/redshift/
// latest/dg/c_SQL_commands.html); it reads other databases through an external schema
// (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_EXTERNAL_SCHEMA.html).
void MoveForeignTablesToManual(RedshiftAdaptation* a) {
  for (const Table& t : a->source.tables) {
    if (!t.foreign()) continue;
    a->manual_steps.push_back(
        {"foreign table " + t.name.Display(),
         "Redshift has no foreign tables: read the data through an external schema (CREATE "
         "EXTERNAL SCHEMA ... FROM POSTGRES, "
         "https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_EXTERNAL_SCHEMA.html) or move "
         "it as a table",
         ""});
    std::erase_if(a->source.acls, [&](const ObjectAcl& acl) { return acl.object.name == t.name; });
  }
  std::erase_if(a->source.tables, [](const Table& t) { return t.foreign(); });
}

void AddUnmoved(RedshiftAdaptation* a) {
  for (const Unmoved& u : a->source.unmoved) {
    a->manual_steps.push_back({u.what, u.why, u.sql, u.security});
  }
}

}  // namespace

RedshiftAdaptation AdaptForRedshift(const Catalog& source, const ServerInfo& target,
                                    const Catalog* target_catalog) {
  RedshiftAdaptation a{source, {}, {}, {}};
  const DdlRenderer& ddl = RendererFor(target.dialect);
  AddUnmoved(&a);
  MovePythonToManual(ddl, &a);
  MoveExternalToManual(&a);
  MoveForeignTablesToManual(&a);
  WarnProcedureClauses(source, &a);
  ConvertSortKeys(target.dialect == Dialect::kRedshiftServerless, &a);
  DropUnsupportedComments(&a);
  CheckSystemPrivileges(&a);
  CheckGrantOptions(&a);
  CheckDefaultPrivileges(&a);
  ContinueIdentities(target_catalog, &a);
  CheckSuperSizes(&a);
  return a;
}

std::optional<int64_t> ContinuedIdentitySeed(const Column& column) {
  const SequenceOptions& o = column.identity_options;
  if (column.identity == '\0' || !column.identity_state.is_called) return o.start;
  int64_t last = column.identity_state.last_value, next = 0;
  if (__builtin_add_overflow(last, o.increment, &next)) return std::nullopt;
  bool past = o.increment >= 0 ? next > o.start : next < o.start;
  return past ? next : o.start;
}

}  // namespace tenantshift
