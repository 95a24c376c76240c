#include "ddl/quote.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

TEST(QuoteTest, IdentifiersAreAlwaysQuotedAndQuotesDoubled) {
  EXPECT_EQ(QuoteIdent("abc"), "\"abc\"");
  EXPECT_EQ(QuoteIdent("MixedCase"), "\"MixedCase\"");
  EXPECT_EQ(QuoteIdent("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(QuoteIdent("x\"; DROP TABLE t; --"), "\"x\"\"; DROP TABLE t; --\"");
  EXPECT_EQ(QuoteIdent("$(touch x) ü"), "\"$(touch x) ü\"");
  EXPECT_EQ(QuoteIdent(""), "\"\"");
}

TEST(QuoteTest, QualifiedNames) {
  EXPECT_EQ(QuoteName({"Bill\"ing", "t;1"}), "\"Bill\"\"ing\".\"t;1\"");
}

TEST(QuoteTest, LiteralsDoubleSingleQuotesAndKeepBackslashes) {
  EXPECT_EQ(QuoteLiteral("it's"), "'it''s'");
  EXPECT_EQ(QuoteLiteral("a\\b"), "'a\\b'");
  EXPECT_EQ(QuoteLiteral("'; DROP ROLE x; --"), "'''; DROP ROLE x; --'");
  EXPECT_EQ(QuoteLiteral(""), "''");
}

}  // namespace
}  // namespace tenantshift
