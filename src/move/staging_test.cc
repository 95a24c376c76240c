#include "move/staging.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

TEST(StagingTest, PrefixIsUniquePerRunSchemaAndTable) {
  StagingConfig c;
  c.url = "s3://bucket/base/";
  c.run_id = "r1";
  EXPECT_EQ(TablePrefix(c, {"acme", "orders"}), "s3://bucket/base/r1/acme/orders/");
  // The reference system's paths were <bucket>/<table>: two schemas collided.
  EXPECT_NE(TablePrefix(c, {"a", "t"}), TablePrefix(c, {"b", "t"}));
  c.run_id = "r2";
  EXPECT_EQ(TablePrefix(c, {"acme", "orders"}), "s3://bucket/base/r2/acme/orders/");
}

TEST(StagingTest, HostileNamesBecomeOneSafeSegment) {
  EXPECT_EQ(EncodeKeySegment("a/b"), "a%2Fb");
  EXPECT_EQ(EncodeKeySegment(".."), "%2E.");
  EXPECT_EQ(EncodeKeySegment("Bill\"ing; $(x) \xC3\xBC"), "Bill%22ing%3B%20%24%28x%29%20%C3%BC");
  EXPECT_EQ(EncodeKeySegment(""), "%00");
  // "a/b" in schema "s" and "b" in schema "s/a"... can never meet.
  StagingConfig c{.url = "s3://b", .run_id = "r"};
  EXPECT_NE(TablePrefix(c, {"s", "a/b"}), TablePrefix(c, {"s/a", "b"}));
}

}  // namespace
}  // namespace tenantshift
