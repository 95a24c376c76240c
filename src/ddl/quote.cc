#include "ddl/quote.h"

namespace tenantshift {
namespace {

std::string QuoteWith(std::string_view text, char quote) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back(quote);
  for (char c : text) {
    if (c == quote) out.push_back(quote);
    out.push_back(c);
  }
  out.push_back(quote);
  return out;
}

}  // namespace

std::string QuoteIdent(std::string_view ident) { return QuoteWith(ident, '"'); }

std::string QuoteName(const QualifiedName& name) {
  return QuoteIdent(name.schema) + "." + QuoteIdent(name.name);
}

std::string QuoteLiteral(std::string_view value) { return QuoteWith(value, '\''); }

std::string QuoteRedshiftLiteral(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out.push_back(c);
    out.push_back(c);
  }
  return out + "'";
}

}  // namespace tenantshift
