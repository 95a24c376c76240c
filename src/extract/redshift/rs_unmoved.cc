#include "extract/redshift/rs_unmoved.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "ddl/quote.h"

namespace tenantshift {
namespace {

using Run = std::function<Result<Rows>(const std::string&)>;

bool IsTrue(const std::string& v) { return v == "t" || v == "true" || v == "True"; }

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A grantee as GRANT and ATTACH name it: user_name | ROLE role_name | GROUP group_name | PUBLIC.
std::string Grantee(const std::string& name, const std::string& kind) {
  std::string k = Lower(kind);
  if (k == "public" || (name.empty() && k.empty())) return "PUBLIC";
  if (k == "role") return "ROLE " + QuoteIdent(name);
  if (k == "group") return "GROUP " + QuoteIdent(name);
  return QuoteIdent(name);
}

std::string Relation(const Rows& rows, size_t r) {
  return QuoteName({rows.Get(r, "schema"), rows.Get(r, "name")});
}
std::string RelationDisplay(const Rows& rows, size_t r) {
  return rows.Get(r, "schema") + "." + rows.Get(r, "name");
}

struct Reader {
  const Run& run;
  const RsTenant& tenant;
  std::vector<Unmoved>* out;

  bool InTenant(const std::string& schema) const { return tenant.schemas.count(schema) > 0; }
  bool Principal(const std::string& name) const { return tenant.principals.count(name) > 0; }

  Status ScopedPrivileges();
  Status RlsRelations();
  Status RlsAttachments();
  Status MaskingAttachments();
  Status Datashares();
  Status MlModels();
  Status IamPrivileges();
  Status LanguagePrivileges();
};

Status Reader::ScopedPrivileges() {
  Result<Rows> rows = run("scoped_privileges");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    const std::string& level = rows->Get(r, "level");
    const std::string& name = rows->Get(r, "name");
    const std::string& grantee = rows->Get(r, "grantee");
    if (level == "schema" ? !InTenant(name) : !Principal(grantee)) continue;
    const std::string& scope = rows->Get(r, "scope");
    out->push_back(
        {fmt::format("scoped permission {} for {} in {} {} to {}", rows->Get(r, "privilege"),
                     Lower(scope), level, name, grantee),
         "scoped permissions apply to all current and future objects of the scope and are "
         "replayed by hand for now "
         "(https://docs.aws.amazon.com/redshift/latest/dg/t_scoped-permissions.html)",
         RedshiftScopedGrant(level, name, scope, rows->Get(r, "privilege"), grantee,
                             rows->Get(r, "grantee_type"), IsTrue(rows->Get(r, "grantable"))),
         false});
  }
  return Status::Ok();
}

Status Reader::RlsRelations() {
  Result<Rows> rows = run("rls_relations");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (!InTenant(rows->Get(r, "schema")) || !IsTrue(rows->Get(r, "rls_on"))) continue;
    out->push_back({"row-level security on " + RelationDisplay(*rows, r),
                    "tenantshift does not move row-level security; without it the table's rows "
                    "are readable in full on the target "
                    "(https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_RLS_RELATION.html)",
                    "ALTER TABLE " + Relation(*rows, r) + " ROW LEVEL SECURITY ON;\n", true});
  }
  return Status::Ok();
}

// "WITH (a integer, c character varying(10))" from SVV_RLS_POLICY.polatts
// ([{"colname":"a","type":"integer"}], the view's sample); "" when it cannot be read.
std::string PolicyColumns(const std::string& polatts) {
  nlohmann::json j = nlohmann::json::parse(polatts, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array() || j.empty()) return "";
  std::vector<std::string> cols;
  for (const auto& a : j) {
    if (!a.is_object() || !a.contains("colname") || !a.contains("type")) return "";
    if (!a["colname"].is_string() || !a["type"].is_string()) return "";
    cols.push_back(QuoteIdent(a["colname"].get<std::string>()) + " " +
                   a["type"].get<std::string>());
  }
  return fmt::format(" WITH ({})", fmt::join(cols, ", "));
}

