#include "testing/redshift_ddl_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace tenantshift {
namespace {

struct Token {
  enum Kind { kWord, kIdent, kString, kDollar, kNumber, kPunct } kind;
  std::string text;  // decoded: identifiers and strings unquoted, words upper case
  size_t begin, end;
};

Result<std::vector<Token>> Tokenize(const std::string& s) {
  std::vector<Token> out;
  size_t i = 0, n = s.size();
  auto quoted = [&](char q, Token::Kind kind) -> Status {
    size_t start = i;
    std::string text;
    for (++i;; ++i) {
      if (i >= n) return Status::InvalidArgument("unterminated quote at " + std::to_string(start));
      if (s[i] == q && i + 1 < n && s[i + 1] == q) {
        text += q;
        ++i;
      } else if (q == '\'' && s[i] == '\\' && i + 1 < n) {
        // Redshift reads a backslash in a string literal as an escape of the next character
        // (QUOTE_LITERAL "doubles ... backslashes": r_QUOTE_LITERAL.html); not in identifiers.
        text += s[++i];
      } else if (s[i] == q) {
        ++i;
        break;
      } else {
        text += s[i];
      }
    }
    out.push_back({kind, text, start, i});
    return Status::Ok();
  };
  while (i < n) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      while (i < n && s[i] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      Status st = quoted(c, c == '"' ? Token::kIdent : Token::kString);
      if (!st.ok()) return st;
    } else if (c == '$') {
      size_t close = s.find('$', i + 1);
      if (close == std::string::npos) return Status::InvalidArgument("bad dollar quote");
      std::string tag = s.substr(i, close - i + 1);
      size_t body = close + 1, stop = s.find(tag, body);
      if (stop == std::string::npos) return Status::InvalidArgument("unterminated " + tag);
      out.push_back({Token::kDollar, s.substr(body, stop - body), i, stop + tag.size()});
      i = stop + tag.size();
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = i;
      while (i < n && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
      std::string word = s.substr(start, i - start);
      for (char& w : word) w = static_cast<char>(std::toupper(static_cast<unsigned char>(w)));
      out.push_back({Token::kWord, word, start, i});
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t start = i;
      while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      out.push_back({Token::kNumber, s.substr(start, i - start), start, i});
    } else {
      out.push_back({Token::kPunct, std::string(1, c), i, i + 1});
      ++i;
    }
  }
  return out;
}

// One statement's tokens with a cursor.
class Stmt {
 public:
  Stmt(const std::string& sql, std::vector<Token> tokens) : sql_(sql), t_(std::move(tokens)) {}

