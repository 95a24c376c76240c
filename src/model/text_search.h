// Text search dictionaries and configurations of a tenant schema (PostgreSQL). Value types.
// Templates and parsers are not moved (they need C functions); these name theirs.
#pragma once

#include <string>
#include <vector>

#include "model/object_name.h"

namespace tenantshift {

// CREATE TEXT SEARCH DICTIONARY name (TEMPLATE = template, options).
struct TextSearchDictionary {
  QualifiedName name;
  std::string owner;
  QualifiedName template_name;
  std::string options;  // pg_ts_dict.dictinitoption as stored: "language = 'english'"; may be empty
  std::string comment;  // empty when none

  bool operator==(const TextSearchDictionary&) const = default;
};

// ALTER TEXT SEARCH CONFIGURATION ... ADD MAPPING FOR token WITH dictionaries.
struct TextSearchMapping {
  std::string token;                        // the parser's token alias: "asciiword"
  std::vector<QualifiedName> dictionaries;  // in mapseqno order

  bool operator==(const TextSearchMapping&) const = default;
};

// CREATE TEXT SEARCH CONFIGURATION name (PARSER = parser), then its mappings.
struct TextSearchConfiguration {
  QualifiedName name;
  std::string owner;
  QualifiedName parser;
  std::vector<TextSearchMapping> mappings;  // by token type
  std::string comment;

  bool operator==(const TextSearchConfiguration&) const = default;
};

}  // namespace tenantshift