Status Reader::RlsAttachments() {
  Result<Rows> rows = run("rls_attachments");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (!InTenant(rows->Get(r, "schema"))) continue;
    const std::string& policy = rows->Get(r, "policy");
    std::string grantee = Grantee(rows->Get(r, "grantee"), rows->Get(r, "grantee_kind"));
    std::string sql;
    if (!rows->IsNull(r, "qual")) {
      // CREATE RLS POLICY policy_name [ WITH (column_name data_type [, ...]) [ [AS]
      // relation_alias ] ] USING ( using_predicate_exp ) (r_CREATE_RLS_POLICY.html)
      std::string with = PolicyColumns(rows->Get(r, "attributes"));
      std::string alias = with.empty() || rows->Get(r, "alias").empty()
                              ? ""
                              : " AS " + QuoteIdent(rows->Get(r, "alias"));
      sql = fmt::format("CREATE RLS POLICY {}{}{} USING ({});\n", QuoteIdent(policy), with, alias,
                        rows->Get(r, "qual"));
    }
    sql += fmt::format("ATTACH RLS POLICY {} ON {} TO {};\n", QuoteIdent(policy),
                       Relation(*rows, r), grantee);
    out->push_back(
        {fmt::format("RLS policy {} on {} for {}", policy, RelationDisplay(*rows, r), grantee),
         "tenantshift does not move row-level security policies "
         "(https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_RLS_ATTACHED_POLICY.html)",
         sql, true});
  }
  return Status::Ok();
}

Status Reader::MaskingAttachments() {
  Result<Rows> rows = run("masking_attachments");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (!InTenant(rows->Get(r, "schema"))) continue;
    const std::string& policy = rows->Get(r, "policy");
    std::string grantee = Grantee(rows->Get(r, "grantee"), rows->Get(r, "grantee_kind"));
    // The column lists are as the views print them (undocumented format): check before running.
    std::string sql = fmt::format(
        "-- column lists as SVV_ATTACHED_MASKING_POLICY prints them; check them first\n"
        "CREATE MASKING POLICY {} WITH ({}) USING ({});\n"
        "ATTACH MASKING POLICY {} ON {} ({}) USING ({}) TO {} PRIORITY {};\n",
        QuoteIdent(policy), rows->Get(r, "policy_input_columns"), rows->Get(r, "expression"),
        QuoteIdent(policy), Relation(*rows, r), rows->Get(r, "output_columns"),
        rows->Get(r, "input_columns"), grantee, rows->Get(r, "priority"));
    out->push_back(
        {fmt::format("masking policy {} on {} for {}", policy, RelationDisplay(*rows, r), grantee),
         "tenantshift does not move dynamic data masking policies; without them the columns are "
         "readable unmasked on the target "
         "(https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_ATTACHED_MASKING_POLICY.html)",
         sql, true});
  }
  return Status::Ok();
}

// One step per outbound datashare holding a tenant schema or object.
Status Reader::Datashares() {
  Result<Rows> rows = run("datashare_objects");
  if (!rows.ok()) return rows.status();
  std::vector<std::pair<std::string, std::vector<std::string>>> shares;
  for (size_t r = 0; r < rows->size(); ++r) {
    const std::string& object = rows->Get(r, "object_name");
    bool in_tenant = false;
    for (const std::string& s : tenant.schemas) {
      in_tenant = in_tenant || object == s || object.rfind(s + ".", 0) == 0;
    }
    if (!in_tenant) continue;
    const std::string& share = rows->Get(r, "share");
    if (shares.empty() || shares.back().first != share) shares.push_back({share, {}});
    shares.back().second.push_back(rows->Get(r, "object_type") + " " + object);
  }
  for (const auto& [share, objects] : shares) {
    out->push_back({fmt::format("datashare {} ({})", share, fmt::join(objects, ", ")),
                    "a datashare belongs to the producer namespace; create it on the target and "
                    "grant USAGE to its consumers again, then point them at the new namespace "
                    "(https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_DATASHARE_OBJECTS.html)",
                    "CREATE DATASHARE " + QuoteIdent(share) + ";\n", false});
  }
  return Status::Ok();
}