  bool AtEnd() const { return i_ >= t_.size(); }
  const Token& Peek(size_t ahead = 0) const {
    static const Token kEnd{Token::kPunct, "<end>", 0, 0};
    return i_ + ahead < t_.size() ? t_[i_ + ahead] : kEnd;
  }
  bool IsWord(const std::string& w, size_t ahead = 0) const {
    return Peek(ahead).kind == Token::kWord && Peek(ahead).text == w;
  }
  bool IsPunct(const std::string& p) const {
    return Peek().kind == Token::kPunct && Peek().text == p;
  }
  // Consumes the words of `phrase` ("WITH GRANT OPTION") when they come next.
  bool Accept(const std::string& phrase) {
    size_t k = 0, at = 0;
    while (at < phrase.size()) {
      size_t sp = phrase.find(' ', at);
      std::string w = phrase.substr(at, sp == std::string::npos ? std::string::npos : sp - at);
      if (!(IsWord(w, k) || (Peek(k).kind == Token::kPunct && Peek(k).text == w))) return false;
      ++k;
      at = sp == std::string::npos ? phrase.size() : sp + 1;
    }
    i_ += k;
    return true;
  }
  Token Next() { return AtEnd() ? Peek() : t_[i_++]; }
  // The next token as written (words keep their case).
  std::string NextRaw() {
    Token t = Next();
    return t.kind == Token::kWord ? sql_.substr(t.begin, t.end - t.begin) : t.text;
  }
  void Expect(const std::string& phrase) {
    if (!Accept(phrase)) Fail("expected " + phrase);
  }
  std::string Ident() {
    if (Peek().kind != Token::kIdent) Fail("expected a quoted identifier");
    return Next().text;
  }
  QualifiedName Name() {
    QualifiedName q;
    q.schema = Ident();
    Expect(".");
    q.name = Ident();
    return q;
  }
  std::string String() {
    if (Peek().kind != Token::kString) Fail("expected a literal");
    return Next().text;
  }
  int64_t Number() {
    bool negative = Accept("-");
    if (Peek().kind != Token::kNumber) Fail("expected a number");
    int64_t v = std::stoll(Next().text);
    return negative ? -v : v;
  }
  // The source text from the current token up to (not including) the first token at bracket
  // depth 0 that `stop` accepts; the cursor moves there.
  template <typename F>
  std::string RawUntil(F stop) {
    size_t start = i_, depth = 0;
    while (!AtEnd()) {
      const Token& tok = Peek();
      if (depth == 0 && stop(tok)) break;
      if (tok.kind == Token::kPunct && tok.text == "(") ++depth;
      if (tok.kind == Token::kPunct && tok.text == ")" && depth > 0) --depth;
      ++i_;
    }
    if (i_ == start) return "";
    return sql_.substr(t_[start].begin, t_[i_ - 1].end - t_[start].begin);
  }
  // The source text inside the parentheses that come next.
  std::string Parenthesized() {
    Expect("(");
    std::string raw =
        RawUntil([](const Token& t) { return t.kind == Token::kPunct && t.text == ")"; });
    Expect(")");
    return raw;
  }
  std::vector<std::string> IdentList() {
    std::vector<std::string> out;
    Expect("(");
    do out.push_back(Ident());
    while (Accept(","));
    Expect(")");
    return out;
  }
  void Fail(const std::string& what) const {
    error_ = fmt::format("{} at \"{}\" in: {}", what, Peek().text,
                         t_.empty() ? "" : sql_.substr(t_[0].begin, 200));
  }
  const std::string& error() const { return error_; }

 private:
  const std::string& sql_;
  std::vector<Token> t_;
  size_t i_ = 0;
  mutable std::string error_;
};

bool StopAt(const Token& t, std::initializer_list<const char*> words) {
  if (t.kind == Token::kPunct && (t.text == "," || t.text == ")")) return true;
  if (t.kind != Token::kWord) return false;
  return std::any_of(words.begin(), words.end(), [&](const char* w) { return t.text == w; });
}

// Reconstructs a list setting as Redshift stores it: `acme, "$user", public`.
std::string StoredList(const std::vector<std::string>& elements) {
  std::vector<std::string> out;
  for (const std::string& e : elements) {
    bool plain = !e.empty() && (std::islower(static_cast<unsigned char>(e[0])) || e[0] == '_') &&
                 std::all_of(e.begin(), e.end(), [](char c) {
                   return std::islower(static_cast<unsigned char>(c)) ||
                          std::isdigit(static_cast<unsigned char>(c)) || c == '_';
                 });
    out.push_back(plain ? e : "\"" + e + "\"");
  }
  return fmt::format("{}", fmt::join(out, ", "));
}

// name TO 'v' [, 'v'...]: the setting as stored.
std::pair<std::string, std::string> Setting(Stmt& s) {
  std::string name = s.NextRaw();
  s.Expect("TO");
  std::vector<std::string> values;
  do values.push_back(s.String());
  while (s.Accept(","));
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  return {name, lower == "search_path" ? StoredList(values) : values.front()};
}

class Reader {
 public:
  explicit Reader(Catalog* c) : c_(c) {}

  Status Apply(Stmt& s) {
    Dispatch(s);
    if (s.error().empty() && !s.AtEnd()) s.Fail("unexpected trailing text");
    return s.error().empty() ? Status::Ok() : Status::InvalidArgument(s.error());
  }

