// The Redshift extractor run on tests/fixtures/redshift: catalog rows written by hand from the
// Redshift documentation (see redshift-catalog.md) for a tenant of two schemas, "acme" and the
// hostile 'acme "ops"; ü', next to another tenant ("globex"), an external schema, system users
// and roles, and materialized-view backing tables. Every expected value below is what those
// rows mean, written by hand.
#include <gtest/gtest.h>

#include <algorithm>

#include "extract/extractor.h"
#include "testing/catalog_fixture.h"

namespace tenantshift {
namespace {

const char kProvisionedHost[] = "examplecluster.abc123xyz789.us-west-2.redshift.amazonaws.com";
const char kServerlessHost[] = "acme-wg.123456789012.us-east-1.redshift-serverless.amazonaws.com";
const char kOps[] = "acme \"ops\"; ü";
const char kAnalyst[] = "o'brien \"the analyst\"";
const std::vector<std::string> kTenant = {"acme", kOps, "acme_spectrum"};

std::unique_ptr<FakeSession> Fixture(const std::string& host) {
  Result<std::unique_ptr<FakeSession>> s = LoadRedshiftFixture("redshift", host);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : std::make_unique<FakeSession>();
}

std::string Sql(const std::string& file) { return std::string(EmbeddedSql("redshift/" + file)); }

// The recorded rows of tests/fixtures/redshift/<stem>.json.
Rows FixtureRows(const std::string& stem) {
  return LoadFixtureRows(std::string(TENANTSHIFT_SOURCE_DIR) + "/tests/fixtures/redshift/" + stem +
                         ".json");
}

bool Queried(const FakeSession& s, const std::string& file) {
  return std::count(s.queried.begin(), s.queried.end(), Sql(file)) > 0;
}

Privilege P(const char* name, bool grantable = false) { return {name, grantable}; }

class RsExtractorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    session_ = Fixture(kProvisionedHost);
    Result<Catalog> c = ExtractCatalog(*session_, kTenant);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    catalog_ = std::move(*c);
  }

  const Role& RoleNamed(const std::string& name) {
    const Role* r = catalog_.FindRole(name);
    EXPECT_NE(r, nullptr) << name;
    static Role empty;
    return r ? *r : empty;
  }
  const Table& TableNamed(const std::string& schema, const std::string& name) {
    const Table* t = catalog_.FindTable({schema, name});
    EXPECT_NE(t, nullptr) << schema << "." << name;
    static Table empty;
    return t ? *t : empty;
  }
  const View& ViewNamed(const std::string& schema, const std::string& name) {
    const View* v = catalog_.FindView({schema, name});
    EXPECT_NE(v, nullptr) << schema << "." << name;
    static View empty;
    return v ? *v : empty;
  }
  const Routine& RoutineNamed(const std::string& schema, const std::string& name,
                              const std::string& args) {
    const Routine* r = catalog_.FindRoutine({schema, name}, args);
    EXPECT_NE(r, nullptr) << schema << "." << name << "(" << args << ")";
    static Routine empty;
    return r ? *r : empty;
  }
  std::vector<AclItem> AclOf(const ObjectRef& object, const std::string& owner) {
    const ObjectAcl* a = catalog_.FindAcl(object);
    EXPECT_NE(a, nullptr) << object.Display();
    if (a == nullptr) return {};
    EXPECT_EQ(a->owner, owner) << object.Display();
    return a->items;
  }

  std::unique_ptr<FakeSession> session_;
  Catalog catalog_;
};

TEST_F(RsExtractorTest, DetectsProvisionedFromTheEndpointWithoutProbing) {
  EXPECT_EQ(catalog_.server.dialect, Dialect::kRedshift);
  EXPECT_EQ(catalog_.server.version_num, 80002);
  EXPECT_EQ(catalog_.server.current_user, "admin");
  EXPECT_EQ(catalog_.server.database, "dev");
  EXPECT_TRUE(catalog_.server.superuser);
  EXPECT_FALSE(catalog_.server.can_read_passwords);
  EXPECT_FALSE(Queried(*session_, "probe_provisioned.sql"));
  EXPECT_TRUE(Queried(*session_, "mv_info.sql"));
  EXPECT_TRUE(Queried(*session_, "user_info.sql"));
}

TEST_F(RsExtractorTest, IssuesAFixedNumberOfQueries) {
  // version(), server, and one per catalog query, however many objects the tenant has.
  EXPECT_EQ(session_->queried.size(), 34u);
}

