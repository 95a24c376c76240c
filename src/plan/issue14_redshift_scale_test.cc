// Issue 14: a Redshift tenant of thousands of tables. The recorded catalog of
// tests/fixtures/redshift (answers recorded from the queries' documented columns, see its
// README) is grown by 5,000 generated copies of its table acme.customers; extraction must then
// issue exactly as many catalog queries as for the recorded tenant, and the plan must hold a
// data step for every table.
#include <gtest/gtest.h>

#include <string>

#include "extract/extractor.h"
#include "plan/planner.h"
#include "testing/catalog_fixture.h"
#include "testing/fake_session.h"

namespace tenantshift {
namespace {

constexpr int kGenerated = 5000;

// `rows` plus, for each row whose `oid_column` is `oid`, kGenerated copies with the oids
// 900000, 900001, ... and, when `name_column` is set, the names gen_0, gen_1, ...
Rows Grown(Rows rows, const std::string& oid_column, const std::string& oid,
           const std::string& name_column = "") {
  size_t oid_col = rows.Col(oid_column);
  std::vector<std::vector<std::optional<std::string>>> originals;
  for (const auto& r : rows.rows) {
    if (r[oid_col] == oid) originals.push_back(r);
  }
  for (int i = 0; i < kGenerated; ++i) {
    for (auto r : originals) {
      r[oid_col] = std::to_string(900000 + i);
      if (!name_column.empty()) r[rows.Col(name_column)] = "gen_" + std::to_string(i);
      rows.rows.push_back(std::move(r));
    }
  }
  return rows;
}

std::filesystem::path Fixture(const std::string& file) {
  return std::filesystem::path(TENANTSHIFT_SOURCE_DIR) / "tests/fixtures/redshift" / file;
}

TEST(Issue14RedshiftScale, ExtractionQueriesDoNotGrowWithTablesAndThePlanCoversThemAll) {
  Result<std::unique_ptr<FakeSession>> recorded = LoadRedshiftFixture();
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  Result<Catalog> small = ExtractCatalog(**recorded, {"acme"});
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  size_t small_queries = (*recorded)->queried.size();

  Result<std::unique_ptr<FakeSession>> big = LoadRedshiftFixture();
  ASSERT_TRUE(big.ok());
  const std::string customers = "200001";
  (*big)->AddResult(std::string(EmbeddedSql("redshift/tables.sql")),
                    Grown(LoadFixtureRows(Fixture("tables.json")), "oid", customers, "name"));
  (*big)->AddResult(std::string(EmbeddedSql("redshift/columns.sql")),
                    Grown(LoadFixtureRows(Fixture("columns.json")), "relation_oid", customers));
  (*big)->AddResult(std::string(EmbeddedSql("redshift/table_info.sql")),
                    Grown(LoadFixtureRows(Fixture("table_info.json")), "oid", customers));
  Result<Catalog> large = ExtractCatalog(**big, {"acme"});
  ASSERT_TRUE(large.ok()) << large.status().ToString();
  ASSERT_EQ(large->tables.size(), small->tables.size() + kGenerated);
  EXPECT_EQ((*big)->queried.size(), small_queries);  // bounded: no query per table

  Catalog target;
  target.server.dialect = Dialect::kRedshiftServerless;
  target.server.current_user = "admin";
  PlannedMigration pm = BuildPlan(*large, target, PlanOptions{});
  int generated_copies = 0;
  for (const Step& s : pm.plan.steps()) {
    if (s.kind == StepKind::kCopyData && s.table.name.rfind("gen_", 0) == 0) ++generated_copies;
  }
  EXPECT_EQ(generated_copies, kGenerated);
}

}  // namespace
}  // namespace tenantshift