 private:
  void Dispatch(Stmt& s) {
    if (s.Accept("CREATE USER")) return CreateUser(s);
    if (s.Accept("CREATE GROUP")) return AddRole(s.Ident(), Role::Kind::kGroup);
    if (s.Accept("CREATE ROLE")) {
      AddRole(s.Ident(), Role::Kind::kRole);
      if (s.Accept("EXTERNALID")) c_->roles.back().external_id = s.Ident();
      return;
    }
    if (s.Accept("CREATE SCHEMA")) return CreateSchema(s);
    if (s.Accept("CREATE TABLE")) return CreateTable(s);
    if (s.Accept("CREATE MATERIALIZED VIEW")) return CreateView(s, true);
    if (s.Accept("CREATE VIEW")) return CreateView(s, false);
    if (s.Accept("CREATE FUNCTION")) return CreateRoutine(s, Routine::Kind::kFunction);
    if (s.Accept("CREATE PROCEDURE")) return CreateRoutine(s, Routine::Kind::kProcedure);
    if (s.Accept("ALTER USER")) return AlterUser(s);
    if (s.Accept("ALTER GROUP")) return AlterGroup(s);
    if (s.Accept("ALTER SCHEMA")) return SchemaOwner(s);
    if (s.Accept("ALTER TABLE")) return AlterTable(s);
    if (s.Accept("ALTER FUNCTION")) return RoutineOwner(s, Routine::Kind::kFunction);
    if (s.Accept("ALTER PROCEDURE")) return RoutineOwner(s, Routine::Kind::kProcedure);
    if (s.Accept("ALTER DEFAULT PRIVILEGES")) return DefaultPrivileges(s);
    if (s.Accept("COMMENT ON")) return Comment(s);
    if (s.Accept("GRANT ROLE")) return GrantRole(s);
    if (s.Accept("GRANT")) return Grant(s);
    if (s.Accept("REVOKE ALL")) return Revoke(s);
    if (s.Accept("SET SESSION AUTHORIZATION")) {
      session_user_ = s.Ident();
      return;
    }
    if (s.Accept("RESET SESSION AUTHORIZATION")) {
      session_user_.clear();
      return;
    }
    if (s.Accept("REFRESH MATERIALIZED VIEW")) {
      s.Name();
      return;
    }
    if (s.Accept("ANALYZE")) {
      s.Name();
      return;
    }
    s.Fail("unknown statement");
  }

  Role* FindRole(const std::string& name) {
    for (Role& r : c_->roles) {
      if (r.name == name) return &r;
    }
    return nullptr;
  }

  void AddRole(const std::string& name, Role::Kind kind) {
    Role r;
    r.name = name;
    r.kind = kind;
    c_->roles.push_back(r);
  }

  void CreateUser(Stmt& s) {
    Role r;
    r.name = s.Ident();
    r.kind = Role::Kind::kUser;
    r.can_login = true;
    s.Expect("PASSWORD");
    if (!s.Accept("DISABLE")) s.String();
    while (!s.AtEnd() && s.error().empty()) {
      if (s.Accept("CREATEDB")) {
        r.create_db = true;
      } else if (s.Accept("NOCREATEDB")) {
        r.create_db = false;
      } else if (s.Accept("CREATEUSER")) {
        r.superuser = true;
      } else if (s.Accept("NOCREATEUSER")) {
        r.superuser = false;
      } else if (s.Accept("SYSLOG ACCESS")) {
        r.syslog_access = s.Next().text;
      } else if (s.Accept("VALID UNTIL")) {
        r.valid_until = s.String();
      } else if (s.Accept("CONNECTION LIMIT")) {
        r.connection_limit = s.Accept("UNLIMITED") ? -1 : static_cast<int>(s.Number());
      } else if (s.Accept("SESSION TIMEOUT")) {
        r.session_timeout = static_cast<int>(s.Number());
      } else if (s.Accept("EXTERNALID")) {
        r.external_id = s.Ident();
      } else {
        s.Fail("unknown user attribute");
      }
    }
    c_->roles.push_back(r);
  }

  void AlterUser(Stmt& s) {
    std::string user = s.Ident();
    s.Expect("SET");
    auto [name, value] = Setting(s);
    if (Role* r = FindRole(user)) r->settings.push_back({false, name, value});
  }

  void AlterGroup(Stmt& s) {
    RoleMembership m;
    m.role = s.Ident();
    s.Expect("ADD USER");
    m.member = s.Ident();
    m.role_kind = Role::Kind::kGroup;
    m.member_kind = Role::Kind::kUser;
    c_->memberships.push_back(m);
  }