TEST(RsDetectTest, ServerlessEndpointUsesSvvViews) {
  std::unique_ptr<FakeSession> session = Fixture(kServerlessHost);
  Result<ServerInfo> info = DetectServer(*session);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->dialect, Dialect::kRedshiftServerless);
  Result<Catalog> c = ExtractRedshift(*session, *info, kTenant);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  for (const char* file :
       {"user_info_serverless.sql", "mv_info_serverless.sql", "mv_dependencies_serverless.sql"}) {
    EXPECT_TRUE(Queried(*session, file)) << file;
  }
  for (const char* file :
       {"user_info.sql", "mv_info.sql", "mv_dependencies.sql", "probe_provisioned.sql"}) {
    EXPECT_FALSE(Queried(*session, file)) << file;
  }
  // The same tenant read through the Serverless views is the same model.
  std::unique_ptr<FakeSession> provisioned = Fixture(kProvisionedHost);
  Result<Catalog> p = ExtractCatalog(*provisioned, kTenant);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(c->roles, p->roles);
  EXPECT_EQ(c->memberships, p->memberships);
  EXPECT_EQ(c->schemas, p->schemas);
  EXPECT_EQ(c->tables, p->tables);
  EXPECT_EQ(c->views, p->views);
  EXPECT_EQ(c->routines, p->routines);
  EXPECT_EQ(c->acls, p->acls);
  EXPECT_EQ(c->default_acls, p->default_acls);
}

TEST(RsDetectTest, UnknownHostIsProbed) {
  std::unique_ptr<FakeSession> answers = Fixture("10.0.0.5");
  Result<ServerInfo> provisioned = DetectServer(*answers);
  ASSERT_TRUE(provisioned.ok()) << provisioned.status().ToString();
  EXPECT_EQ(provisioned->dialect, Dialect::kRedshift);
  EXPECT_TRUE(Queried(*answers, "probe_provisioned.sql"));

  // Serverless refuses STV views: the probe fails (here: nothing recorded for it).
  FakeSession refuses;
  refuses.description = "localhost:5439/dev user=admin";
  refuses.AddResult(std::string(EmbeddedSql("common/version.sql")), FixtureRows("version"));
  refuses.AddResult(Sql("server.sql"), FixtureRows("server"));
  Result<ServerInfo> serverless = DetectServer(refuses);
  ASSERT_TRUE(serverless.ok()) << serverless.status().ToString();
  EXPECT_EQ(serverless->dialect, Dialect::kRedshiftServerless);
  EXPECT_EQ(serverless->version_num, 80002);
}

// A session that answers only the detection queries, with `version` as version().
std::unique_ptr<FakeSession> DetectionSession(const std::string& version, const std::string& host) {
  auto session = std::make_unique<FakeSession>();
  session->description = host + ":5439/dev user=admin";
  Rows v;
  v.columns = {"version"};
  v.rows = {{version}};
  session->AddResult(std::string(EmbeddedSql("common/version.sql")), v);
  session->AddResult(Sql("server.sql"), FixtureRows("server"));
  session->AddResult(std::string(EmbeddedSql("postgres/server.sql")),
                     LoadFixtureRows(std::string(TENANTSHIFT_SOURCE_DIR) +
                                     "/tests/fixtures/postgres/server.json"));
  return session;
}

TEST(RsDetectTest, VersionStringsAndHosts) {
  const std::string provisioned =
      "PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 (Red Hat "
      "3.4.2-6.fc3), Redshift 1.0.77467";
  // Serverless prints the same shape (its own build number); the endpoint tells them apart.
  const std::string serverless =
      "PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 (Red Hat "
      "3.4.2-6.fc3), Redshift 1.0.112345";
  const std::string postgres =
      "PostgreSQL 15.20 (Debian 15.20-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian "
      "12.2.0-14+deb12u1) 12.2.0, 64-bit";
  struct Case {
    std::string version, host;
    Dialect expected;
  } cases[] = {
      {provisioned, kProvisionedHost, Dialect::kRedshift},
      {serverless, kServerlessHost, Dialect::kRedshiftServerless},
      {serverless, "WG.123456789012.cn-north-1.redshift-serverless.amazonaws.com.cn",
       Dialect::kRedshiftServerless},
      {postgres, kServerlessHost, Dialect::kPostgres},  // version() decides first
      {postgres, "localhost", Dialect::kPostgres},
  };
  for (const Case& c : cases) {
    std::unique_ptr<FakeSession> session = DetectionSession(c.version, c.host);
    Result<ServerInfo> info = DetectServer(*session);
    ASSERT_TRUE(info.ok()) << c.host << ": " << info.status().ToString();
    EXPECT_EQ(info->dialect, c.expected) << c.version << " at " << c.host;
    EXPECT_EQ(info->version, c.version);
    EXPECT_FALSE(Queried(*session, "probe_provisioned.sql")) << c.host;
  }
}

