#include "commands/end_sessions.h"

#include <gtest/gtest.h>

#include "testing/fake_session.h"

namespace tenantshift {
namespace {

constexpr const char* kTerminate =
    "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE "
    "application_name = $1 AND pid <> pg_catalog.pg_backend_pid()";
constexpr const char* kCount =
    "SELECT pg_catalog.count(*) AS n FROM pg_catalog.pg_stat_activity WHERE application_name = $1 "
    "AND pid <> pg_catalog.pg_backend_pid()";

Rows Count(const char* n) {
  Rows r;
  r.columns = {"n"};
  r.rows = {{std::string(n)}};
  return r;
}

TEST(EndSessionsTest, TerminatesThenReturnsOnceNoneIsLeft) {
  FakeSession s;
  s.AddResult(kTerminate, Rows{});
  s.AddResult(kCount, Count("0"));
  FakeClock clock;
  Status st = EndSessionsAndWait(s, "application_name = $1", {"ts-run"}, "still there", clock);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(s.queried, (std::vector<std::string>{kTerminate, kCount}));
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(EndSessionsTest, SessionsThatStayFailAfterTheLimitWithoutRealWaiting) {
  FakeSession s;
  s.AddResult(kTerminate, Rows{});
  s.AddResult(kCount, Count("2"));
  FakeClock clock;
  Status st =
      EndSessionsAndWait(s, "application_name = $1", {"ts-run"},
                         "sessions did not end within a minute", clock, std::chrono::seconds(60));
  EXPECT_EQ(st.code(), Status::Code::kConnection);
  EXPECT_EQ(st.message(), "sessions did not end within a minute");
  // Polled every 100 ms on the fake clock until the minute was over.
  EXPECT_EQ(clock.sleeps().size(), 600u);
}

// Redshift (provisioned): the sessions come from STV_SESSIONS and each is ended by its process
// id, as https://docs.aws.amazon.com/redshift/latest/dg/r_STV_SESSIONS.html and
// https://docs.aws.amazon.com/redshift/latest/dg/PG_TERMINATE_BACKEND.html show. The process
// ids below are the ones of that page's example output for user dwuser.
constexpr const char* kRedshiftSessions =
    " FROM stv_sessions WHERE rtrim(user_name) IN ('dwuser') AND process <> pg_backend_pid()";

Rows Ids(std::vector<std::string> ids) {
  Rows r;
  r.columns = {"id"};
  for (std::string& id : ids) r.rows.push_back({std::move(id)});
  return r;
}

Rows Ended() {
  Rows r;
  r.columns = {"ended"};
  r.rows = {{std::string("t")}};
  return r;
}

TEST(EndRoleSessionsTest, RedshiftEndsEachSessionByProcessIdThenWaitsForNone) {
  FakeSession s;
  const std::string list = std::string("SELECT process AS id") + kRedshiftSessions;
  const std::string count = std::string("SELECT count(*) AS n") + kRedshiftSessions;
  s.AddResult(list, Ids({"19829", "20279"}));
  s.AddResult("SELECT pg_terminate_backend(19829) AS ended", Ended());
  s.AddResult("SELECT pg_terminate_backend(20279) AS ended", Ended());
  s.AddResult(count, Count("0"));
  FakeClock clock;
  Status st = EndRoleSessionsAndWait(s, OpsFor(Dialect::kRedshift), {"dwuser"}, "stayed", clock);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(s.queried,
            (std::vector<std::string>{list, "SELECT pg_terminate_backend(19829) AS ended",
                                      "SELECT pg_terminate_backend(20279) AS ended", count}));
}

TEST(EndRoleSessionsTest, ASessionThatStaysFailsWithTheTerminationsError) {
  FakeSession s;
  const std::string list = std::string("SELECT process AS id") + kRedshiftSessions;
  s.AddResult(list, Ids({"19829"}));
  // No recorded answer: the fake fails the termination, as a server refusing it would.
  s.AddResult(std::string("SELECT count(*) AS n") + kRedshiftSessions, Count("1"));
  FakeClock clock;
  Status st = EndRoleSessionsAndWait(s, OpsFor(Dialect::kRedshift), {"dwuser"},
                                     "sessions did not end", clock, std::chrono::seconds(1));
  EXPECT_EQ(st.code(), Status::Code::kConnection);
  EXPECT_EQ(st.message(),
            "sessions did not end (ending one failed: FakeSession: no recorded result)");
}

TEST(EndRoleSessionsTest, RefusesASessionIdThatIsNotANumber) {
  FakeSession s;
  s.AddResult(std::string("SELECT process AS id") + kRedshiftSessions, Ids({"1); DROP"}));
  FakeClock clock;
  Status st = EndRoleSessionsAndWait(s, OpsFor(Dialect::kRedshift), {"dwuser"}, "stayed", clock);
  EXPECT_EQ(st.code(), Status::Code::kInternal);
  EXPECT_TRUE(s.executed.empty());
  EXPECT_EQ(s.queried.size(), 1u);
}

TEST(EndRoleSessionsTest, NoRolesNoQuery) {
  FakeSession s;
  FakeClock clock;
  EXPECT_TRUE(EndRoleSessionsAndWait(s, OpsFor(Dialect::kRedshift), {}, "stayed", clock).ok());
  EXPECT_TRUE(s.queried.empty());
}

}  // namespace
}  // namespace tenantshift
