#include "dialect/dialect_ops.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

// ALTER USER username CONNECTION LIMIT { limit | UNLIMITED }:
// https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_USER.html
TEST(DialectOpsFreezeTest, RedshiftSetsAndLiftsAUsersConnectionLimit) {
  for (Dialect d : {Dialect::kRedshift, Dialect::kRedshiftServerless}) {
    const DialectOps& ops = OpsFor(d);
    EXPECT_EQ(ops.ConnectionLimitSql("app \"x\"; DROP", 0),
              "ALTER USER \"app \"\"x\"\"; DROP\" CONNECTION LIMIT 0;");
    EXPECT_EQ(ops.ConnectionLimitSql("app", -1), "ALTER USER \"app\" CONNECTION LIMIT UNLIMITED;");
    EXPECT_EQ(ops.ConnectionLimitSql("app", 25), "ALTER USER \"app\" CONNECTION LIMIT 25;");
  }
}

// ALTER ROLE ... CONNECTION LIMIT connlimit, -1 meaning no limit:
// https://www.postgresql.org/docs/current/sql-alterrole.html
TEST(DialectOpsFreezeTest, PostgresSetsAndLiftsARolesConnectionLimit) {
  const DialectOps& ops = OpsFor(Dialect::kPostgres);
  EXPECT_EQ(ops.ConnectionLimitSql("app", 0), "ALTER ROLE \"app\" CONNECTION LIMIT 0;");
  EXPECT_EQ(ops.ConnectionLimitSql("app", -1), "ALTER ROLE \"app\" CONNECTION LIMIT -1;");
}

// STV_SESSIONS (provisioned): `process` and a blank-padded character(50) `user_name`, as its
// documented example output shows; SYS_SESSION_HISTORY (Serverless): `session_id`, `status`
// 'active', `user_id`. The names are literals quoted by each engine's rule (Redshift also reads
// backslashes as escapes).
TEST(DialectOpsFreezeTest, ListsTheSessionsOfRolesOnEachEngine) {
  const std::vector<std::string> roles = {"dwuser", "o'brien\\"};
  EXPECT_EQ(OpsFor(Dialect::kRedshift).RoleSessionsFrom(roles),
            " FROM stv_sessions WHERE rtrim(user_name) IN ('dwuser', 'o''brien\\\\') AND "
            "process <> pg_backend_pid()");
  EXPECT_STREQ(OpsFor(Dialect::kRedshift).SessionIdColumn(), "process");
  const std::string serverless = OpsFor(Dialect::kRedshiftServerless).RoleSessionsFrom(roles);
  EXPECT_NE(serverless.find(" FROM sys_session_history WHERE rtrim(status) = 'active'"),
            std::string::npos)
      << serverless;
  EXPECT_STREQ(OpsFor(Dialect::kRedshiftServerless).SessionIdColumn(), "session_id");
  EXPECT_EQ(OpsFor(Dialect::kPostgres).RoleSessionsFrom(roles),
            " FROM pg_catalog.pg_stat_activity WHERE usename IN ('dwuser', 'o''brien\\') AND "
            "pid <> pg_catalog.pg_backend_pid()");
}

}  // namespace
}  // namespace tenantshift
