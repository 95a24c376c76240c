#include "extract/redshift/rs_catalog_text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

namespace tenantshift {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Reads one quoted array element starting at text[*i] == '"'; leaves *i after the closing quote.
Result<std::string> QuotedElement(std::string_view text, size_t* i) {
  std::string out;
  for (++*i; *i < text.size() && text[*i] != '"'; ++*i) {
    if (text[*i] == '\\' && *i + 1 < text.size()) ++*i;
    out += text[*i];
  }
  if (*i >= text.size()) return Status::InvalidArgument("unterminated quoted array element");
  ++*i;
  return out;
}

// Reads an aclitem name (quoted with "" for a quote, or bare up to one of `stops`).
std::string AclName(std::string_view s, size_t* i, std::string_view stops) {
  std::string out;
  if (*i < s.size() && s[*i] == '"') {
    for (++*i; *i < s.size(); ++*i) {
      if (s[*i] == '"') {
        if (*i + 1 < s.size() && s[*i + 1] == '"') {
          out += '"';
          ++*i;
          continue;
        }
        ++*i;
        break;
      }
      out += s[*i];
    }
    return out;
  }
  while (*i < s.size() && stops.find(s[*i]) == std::string_view::npos) out += s[(*i)++];
  return out;
}

// Every letter PG_DEFAULT_ACL documents ("A string holding all privilege code chars, in order
// by bitmask position, looks like "arwdRxtXUCTDPA""), including P (TRUNCATE) and A (ALTER),
// which current owners' masks carry (SHOW TABLES example: alice=arwdRxtDPA/alice):
// https://docs.aws.amazon.com/redshift/latest/dg/r_PG_DEFAULT_ACL.html
// https://docs.aws.amazon.com/redshift/latest/dg/r_SHOW_TABLES.html
// RULE and TRIGGER are read but never granted: "Amazon Redshift doesn't support the RULE and
// TRIGGER permissions" (r_GRANT.html), so RedshiftDdl::IsKnownPrivilege leaves them out.
const std::map<char, const char*>& PrivilegeLetters() {
  static const std::map<char, const char*> kLetters = {
      {'a', "INSERT"}, {'r', "SELECT"},     {'w', "UPDATE"},   {'d', "DELETE"},  {'D', "DROP"},
      {'R', "RULE"},   {'x', "REFERENCES"}, {'t', "TRIGGER"},  {'X', "EXECUTE"}, {'U', "USAGE"},
      {'C', "CREATE"}, {'T', "TEMP"},       {'P', "TRUNCATE"}, {'A', "ALTER"}};
  return kLetters;
}

Status ParsePrivileges(std::string_view letters, std::string_view item, AclItem* out) {
  for (char c : letters) {
    if (c == '*' && !out->privileges.empty()) {
      out->privileges.back().grantable = true;
      continue;
    }
    auto it = PrivilegeLetters().find(c);
    if (it == PrivilegeLetters().end()) {
      return Status::InvalidArgument("unknown privilege letter '" + std::string(1, c) +
                                     "' in aclitem \"" + std::string(item) +
                                     "\"; tenantshift does not know this Redshift privilege");
    }
    out->privileges.push_back({it->second, false});
  }
  return Status::Ok();
}

std::optional<int64_t> ToInt64(std::string_view s) {
  s = Trim(s);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Skips a quoted identifier or string literal starting at s[i]; returns the index after it.
size_t SkipQuoted(std::string_view s, size_t i) {
  char q = s[i];
  for (++i; i < s.size(); ++i) {
    if (s[i] != q) continue;
    if (i + 1 < s.size() && s[i + 1] == q) {
      ++i;
      continue;
    }
    return i + 1;
  }
  return s.size();
}

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The index just after the keyword AS that ends the head of a CREATE VIEW statement (outside
// quotes and parentheses), or npos.
size_t AfterTopLevelAs(std::string_view s, size_t from) {
  int depth = 0;
  for (size_t i = from; i < s.size();) {
    char c = s[i];
    if (c == '"' || c == '\'') {
      i = SkipQuoted(s, i);
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') --depth;
    bool word_start = i == 0 || !IsWordChar(s[i - 1]);
    if (depth == 0 && word_start && i + 2 <= s.size() && Lower(s.substr(i, 2)) == "as" &&
        (i + 2 == s.size() || !IsWordChar(s[i + 2]))) {
      return i + 2;
    }
    ++i;
  }
  return std::string_view::npos;
}

// Where the parenthesised list that ends `head` begins (quotes skipped), or npos when `head`
// is only a name ("s"."v(x)" has no list).
size_t ListStart(std::string_view head) {
  size_t open = std::string_view::npos;
  int depth = 0;
  for (size_t i = 0; i < head.size();) {
    char c = head[i];
    if (c == '"' || c == '\'') {
      i = SkipQuoted(head, i);
      continue;
    }
    if (c == '(' && depth++ == 0) open = i;
    if (c == ')') --depth;
    ++i;
  }
  return depth == 0 ? open : std::string_view::npos;
}

// Removes a trailing "WITH NO SCHEMA BINDING" (any case and spacing); true when it was there.
bool StripNoSchemaBinding(std::string_view* query) {
  static const char* const kWords[] = {"binding", "schema", "no", "with"};
  std::string_view rest = *query;
  for (const char* word : kWords) {
    rest = Trim(rest);
    std::string_view w(word);
    if (rest.size() < w.size() || Lower(rest.substr(rest.size() - w.size())) != w) return false;
    rest.remove_suffix(w.size());
    if (!rest.empty() && IsWordChar(rest.back())) return false;
  }
  *query = Trim(rest);
  return true;
}

std::string_view WithoutSemicolons(std::string_view s) {
  s = Trim(s);
  while (!s.empty() && s.back() == ';') s = Trim(s.substr(0, s.size() - 1));
  return s;
}

// Consumes the keyword `word` (case-insensitive, after blanks) at s[*i]; false if absent.
bool Keyword(std::string_view s, size_t* i, std::string_view word) {
  size_t j = *i;
  while (j < s.size() && std::isspace(static_cast<unsigned char>(s[j]))) ++j;
  if (Lower(s.substr(j, word.size())) != word) return false;
  if (j + word.size() < s.size() && IsWordChar(s[j + word.size()])) return false;
  *i = j + word.size();
  return true;
}

std::string_view WithoutDomainSuffix(std::string_view host) {
  if (EndsWith(host, ".")) host.remove_suffix(1);
  if (EndsWith(host, ".cn")) host.remove_suffix(3);  // China regions: amazonaws.com.cn
  return host;
}

}  // namespace

Result<std::vector<std::string>> ParseArrayText(std::string_view text) {
  text = Trim(text);
  std::vector<std::string> out;
  if (text.empty()) return out;
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') {
    return Status::InvalidArgument("not an array literal: " + std::string(text));
  }
  size_t end = text.size() - 1;
  for (size_t i = 1; i < end;) {
    if (text[i] == '"') {
      Result<std::string> element = QuotedElement(text.substr(0, end), &i);
      if (!element.ok()) return element.status();
      out.push_back(std::move(*element));
    } else {
      size_t stop = text.find(',', i);
      if (stop == std::string_view::npos || stop > end) stop = end;
      std::string_view bare = text.substr(i, stop - i);
      out.push_back(bare == "NULL" ? "" : std::string(bare));
      i = stop;
    }
    if (i < end && text[i] != ',') {
      return Status::InvalidArgument("malformed array literal: " + std::string(text));
    }
    ++i;
  }
  return out;
}

Result<AclItem> ParseAclItem(std::string_view item) {
  AclItem out;
  std::string_view s = item;
  if (StartsWith(s, "group ")) {
    out.grantee_kind = GranteeKind::kGroup;
    s.remove_prefix(6);
  } else if (StartsWith(s, "role ")) {
    out.grantee_kind = GranteeKind::kRole;
    s.remove_prefix(5);
  }
  size_t i = 0;
  out.grantee = AclName(s, &i, "=");
  size_t slash = s.find('/', i);
  if (i >= s.size() || s[i] != '=' || slash == std::string_view::npos) {
    return Status::InvalidArgument("malformed aclitem \"" + std::string(item) + "\"");
  }
  Status st = ParsePrivileges(s.substr(i + 1, slash - i - 1), item, &out);
  if (!st.ok()) return st;
  size_t g = slash + 1;
  out.grantor = AclName(s, &g, "");
  return out;
}

Result<std::vector<AclItem>> ParseAcl(std::string_view array_text) {
  Result<std::vector<std::string>> elements = ParseArrayText(array_text);
  if (!elements.ok()) return elements.status();
  std::vector<AclItem> out;
  for (const std::string& e : *elements) {
    Result<AclItem> item = ParseAclItem(e);
    if (!item.ok()) return item.status();
    out.push_back(std::move(*item));
  }
  return out;
}

std::optional<IdentitySpec> ParseIdentityDefault(std::string_view adsrc) {
  std::string lower = Lower(Trim(adsrc));
  IdentitySpec spec;
  if (StartsWith(lower, "\"identity\"(") || StartsWith(lower, "identity(")) {
    spec.kind = 'a';
  } else if (StartsWith(lower, "default_identity(")) {
    spec.kind = 'd';
  } else {
    return std::nullopt;
  }
  size_t close = lower.rfind('\'');
  size_t open =
      close == std::string::npos || close == 0 ? std::string::npos : lower.rfind('\'', close - 1);
  if (open == std::string::npos) return std::nullopt;
  std::string_view pair = std::string_view(lower).substr(open + 1, close - open - 1);
  size_t comma = pair.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  std::optional<int64_t> seed = ToInt64(pair.substr(0, comma));
  std::optional<int64_t> step = ToInt64(pair.substr(comma + 1));
  if (!seed || !step) return std::nullopt;
  spec.seed = *seed;
  spec.step = *step;
  return spec;
}

ViewText SplitViewDefinition(std::string_view definition) {
  std::string_view s = WithoutSemicolons(definition);
  ViewText out;
  size_t i = 0;
  if (!Keyword(s, &i, "create")) {
    out.query = std::string(s);
    return out;
  }
  if (Keyword(s, &i, "or")) Keyword(s, &i, "replace");
  out.materialized = Keyword(s, &i, "materialized");
  Keyword(s, &i, "view");
  size_t body = AfterTopLevelAs(s, i);
  // CREATE VIEW name [ ( column_name [, ...] ) ] AS query [ WITH NO SCHEMA BINDING ]
  // (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_VIEW.html): keep the list, which
  // names the view's columns. A materialized view has none (its options hold parentheses).
  if (!out.materialized && body != std::string_view::npos) {
    std::string_view head = Trim(s.substr(i, body - 2 - i));
    size_t open = head.empty() || head.back() != ')' ? std::string_view::npos : ListStart(head);
    if (open != std::string_view::npos) out.column_list = std::string(head.substr(open));
  }
  std::string_view query = body == std::string_view::npos ? s : Trim(s.substr(body));
  out.late_binding = StripNoSchemaBinding(&query);
  out.query = std::string(WithoutSemicolons(query));
  return out;
}

std::string DescribedHost(std::string_view describe) {
  size_t end = describe.find_first_of(":/ ");
  return Lower(describe.substr(0, end));
}

bool IsServerlessHost(std::string_view host) {
  std::string h = Lower(host);
  return EndsWith(WithoutDomainSuffix(h), ".redshift-serverless.amazonaws.com");
}

bool IsProvisionedHost(std::string_view host) {
  std::string h = Lower(host);
  return EndsWith(WithoutDomainSuffix(h), ".redshift.amazonaws.com");
}

}  // namespace tenantshift
