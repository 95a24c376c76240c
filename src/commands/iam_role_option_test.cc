#include "commands/iam_role_option.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

constexpr char kArn[] = "arn:aws:iam::123456789012:role/unload";

TEST(IamRoleOptionTest, UnloadAndCopyUseTheAssociatedRoleUnlessIamRoleNamesOne) {
  MigrationOptions o;
  EXPECT_EQ(EffectiveIamRole(o), "default");
  o.associate_iam_role = kArn;
  EXPECT_EQ(EffectiveIamRole(o), kArn);
  o.iam_role = "arn:aws:iam::123456789012:role/other";
  EXPECT_EQ(EffectiveIamRole(o), "arn:aws:iam::123456789012:role/other");
  o.associate_iam_role.clear();
  o.iam_role = "default";
  EXPECT_EQ(EffectiveIamRole(o), "default");
}

TEST(IamRoleOptionTest, TheTargetHostComesFromTheSpecOrTheConninfoInIt) {
  Result<ConnSpec> conninfo =
      ResolveConnSpec("host=wg.123456789012.eu-west-1.redshift-serverless.amazonaws.com dbname=d");
  ASSERT_TRUE(conninfo.ok());
  EXPECT_EQ(ConnSpecHost(*conninfo), "wg.123456789012.eu-west-1.redshift-serverless.amazonaws.com");
  Result<ConnSpec> uri =
      ResolveConnSpec("postgresql://u@c1.abc.us-east-1.redshift.amazonaws.com:5439/dev");
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(ConnSpecHost(*uri), "c1.abc.us-east-1.redshift.amazonaws.com");
  ConnSpec explicit_host;
  explicit_host.keywords = {"host", "dbname"};
  explicit_host.values = {"h1,h2", "d"};
  EXPECT_EQ(ConnSpecHost(explicit_host), "h1");
}

}  // namespace
}  // namespace tenantshift