TEST_F(RsExtractorTest, UsersWithTheirRedshiftAttributes) {
  EXPECT_EQ(catalog_.FindRole("rdsdb"), nullptr);
  EXPECT_EQ(catalog_.FindRole("IAM:alice"), nullptr);
  const Role& owner = RoleNamed("acme_owner");
  EXPECT_EQ(owner.kind, Role::Kind::kUser);
  EXPECT_TRUE(owner.can_login);
  EXPECT_TRUE(owner.create_db);
  EXPECT_FALSE(owner.superuser);
  EXPECT_EQ(owner.connection_limit, -1);
  EXPECT_EQ(owner.valid_until, "");
  EXPECT_EQ(owner.syslog_access, "RESTRICTED");
  EXPECT_EQ(owner.session_timeout, 0);
  EXPECT_EQ(owner.settings,
            (std::vector<RoleSetting>{{false, "search_path", "acme, \"$user\", public"},
                                      {false, "statement_timeout", "60000"}}));
  const Role& analyst = RoleNamed(kAnalyst);
  EXPECT_EQ(analyst.kind, Role::Kind::kUser);
  EXPECT_FALSE(analyst.create_db);
  EXPECT_EQ(analyst.connection_limit, 5);
  EXPECT_EQ(analyst.valid_until, "2030-01-01 00:00:00+00");
  EXPECT_EQ(analyst.syslog_access, "UNRESTRICTED");
  EXPECT_EQ(analyst.session_timeout, 3600);
  EXPECT_TRUE(analyst.settings.empty());
  const Role& admin = RoleNamed("admin");
  EXPECT_TRUE(admin.superuser);  // CREATEUSER
  EXPECT_TRUE(admin.system_privileges.empty());
}

TEST_F(RsExtractorTest, GroupsRolesAndMemberships) {
  EXPECT_EQ(RoleNamed("acme_readers").kind, Role::Kind::kGroup);
  EXPECT_FALSE(RoleNamed("acme_readers").can_login);
  EXPECT_EQ(catalog_.FindRole("__reserved"), nullptr);
  // System-defined roles are kept, to carry memberships in them; the planner never creates them.
  EXPECT_EQ(RoleNamed("sys:dba").kind, Role::Kind::kRole);
  EXPECT_EQ(RoleNamed("acme_base").kind, Role::Kind::kRole);
  EXPECT_EQ(RoleNamed("acme_top").system_privileges,
            (std::vector<std::string>{"ALTER TABLE", "CREATE TABLE"}));
  using K = Role::Kind;
  std::vector<RoleMembership> expected = {
      {"acme_readers", kAnalyst, "", false, K::kGroup, K::kUser},
      {"globex_readers", "other_owner", "", false, K::kGroup, K::kUser},
      {"acme_base", "acme_mid", "", false, K::kRole, K::kRole},
      {"acme_mid", "acme_top", "", false, K::kRole, K::kRole},
      {"acme_base", "sys:superuser", "", false, K::kRole, K::kRole},  // not the tenant's: planner
      {"acme_base", "acme_owner", "", true, K::kRole, K::kUser},
      {"sys:dba", "acme_owner", "", false, K::kRole, K::kUser},  // D15
      {"acme_top", kAnalyst, "", false, K::kRole, K::kUser},
      // rdsdb's sys:superuser is a system user's: left out
  };
  EXPECT_EQ(catalog_.memberships, expected);
}

TEST_F(RsExtractorTest, OnlyTheTenantsLocalSchemas) {
  std::vector<Schema> expected = {{"acme", "acme_owner", "Acme's data", 2048},
                                  {kOps, "acme_owner", "", -1}};
  EXPECT_EQ(catalog_.schemas, expected);  // acme_spectrum is external, globex another tenant's
  EXPECT_EQ(catalog_.all_schemas,
            (std::set<std::string>{"acme", kOps, "acme_spectrum", "globex", "public"}));
  for (const Table& t : catalog_.tables) {
    EXPECT_NE(t.name.schema, "globex");
    EXPECT_EQ(t.name.name.rfind("mv_tbl__", 0), std::string::npos) << t.name.name;
  }
  EXPECT_EQ(catalog_.tables.size(), 5u);
  EXPECT_EQ(catalog_.views.size(), 4u);
  EXPECT_EQ(catalog_.routines.size(), 4u);  // f_lambda included: the plan makes it manual
}

