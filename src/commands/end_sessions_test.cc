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

}  // namespace
}  // namespace tenantshift
