#include "commands/lock_preflight.h"

#include <gtest/gtest.h>

#include "testing/fake_session.h"

namespace tenantshift {
namespace {

Rows LockRows(const std::string& needed, const std::string& per, const std::string& slots) {
  Rows r;
  r.columns = {"needed", "per_transaction", "slots"};
  r.rows = {{needed, per, slots}};
  return r;
}

TEST(LockPreflight, PassesWhenTheLockTableHoldsTheCatalogRead) {
  FakeSession s;
  // PostgreSQL's defaults: 64 x (100 + 0) = 6,400 locks; 6,000 + headroom fit.
  s.AddResult(LockNeedSql(), LockRows("6000", "64", "100"));
  EXPECT_TRUE(CheckLockTable(s, {"big"}, "source").ok());
}

TEST(LockPreflight, RefusesNamingTheSettingAndTheValueNeeded) {
  FakeSession s;
  s.AddResult(LockNeedSql(), LockRows("9000", "64", "100"));
  Status st = CheckLockTable(s, {"big"}, "target");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  // (9,000 + 200 headroom) / 100 slots, rounded up.
  EXPECT_NE(st.message().find("set max_locks_per_transaction to at least 92 on the target"),
            std::string::npos)
      << st.ToString();
  EXPECT_NE(st.message().find("locks 9000 relations at once"), std::string::npos);
  EXPECT_NE(st.message().find("nothing was changed"), std::string::npos);
}

TEST(LockPreflight, PassesTheServerErrorUpWithItsSide) {
  FakeSession s;  // no recorded answer: the fake fails like a server would
  Status st = CheckLockTable(s, {"big"}, "source");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.ToString().find("reading the source's lock settings"), std::string::npos);
}

}  // namespace
}  // namespace tenantshift