Status Reader::MlModels() {
  Result<Rows> rows = run("ml_models");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (!InTenant(rows->Get(r, "schema"))) continue;
    out->push_back(
        {"ML model " + RelationDisplay(*rows, r),
         "a model is trained by CREATE MODEL through SageMaker; train it again on the "
         "target (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_ML_MODEL_INFO.html)",
         "", false});
  }
  return Status::Ok();
}

// GRANT ASSUMEROLE ON { 'iam_role' | default } TO ... FOR { COPY | UNLOAD | EXTERNAL FUNCTION |
// CREATE MODEL } (r_GRANT.html). The SVV_IAM_PRIVILEGES sample prints the default role as
// default-aws-iam-role and EXTERNAL FUNCTION as EXFUNC. Grants to PUBLIC are the database's,
// not a tenant's.
Status Reader::IamPrivileges() {
  Result<Rows> rows = run("iam_privileges");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    const std::string& grantee = rows->Get(r, "grantee");
    if (Lower(rows->Get(r, "grantee_type")) == "public" || !Principal(grantee)) continue;
    const std::string& arn = rows->Get(r, "iam_arn");
    std::string on = arn == "default-aws-iam-role" ? "default" : QuoteRedshiftLiteral(arn);
    std::string command = rows->Get(r, "command_type");
    if (command == "EXFUNC") command = "EXTERNAL FUNCTION";
    out->push_back(
        {fmt::format("ASSUMEROLE {} for {} to {}", arn, command, grantee),
         "IAM roles differ between clusters and namespaces; only a superuser grants ASSUMEROLE, "
         "once the role is associated with the target "
         "(https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_IAM_PRIVILEGES.html)",
         fmt::format("GRANT ASSUMEROLE ON {} TO {} FOR {};\n", on,
                     Grantee(grantee, rows->Get(r, "grantee_type")), command),
         false});
  }
  return Status::Ok();
}

// USAGE ON LANGUAGE is database-wide; PUBLIC's (the default for sql and plpgsql) is the
// database's, not a tenant's.
Status Reader::LanguagePrivileges() {
  Result<Rows> rows = run("language_privileges");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    const std::string& grantee = rows->Get(r, "grantee");
    if (Lower(rows->Get(r, "grantee_type")) == "public" || !Principal(grantee)) continue;
    const std::string& language = rows->Get(r, "language");
    bool grantable = IsTrue(rows->Get(r, "grantable"));
    out->push_back(
        {fmt::format("USAGE on language {} to {}", language, grantee),
         "language privileges are database-wide, not a schema's; grant them where the tenant's "
         "users create routines "
         "(https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_LANUGAGE_PRIVILEGES.html)",
         fmt::format("GRANT USAGE ON LANGUAGE {} TO {}{};\n", QuoteIdent(language),
                     Grantee(grantee, rows->Get(r, "grantee_type")),
                     grantable ? " WITH GRANT OPTION" : ""),
         false});
  }
  return Status::Ok();
}

}  // namespace

std::string RedshiftScopedGrant(const std::string& level, const std::string& name,
                                const std::string& scope, const std::string& privilege,
                                const std::string& grantee, const std::string& grantee_type,
                                bool grantable) {
  bool user = Lower(grantee_type) == "user";
  return fmt::format("GRANT {} FOR {} IN {} {} TO {}{};\n", privilege, scope,
                     level == "schema" ? "SCHEMA" : "DATABASE", QuoteIdent(name),
                     Grantee(grantee, grantee_type), grantable && user ? " WITH GRANT OPTION" : "");
}

Status ExtractRedshiftUnmoved(const Run& run, const RsTenant& tenant, std::vector<Unmoved>* out) {
  Reader x{run, tenant, out};
  Status s = x.ScopedPrivileges();
  if (s.ok()) s = x.RlsRelations();
  if (s.ok()) s = x.RlsAttachments();
  if (s.ok()) s = x.MaskingAttachments();
  if (s.ok()) s = x.Datashares();
  if (s.ok()) s = x.MlModels();
  if (s.ok()) s = x.IamPrivileges();
  if (s.ok()) s = x.LanguagePrivileges();
  return s;
}

}  // namespace tenantshift