TEST_F(RsExtractorTest, KeyDistributionCompoundSortIdentityAndCollation) {
  const Table& t = TableNamed("acme", "orders");
  EXPECT_EQ(t.owner, "acme_owner");
  EXPECT_EQ(t.comment, "Customer orders");
  EXPECT_EQ(t.distribution, (Distribution{Distribution::Style::kKey, "customer_id"}));
  EXPECT_EQ(t.sort_key, (SortKey{SortKey::Style::kCompound, {"order_date", "id"}}));
  EXPECT_FALSE(t.encode_auto);
  EXPECT_TRUE(t.backup);
  EXPECT_EQ(t.estimated_rows, 1000);
  EXPECT_EQ(t.estimated_bytes, 12 * 1024 * 1024);
  ASSERT_EQ(t.columns.size(), 6u);
  const Column& id = t.columns[0];
  EXPECT_EQ(id.name, "id");
  EXPECT_EQ(id.type, "bigint");
  EXPECT_EQ(id.identity, 'a');  // IDENTITY(1,1)
  EXPECT_EQ(id.identity_options.start, 1);
  EXPECT_EQ(id.identity_options.increment, 1);
  EXPECT_EQ(id.default_expr, "");
  EXPECT_TRUE(id.not_null);
  EXPECT_EQ(id.encoding, "az64");
  const Column& note = t.columns[3];
  EXPECT_EQ(note.type, "character varying(256)");
  EXPECT_EQ(note.collation, "case_insensitive");
  EXPECT_EQ(note.comment, "free text, any case");
  EXPECT_EQ(note.encoding, "lzo");
  EXPECT_EQ(t.columns[4].type, "super");
  EXPECT_EQ(t.columns[4].encoding, "zstd");
  EXPECT_EQ(t.columns[5].default_expr, "0");
  EXPECT_EQ(t.columns[5].identity, '\0');
  for (const Column& c : t.columns) EXPECT_FALSE(c.binary_safe) << c.name;
  ASSERT_EQ(t.constraints.size(), 2u);
  EXPECT_EQ(t.constraints[0].name, "orders_customer_fk");
  EXPECT_EQ(t.constraints[0].kind, Constraint::Kind::kForeignKey);
  EXPECT_EQ(t.constraints[0].definition, "FOREIGN KEY (customer_id) REFERENCES acme.customers(id)");
  EXPECT_EQ(t.constraints[0].references, (QualifiedName{"acme", "customers"}));
  EXPECT_EQ(t.constraints[1].name, "orders_pkey");
  EXPECT_EQ(t.constraints[1].kind, Constraint::Kind::kPrimaryKey);
}

TEST_F(RsExtractorTest, AllDistributionAndGeneratedByDefaultIdentity) {
  const Table& t = TableNamed("acme", "customers");
  EXPECT_EQ(t.distribution, (Distribution{Distribution::Style::kAll, ""}));
  EXPECT_EQ(t.sort_key, SortKey{});
  ASSERT_EQ(t.columns.size(), 5u);
  EXPECT_EQ(t.columns[0].encoding, "raw");  // format_encoding() says 'none'
  EXPECT_EQ(t.columns[2].type, "geometry");
  EXPECT_EQ(t.columns[3].type, "timestamp with time zone");
  EXPECT_EQ(t.columns[3].default_expr, "getdate()");
  const Column& ref = t.columns[4];
  EXPECT_EQ(ref.identity, 'd');  // GENERATED BY DEFAULT AS IDENTITY(100,5)
  EXPECT_EQ(ref.identity_options.start, 100);
  EXPECT_EQ(ref.identity_options.increment, 5);
  EXPECT_EQ(ref.identity_options.data_type, "bigint");
  EXPECT_EQ(ref.default_expr, "");
  ASSERT_EQ(t.constraints.size(), 2u);
  EXPECT_EQ(t.constraints[0].name, "customers_name_key");
  EXPECT_EQ(t.constraints[0].kind, Constraint::Kind::kUnique);
  EXPECT_EQ(t.constraints[0].definition, "UNIQUE (name)");
}

TEST_F(RsExtractorTest, AutoTableStaysAuto) {
  const Table& t = TableNamed("acme", "events");
  EXPECT_EQ(t.distribution, (Distribution{Distribution::Style::kAuto, ""}));
  EXPECT_EQ(t.sort_key, (SortKey{SortKey::Style::kAuto, {}}));
  EXPECT_TRUE(t.encode_auto);
  ASSERT_EQ(t.columns.size(), 3u);
  for (const Column& c : t.columns) EXPECT_EQ(c.encoding, "") << c.name;
  EXPECT_EQ(t.columns[1].type, "varbyte(1024)");
}

TEST_F(RsExtractorTest, InterleavedSortKeyAndBackupNoOnAHostileTable) {
  const Table& t = TableNamed("acme", "weird \"t\"; ü");
  EXPECT_EQ(t.distribution, (Distribution{Distribution::Style::kEven, ""}));
  EXPECT_EQ(t.sort_key, (SortKey{SortKey::Style::kInterleaved, {"a", "b; \"c\""}}));
  EXPECT_FALSE(t.backup);
  ASSERT_EQ(t.columns.size(), 2u);
  EXPECT_EQ(t.columns[1].encoding, "bytedict");
  const Table& log = TableNamed(kOps, "log");  // empty: svv_table_info has no row for it
  EXPECT_EQ(log.distribution, (Distribution{Distribution::Style::kEven, ""}));
  EXPECT_TRUE(log.encode_auto);  // D11: see EmptyTableIsEncodeAutoAndMvKeepsBackup
  EXPECT_EQ(log.estimated_rows, 0);
}

