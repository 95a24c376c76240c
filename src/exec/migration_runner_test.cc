#include "exec/migration_runner.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

Table WithColumns(std::vector<std::pair<std::string, std::string>> cols) {
  Table t;
  for (auto& [type, collation] : cols) {
    Column c;
    c.name = "c";
    c.type = type;
    c.collation = collation;
    t.columns.push_back(c);
  }
  return t;
}

TEST(ChooseChecksumTest, ValueHashesOnlyForTypesThatHashTheirExactValue) {
  Table pgbench = WithColumns({{"integer", ""}, {"character(84)", ""}, {"bigint", ""}});
  EXPECT_EQ(ChooseChecksum(pgbench, true, 150000), ChecksumMethod::kRowHash);
  // numeric hashes 1.0 and 1.00 alike; a collation may hash 'A' and 'a' alike.
  EXPECT_EQ(ChooseChecksum(WithColumns({{"integer", ""}, {"numeric(12,2)", ""}}), true, 150000),
            ChecksumMethod::kRowText);
  EXPECT_EQ(ChooseChecksum(WithColumns({{"text", "\"und-x-icu\""}}), true, 150000),
            ChecksumMethod::kRowText);
  EXPECT_EQ(ChooseChecksum(WithColumns({{"interval", ""}}), true, 150000),
            ChecksumMethod::kRowText);
  // Different major versions, or servers without hash_record_extended: text.
  EXPECT_EQ(ChooseChecksum(pgbench, false, 150000), ChecksumMethod::kRowText);
  EXPECT_EQ(ChooseChecksum(pgbench, true, 130000), ChecksumMethod::kRowText);
}

}  // namespace
}  // namespace tenantshift
