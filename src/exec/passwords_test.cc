#include "exec/passwords.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

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