TEST_F(RsExtractorTest, ViewsLateBindingAndMaterializedOverMaterialized) {
  const View& v = ViewNamed("acme", "v_orders");
  EXPECT_FALSE(v.materialized);
  EXPECT_FALSE(v.late_binding);
  EXPECT_EQ(v.definition,
            "SELECT orders.id, orders.total\n   FROM acme.orders\n  WHERE "
            "orders.total > 0::numeric");
  EXPECT_EQ(v.comment, "Orders with a total");
  EXPECT_EQ(v.columns, (std::vector<ViewColumn>{{"id", "", ""}, {"total", "Order total", ""}}));
  EXPECT_EQ(v.depends_on,
            (std::vector<DependencyRef>{{DependencyKind::kTable, {"acme", "orders"}, ""}}));

  const View& lb = ViewNamed(kOps, "lb \" as x");
  EXPECT_TRUE(lb.late_binding);
  EXPECT_FALSE(lb.materialized);
  EXPECT_EQ(lb.definition, "select id, note from acme.orders");
  EXPECT_TRUE(lb.depends_on.empty());
  EXPECT_TRUE(lb.columns.empty());

  const View& daily = ViewNamed("acme", "mv_daily");
  EXPECT_TRUE(daily.materialized);
  EXPECT_TRUE(daily.auto_refresh);
  EXPECT_EQ(daily.definition,
            "SELECT orders.customer_id, orders.order_date AS day, sum(orders.total) AS total "
            "FROM acme.orders GROUP BY orders.customer_id, orders.order_date");
  EXPECT_EQ(daily.distribution, (Distribution{Distribution::Style::kKey, "customer_id"}));
  EXPECT_EQ(daily.sort_key, (SortKey{SortKey::Style::kCompound, {"day"}}));
  EXPECT_EQ(daily.comment, "Daily totals");
  EXPECT_EQ(daily.columns.size(), 3u);
  EXPECT_EQ(daily.depends_on,
            (std::vector<DependencyRef>{{DependencyKind::kTable, {"acme", "orders"}, ""}}));

  const View& weekly = ViewNamed("acme", "mv_weekly");
  EXPECT_TRUE(weekly.materialized);
  EXPECT_FALSE(weekly.auto_refresh);
  EXPECT_EQ(weekly.definition,
            "select customer_id, sum(total) as total from acme.mv_daily group by customer_id");
  EXPECT_EQ(weekly.distribution, (Distribution{Distribution::Style::kEven, ""}));
  EXPECT_EQ(
      weekly.depends_on,
      (std::vector<DependencyRef>{{DependencyKind::kMaterializedView, {"acme", "mv_daily"}, ""}}));
  EXPECT_EQ(catalog_.FindView({"globex", "v_secret"}), nullptr);
}

TEST_F(RsExtractorTest, SqlAndPythonFunctions) {
  const Routine& add = RoutineNamed("acme", "f_add", "integer, integer");
  EXPECT_EQ(add.kind, Routine::Kind::kFunction);
  EXPECT_EQ(add.language, "sql");
  EXPECT_EQ(add.owner, "acme_owner");
  EXPECT_EQ(add.comment, "Adds two integers");
  EXPECT_EQ(add.definition, "");
  EXPECT_EQ(add.parts,
            (RoutineParts{"integer, integer", "integer", 'i', false, false, {}, "SELECT $1 + $2"}));
  const Routine& py = RoutineNamed("acme", "f_upper_py", "character varying");
  EXPECT_EQ(py.language, "plpythonu");
  EXPECT_EQ(py.parts, (RoutineParts{"\"s\" character varying",
                                    "character varying",
                                    's',
                                    false,
                                    false,
                                    {},
                                    "\n    return s.upper() if s else None\n"}));
}

// R1: PG_PROC_INFO has no proconfig, so SET clauses are not read (a plan warning says so).
TEST_F(RsExtractorTest, ProcedureWithModesAndSecurityDefiner) {
  const Routine& sp = RoutineNamed(kOps, "sp \"load\"; ü", "integer, character varying");
  EXPECT_EQ(sp.kind, Routine::Kind::kProcedure);
  EXPECT_EQ(sp.language, "plpgsql");
  EXPECT_EQ(sp.parts.arguments, "\"a\" integer, \"b\" INOUT character varying, \"c\" OUT bigint");
  EXPECT_EQ(sp.parts.returns, "");
  EXPECT_EQ(sp.parts.volatility, 'v');
  EXPECT_TRUE(sp.parts.security_definer);
  EXPECT_TRUE(sp.parts.config.empty());
  EXPECT_FALSE(sp.parts.nonatomic);
  EXPECT_EQ(sp.parts.body,
            "\nBEGIN\n  b := b || a::varchar;\n  SELECT count(*) INTO c FROM acme.orders;\nEND;\n");
}

