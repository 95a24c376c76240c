// RedshiftChecksumSql's tokens for the types of R18 (no documented CSV round trip): whatever
// UNLOAD/COPY do to them must show in validation, so each must hash a text that tells NULL,
// an empty value and a real value apart. Expected fragments written by hand.
#include "dialect/dialect_pair.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

Table Odd() {
  Table t;
  t.name = {"acme", "odd"};
  for (auto [name, type] : std::initializer_list<std::pair<const char*, const char*>>{
           {"span", "interval day to second"},
           {"at", "time without time zone"},
           {"at_tz", "time with time zone"},
           {"bytes", "varbyte(16)"},
           {"sketch", "hllsketch"}}) {
    Column c;
    c.name = name;
    c.type = type;
    t.columns.push_back(c);
  }
  return t;
}

bool Has(const std::string& sql, const std::string& part) {
  return sql.find(part) != std::string::npos;
}

TEST(RedshiftChecksumR18Test, EachTypeHashesATextThatKeepsNullApart) {
  std::string sql = RedshiftChecksumSql(Odd());
  // INTERVAL and TIME/TIMETZ: their text under the sessions' equal settings (UTC, ISO).
  EXPECT_TRUE(Has(sql, "CASE WHEN \"span\" IS NULL THEN 'n' ELSE MD5(\"span\"::VARCHAR) END"))
      << sql;
  EXPECT_TRUE(Has(sql, "CASE WHEN \"at\" IS NULL THEN 'n' ELSE MD5(\"at\"::VARCHAR) END"));
  EXPECT_TRUE(Has(sql, "CASE WHEN \"at_tz\" IS NULL THEN 'n' ELSE MD5(\"at_tz\"::VARCHAR) END"));
  // An empty VARBYTE is a value (MD5 of its empty hex), never the NULL token: a copy that
  // turned '' into NULL (or back) is a mismatch.
  EXPECT_TRUE(Has(sql,
                  "CASE WHEN \"bytes\" IS NULL THEN 'n' ELSE CASE WHEN LEN(\"bytes\") <= 32000 "
                  "THEN MD5(FROM_VARBYTE(\"bytes\", 'hex'))"));
  // HLLSKETCH has no text form: only its cardinality is compared (weaker; README lists it).
  EXPECT_TRUE(
      Has(sql,
          "CASE WHEN \"sketch\" IS NULL THEN 'n' ELSE MD5(HLL_CARDINALITY(\"sketch\")::VARCHAR) "
          "END"));
}

// Item 9: the plan says how staged data is cut into files and why, citing AWS.
TEST(StagingNoteTest, NamesMaxFileSizeAndWhyTheFileCountIsNotFittedToSlices) {
  std::string note = StagingNote();
  EXPECT_TRUE(Has(note, "MAXFILESIZE 1 GB"));
  EXPECT_TRUE(Has(note, "c_best-practices-use-multiple-files.html"));
  EXPECT_TRUE(Has(note, "--jobs"));
}

}  // namespace
}  // namespace tenantshift
