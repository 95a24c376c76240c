// The pure parts of the catch-up: DDL detection from table signatures.
#include "commands/cutover_catchup.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

Table MakeTable(const std::string& schema, const std::string& name,
                std::vector<std::pair<std::string, std::string>> columns) {
  Table t;
  t.name = {schema, name};
  for (auto& [n, type] : columns) {
    Column c;
    c.name = n;
    c.type = type;
    t.columns.push_back(c);
  }
  return t;
}

TEST(TableSignatureTest, NamesEveryTableWithItsColumnsInOrder) {
  Catalog c;
  c.tables.push_back(MakeTable("acme", "orders", {{"id", "bigint"}, {"notes", "text"}}));
  c.tables.push_back(MakeTable("acme", "events", {}));
  nlohmann::json sig = TableSignature(c);
  EXPECT_EQ(sig, nlohmann::json::parse(
                     R"({"acme.orders": ["id bigint", "notes text"], "acme.events": []})"));
  EXPECT_TRUE(SignatureDifferences(sig, sig).empty());
}

TEST(TableSignatureTest, AddedDroppedAndChangedTablesAreNamed) {
  nlohmann::json planned = nlohmann::json::parse(
      R"({"acme.orders": ["id bigint", "notes text"], "acme.gone": ["id integer"]})");
  nlohmann::json now = nlohmann::json::parse(
      R"j({"acme.orders": ["id bigint", "notes character varying(10)"], "acme.new": []})j");
  EXPECT_EQ(SignatureDifferences(planned, now),
            (std::vector<std::string>{
                "table acme.gone was dropped", "table acme.new was added",
                "the columns of acme.orders changed (planned: id bigint, notes text; now: id "
                "bigint, notes character varying(10))"}));
}

}  // namespace
}  // namespace tenantshift
