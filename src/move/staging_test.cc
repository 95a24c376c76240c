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

// R4: keys UNLOAD/COPY read without any escaping. The hash suffixes are the first 32 hex digits
// of `printf '%s' NAME | sha256sum`, computed outside this code.
TEST(StagingTest, HostileNamesBecomeOneSafeSegment) {
  EXPECT_EQ(EncodeKeySegment("orders"), "orders");
  EXPECT_EQ(EncodeKeySegment("Orders_2024.v1"), "Orders_2024.v1");
  EXPECT_EQ(EncodeKeySegment("a/b"), "a_b-c14cddc033f64b9dea80ea675cf280a0");
  EXPECT_EQ(EncodeKeySegment(".."), "_.-5ec1f7e700f37c3d0b2981d04855fc34");
  EXPECT_EQ(EncodeKeySegment("Bill\"ing; $(x) \xC3\xBC"),
            "Bill_ing____x____-df60410a0a028b3be44122e24745ea72");
  EXPECT_EQ(EncodeKeySegment(""), "-e3b0c44298fc1c149afbf4c8996fb924");
  EXPECT_EQ(EncodeKeySegment("a-b"), "a_b-d44362d67d921091c7b9674d752e9e23");
  // "a/b" in schema "s" and "b" in schema "s/a"... can never meet.
  StagingConfig c{.url = "s3://b", .run_id = "r"};
  EXPECT_NE(TablePrefix(c, {"s", "a/b"}), TablePrefix(c, {"s/a", "b"}));
  // A plain name that looks like a hashed one stays distinct: plain names hold no '-'.
  EXPECT_NE(EncodeKeySegment("a_b-c14cddc033f64b9dea80ea675cf280a0"), EncodeKeySegment("a/b"));
  for (const char* hostile : {"a/b", "..", "Bill\"ing; $(x) \xC3\xBC", "", "%41", "a b"}) {
    std::string prefix = TablePrefix(c, {hostile, hostile});
    EXPECT_TRUE(IsRedshiftSafeUrl(prefix)) << prefix;
    EXPECT_EQ(prefix.find('%'), std::string::npos) << prefix;
  }
}

TEST(StagingTest, RedshiftSafeUrls) {
  EXPECT_TRUE(IsRedshiftSafeUrl("s3://my-bucket/base/r1/acme/orders/"));
  EXPECT_FALSE(IsRedshiftSafeUrl("s3://my-bucket/base%20x/"));
  EXPECT_FALSE(IsRedshiftSafeUrl("s3://my-bucket/a b/"));
  EXPECT_FALSE(IsRedshiftSafeUrl("https://my-bucket/a/"));
}

}  // namespace
}  // namespace tenantshift
