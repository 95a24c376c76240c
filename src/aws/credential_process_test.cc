#include "aws/credential_process.h"

#include <gtest/gtest.h>

#include "aws/aws_config_file.h"

namespace tenantshift {
namespace {

TEST(SplitCommandLineTest, QuotesAndBackslashesAsAShellWould) {
  Result<std::vector<std::string>> w =
      SplitCommandLine(R"(  /opt/my tool  'a b' "c \"d\" $x" e\ f 'g"h' "" )");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w,
            (std::vector<std::string>{"/opt/my", "tool", "a b", "c \"d\" $x", "e f", "g\"h", ""}));
  EXPECT_FALSE(SplitCommandLine("helper 'unterminated").ok());
  EXPECT_FALSE(SplitCommandLine("   ").ok());
}

TEST(SplitCommandLineTest, NoShellMetacharactersAreInterpreted) {
  Result<std::vector<std::string>> w = SplitCommandLine("echo $(id); rm -rf x | cat");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w, (std::vector<std::string>{"echo", "$(id);", "rm", "-rf", "x", "|", "cat"}));
}

TEST(RunProcessTest, CapturesStdoutAndReportsFailures) {
  Result<std::string> out = RunProcess({"printf", "%s", "hello"}, std::chrono::seconds(10), "t");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "hello");
  Result<std::string> bad = RunProcess({"/nonexistent/helper"}, std::chrono::seconds(10), "t");
  EXPECT_FALSE(bad.ok());
  Result<std::string> fails =
      RunProcess({"sh", "-c", "echo oops >&2; exit 4"}, std::chrono::seconds(10), "helper");
  ASSERT_FALSE(fails.ok());
  EXPECT_EQ(fails.status().message(), "helper exited with status 4: oops");
}

TEST(RunProcessTest, KillsAProcessThatHangs) {
  auto start = std::chrono::steady_clock::now();
  Result<std::string> r = RunProcess({"sleep", "30"}, std::chrono::seconds(1), "slow helper");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no answer within 1 s"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(RedactKeyLikeTest, LongKeyShapedRunsGoShortWordsStay) {
  EXPECT_EQ(
      RedactKeyLike("token ASIAXXXXXXXXXXXXXXXX expired, key wJalrXUtnFEMI/K7MDENG+bPxRfiCY!"),
      "token [redacted] expired, key [redacted]!");
  EXPECT_EQ(RedactKeyLike("sso session expired"), "sso session expired");
}

TEST(ParseAwsProfilesTest, SectionsCommentsAndErrors) {
  Result<AwsProfiles> p = ParseAwsProfiles(
      "; c\n[default]\nKey = v\n[profile a b]\nx=1\n[sso-session s]\ny=2\n[profile q]\n",
      AwsFileKind::kConfig, "cfg");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->at("default").at("key"), "v");
  EXPECT_EQ(p->at("a b").at("x"), "1");
  EXPECT_TRUE(p->count("q"));
  EXPECT_FALSE(p->count("sso-session s"));
  EXPECT_FALSE(p->count("s"));
  Result<AwsProfiles> creds =
      ParseAwsProfiles("[profile x]\nk=v\n", AwsFileKind::kCredentials, "creds");
  ASSERT_TRUE(creds.ok());
  EXPECT_TRUE(creds->count("profile x"));  // the credentials file has no "profile " prefix
  Result<AwsProfiles> bad = ParseAwsProfiles("k=v\n", AwsFileKind::kConfig, "cfg");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "cfg:1: setting before any [section]");
  EXPECT_FALSE(ParseAwsProfiles("[default\n", AwsFileKind::kConfig, "cfg").ok());
}

}  // namespace
}  // namespace tenantshift
