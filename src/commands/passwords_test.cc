#include "commands/passwords.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "testing/fake_session.h"

namespace tenantshift {
namespace {

TEST(PasswordsTest, RandomPasswordsAreLongAlphanumericAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    Result<Secret> p = RandomPassword();
    ASSERT_TRUE(p.ok());
    ASSERT_EQ(p->Reveal().size(), 32u);
    for (char c : p->Reveal()) EXPECT_TRUE(isalnum(static_cast<unsigned char>(c))) << c;
    seen.insert(p->Reveal());
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(PasswordsTest, RandomPasswordsMeetRedshiftsRules) {
  // 8 to 64 characters with an upper-case letter, a lower-case letter and a digit.
  for (int i = 0; i < 500; ++i) {
    Result<Secret> p = RandomPassword();
    ASSERT_TRUE(p.ok());
    const std::string& s = p->Reveal();
    EXPECT_TRUE(s.size() >= 8 && s.size() <= 64);
    EXPECT_TRUE(std::any_of(s.begin(), s.end(), ::isupper)) << "no upper-case letter";
    EXPECT_TRUE(std::any_of(s.begin(), s.end(), ::islower)) << "no lower-case letter";
    EXPECT_TRUE(std::any_of(s.begin(), s.end(), ::isdigit)) << "no digit";
  }
}

TEST(PasswordsTest, CopyHashIsRefusedForRedshiftSources) {
  for (Dialect d : {Dialect::kRedshift, Dialect::kRedshiftServerless}) {
    Status s = CheckPasswordMode(PasswordMode::kCopyHash, d);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.ToString().find("--passwords copy-hash cannot be used with a Redshift source"),
              std::string::npos);
    EXPECT_NE(s.ToString().find("--passwords random"), std::string::npos);
    EXPECT_NE(s.ToString().find("--passwords disable"), std::string::npos);
    EXPECT_TRUE(CheckPasswordMode(PasswordMode::kRandom, d).ok());
    EXPECT_TRUE(CheckPasswordMode(PasswordMode::kDisable, d).ok());
  }
  EXPECT_TRUE(CheckPasswordMode(PasswordMode::kCopyHash, Dialect::kPostgres).ok());
}

TEST(PasswordsTest, RedshiftGetsAnMd5HashNeverThePassword) {
  FakeSession target;
  // md5 of "Secret123" followed by the user name "bob", computed with Python's hashlib.
  Result<std::string> v = PasswordVerifier(target, Dialect::kRedshift, "Secret123", "bob");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "md5cbfadc9dea71aeb63ae53ccb22bfeb86");
  Result<std::string> pg = PasswordVerifier(target, Dialect::kPostgres, "Secret123", "bob");
  ASSERT_TRUE(pg.ok());
  EXPECT_EQ(*pg, "SCRAM-SHA-256$fake:bob");  // the session's verifier (FakeSession's stand-in)
}

TEST(PasswordsTest, RedshiftUsersTakePasswordsGroupsAndRolesDoNot) {
  Role user;
  user.kind = Role::Kind::kUser;
  Role group;
  group.kind = Role::Kind::kGroup;
  Role role;  // an RBAC role, or a PostgreSQL role without LOGIN
  EXPECT_TRUE(TakesPassword(user));
  EXPECT_FALSE(TakesPassword(group));
  EXPECT_FALSE(TakesPassword(role));
  role.can_login = true;
  EXPECT_TRUE(TakesPassword(role));
}

class PasswordFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tenantshift-pw-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / kPasswordFileName).string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<nlohmann::json> Lines() {
    std::ifstream in(path_);
    std::vector<nlohmann::json> out;
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(PasswordFileTest, CreatesA0600FileWithOneJsonLinePerRole) {
  std::map<std::string, Secret> pw{{"a \"b\"\n", Secret("p1")}, {"c", Secret("p2")}};
  ASSERT_TRUE(WritePasswordFile(path_, pw).ok());
  struct stat st;
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::vector<nlohmann::json> lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["role"], "a \"b\"\n");
  EXPECT_EQ(lines[0]["password"], "p1");
  EXPECT_EQ(lines[1]["role"], "c");
}

TEST_F(PasswordFileTest, AppendsToItsOwnPrivateFile) {
  ASSERT_TRUE(WritePasswordFile(path_, {{"a", Secret("1")}}).ok());
  ASSERT_TRUE(WritePasswordFile(path_, {{"b", Secret("2")}}).ok());
  EXPECT_EQ(Lines().size(), 2u);
}

TEST_F(PasswordFileTest, RefusesAFileOthersMayRead) {
  std::ofstream(path_) << "";
  chmod(path_.c_str(), 0644);
  Status s = WritePasswordFile(path_, {{"a", Secret("secret-value")}});
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message().find("secret-value"), std::string::npos);
  EXPECT_TRUE(Lines().empty());
}

TEST_F(PasswordFileTest, RefusesASymlink) {
  std::filesystem::create_symlink(dir_ / "elsewhere", path_);
  EXPECT_FALSE(WritePasswordFile(path_, {{"a", Secret("1")}}).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "elsewhere"));
}

}  // namespace
}  // namespace tenantshift
