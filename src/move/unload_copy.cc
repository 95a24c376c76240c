#include "move/unload_copy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <vector>

#include "ddl/quote.h"

namespace tenantshift::rsddl {

namespace {

// The names of the columns matching `pred`, comma-separated.
template <typename Pred>
std::string ColumnNames(const Table& table, Pred pred) {
  std::string names;
  for (const Column& c : table.columns) {
    if (!pred(c)) continue;
    if (!names.empty()) names += ", ";
    names += c.name;
  }
  return names;
}

std::string ColumnList(const Table& table) {
  std::string out;
  for (const Column& c : table.columns) {
    if (!out.empty()) out += ", ";
    out += QuoteIdent(c.name);
  }
  return out;
}

// The UNLOAD's select list: every column in order, REAL ones widened to FLOAT8 (D5). Under the
// session's extra_float_digits 2 a REAL prints only 8 significant digits (FLT_DIG 6 + 2), fewer
// than the 9 some values need to read back the same; widening is exact, prints 17 digits, and
// COPY into the REAL column rounds them back to the very same value.
std::string SelectList(const Table& table) {
  std::string out;
  for (const Column& c : table.columns) {
    if (!out.empty()) out += ", ";
    std::string base = BaseType(c.type);
    out += QuoteIdent(c.name);
    if (base == "real" || base == "float4") out += "::FLOAT8";
  }
  return out;
}

// IAM_ROLE default | IAM_ROLE '<arn>[,<arn>...]'.
std::string IamRoleClause(const StagingAccess& access) {
  if (access.iam_role == "default") return "IAM_ROLE default";
  return "IAM_ROLE " + QuoteRedshiftLiteral(access.iam_role);
}

// The options both statements share, in the same words on both sides.
std::string FormatClause(const StagedFormat& format) {
  return "FORMAT CSV NULL AS " + QuoteRedshiftLiteral(format.null_marker);
}

// Splits a role chain at each ",arn:" (a role name may itself contain commas).
std::vector<std::string> SplitRoleChain(const std::string& chain) {
  std::vector<std::string> roles;
  size_t start = 0;
  for (size_t pos = chain.find(",arn:"); pos != std::string::npos;
       pos = chain.find(",arn:", pos + 1)) {
    roles.push_back(chain.substr(start, pos - start));
    start = pos + 1;
  }
  roles.push_back(chain.substr(start));
  return roles;
}

}  // namespace

Status CheckStagingAccess(const StagingAccess& access) {
  static const std::regex kRoleArn(R"(arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+)");
  static const std::regex kKmsKey(R"([A-Za-z0-9:/_-]{1,2048})");
  if (access.iam_role != "default") {
    for (const std::string& role : SplitRoleChain(access.iam_role)) {
      if (!std::regex_match(role, kRoleArn)) {
        return Status::InvalidArgument(fmt::format(
            "--iam-role {:?} is not an IAM role ARN: give 'default' (the role set as default on "
            "the cluster or namespace) or arn:aws:iam::<account>:role/<name>, comma-separated "
            "to chain roles",
            access.iam_role));
      }
    }
  }
  if (!access.kms_key_id.empty() && !std::regex_match(access.kms_key_id, kKmsKey)) {
    return Status::InvalidArgument(
        fmt::format("--kms-key-id {:?} is not a KMS key id, key ARN or alias", access.kms_key_id));
  }
  return Status::Ok();
}

std::string UnloadSelect(const Table& table) {
  return fmt::format("SELECT {} FROM {}", SelectList(table), QuoteName(table.name));
}

std::string UnloadStatement(const Table& table, const std::string& prefix,
                            const StagedFormat& format, const StagingAccess& access) {
  // The SELECT is a literal inside the statement: its identifiers are double-quoted first, then
  // the whole text is quoted as a literal (quotes and backslashes doubled).
  std::string sql = fmt::format(
      "UNLOAD ({}) TO {} {} {} MANIFEST VERBOSE ALLOWOVERWRITE PARALLEL ON MAXFILESIZE 1 GB",
      QuoteRedshiftLiteral(UnloadSelect(table)), QuoteRedshiftLiteral(prefix),
      IamRoleClause(access), FormatClause(format));
  if (!access.kms_key_id.empty()) {
    sql += " ENCRYPTED KMS_KEY_ID " + QuoteRedshiftLiteral(access.kms_key_id);
  }
  return sql;
}

std::string ManifestUrl(const std::string& prefix) { return prefix + "manifest"; }

std::string CopyStatement(const Table& table, const std::string& manifest_url,
                          const StagedFormat& format, const StagingAccess& access) {
  return fmt::format(
      "COPY {} ({}) FROM {} {} MANIFEST {} DATEFORMAT 'auto' TIMEFORMAT 'auto'{} COMPUPDATE OFF "
      "STATUPDATE OFF MAXERROR 0",
      QuoteName(table.name), ColumnList(table), QuoteRedshiftLiteral(manifest_url),
      IamRoleClause(access), FormatClause(format), NeedsExplicitIds(table) ? " EXPLICIT_IDS" : "");
}

StagedFormat ChooseStagedFormat(const Table&, std::string null_marker) {
  StagedFormat f;
  f.csv = true;
  f.delimiter = ',';
  f.null_marker = std::move(null_marker);
  return f;
}

bool NeedsExplicitIds(const Table& table) {
  return std::any_of(table.columns.begin(), table.columns.end(),
                     [](const Column& c) { return c.identity == 'a'; });
}

std::string SupersLoseSqlNull(const Table& table) {
  return ColumnNames(table,
                     [](const Column& c) { return !c.not_null && BaseType(c.type) == "super"; });
}

std::string TextOnlyColumns(const Table& table) {
  static const char* const kTypes[] = {"varbyte",  "varbinary", "binary varying",
                                       "geometry", "geography", "hllsketch"};
  return ColumnNames(table, [](const Column& c) {
    std::string base = BaseType(c.type);
    return std::any_of(std::begin(kTypes), std::end(kTypes),
                       [&](const char* t) { return base == t; });
  });
}

}  // namespace tenantshift::rsddl
