// No query tenantshift runs against a Redshift Serverless source may name a view the AWS docs
// mark provisioned-only. The list comes from the docs:
//  - the STL_, STV_, SVL_ and SVCS_ families, "System monitoring (provisioned only)":
//    https://docs.aws.amazon.com/redshift/latest/dg/c_intro_system_views.html
//  - SVV views whose page says "This view is only available when querying provisioned
//    clusters": SVV_SCHEMA_QUOTA_STATE
//    (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_SCHEMA_QUOTA_STATE.html),
//    SVV_DISKUSAGE (r_SVV_DISKUSAGE.html), SVV_VACUUM_PROGRESS (r_SVV_VACUUM_PROGRESS.html),
//    SVV_VACUUM_SUMMARY (r_SVV_VACUUM_SUMMARY.html), SVV_QUERY_INFLIGHT
//    (r_SVV_QUERY_INFLIGHT.html), SVV_QUERY_STATE (r_SVV_QUERY_STATE.html). A lower bound: the
//    docs state it page by page.
// tests/fixtures/redshift_serverless holds no answer for the provisioned-only queries
// (user_info, mv_info, mv_dependencies, probe_provisioned), so running one fails as well.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "extract/extractor.h"
#include "testing/catalog_fixture.h"

namespace tenantshift {
namespace {

const char kServerlessHost[] = "acme-wg.123456789012.us-east-1.redshift-serverless.amazonaws.com";
const char kProvisionedHost[] = "examplecluster.abc123xyz789.us-west-2.redshift.amazonaws.com";

// `sql` without its "--" comments (which may name a view to say it is not used).
std::string WithoutComments(const std::string& sql) {
  std::string out;
  bool comment = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (!comment && sql.compare(i, 2, "--") == 0) comment = true;
    if (sql[i] == '\n') comment = false;
    if (!comment) out += sql[i];
  }
  return out;
}

// The provisioned-only relations `sql` names outside comments ("stv_mv_info", ...), lower case.
std::vector<std::string> ProvisionedOnlyViews(std::string sql) {
  sql = WithoutComments(sql);
  std::transform(sql.begin(), sql.end(), sql.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::vector<std::string> kFamilies = {"stl_", "stv_", "svl_", "svcs_"};
  static const std::vector<std::string> kViews = {"svv_schema_quota_state", "svv_diskusage",
                                                  "svv_vacuum_progress",    "svv_vacuum_summary",
                                                  "svv_query_inflight",     "svv_query_state"};
  std::vector<std::string> out;
  auto word_start = [&](size_t i) {
    return i == 0 || !(std::isalnum(static_cast<unsigned char>(sql[i - 1])) || sql[i - 1] == '_');
  };
  for (size_t i = 0; i < sql.size(); ++i) {
    if (!word_start(i)) continue;
    for (const std::string& p : kFamilies) {
      if (sql.compare(i, p.size(), p) != 0) continue;
      size_t end = i;
      while (end < sql.size() &&
             (std::isalnum(static_cast<unsigned char>(sql[end])) || sql[end] == '_')) {
        ++end;
      }
      out.push_back(sql.substr(i, end - i));
    }
    for (const std::string& v : kViews) {
      if (sql.compare(i, v.size(), v) == 0) out.push_back(v);
    }
  }
  return out;
}

std::vector<std::string> ViewsQueried(const std::string& dir, const std::string& host) {
  Result<std::unique_ptr<FakeSession>> s = LoadRedshiftFixture(dir, host);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (!s.ok()) return {"fixture"};
  Result<Catalog> c = ExtractCatalog(**s, {"acme"});
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  std::vector<std::string> out;
  for (const std::string& sql : (*s)->queried) {
    for (std::string& v : ProvisionedOnlyViews(sql)) out.push_back(std::move(v));
  }
  return out;
}

TEST(RsServerlessQueriesTest, TheCheckFindsProvisionedOnlyNames) {
  EXPECT_EQ(ProvisionedOnlyViews("SELECT 1 FROM STV_MV_INFO m JOIN svl_user_info u ON true"),
            (std::vector<std::string>{"stv_mv_info", "svl_user_info"}));
  EXPECT_EQ(ProvisionedOnlyViews("select * from svv_schema_quota_state"),
            std::vector<std::string>{"svv_schema_quota_state"});
  EXPECT_TRUE(ProvisionedOnlyViews("select * from svv_redshift_schema_quota, my_stl_x").empty());
  EXPECT_TRUE(ProvisionedOnlyViews("-- not svv_schema_quota_state\nselect 1").empty());
}

TEST(RsServerlessQueriesTest, ExtractingAServerlessSourceNamesNoProvisionedOnlyView) {
  EXPECT_EQ(ViewsQueried("redshift_serverless", kServerlessHost), std::vector<std::string>{});
}

// The control: on a provisioned cluster the extractor does read STV/SVL views, so the check
// above can fail.
TEST(RsServerlessQueriesTest, AProvisionedSourceIsAllowedItsSystemViews) {
  std::vector<std::string> views = ViewsQueried("redshift", kProvisionedHost);
  EXPECT_NE(std::find(views.begin(), views.end(), "stv_mv_info"), views.end());
  EXPECT_NE(std::find(views.begin(), views.end(), "svl_user_info"), views.end());
}

}  // namespace
}  // namespace tenantshift
