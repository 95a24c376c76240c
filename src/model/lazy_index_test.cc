#include "model/lazy_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/catalog.h"

namespace tenantshift {
namespace {

struct Item {
  std::string name;
  int value = 0;
};
std::string NameOf(const Item& i) { return i.name; }

TEST(LazyIndexTest, FindsTheFirstElementWithTheKey) {
  std::vector<Item> items = {{"a", 1}, {"b", 2}, {"a", 3}};
  LazyIndex<std::string> index;
  ASSERT_NE(index.Find(items, std::string("a"), NameOf), nullptr);
  EXPECT_EQ(index.Find(items, std::string("a"), NameOf)->value, 1);
  EXPECT_EQ(index.Find(items, std::string("b"), NameOf), &items[1]);
  EXPECT_EQ(index.Find(items, std::string("c"), NameOf), nullptr);
}

TEST(LazyIndexTest, SeesElementsAddedOrRenamedAfterTheFirstLookup) {
  std::vector<Item> items = {{"a", 1}};
  LazyIndex<std::string> index;
  EXPECT_EQ(index.Find(items, std::string("b"), NameOf), nullptr);
  items.push_back({"b", 2});  // another size: a fresh index
  ASSERT_NE(index.Find(items, std::string("b"), NameOf), nullptr);
  EXPECT_EQ(index.Find(items, std::string("b"), NameOf)->value, 2);
  // Renamed in place: the stale hit is checked and not returned. std::string(1, ...), not = "z":
  // GCC 12 -Wrestrict false positive (PR105329).
  items[0].name = std::string(1, 'z');
  EXPECT_EQ(index.Find(items, std::string("a"), NameOf), nullptr);
}

TEST(LazyIndexTest, ACopiedCatalogFindsItsOwnObjects) {
  Catalog a;
  Table t;
  t.name = {"acme", "orders"};
  a.tables.push_back(t);
  ASSERT_EQ(a.FindTable(t.name), &a.tables[0]);
  Catalog b = a;
  EXPECT_EQ(b.FindTable(t.name), &b.tables[0]);  // not a pointer into `a`
  b.tables.clear();
  EXPECT_EQ(b.FindTable(t.name), nullptr);
  EXPECT_EQ(a.FindTable(t.name), &a.tables[0]);
}

}  // namespace
}  // namespace tenantshift