TEST_F(RsExtractorTest, PrivilegesOfUsersGroupsRolesAndPublic) {
  using G = GranteeKind;
  // The owner's mask arwdRxtDPA (the SHOW TABLES example, r_SHOW_TABLES.html).
  const std::vector<Privilege> all = {P("INSERT"),   P("SELECT"),     P("UPDATE"),  P("DELETE"),
                                      P("RULE"),     P("REFERENCES"), P("TRIGGER"), P("DROP"),
                                      P("TRUNCATE"), P("ALTER")};
  // 107 is a dropped user's id: left out.
  EXPECT_EQ(AclOf({ObjectKind::kTable, {"acme", "orders"}}, "acme_owner"),
            (std::vector<AclItem>{{"acme_owner", "acme_owner", all, G::kPlain},
                                  {"acme_readers", "acme_owner", {P("SELECT")}, G::kGroup},
                                  {kAnalyst, "acme_owner", {P("SELECT", true), P("INSERT")}},
                                  {"acme_mid", "acme_owner", {P("SELECT")}, G::kRole}}));
  EXPECT_EQ(AclOf({ObjectKind::kSchema, {"acme", ""}}, "acme_owner"),
            (std::vector<AclItem>{{"acme_owner", "acme_owner", {P("USAGE"), P("CREATE")}},
                                  {"acme_readers", "acme_owner", {P("USAGE")}, G::kGroup},
                                  {"", "acme_owner", {P("USAGE")}},
                                  {"acme_base", "acme_owner", {P("USAGE")}, G::kRole}}));
  EXPECT_EQ(AclOf({ObjectKind::kSchema, {kOps, ""}}, "acme_owner"),
            (std::vector<AclItem>{{"acme_owner", "acme_owner", {P("USAGE"), P("CREATE")}},
                                  {kAnalyst, "acme_owner", {P("USAGE")}}}));
  EXPECT_EQ(
      AclOf({ObjectKind::kView, {"acme", "v_orders"}}, "acme_owner"),
      (std::vector<AclItem>{{"acme_owner", "acme_owner", all}, {"", "acme_owner", {P("SELECT")}}}));
  EXPECT_EQ(AclOf({ObjectKind::kMaterializedView, {"acme", "mv_daily"}}, "acme_owner"),
            (std::vector<AclItem>{{"acme_owner", "acme_owner", all},
                                  {"acme_readers", "acme_owner", {P("SELECT")}, G::kGroup}}));
  // Only a role holds a privilege on mv_weekly: its ACL comes from svv_relation_privileges.
  EXPECT_EQ(AclOf({ObjectKind::kMaterializedView, {"acme", "mv_weekly"}}, "acme_owner"),
            (std::vector<AclItem>{{"acme_top", "acme_owner", {P("SELECT")}, G::kRole}}));
  EXPECT_EQ(catalog_.acls.size(), 12u);  // nothing of globex, nothing of mv_tbl__ tables
}

TEST_F(RsExtractorTest, ColumnRoutineAndDatabasePrivileges) {
  using G = GranteeKind;
  EXPECT_EQ(AclOf({ObjectKind::kTable, {"acme", "customers"}, "", "name"}, "acme_owner"),
            (std::vector<AclItem>{{"acme_readers", "acme_owner", {P("SELECT")}, G::kGroup},
                                  {"acme_top", "acme_owner", {P("UPDATE")}, G::kRole}}));
  EXPECT_EQ(AclOf({ObjectKind::kTable, {"acme", "orders"}, "", "note"}, "acme_owner"),
            (std::vector<AclItem>{{kAnalyst, "acme_owner", {P("SELECT"), P("UPDATE")}}}));
  EXPECT_EQ(AclOf({ObjectKind::kFunction, {"acme", "f_add"}, "integer, integer"}, "acme_owner"),
            (std::vector<AclItem>{{"acme_owner", "acme_owner", {P("EXECUTE")}},
                                  {"acme_readers", "acme_owner", {P("EXECUTE")}, G::kGroup},
                                  {"acme_base", "acme_owner", {P("EXECUTE")}, G::kRole}}));
  // svv_function_privileges spells the arguments "varchar": the only f_upper_py is meant.
  EXPECT_EQ(
      AclOf({ObjectKind::kFunction, {"acme", "f_upper_py"}, "character varying"}, "acme_owner"),
      (std::vector<AclItem>{{"acme_mid", "acme_owner", {P("EXECUTE")}, G::kRole}}));
  EXPECT_EQ(AclOf({ObjectKind::kProcedure, {kOps, "sp \"load\"; ü"}, "integer, character varying"},
                  "acme_owner"),
            (std::vector<AclItem>{{"acme_owner", "acme_owner", {P("EXECUTE")}},
                                  {kAnalyst, "acme_owner", {P("EXECUTE", true)}}}));
  // rdsdb's own item is left out: a system user, on every target already.
  EXPECT_EQ(AclOf({ObjectKind::kDatabase, {"dev", ""}}, "rdsdb"),
            (std::vector<AclItem>{{"acme_owner", "rdsdb", {P("CREATE")}},
                                  {"", "rdsdb", {P("TEMP")}},
                                  {"acme_top", "rdsdb", {P("CREATE")}, G::kRole}}));
}