  void GrantRole(Stmt& s) {
    RoleMembership m;
    m.role = s.Ident();
    s.Expect("TO");
    m.member_kind = s.Accept("ROLE") ? Role::Kind::kRole : Role::Kind::kUser;
    m.member = s.Ident();
    m.admin_option = s.Accept("WITH ADMIN OPTION");
    c_->memberships.push_back(m);
  }

  void CreateSchema(Stmt& s) {
    Schema sc;
    sc.name = s.Ident();
    if (s.Accept("AUTHORIZATION")) sc.owner = s.Ident();
    if (s.Accept("QUOTA")) {
      sc.quota_mb = s.Number();
      s.Expect("MB");
    }
    c_->schemas.push_back(sc);
  }

  void SchemaOwner(Stmt& s) {
    std::string name = s.Ident();
    s.Expect("OWNER TO");
    std::string owner = s.Ident();
    for (Schema& sc : c_->schemas) {
      if (sc.name == name) sc.owner = owner;
    }
  }

  void CreateTable(Stmt& s) {
    Table t;
    t.name = s.Name();
    s.Expect("(");
    do {
      bool by_default = false;
      t.columns.push_back(ReadColumn(s, &by_default));
    } while (s.Accept(","));
    s.Expect(")");
    ReadLayout(s, &t.distribution, &t.sort_key, &t.backup, &t.encode_auto);
    c_->tables.push_back(t);
  }

  Column ReadColumn(Stmt& s, bool* by_default) {
    // IDENTITY(...) and GENERATED BY DEFAULT AS IDENTITY(...) differ only in the keywords.
    Column c;
    c.name = s.Ident();
    c.type = s.RawUntil([](const Token& t) {
      return StopAt(t, {"DEFAULT", "IDENTITY", "GENERATED", "ENCODE", "COLLATE", "NOT"});
    });
    if (s.Accept("GENERATED BY DEFAULT AS")) *by_default = true;
    if (s.Accept("IDENTITY")) {
      c.identity = *by_default ? 'd' : 'a';
      s.Expect("(");
      c.identity_options.start = s.Number();
      s.Expect(",");
      c.identity_options.increment = s.Number();
      s.Expect(")");
    }
    Column rest = ReadAttributes(s);
    c.default_expr = rest.default_expr;
    c.encoding = rest.encoding;
    c.collation = rest.collation;
    c.not_null = rest.not_null;
    return c;
  }

  Column ReadAttributes(Stmt& s) {
    Column c;
    for (;;) {
      if (s.Accept("DEFAULT")) {
        c.default_expr = s.RawUntil([](const Token& t) {
          return StopAt(t, {"ENCODE", "COLLATE", "NOT"});
        });
      } else if (s.Accept("ENCODE")) {
        c.encoding = Lower(s.Next().text);
      } else if (s.Accept("COLLATE")) {
        c.collation = Lower(s.Next().text);
      } else if (s.Accept("NOT NULL")) {
        c.not_null = true;
      } else {
        return c;
      }
    }
  }

  static std::string Lower(std::string v) {
    std::transform(v.begin(), v.end(), v.begin(), ::tolower);
    return v;
  }

  // BACKUP NO, DISTSTYLE, DISTKEY, SORTKEY, ENCODE AUTO, AUTO REFRESH YES: until AS or the end.
  void ReadLayout(Stmt& s, Distribution* d, SortKey* k, bool* backup, bool* encode_auto,
                  bool* auto_refresh = nullptr) {
    while (!s.AtEnd() && !s.IsWord("AS") && s.error().empty()) {
      if (s.Accept("BACKUP NO")) {
        *backup = false;
      } else if (s.Accept("DISTSTYLE")) {
        std::string style = s.Next().text;
        d->style = style == "AUTO"   ? Distribution::Style::kAuto
                   : style == "EVEN" ? Distribution::Style::kEven
                   : style == "ALL"  ? Distribution::Style::kAll
                                     : Distribution::Style::kKey;
      } else if (s.Accept("DISTKEY")) {
        d->key = s.IdentList().front();
      } else if (s.Accept("SORTKEY AUTO")) {
        k->style = SortKey::Style::kAuto;
      } else if (s.Accept("COMPOUND SORTKEY") || s.Accept("SORTKEY")) {
        k->style = SortKey::Style::kCompound;
        k->columns = s.IdentList();
      } else if (s.Accept("INTERLEAVED SORTKEY")) {
        k->style = SortKey::Style::kInterleaved;
        k->columns = s.IdentList();
      } else if (s.Accept("ENCODE AUTO")) {
        *encode_auto = true;
      } else if (auto_refresh != nullptr && s.Accept("AUTO REFRESH YES")) {
        *auto_refresh = true;
      } else {
        s.Fail("unknown table attribute");
      }
    }
  }

