// The data-facts probe (D10 identity high-water marks, R8 SUPER sizes) on the recorded tenant of
// tests/fixtures/redshift, answered by tests/fixtures/redshift_data_facts/probe.json (values
// constructed: the test's choice, see that folder's README). Expected values are read off those
// rows by hand.
#include "extract/redshift/rs_data_facts.h"

#include <gtest/gtest.h>

#include "extract/extractor.h"
#include "testing/catalog_fixture.h"

namespace tenantshift {
namespace {

const std::vector<std::string> kTenant = {"acme"};

Rows ProbeRows() {
  return LoadFixtureRows(std::string(TENANTSHIFT_SOURCE_DIR) +
                         "/tests/fixtures/redshift_data_facts/probe.json");
}

const Column& ColumnOf(const Catalog& c, const std::string& table, const std::string& column) {
  const Table* t = c.FindTable({"acme", table});
  EXPECT_NE(t, nullptr) << table;
  for (const Column& col : t->columns) {
    if (col.name == column) return col;
  }
  ADD_FAILURE() << "no column " << column;
  static const Column none;
  return none;
}

class RsDataFactsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<FakeSession>> s = LoadRedshiftFixture("redshift");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    session_ = std::move(*s);
    Result<Catalog> c = ExtractCatalog(*session_, kTenant);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    catalog_ = std::move(*c);
  }
  std::unique_ptr<FakeSession> session_;
  Catalog catalog_;
};

TEST_F(RsDataFactsTest, OneAggregatePerIdentityAndSuperColumnOnly) {
  std::string sql = RedshiftDataFactsSql(catalog_);
  EXPECT_NE(sql.find("SELECT 'acme' AS schema_name, 'orders' AS table_name, 'id' AS column_name, "
                     "MAX(\"id\")::BIGINT AS hi, MIN(\"id\")::BIGINT AS lo, NULL::BIGINT AS "
                     "json_bytes FROM \"acme\".\"orders\""),
            std::string::npos)
      << sql;
  EXPECT_NE(sql.find("COALESCE(MAX(JSON_SIZE(\"payload\")), 0)::BIGINT AS json_bytes FROM "
                     "\"acme\".\"orders\""),
            std::string::npos)
      << sql;
  EXPECT_NE(sql.find("MAX(\"ref_code\")"), std::string::npos) << sql;
  // Three columns, so two UNION ALLs; no other column of the tenant is scanned.
  size_t unions = 0;
  for (size_t at = sql.find("UNION ALL"); at != std::string::npos;
       at = sql.find("UNION ALL", at + 1)) {
    ++unions;
  }
  EXPECT_EQ(unions, 2u) << sql;
}

TEST_F(RsDataFactsTest, RecordsHighWaterMarksAndSuperSizes) {
  session_->AddResult(RedshiftDataFactsSql(catalog_), ProbeRows());
  ASSERT_TRUE(ReadRedshiftDataFacts(*session_, &catalog_).ok());
  EXPECT_EQ(ColumnOf(catalog_, "orders", "id").identity_state, (SequenceState{1042, true}));
  EXPECT_EQ(ColumnOf(catalog_, "customers", "ref_code").identity_state, (SequenceState{605, true}));
  EXPECT_EQ(ColumnOf(catalog_, "orders", "payload").largest_json_bytes, 151);
  EXPECT_EQ(ColumnOf(catalog_, "orders", "total").largest_json_bytes, -1);  // not probed
}

TEST_F(RsDataFactsTest, AnEmptyTableLeavesTheIdentityUncalled) {
  Rows rows = ProbeRows();
  rows.rows[1][3] = std::nullopt;  // orders.id: MAX of no rows is NULL
  rows.rows[1][4] = std::nullopt;
  session_->AddResult(RedshiftDataFactsSql(catalog_), rows);
  ASSERT_TRUE(ReadRedshiftDataFacts(*session_, &catalog_).ok());
  EXPECT_FALSE(ColumnOf(catalog_, "orders", "id").identity_state.is_called);
}

TEST_F(RsDataFactsTest, AFailedProbeChangesNothingAndSaysWhat) {
  std::vector<Table> before = catalog_.tables;
  Status s = ReadRedshiftDataFacts(*session_, &catalog_);  // no answer recorded
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("identity high-water marks and SUPER value sizes"), std::string::npos)
      << s.message();
  EXPECT_EQ(catalog_.tables, before);
}

TEST_F(RsDataFactsTest, ABadValueChangesNothing) {
  Rows rows = ProbeRows();
  rows.rows[2][5] = "many";  // payload json_bytes
  session_->AddResult(RedshiftDataFactsSql(catalog_), rows);
  std::vector<Table> before = catalog_.tables;
  EXPECT_FALSE(ReadRedshiftDataFacts(*session_, &catalog_).ok());
  EXPECT_EQ(catalog_.tables, before);
}

TEST(RsDataFactsSqlTest, NamesAreQuotedAsRedshiftLiteralsAndIdentifiers) {
  Catalog c;
  Table t;
  t.name = {"o'k\\", "t\"x"};
  Column col;
  col.name = "d'oc";
  col.type = "super";
  t.columns.push_back(col);
  c.tables.push_back(t);
  EXPECT_EQ(RedshiftDataFactsSql(c),
            "SELECT 'o''k\\\\' AS schema_name, 't\"x' AS table_name, 'd''oc' AS column_name, "
            "NULL::BIGINT AS hi, NULL::BIGINT AS lo, COALESCE(MAX(JSON_SIZE(\"d'oc\")), "
            "0)::BIGINT AS json_bytes FROM \"o'k\\\".\"t\"\"x\"");
  EXPECT_EQ(RedshiftDataFactsSql(Catalog{}), "");
}

}  // namespace
}  // namespace tenantshift