TEST_F(RsExtractorTest, DefaultPrivilegesPerSchemaAndDatabaseWide) {
  using G = GranteeKind;
  using On = DefaultAcl::On;
  // Role grantees come from svv_default_privileges too; acme_top's SELECT on o'brien's tables
  // is in both pg_default_acl and svv_default_privileges and is kept once.
  std::vector<DefaultAcl> expected = {
      {"acme_owner",
       "acme",
       On::kTables,
       {{"acme_readers", "acme_owner", {P("SELECT")}, G::kGroup},
        {"acme_mid", "acme_owner", {P("SELECT")}, G::kRole}}},
      {"acme_owner", "", On::kFunctions, {{kAnalyst, "acme_owner", {P("EXECUTE")}}}},
      {"acme_owner",
       "",
       On::kProcedures,
       {{"", "acme_owner", {P("EXECUTE")}}, {"acme_top", "acme_owner", {P("EXECUTE")}, G::kRole}}},
      {kAnalyst, "", On::kTables, {{"acme_top", kAnalyst, {P("SELECT")}, G::kRole}}},
  };
  // other_owner's rules are another tenant's: in globex, and database-wide for a user that
  // owns nothing of this tenant and holds no privilege on it.
  EXPECT_EQ(catalog_.default_acls, expected);
}

TEST(RsResolveTest, SchemaPatternsSkipExternalSchemas) {
  std::unique_ptr<FakeSession> session = Fixture(kProvisionedHost);
  Result<ServerInfo> info = DetectServer(*session);
  ASSERT_TRUE(info.ok());
  Result<std::vector<std::string>> names = ResolveSchemas(*session, *info, {"acme*"}, true);
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  EXPECT_EQ(*names, (std::vector<std::string>{"acme", kOps}));  // not acme_spectrum
  Result<std::vector<std::string>> none = ResolveSchemas(*session, *info, {"initech"}, true);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().ToString().find("\"initech\""), std::string::npos);
}

TEST(RsResolveTest, SourceMustBeASuperuser) {
  std::unique_ptr<FakeSession> session = Fixture(kProvisionedHost);
  ServerInfo info;
  info.dialect = Dialect::kRedshiftServerless;
  info.current_user = "reader";
  Result<std::vector<std::string>> missing = MissingSourcePrivileges(*session, info, {"acme"});
  ASSERT_TRUE(missing.ok());
  ASSERT_EQ(missing->size(), 1u);
  EXPECT_NE((*missing)[0].find("superuser (reader is not one"), std::string::npos) << (*missing)[0];
  info.superuser = true;
  missing = MissingSourcePrivileges(*session, info, {"acme"});
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->empty());
}

TEST(RsExtractorViews, ViewWithoutColumnsIsLateBinding) {
  // Should pg_get_viewdef print only the query of a late-binding view, relnatts = 0 tells.
  std::unique_ptr<FakeSession> session = Fixture(kProvisionedHost);
  Rows views;
  views.columns = {"oid", "schema", "name", "owner", "column_count", "definition", "comment"};
  views.rows = {
      {"300004", kOps, "lb", "acme_owner", "0", "select id from acme.orders;", std::nullopt}};
  session->AddResult(Sql("views.sql"), views);
  Result<Catalog> c = ExtractCatalog(*session, kTenant);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const View* lb = c->FindView({kOps, "lb"});
  ASSERT_NE(lb, nullptr);
  EXPECT_TRUE(lb->late_binding);
  EXPECT_EQ(lb->definition, "select id from acme.orders");
}

TEST(RsExtractorErrors, UnknownPrivilegeLetterNamesTheObject) {
  std::unique_ptr<FakeSession> session = Fixture(kProvisionedHost);
  Rows bad;
  bad.columns = {"kind", "schema", "name", "arguments", "column_name", "owner", "acl"};
  bad.rows = {{"schema", "acme", "", "", "", "acme_owner", "{acme_owner=UQ/acme_owner}"}};
  session->AddResult(Sql("acls.sql"), bad);
  Result<Catalog> c = ExtractCatalog(*session, kTenant);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().ToString().find("'Q'"), std::string::npos) << c.status().ToString();
  EXPECT_NE(c.status().ToString().find("schema acme"), std::string::npos) << c.status().ToString();
}

TEST(RsExtractorErrors, AQueryFailureNamesTheQuery) {
  FakeSession missing;  // answers only what is added below: tables.sql is not
  for (const char* stem : {"users", "user_info", "groups", "roles", "role_grants", "user_grants",
                           "system_privileges", "schemas", "schema_quotas"}) {
    missing.AddResult(Sql(std::string(stem) + ".sql"), FixtureRows(stem));
  }
  ServerInfo info;
  info.dialect = Dialect::kRedshift;
  Result<Catalog> c = ExtractRedshift(missing, info, kTenant);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().ToString().find("redshift/tables.sql"), std::string::npos)
      << c.status().ToString();
}