  void CreateView(Stmt& s, bool materialized) {
    View v;
    v.name = s.Name();
    v.materialized = materialized;
    bool backup = true, encode_auto = false;
    if (materialized) v.distribution.style = Distribution::Style::kAuto;  // Redshift's default
    ReadLayout(s, &v.distribution, &v.sort_key, &backup, &encode_auto, &v.auto_refresh);
    v.backup = backup;
    s.Expect("AS");
    std::string def = s.RawUntil([&](const Token& t) {
      return !materialized && t.kind == Token::kWord && t.text == "WITH" && s.IsWord("NO", 1) &&
             s.IsWord("SCHEMA", 2);
    });
    v.definition = def;
    v.late_binding = s.Accept("WITH NO SCHEMA BINDING");
    c_->views.push_back(v);
  }

  // "\"a\" integer, \"b\" INOUT character varying" -> "integer, character varying".
  static std::string IdentityArgs(const std::string& arguments) {
    std::vector<std::string> out;
    Result<std::vector<Token>> tokens = Tokenize(arguments);
    if (!tokens.ok()) return "?";
    size_t depth = 0, begin = std::string::npos;
    bool skip = false;
    auto flush = [&](size_t end) {
      if (begin != std::string::npos && !skip) out.push_back(arguments.substr(begin, end - begin));
      begin = std::string::npos;
      skip = false;
    };
    size_t last_end = 0;
    for (size_t i = 0; i < tokens->size(); ++i) {
      const Token& t = (*tokens)[i];
      if (t.kind == Token::kPunct && t.text == "(") ++depth;
      if (t.kind == Token::kPunct && t.text == ")") --depth;
      if (depth == 0 && t.kind == Token::kPunct && t.text == ",") {
        flush(last_end);
        continue;
      }
      if (begin == std::string::npos) {
        if (t.kind == Token::kIdent) continue;  // the argument's name
        if (t.kind == Token::kWord && (t.text == "IN" || t.text == "INOUT")) continue;
        if (t.kind == Token::kWord && t.text == "OUT") {
          skip = true;
          continue;
        }
        begin = t.begin;
      }
      last_end = t.end;
    }
    flush(last_end);
    return fmt::format("{}", fmt::join(out, ", "));
  }

  void CreateRoutine(Stmt& s, Routine::Kind kind) {
    Routine r;
    r.kind = kind;
    r.name = s.Name();
    r.parts.arguments = s.Parenthesized();
    r.identity_args = IdentityArgs(r.parts.arguments);
    if (s.Accept("RETURNS")) {
      r.parts.returns = s.RawUntil([](const Token& t) {
        return t.kind == Token::kWord &&
               (t.text == "VOLATILE" || t.text == "STABLE" || t.text == "IMMUTABLE");
      });
      std::string v = s.Next().text;
      r.parts.volatility = v == "IMMUTABLE" ? 'i' : v == "STABLE" ? 's' : 'v';
    }
    for (;;) {
      if (s.Accept("NONATOMIC")) {
        r.parts.nonatomic = true;
      } else if (s.Accept("SECURITY DEFINER")) {
        r.parts.security_definer = true;
      } else if (s.Accept("AS")) {
        if (s.Peek().kind != Token::kDollar) return s.Fail("expected a dollar-quoted body");
        r.parts.body = s.Next().text;
      } else if (s.Accept("LANGUAGE")) {
        r.language = Lower(s.Next().text);
      } else if (s.Accept("SET")) {
        r.parts.config.push_back(Setting(s));
      } else {
        break;
      }
    }
    c_->routines.push_back(r);
  }

  void RoutineOwner(Stmt& s, Routine::Kind kind) {
    QualifiedName name = s.Name();
    std::string args = s.Parenthesized();
    s.Expect("OWNER TO");
    std::string owner = s.Ident();
    for (Routine& r : c_->routines) {
      if (r.kind == kind && r.name == name && r.identity_args == args) r.owner = owner;
    }
  }

