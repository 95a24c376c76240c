#include "connect/conn_spec.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace tenantshift {
namespace {

std::string WriteTemp(const std::string& text) {
  char path[] = "/tmp/tenantshift_conn_spec_XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << text;
  return path;
}

std::string ValueOf(const ConnSpec& spec, const std::string& keyword) {
  std::string out;  // the last one wins, as in libpq
  for (size_t i = 0; i < spec.keywords.size(); ++i) {
    if (spec.keywords[i] == keyword) out = spec.values[i];
  }
  return out;
}

TEST(ConnSpecTest, SecretFileMapsEveryKeyAndHidesThePassword) {
  std::string path = WriteTemp(
      R"({"host":"db.example","port":5439,"database":"dev","username":"u","password":"p@ss:w\\rd"})");
  Result<ConnSpec> spec = ResolveConnSpec("secret-file:" + path);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(ValueOf(*spec, "host"), "db.example");
  EXPECT_EQ(ValueOf(*spec, "port"), "5439");  // the secret's port is honoured
  EXPECT_EQ(ValueOf(*spec, "dbname"), "dev");
  EXPECT_EQ(ValueOf(*spec, "user"), "u");
  EXPECT_EQ(ValueOf(*spec, "password"), "p@ss:w\\rd");
  EXPECT_EQ(spec->Redact("failed for p@ss:w\\rd here"), "failed for ******** here");
  std::remove(path.c_str());
}

TEST(ConnSpecTest, SecretFileAcceptsDbnameKey) {
  std::string path = WriteTemp(R"({"host":"h","dbname":"x","user":"u"})");
  Result<ConnSpec> spec = ResolveConnSpec("secret-file:" + path);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(ValueOf(*spec, "dbname"), "x");
  std::remove(path.c_str());
}

TEST(ConnSpecTest, BadSecretFilesAreClearErrorsWithoutContent) {
  std::string path = WriteTemp("{not json, password=hunter2");
  Result<ConnSpec> spec = ResolveConnSpec("secret-file:" + path);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message().find("hunter2"), std::string::npos);
  EXPECT_NE(spec.status().message().find(path), std::string::npos);
  std::remove(path.c_str());
  EXPECT_FALSE(ResolveConnSpec("secret-file:/nonexistent/x.json").ok());
}

TEST(ConnSpecTest, InlinePasswordsAreRedacted) {
  Result<ConnSpec> spec = ResolveConnSpec("host=h user=u password=s3cret dbname=d");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->Redact("password s3cret rejected"), "password ******** rejected");
  Result<ConnSpec> uri = ResolveConnSpec("postgresql://u:t0psecret@h:5432/d");
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(uri->Redact("x t0psecret y"), "x ******** y");
}

TEST(ConnSpecTest, DefaultsComeBeforeTheUsersSpecSoTheUserWins) {
  Result<ConnSpec> spec = ResolveConnSpec("host=h connect_timeout=3");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->keywords.back(), "dbname");  // expanded last: its settings override ours
  EXPECT_EQ(ValueOf(*spec, "application_name"), "tenantshift");
}

}  // namespace
}  // namespace tenantshift