// D15: EXTERNALID "ABC123" (the CREATE ROLE example, r_CREATE_ROLE.html) on acme_mid.
TEST_F(RsExtractorTest, ExternalIdsAreRead) {
  EXPECT_EQ(RoleNamed("acme_mid").external_id, "ABC123");
  EXPECT_EQ(RoleNamed("acme_base").external_id, "");
}

// D11: "The SVV_TABLE_INFO view doesn't return any information for empty tables"
// (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_TABLE_INFO.html): the empty table gets
// ENCODE AUTO, the default, and no column encodings. D16: the MV keeps its backing table's BACKUP.
TEST_F(RsExtractorTest, EmptyTableIsEncodeAutoAndMvKeepsBackup) {
  const Table& log = TableNamed(kOps, "log");
  EXPECT_TRUE(log.encode_auto);
  for (const Column& c : log.columns) EXPECT_EQ(c.encoding, "") << c.name;
  const Table& orders = TableNamed("acme", "orders");
  EXPECT_FALSE(orders.encode_auto);
  EXPECT_TRUE(ViewNamed("acme", "mv_daily").backup);
}

// R15: the SVV_MV_INFO / STV_MV_INFO samples print autorefresh as 1 and 0.
TEST_F(RsExtractorTest, AutoRefreshPrintedAsOne) {
  EXPECT_TRUE(ViewNamed("acme", "mv_daily").auto_refresh);
  EXPECT_FALSE(ViewNamed("acme", "mv_weekly").auto_refresh);
}

std::vector<std::string> UnmovedWhat(const Catalog& c) {
  std::vector<std::string> out;
  for (const Unmoved& u : c.unmoved) out.push_back(u.what + (u.security ? " [security]" : ""));
  return out;
}

// Item 2 of issue 12: what is not recreated is recorded, each from its documented view; rows of
// other schemas (the docs' samples, in public) and PUBLIC's grants are not the tenant's.
TEST_F(RsExtractorTest, WhatIsNotRecreatedIsRecorded) {
  EXPECT_EQ(
      UnmovedWhat(catalog_),
      (std::vector<std::string>{
          "external schema acme_spectrum",
          "scoped permission SELECT for tables in database dev to acme_top",
          std::string("scoped permission EXECUTE for functions in schema acme to ") + kAnalyst,
          "scoped permission SELECT for tables in schema acme to acme_mid",
          "row-level security on acme.orders [security]",
          "RLS policy pol1 on acme.orders for ROLE \"acme_mid\" [security]",
          "masking policy mask_name on acme.customers for ROLE \"acme_base\" [security]",
          "datashare acmeshare (schema acme, table acme.orders)",
          "ML model acme.churn_model",
          "ASSUMEROLE arn:aws:iam::123456789012:role/myRedshiftRole for COPY to acme_owner",
          "USAGE on language plpythonu to acme_owner",
      }));
}

// Scoped permissions: GRANT ... FOR TABLES IN { SCHEMA s | DATABASE d } TO { user [WITH GRANT
// OPTION] | ROLE r } (https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html).
TEST_F(RsExtractorTest, ScopedGrantsCarryTheirDocumentedStatement) {
  auto sql = [&](const std::string& what) {
    for (const Unmoved& u : catalog_.unmoved) {
      if (u.what == what) return u.sql;
    }
    return std::string("(none)");
  };
  EXPECT_EQ(sql("scoped permission SELECT for tables in schema acme to acme_mid"),
            "GRANT SELECT FOR TABLES IN SCHEMA \"acme\" TO ROLE \"acme_mid\";\n");
  EXPECT_EQ(
      sql(std::string("scoped permission EXECUTE for functions in schema acme to ") + kAnalyst),
      "GRANT EXECUTE FOR FUNCTIONS IN SCHEMA \"acme\" TO \"o'brien \"\"the analyst\"\"\" "
      "WITH GRANT OPTION;\n");
  // SVV_IAM_PRIVILEGES prints the default role as default-aws-iam-role and EXTERNAL FUNCTION as
  // EXFUNC (r_SVV_IAM_PRIVILEGES.html sample); RLS policy from the SVV_RLS_POLICY sample (pol1).
  EXPECT_EQ(sql("RLS policy pol1 on acme.orders for ROLE \"acme_mid\""),
            "CREATE RLS POLICY \"pol1\" WITH (\"a\" integer) AS \"t\" USING (\"t\".\"a\" IS NOT "
            "NULL);\nATTACH RLS POLICY \"pol1\" ON \"acme\".\"orders\" TO ROLE \"acme_mid\";\n");
}

}  // namespace
}  // namespace tenantshift