  void AlterTable(Stmt& s) {
    QualifiedName name = s.Name();
    if (s.Accept("OWNER TO")) {
      std::string owner = s.Ident();
      for (Table& t : c_->tables) {
        if (t.name == name) t.owner = owner;
      }
      for (View& v : c_->views) {
        if (v.name == name) v.owner = owner;
      }
      return;
    }
    s.Expect("ADD CONSTRAINT");
    Constraint c;
    c.name = s.Ident();
    c.kind = s.IsWord("PRIMARY")   ? Constraint::Kind::kPrimaryKey
             : s.IsWord("UNIQUE")  ? Constraint::Kind::kUnique
             : s.IsWord("FOREIGN") ? Constraint::Kind::kForeignKey
                                   : Constraint::Kind::kCheck;
    c.definition = s.RawUntil([](const Token&) { return false; });
    for (Table& t : c_->tables) {
      if (t.name == name) t.constraints.push_back(c);
    }
  }

  void Comment(Stmt& s) {
    bool column = s.Accept("COLUMN");
    bool view = !column && s.Accept("VIEW");
    if (!column && !view) s.Expect("TABLE");
    QualifiedName name = s.Name();
    std::string col;
    if (column) {
      s.Expect(".");
      col = s.Ident();
    }
    s.Expect("IS");
    std::string text = s.String();
    for (Table& t : c_->tables) {
      if (t.name != name) continue;
      if (!column) t.comment = text;
      for (Column& c : t.columns) {
        if (c.name == col) c.comment = text;
      }
    }
    for (View& v : c_->views) {
      if (v.name != name) continue;
      if (!column) v.comment = text;
      if (column) v.columns.push_back({col, text, ""});
    }
  }

  // ON <object>: the object and its owner.
  ObjectRef Object(Stmt& s, std::string* owner) {
    ObjectRef o;
    if (s.Accept("SCHEMA")) {
      o.kind = ObjectKind::kSchema;
      o.name.schema = s.Ident();
      for (const Schema& sc : c_->schemas) {
        if (sc.name == o.name.schema) *owner = sc.owner;
      }
    } else if (s.Accept("DATABASE")) {
      o.kind = ObjectKind::kDatabase;
      o.name.schema = s.Ident();
    } else if (s.IsWord("FUNCTION") || s.IsWord("PROCEDURE")) {
      o.kind = s.Next().text == "FUNCTION" ? ObjectKind::kFunction : ObjectKind::kProcedure;
      o.name = s.Name();
      o.arguments = s.Parenthesized();
      for (const Routine& r : c_->routines) {
        if (r.name == o.name && r.identity_args == o.arguments) *owner = r.owner;
      }
    } else {
      s.Expect("TABLE");
      o.name = s.Name();
      for (const Table& t : c_->tables) {
        if (t.name == o.name) *owner = t.owner;
      }
      for (const View& v : c_->views) {
        if (v.name != o.name) continue;
        o.kind = v.materialized ? ObjectKind::kMaterializedView : ObjectKind::kView;
        *owner = v.owner;
      }
    }
    return o;
  }

  AclItem Grantee(Stmt& s) {
    AclItem item;
    if (s.Accept("PUBLIC")) return item;
    if (s.Accept("GROUP")) item.grantee_kind = GranteeKind::kGroup;
    if (s.Accept("ROLE")) item.grantee_kind = GranteeKind::kRole;
    item.grantee = s.Ident();
    return item;
  }

  // SELECT, UPDATE ("c"), ...: the privilege names and the column they name, if any.
  std::vector<std::string> Privileges(Stmt& s, std::string* column) {
    std::vector<std::string> out;
    do {
      out.push_back(s.Next().text);
      if (s.IsPunct("(")) *column = s.IdentList().front();
    } while (s.Accept(","));
    return out;
  }

  static void AddTo(std::vector<AclItem>* items, AclItem add) {
    for (AclItem& i : *items) {
      if (i.grantee == add.grantee && i.grantee_kind == add.grantee_kind &&
          i.grantor == add.grantor) {
        i.privileges.insert(i.privileges.end(), add.privileges.begin(), add.privileges.end());
        return;
      }
    }
    items->push_back(std::move(add));
  }

  ObjectAcl& AclOf(const ObjectRef& o) {
    for (ObjectAcl& a : c_->acls) {
      if (a.object == o) return a;
    }
    c_->acls.push_back({o, "", {}});
    return c_->acls.back();
  }

  void Grant(Stmt& s) {
    std::string column, owner;
    std::vector<std::string> names = Privileges(s, &column);
    if (!s.Accept("ON")) {  // a system privilege: GRANT CREATE TABLE TO ROLE r
      std::string privilege = fmt::format("{}", fmt::join(names, " "));
      while (!s.IsWord("TO") && !s.AtEnd()) privilege.append(" ").append(s.Next().text);
      s.Expect("TO ROLE");
      if (Role* r = FindRole(s.Ident())) r->system_privileges.push_back(privilege);
      return;
    }
    ObjectRef o = Object(s, &owner);
    o.column = column;
    s.Expect("TO");
    AclItem item = Grantee(s);
    bool grantable = s.Accept("WITH GRANT OPTION");
    item.grantor = session_user_.empty() ? owner : session_user_;
    for (const std::string& n : names) item.privileges.push_back({n, grantable});
    ObjectAcl& acl = AclOf(o);
    acl.owner = owner;
    AddTo(&acl.items, item);
  }

  void Revoke(Stmt& s) {
    std::string column;
    if (s.IsPunct("(")) column = s.IdentList().front();
    s.Expect("ON");
    std::string owner;
    ObjectRef o = Object(s, &owner);
    o.column = column;
    s.Expect("FROM");
    std::vector<AclItem> gone;
    do gone.push_back(Grantee(s));
    while (s.Accept(","));
    ObjectAcl& acl = AclOf(o);
    acl.owner = owner;
    std::erase_if(acl.items, [&](const AclItem& i) {
      return std::any_of(gone.begin(), gone.end(), [&](const AclItem& g) {
        return g.grantee == i.grantee && g.grantee_kind == i.grantee_kind;
      });
    });
  }

  void DefaultPrivileges(Stmt& s) {
    DefaultAcl rule;
    s.Expect("FOR USER");
    rule.role = s.Ident();
    if (s.Accept("IN SCHEMA")) rule.schema = s.Ident();
    bool grant = s.Accept("GRANT");
    if (!grant) s.Expect("REVOKE ALL");
    std::string column;
    std::vector<std::string> names = grant ? Privileges(s, &column) : std::vector<std::string>{};
    s.Expect("ON");
    std::string on = s.Next().text;
    rule.on = on == "FUNCTIONS"    ? DefaultAcl::On::kFunctions
              : on == "PROCEDURES" ? DefaultAcl::On::kProcedures
                                   : DefaultAcl::On::kTables;
    DefaultAcl* existing = nullptr;
    for (DefaultAcl& d : c_->default_acls) {
      if (d.role == rule.role && d.schema == rule.schema && d.on == rule.on) existing = &d;
    }
    if (existing == nullptr) {
      c_->default_acls.push_back(rule);
      existing = &c_->default_acls.back();
    }
    if (!grant) {
      s.Expect("FROM");
      do Grantee(s);
      while (s.Accept(","));
      existing->items.clear();
      return;
    }
    s.Expect("TO");
    AclItem item = Grantee(s);
    bool grantable = s.Accept("WITH GRANT OPTION");
    item.grantor = rule.role;
    for (const std::string& n : names) item.privileges.push_back({n, grantable});
    AddTo(&existing->items, item);
  }

  Catalog* c_;
  std::string session_user_;
};

}  // namespace

Status ReadRedshiftDdl(const std::string& sql, Catalog* catalog) {
  Result<std::vector<Token>> tokens = Tokenize(sql);
  if (!tokens.ok()) return tokens.status();
  Reader reader(catalog);
  std::vector<Token> current;
  for (const Token& t : *tokens) {
    if (t.kind != Token::kPunct || t.text != ";") {
      current.push_back(t);
      continue;
    }
    Stmt s(sql, std::move(current));
    current.clear();
    Status st = reader.Apply(s);
    if (!st.ok()) return st;
  }
  if (!current.empty()) return Status::InvalidArgument("statement without ';' at the end");
  return Status::Ok();
}

}  // namespace tenantshift
