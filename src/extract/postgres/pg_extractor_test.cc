// The PostgreSQL extractor run on recorded catalog rows, made by scripts/record_fixtures.sh:
// tests/fixtures/postgres/*.json from tests/integration/sample_tenant.sql and
// programmable_tenant.sql (schema "acme"), and tests/fixtures/postgres_principals/*.json from
// tests/integration/principals_tenant.sql; tests/fixtures/postgres_completeness/*.json from
// tests/integration/completeness_tenant.sql (after the other two).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "extract/extractor.h"
#include "testing/catalog_fixture.h"
#include "testing/fake_session.h"

namespace tenantshift {
namespace {

// Answers every catalog query of `fixtures` (a folder under tests/fixtures) from its recording.
void LoadFixtures(const std::string& fixtures, FakeSession* session) {
  Status s = LoadCatalogFixture("postgres", fixtures, session);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

class PgExtractorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LoadFixtures("postgres", &session_);
    Result<Catalog> c = ExtractPostgres(session_, {"acme"});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    catalog_ = std::move(*c);
  }

  const Routine& RoutineNamed(const std::string& name, const std::string& args) {
    const Routine* r = catalog_.FindRoutine({"acme", name}, args);
    EXPECT_NE(r, nullptr) << name << "(" << args << ")";
    static Routine empty;
    return r ? *r : empty;
  }

  const View& ViewNamed(const std::string& name) {
    const View* v = catalog_.FindView({"acme", name});
    EXPECT_NE(v, nullptr) << name;
    static View empty;
    return v ? *v : empty;
  }

  const Table& TableNamed(const std::string& name) {
    const Table* t = catalog_.FindTable({"acme", name});
    EXPECT_NE(t, nullptr) << name;
    static Table empty;
    return t ? *t : empty;
  }

  FakeSession session_;
  Catalog catalog_;
};

bool HasRef(const std::vector<DependencyRef>& refs, DependencyKind kind, const std::string& name,
            const std::string& args = "") {
  return std::find(refs.begin(), refs.end(), DependencyRef{kind, {"acme", name}, args}) !=
         refs.end();
}

TEST_F(PgExtractorTest, IssuesAFixedNumberOfQueries) {
  // One per catalog query file (and version() to detect the dialect), however many objects
  // the tenant has.
  EXPECT_EQ(session_.queried.size(), 37u);
}

TEST_F(PgExtractorTest, SchemaAndServer) {
  ASSERT_EQ(catalog_.schemas.size(), 1u);
  EXPECT_EQ(catalog_.schemas[0].name, "acme");
  EXPECT_EQ(catalog_.server.dialect, Dialect::kPostgres);
  EXPECT_GE(catalog_.server.version_num, 150000);
  EXPECT_NE(catalog_.FindRole("acme_owner"), nullptr);
}

TEST_F(PgExtractorTest, Types) {
  const UserType* status = catalog_.FindType({"acme", "order_status"});
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->kind, UserType::Kind::kEnum);
  EXPECT_EQ(status->enum_labels,
            (std::vector<std::string>{"new", "paid", "shipped", "cancelled", "it's \"odd\"; ü"}));
  EXPECT_EQ(status->comment, "Lifecycle of an order");
  const UserType* qty = catalog_.FindType({"acme", "positive_qty"});
  ASSERT_NE(qty, nullptr);
  EXPECT_EQ(qty->kind, UserType::Kind::kDomain);
  EXPECT_EQ(qty->base_type, "integer");
  EXPECT_TRUE(qty->domain_not_null);
  EXPECT_EQ(qty->domain_default, "1");
  ASSERT_EQ(qty->domain_checks.size(), 1u);
  EXPECT_EQ(qty->domain_checks[0].name, "positive_qty_check");
  const UserType* address = catalog_.FindType({"acme", "address"});
  ASSERT_NE(address, nullptr);
  ASSERT_EQ(address->attributes.size(), 4u);
  EXPECT_EQ(address->attributes[1].type, "character varying(80)");
}

TEST_F(PgExtractorTest, Sequences) {
  const Sequence* ticket = catalog_.FindSequence({"acme", "ticket_seq"});
  ASSERT_NE(ticket, nullptr);
  EXPECT_EQ(ticket->options.data_type, "integer");
  EXPECT_EQ(ticket->options.increment, 7);
  EXPECT_EQ(ticket->options.min_value, 100);
  EXPECT_EQ(ticket->options.max_value, 1000000);
  EXPECT_EQ(ticket->options.start, 105);
  EXPECT_EQ(ticket->options.cache, 20);
  EXPECT_TRUE(ticket->options.cycle);
  EXPECT_TRUE(ticket->state.is_called);
  const Sequence* never = catalog_.FindSequence({"acme", "never_used_seq"});
  ASSERT_NE(never, nullptr);
  EXPECT_FALSE(never->state.is_called);
  EXPECT_EQ(never->state.last_value, 42);
  // Identity sequences belong to their column, not to the sequence list.
  EXPECT_EQ(catalog_.FindSequence({"acme", "customers_id_seq"}), nullptr);
}

TEST_F(PgExtractorTest, TableColumnsIdentityAndGenerated) {
  const Table& customers = TableNamed("customers");
  EXPECT_EQ(customers.owner, "acme_owner");
  ASSERT_FALSE(customers.columns.empty());
  const Column& id = customers.columns[0];
  EXPECT_EQ(id.identity, 'a');
  EXPECT_EQ(id.identity_options.start, 10);
  EXPECT_EQ(id.identity_options.increment, 5);
  auto login = std::find_if(customers.columns.begin(), customers.columns.end(),
                            [](const Column& c) { return c.name == "login"; });
  ASSERT_NE(login, customers.columns.end());
  EXPECT_EQ(login->collation, "pg_catalog.\"C\"");
  EXPECT_FALSE(login->comment.empty());
  auto tags = std::find_if(customers.columns.begin(), customers.columns.end(),
                           [](const Column& c) { return c.name == "tags"; });
  ASSERT_NE(tags, customers.columns.end());
  EXPECT_FALSE(tags->binary_safe);  // an array of a tenant enum carries the enum's oid
  const Table& orders = TableNamed("orders");
  auto total = std::find_if(orders.columns.begin(), orders.columns.end(),
                            [](const Column& c) { return c.name == "total"; });
  ASSERT_NE(total, orders.columns.end());
  EXPECT_TRUE(total->generated());
  EXPECT_EQ(orders.columns[0].identity, 'd');
}

TEST_F(PgExtractorTest, ConstraintsAndIndexes) {
  const Table& customers = TableNamed("customers");
  auto kind_of = [&](const std::string& name) {
    for (const Constraint& c : customers.constraints) {
      if (c.name == name) return static_cast<int>(c.kind);
    }
    return -1;
  };
  EXPECT_EQ(kind_of("customers_pkey"), static_cast<int>(Constraint::Kind::kPrimaryKey));
  EXPECT_EQ(kind_of("customers_login_key"), static_cast<int>(Constraint::Kind::kUnique));
  EXPECT_EQ(kind_of("customers_name_check"), static_cast<int>(Constraint::Kind::kCheck));
  EXPECT_EQ(kind_of("customers_parent_id_fkey"), static_cast<int>(Constraint::Kind::kForeignKey));
  // Constraint indexes are not listed as plain indexes.
  for (const Index& i : customers.indexes) EXPECT_NE(i.name, "customers_pkey");
  const Table& bookings = TableNamed("room_bookings");
  EXPECT_TRUE(
      std::any_of(bookings.constraints.begin(), bookings.constraints.end(),
                  [](const Constraint& c) { return c.kind == Constraint::Kind::kExclude; }));
}

TEST_F(PgExtractorTest, Partitions) {
  const Table& events = TableNamed("events");
  EXPECT_TRUE(events.partitioned());
  EXPECT_EQ(events.partition_key, "RANGE (occurred_at)");
  const Table& def = TableNamed("events_default");
  ASSERT_TRUE(def.partition_parent.has_value());
  EXPECT_EQ(def.partition_parent->name, "events");
  EXPECT_EQ(def.partition_bound, "DEFAULT");
  auto kind_idx = std::find_if(def.indexes.begin(), def.indexes.end(), [](const Index& i) {
    return i.parent_index && i.parent_index->name == "events_kind_idx";
  });
  EXPECT_NE(kind_idx, def.indexes.end());
  auto pk = std::find_if(def.constraints.begin(), def.constraints.end(),
                         [](const Constraint& c) { return c.parent_constraint == "events_pkey"; });
  EXPECT_NE(pk, def.constraints.end());
}

class PgExtractorPrincipalsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LoadFixtures("postgres_principals", &session_);
    Result<Catalog> c = ExtractPostgres(session_, {"tenant_a", "Tenant A \"Audit\""});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    catalog_ = std::move(*c);
  }

  const ObjectAcl& AclOf(const ObjectRef& object) {
    const ObjectAcl* acl = catalog_.FindAcl(object);
    EXPECT_NE(acl, nullptr) << object.Display();
    static ObjectAcl empty;
    return acl ? *acl : empty;
  }

  FakeSession session_;
  Catalog catalog_;
};

TEST_F(PgExtractorPrincipalsTest, ServerAndRoles) {
  EXPECT_TRUE(catalog_.server.superuser);
  EXPECT_TRUE(catalog_.server.can_read_passwords);
  const Role* app = catalog_.FindRole("ta_app");
  ASSERT_NE(app, nullptr);
  EXPECT_TRUE(app->can_login);
  EXPECT_EQ(app->connection_limit, 7);
  EXPECT_EQ(app->valid_until, "2099-12-31 23:00:00.000000+00");
  EXPECT_EQ(app->comment, "application login; it's \"quoted\"");
  ASSERT_EQ(app->settings.size(), 3u);
  EXPECT_EQ(app->settings[0], (RoleSetting{false, "search_path", "tenant_a, \"$user\", public"}));
  EXPECT_EQ(app->settings[2], (RoleSetting{true, "work_mem", "8MB"}));
  EXPECT_FALSE(catalog_.FindRole("ta_analyst")->inherit);
  EXPECT_TRUE(catalog_.FindRole("ta_dba")->superuser);
  EXPECT_NE(catalog_.FindRole("Ta Reader \"Q\" ü"), nullptr);
}

TEST_F(PgExtractorPrincipalsTest, Memberships) {
  RoleMembership want{"Ta Reader \"Q\" ü", "ta_staff", "postgres", true};
  EXPECT_NE(std::find(catalog_.memberships.begin(), catalog_.memberships.end(), want),
            catalog_.memberships.end());
}

TEST_F(PgExtractorPrincipalsTest, TableAndColumnAclsInServerOrder) {
  const ObjectAcl& customers = AclOf({ObjectKind::kTable, {"tenant_a", "customers"}});
  EXPECT_EQ(customers.owner, "ta_owner");
  ASSERT_EQ(customers.items.size(), 4u);
  EXPECT_EQ(customers.items[0].grantee, "ta_owner");
  EXPECT_EQ(customers.items[1].grantee, "Ta Reader \"Q\" ü");
  const AclItem& writer = customers.items[2];
  EXPECT_EQ(writer.grantee, "ta_writer");
  EXPECT_EQ(writer.privileges,
            (std::vector<Privilege>{{"INSERT", true}, {"SELECT", false}, {"UPDATE", true}}));
  EXPECT_EQ(customers.items[3], (AclItem{"etl_bot", "ta_writer", {{"INSERT", false}}}));
  const ObjectAcl& name = AclOf({ObjectKind::kTable, {"tenant_a", "customers"}, "", "name"});
  ASSERT_EQ(name.items.size(), 1u);
  EXPECT_EQ(name.items[0].privileges,
            (std::vector<Privilege>{{"SELECT", false}, {"UPDATE", false}}));
}

TEST_F(PgExtractorPrincipalsTest, RevokedPublicUsageLeavesOnlyExplicitItems) {
  const ObjectAcl& mood = AclOf({ObjectKind::kType, {"tenant_a", "mood"}});
  for (const AclItem& item : mood.items) EXPECT_FALSE(item.grantee.empty());
  ASSERT_EQ(mood.items.size(), 2u);
  EXPECT_EQ(mood.items[1].grantee, "ta_writer");
  EXPECT_NE(catalog_.FindAcl({ObjectKind::kSchema, {"Tenant A \"Audit\"", ""}}), nullptr);
}

TEST_F(PgExtractorPrincipalsTest, DefaultPrivilegesAndPolicies) {
  ASSERT_EQ(catalog_.default_acls.size(), 3u);
  for (const DefaultAcl& d : catalog_.default_acls) {
    EXPECT_EQ(d.role, "ta_owner");
    EXPECT_EQ(d.schema, "tenant_a");
    ASSERT_EQ(d.items.size(), 1u);
  }
  const Table* customers = catalog_.FindTable({"tenant_a", "customers"});
  ASSERT_NE(customers, nullptr);
  EXPECT_TRUE(customers->row_security);
  EXPECT_TRUE(customers->force_row_security);
  ASSERT_EQ(customers->policies.size(), 2u);
  const Policy& writers = customers->policies[0];
  EXPECT_EQ(writers.name, "Writers' rows");
  EXPECT_FALSE(writers.permissive);
  EXPECT_EQ(writers.command, "ALL");
  EXPECT_EQ(writers.roles, (std::vector<std::string>{"ta_writer", "Ta Reader \"Q\" ü"}));
  EXPECT_EQ(writers.check_expr, "(id > 0)");
  EXPECT_EQ(customers->policies[1].command, "SELECT");
}

TEST(PgExtractorPasswordsTest, ReadsVerifiersOfTheNamedRolesOnly) {
  FakeSession session;
  Rows rows;
  rows.columns = {"name", "verifier"};
  rows.rows = {{"ta_app", "SCRAM-SHA-256$4096:abc"}};
  session.AddResult(std::string(EmbeddedSql("postgres/role_passwords.sql")), rows);
  Result<std::map<std::string, Secret>> v = ReadPasswordVerifiers(session, {"ta_app", "x"});
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->size(), 1u);
  EXPECT_EQ(v->at("ta_app").Reveal(), "SCRAM-SHA-256$4096:abc");
}

TEST_F(PgExtractorTest, FunctionsKeepTheServersDefinition) {
  const Routine& tax = RoutineNamed("add_tax", "amount numeric, rate numeric");
  EXPECT_EQ(tax.kind, Routine::Kind::kFunction);
  EXPECT_EQ(tax.language, "plpgsql");
  EXPECT_EQ(tax.definition.rfind("CREATE OR REPLACE FUNCTION acme.add_tax(amount numeric, rate "
                                 "numeric DEFAULT 0.0825)",
                                 0),
            0u);
  EXPECT_NE(tax.definition.find("LEAKPROOF"), std::string::npos);
  const Routine& secret = RoutineNamed("secret_digest", "p text");
  EXPECT_EQ(secret.owner, "acme_owner");
  EXPECT_NE(secret.definition.find("SECURITY DEFINER"), std::string::npos);
  EXPECT_NE(secret.definition.find("SET search_path TO 'pg_catalog', 'public'"), std::string::npos);
  // Overloads are separate routines.
  RoutineNamed("fmt_price", "p numeric");
  RoutineNamed("fmt_price", "p integer");
  EXPECT_EQ(RoutineNamed("fmt_price", "p numeric, currency text").comment,
            "price with its currency; it's \"quoted\"");
  const Routine& reprice = RoutineNamed("reprice", "IN category_name text, INOUT changed integer");
  EXPECT_EQ(reprice.kind, Routine::Kind::kProcedure);
  // A string body is opaque to the server: no dependency on the view it reads. A SQL-standard
  // body is parsed, and its dependencies are recorded.
  EXPECT_TRUE(RoutineNamed("cheap_count", "").depends_on.empty());
  EXPECT_TRUE(HasRef(RoutineNamed("open_order_count", "").depends_on, DependencyKind::kView,
                     "z_order_base"));
}

TEST_F(PgExtractorTest, Aggregates) {
  const Routine& list = RoutineNamed("list_of", "text");
  EXPECT_EQ(list.kind, Routine::Kind::kAggregate);
  EXPECT_TRUE(list.definition.empty());
  EXPECT_EQ(list.aggregate.sfunc, "acme.concat_step");
  EXPECT_EQ(list.aggregate.finalfunc, "acme.concat_final");
  ASSERT_TRUE(list.aggregate.initcond.has_value());
  EXPECT_EQ(*list.aggregate.initcond, "");  // '' is not "no INITCOND"
  EXPECT_TRUE(
      HasRef(list.depends_on, DependencyKind::kRoutine, "concat_step", "state text, val text"));
  const Routine& total = RoutineNamed("total_of", "numeric");
  EXPECT_EQ(total.aggregate.msfunc, "numeric_add");
  EXPECT_EQ(total.aggregate.minvfunc, "numeric_sub");
  EXPECT_EQ(total.aggregate.parallel, 's');
}

TEST_F(PgExtractorTest, ViewsAndMaterializedViews) {
  const View& summary = ViewNamed("a_order_summary");
  EXPECT_FALSE(summary.materialized);
  EXPECT_EQ(summary.definition.find(";"), std::string::npos);
  EXPECT_TRUE(HasRef(summary.depends_on, DependencyKind::kView, "z_order_base"));
  EXPECT_TRUE(HasRef(summary.depends_on, DependencyKind::kRoutine, "fmt_price",
                     "p numeric, currency text"));
  ASSERT_EQ(summary.columns.size(), 4u);
  EXPECT_EQ(summary.columns[2].comment, "sum of qty * unit_price");
  EXPECT_EQ(ViewNamed("v_cheap_products").check_option, "cascaded");
  EXPECT_EQ(ViewNamed("v_cheap_products").columns[4].default_expr, "'toys'::text");
  EXPECT_EQ(ViewNamed("v_cheap_toys").check_option, "local");
  EXPECT_EQ(ViewNamed("v_secure").options,
            (std::vector<std::pair<std::string, std::string>>{{"security_barrier", "true"}}));
  const View& daily = ViewNamed("mv_z_daily");
  EXPECT_TRUE(daily.materialized);
  EXPECT_TRUE(daily.populated);
  ASSERT_EQ(daily.indexes.size(), 1u);
  EXPECT_EQ(daily.indexes[0].name, "mv_z_daily_day_idx");
  EXPECT_TRUE(HasRef(ViewNamed("mv_a_top").depends_on, DependencyKind::kView, "v_over_mv"));
  EXPECT_TRUE(
      HasRef(ViewNamed("v_over_mv").depends_on, DependencyKind::kMaterializedView, "mv_z_daily"));
  EXPECT_FALSE(ViewNamed("mv_no_data").populated);
  // A materialized view's index is not a table index.
  for (const Table& t : catalog_.tables) {
    for (const Index& i : t.indexes) EXPECT_NE(i.name, "mv_z_daily_day_idx");
  }
}

TEST_F(PgExtractorTest, TriggersAndRules) {
  const Trigger* touch = catalog_.FindTrigger({"acme", "products"}, "products_touch_trg");
  ASSERT_NE(touch, nullptr);
  EXPECT_EQ(touch->enabled, 'O');
  EXPECT_EQ(touch->comment, "marks every written row");
  EXPECT_TRUE(HasRef(touch->depends_on, DependencyKind::kRoutine, "products_touch"));
  const Trigger* disabled = catalog_.FindTrigger({"acme", "products"}, "products_reject_disabled");
  ASSERT_NE(disabled, nullptr);
  EXPECT_EQ(disabled->enabled, 'D');
  EXPECT_EQ(catalog_.FindTrigger({"acme", "products"}, "products_reject_replica")->enabled, 'R');
  EXPECT_EQ(catalog_.FindTrigger({"acme", "price_log"}, "price_log_always_on")->enabled, 'A');
  // The clones of a partitioned table's trigger are not listed.
  EXPECT_NE(catalog_.FindTrigger({"acme", "events"}, "events_mark_trg"), nullptr);
  EXPECT_EQ(catalog_.FindTrigger({"acme", "events_2023"}, "events_mark_trg"), nullptr);
  const Rule* rule = catalog_.FindRule({"acme", "products"}, "products_delete_log");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->enabled, 'D');
  EXPECT_TRUE(HasRef(rule->depends_on, DependencyKind::kTable, "price_log"));
  EXPECT_EQ(rule->definition.back(), ')');  // no semicolon
}

TEST_F(PgExtractorTest, DependenciesForTablesTypesAndExtensions) {
  const Table& products = TableNamed("products");
  EXPECT_TRUE(HasRef(products.routines, DependencyKind::kRoutine, "next_code"));
  EXPECT_TRUE(HasRef(products.routines, DependencyKind::kRoutine, "is_valid_code", "code text"));
  // The types a table uses (issue 18: its creation waits for those only).
  const Table& orders = TableNamed("orders");
  EXPECT_EQ(orders.types,
            (std::vector<QualifiedName>{{"acme", "order_status"}, {"acme", "positive_qty"}}));
  EXPECT_TRUE(TableNamed("session_cache").types.empty());
  const UserType* code = catalog_.FindType({"acme", "product_code"});
  ASSERT_NE(code, nullptr);
  EXPECT_TRUE(HasRef(code->routines, DependencyKind::kRoutine, "is_valid_code", "code text"));
  EXPECT_TRUE(HasRef(RoutineNamed("is_valid_code", "code text").depends_on,
                     DependencyKind::kRoutine, "normalize_code", "code text"));
  EXPECT_EQ(catalog_.extensions,
            (std::vector<Extension>{
                {"citext", "public"}, {"pgcrypto", "public"}, {"plpgsql", "pg_catalog"}}));
  ASSERT_TRUE(catalog_.server_extensions.count("citext"));
  EXPECT_TRUE(catalog_.server_extensions.at("citext").available);
  EXPECT_EQ(catalog_.server_extensions.at("plpgsql").schema, "pg_catalog");
  EXPECT_TRUE(catalog_.all_schemas.count("other"));
}

}  // namespace
}  // namespace tenantshift

namespace tenantshift {
namespace {

// Issue 18, on rows recorded from tests/integration/completeness_tenant.sql
// (tests/fixtures/postgres_completeness): inheritance, partition-only defaults, a partition's
// trigger clone with its own state, and aggregate and window-function privileges.
class PgCompletenessExtractorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LoadFixtures("postgres_completeness", &session_);
    Result<Catalog> c = ExtractPostgres(session_, {"kinds", "Kinds \"Odd\"; $(touch pwned)"});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    catalog_ = std::move(*c);
  }
  const Table& TableNamed(const std::string& schema, const std::string& name) {
    const Table* t = catalog_.FindTable({schema, name});
    EXPECT_NE(t, nullptr) << name;
    static Table empty;
    return t ? *t : empty;
  }
  const Column& ColumnNamed(const Table& t, const std::string& name) {
    for (const Column& c : t.columns) {
      if (c.name == name) return c;
    }
    ADD_FAILURE() << "no column " << name;
    static Column empty;
    return empty;
  }

  FakeSession session_;
  Catalog catalog_;
};

// Table and column properties, as completeness_tenant.sql sets them on "Props; ""p""".
TEST_F(PgCompletenessExtractorTest, TableAndColumnProperties) {
  const Table& t = TableNamed("kinds", "Props; \"p\"");
  EXPECT_EQ(t.storage_parameters,
            (std::vector<std::string>{"fillfactor=70", "autovacuum_enabled=false"}));
  EXPECT_EQ(t.access_method, "");  // heap
  EXPECT_EQ(t.cluster_index, "Props; \"p\"_pkey");
  const Column& doc = ColumnNamed(t, "Doc \"x\"");
  EXPECT_EQ(doc.storage, 'e');
  EXPECT_EQ(doc.compression, 'p');
  EXPECT_EQ(doc.statistics, -1);
  const Column& n = ColumnNamed(t, "n");
  EXPECT_EQ(n.storage, '\0');
  EXPECT_EQ(n.statistics, 500);
  EXPECT_EQ(n.options, std::vector<std::string>{"n_distinct=100"});
  ASSERT_EQ(t.policies.size(), 1u);
  EXPECT_EQ(t.policies[0].comment, "policy; comment");
  EXPECT_TRUE(TableNamed("kinds", "vehicle").has_inheritance_children);
  EXPECT_FALSE(TableNamed("kinds", "racing_car").has_inheritance_children);
  EXPECT_EQ(TableNamed("kinds", "vehicle").cluster_index, "vehicle_id_idx");
  const std::vector<ExtendedStatistics>& stats = TableNamed("kinds", "car").statistics;
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].name, (QualifiedName{"kinds", "Car; stats"}));
  EXPECT_EQ(stats[0].owner, "Kind Owner");
  EXPECT_EQ(stats[0].statistics, 200);
  EXPECT_EQ(stats[0].comment, "car stats");
  EXPECT_EQ(stats[0].definition.rfind(
                "CREATE STATISTICS kinds.\"Car; stats\" (ndistinct, dependencies)", 0),
            0u)
      << stats[0].definition;
}

TEST_F(PgCompletenessExtractorTest, TextSearchDictionariesAndConfigurations) {
  ASSERT_EQ(catalog_.ts_dictionaries.size(), 1u);
  const TextSearchDictionary& d = catalog_.ts_dictionaries[0];
  EXPECT_EQ(d.name, (QualifiedName{"Kinds \"Odd\"; $(touch pwned)", "Simple; \"d\""}));
  EXPECT_EQ(d.owner, "Kind Owner");
  EXPECT_EQ(d.template_name, (QualifiedName{"pg_catalog", "simple"}));
  EXPECT_EQ(d.options, "stopwords = 'english', accept = 'false'");
  EXPECT_EQ(d.comment, "dict; 'x'");
  ASSERT_EQ(catalog_.ts_configurations.size(), 1u);
  const TextSearchConfiguration& c = catalog_.ts_configurations[0];
  EXPECT_EQ(c.name, (QualifiedName{"kinds", "Words; cfg"}));
  EXPECT_EQ(c.parser, (QualifiedName{"pg_catalog", "default"}));
  EXPECT_EQ(c.comment, "words config");
  ASSERT_EQ(c.mappings.size(), 3u);  // asciiword, word, int: in token type order
  EXPECT_EQ(c.mappings[0].token, "asciiword");
  EXPECT_EQ(c.mappings[0].dictionaries,
            (std::vector<QualifiedName>{d.name, {"pg_catalog", "english_stem"}}));
  EXPECT_EQ(c.mappings[2].token, "int");
  EXPECT_EQ(c.mappings[2].dictionaries, (std::vector<QualifiedName>{{"pg_catalog", "simple"}}));
}

// Issue 18: operators and their kin, with what they use and what uses them (recorded from
// completeness_tenant.sql).
TEST_F(PgCompletenessExtractorTest, OperatorsFamiliesClassesConversionsParsersTemplates) {
  const std::string odd = "Kinds \"Odd\"; $(touch pwned)";
  ASSERT_EQ(catalog_.operator_objects.operators.size(), 2u);
  const Operator& same = catalog_.operator_objects.operators[1];
  EXPECT_EQ(same.name, (QualifiedName{odd, "==="}));
  EXPECT_EQ(same.identity, "\"Kinds \"\"Odd\"\"; $(touch pwned)\".===(integer,integer)");
  EXPECT_EQ(same.owner, "Kind Owner");
  EXPECT_EQ(same.function, "\"Kinds \"\"Odd\"\"; $(touch pwned)\".same");
  EXPECT_EQ(same.left_type, "integer");
  EXPECT_EQ(same.negator, "\"Kinds \"\"Odd\"\"; $(touch pwned)\".!==");
  EXPECT_EQ(same.restrict_fn, "eqsel");
  EXPECT_TRUE(same.hashes);
  EXPECT_TRUE(same.merges);
  EXPECT_EQ(same.comment, "same; 'x'");
  EXPECT_EQ(same.links.routines,
            (std::vector<DependencyRef>{
                {DependencyKind::kRoutine, {odd, "same"}, "a integer, b integer"}}));
  EXPECT_EQ(
      same.links.operators,
      (std::vector<std::string>{"\"Kinds \"\"Odd\"\"; $(touch pwned)\".!==(integer,integer)"}));
  ASSERT_EQ(catalog_.operator_objects.families.size(), 1u);
  const OperatorFamily& fam = catalog_.operator_objects.families[0];
  EXPECT_EQ(fam.method, "btree");
  ASSERT_EQ(fam.members.size(), 2u);  // the loose cross-type members only
  EXPECT_EQ(fam.members[0], (OperatorMember{true, 1, ">(integer,bigint)", "", "", ""}));
  EXPECT_EQ(fam.members[1],
            (OperatorMember{false, 1, "btint48cmp(integer,bigint)", "integer", "bigint", ""}));
  ASSERT_EQ(catalog_.operator_objects.classes.size(), 1u);
  const OperatorClass& cls = catalog_.operator_objects.classes[0];
  EXPECT_EQ(cls.family, fam.name);
  EXPECT_FALSE(cls.is_default);
  EXPECT_EQ(cls.type, "integer");
  EXPECT_EQ(cls.members.size(), 6u);
  EXPECT_EQ(cls.links.families,
            (std::vector<std::string>{"kinds.\"Rev; \"\"fam\"\"\" USING btree"}));
  EXPECT_EQ(cls.links.used_by_indexes, (std::vector<QualifiedName>{{"kinds", "Rev; idx"}}));
  ASSERT_EQ(catalog_.operator_objects.conversions.size(), 1u);
  EXPECT_TRUE(catalog_.operator_objects.conversions[0].is_default);
  EXPECT_EQ(catalog_.operator_objects.conversions[0].from_encoding, "LATIN1");
  ASSERT_EQ(catalog_.operator_objects.ts_parsers.size(), 1u);
  EXPECT_EQ(catalog_.operator_objects.ts_parsers[0].headline, "prsd_headline");
  ASSERT_EQ(catalog_.operator_objects.ts_templates.size(), 1u);
  EXPECT_EQ(catalog_.operator_objects.ts_templates[0].name, (QualifiedName{odd, "Tmpl; \"t\""}));
  EXPECT_EQ(catalog_.operator_objects.ts_templates[0].init, "dsimple_init");
}

TEST_F(PgCompletenessExtractorTest, InheritanceParentsColumnsAndConstraints) {
  const QualifiedName vehicle{"kinds", "vehicle"};
  EXPECT_TRUE(TableNamed("kinds", "vehicle").inherits.empty());
  EXPECT_EQ(TableNamed("kinds", "car").inherits, std::vector<QualifiedName>{vehicle});
  EXPECT_EQ(TableNamed("kinds", "racing_car").inherits,
            (std::vector<QualifiedName>{{"kinds", "car"}}));
  EXPECT_EQ(TableNamed("Kinds \"Odd\"; $(touch pwned)", "Trike; \"x\"").inherits,
            std::vector<QualifiedName>{vehicle});
  EXPECT_FALSE(TableNamed("kinds", "car").partition_parent.has_value());
  const Table& car = TableNamed("kinds", "car");
  const Column& id = ColumnNamed(car, "id");
  EXPECT_TRUE(id.inherited);
  EXPECT_TRUE(id.parent_default);
  EXPECT_TRUE(id.parent_not_null);
  const Column& wheels = ColumnNamed(car, "wheels");  // a default of its own
  EXPECT_TRUE(wheels.inherited);
  EXPECT_FALSE(wheels.parent_default);
  EXPECT_EQ(wheels.default_expr, "3");
  const Column& label = ColumnNamed(car, "label");  // NOT NULL of its own
  EXPECT_TRUE(label.not_null);
  EXPECT_FALSE(label.parent_not_null);
  EXPECT_FALSE(ColumnNamed(car, "seats").inherited);
  EXPECT_FALSE(ColumnNamed(TableNamed("kinds", "bike"), "wheels").inherited);  // merged
  bool inherited_check = false;
  for (const Constraint& c : car.constraints) {
    if (c.name == "vehicle_id_positive") inherited_check = !c.local;
  }
  EXPECT_TRUE(inherited_check);
  EXPECT_TRUE(TableNamed("kinds", "no_columns").columns.empty());
}

TEST_F(PgCompletenessExtractorTest, PartitionDefaultsAndTriggerClones) {
  const Column& source = ColumnNamed(TableNamed("kinds", "readings_manual"), "source");
  EXPECT_TRUE(source.inherited);
  EXPECT_FALSE(source.parent_default);
  EXPECT_EQ(source.default_expr, "'manual'::text");
  EXPECT_TRUE(ColumnNamed(TableNamed("kinds", "readings_2024"), "source").parent_default);
  const Trigger* parent = catalog_.FindTrigger({"kinds", "readings"}, "readings_stamp");
  ASSERT_NE(parent, nullptr);
  EXPECT_FALSE(parent->clone);
  const Trigger* clone = catalog_.FindTrigger({"kinds", "readings_manual"}, "readings_stamp");
  ASSERT_NE(clone, nullptr);
  EXPECT_TRUE(clone->clone);
  EXPECT_EQ(clone->enabled, 'D');
  // Clones in the parent's state are not listed.
  EXPECT_EQ(catalog_.FindTrigger({"kinds", "readings_2024"}, "readings_stamp"), nullptr);
}

TEST_F(PgCompletenessExtractorTest, AggregateAndWindowFunctionPrivileges) {
  std::set<std::string> with_acl;
  for (const ObjectAcl& a : catalog_.acls) {
    if (a.object.kind == ObjectKind::kFunction) {
      with_acl.insert(a.object.name.name + "(" + a.object.arguments + ")");
    }
  }
  EXPECT_EQ(with_acl, (std::set<std::string>{"row_no()", "total(integer)"}));
}

}  // namespace
}  // namespace tenantshift

namespace tenantshift {
namespace {

// Issue 18: range types were not extracted, and their constructor functions were planned as
// user functions (LANGUAGE internal range_constructor2).
TEST_F(PgCompletenessExtractorTest, RangeTypesWithoutTheirConstructors) {
  const UserType* hours = catalog_.FindType({"kinds", "hours"});
  ASSERT_NE(hours, nullptr);
  EXPECT_EQ(hours->kind, UserType::Kind::kRange);
  EXPECT_EQ(hours->base_type, "integer");
  EXPECT_EQ(hours->range_subdiff, "kinds.int_diff");
  EXPECT_EQ(hours->range_multirange, "kinds.\"Hours Set\"");
  EXPECT_TRUE(hours->range_opclass.empty());
  EXPECT_EQ(hours->routines,
            (std::vector<DependencyRef>{
                {DependencyKind::kRoutine, {"kinds", "int_diff"}, "a integer, b integer"}}));
  for (const Routine& r : catalog_.routines) {
    EXPECT_NE(r.name.name, "hours");
    EXPECT_NE(r.name.name, "Hours Set");
  }
  const std::vector<QualifiedName>& used = TableNamed("kinds", "shifts").types;
  EXPECT_NE(std::find(used.begin(), used.end(), QualifiedName{"kinds", "hours"}), used.end());
  EXPECT_TRUE(catalog_.not_moved.empty());
}

// Issue 18, part 2: the foreign table, materialized view, indexes, extension and database-wide
// default privilege completeness_tenant.sql creates at its end.
TEST_F(PgCompletenessExtractorTest, ForeignTable) {
  const Table& t = TableNamed("kinds", "Remote; \"r\"");
  EXPECT_TRUE(t.foreign());
  EXPECT_FALSE(t.has_storage());
  EXPECT_EQ(t.foreign_server, "Kinds; srv");
  EXPECT_EQ(t.foreign_options,
            (std::vector<std::string>{"schema_name=public", "table_name=remote's; t"}));
  EXPECT_EQ(t.owner, "Kind Owner");
  EXPECT_EQ(t.comment, "remote; rows");
  ASSERT_EQ(t.columns.size(), 3u);
  EXPECT_EQ(t.columns[0].name, "id");
  EXPECT_TRUE(t.columns[0].not_null);
  EXPECT_EQ(t.columns[0].foreign_options, std::vector<std::string>{"column_name=remote id"});
  EXPECT_EQ(t.columns[0].comment, "the remote id");
  EXPECT_EQ(t.columns[1].default_expr, "'none; ''x'''::text");
  EXPECT_EQ(t.columns[1].statistics, 50);
  ASSERT_EQ(t.constraints.size(), 1u);
  EXPECT_EQ(t.constraints[0].name, "remote id positive");
  // foreign_dependencies.sql: the tenant type of a column, and the view that reads it.
  EXPECT_EQ(t.types, (std::vector<QualifiedName>{QualifiedName{"kinds", "hours"}}));
  const View* reader = catalog_.FindView({"kinds", "Remote view"});
  ASSERT_NE(reader, nullptr);
  EXPECT_NE(std::find(reader->depends_on.begin(), reader->depends_on.end(),
                      DependencyRef{DependencyKind::kTable, t.name, ""}),
            reader->depends_on.end());
  const ObjectAcl* acl = catalog_.FindAcl({ObjectKind::kTable, t.name});
  ASSERT_NE(acl, nullptr);
  EXPECT_TRUE(std::any_of(acl->items.begin(), acl->items.end(),
                          [](const AclItem& i) { return i.grantee.empty(); }));  // PUBLIC
  // Outside the tenant: the target must have them (preflight).
  std::set<std::string> external;
  for (const ExternalObject& o : catalog_.external_objects) external.insert(o.Display());
  EXPECT_EQ(external,
            (std::set<std::string>{"access method Kinds; am", "foreign server Kinds; srv"}));
}

TEST_F(PgCompletenessExtractorTest, MaterializedViewPropertiesAndIndexStatistics) {
  const View* mv = catalog_.FindView({"kinds", "Mv; \"m\""});
  ASSERT_NE(mv, nullptr);
  EXPECT_EQ(mv->access_method, "Kinds; am");
  EXPECT_EQ(mv->options, (std::vector<std::pair<std::string, std::string>>{{"fillfactor", "60"}}));
  EXPECT_EQ(mv->cluster_index, "Mv; idx");
  ASSERT_EQ(mv->columns.size(), 2u);
  EXPECT_EQ(mv->columns[1].name, "label");
  EXPECT_EQ(mv->columns[1].statistics, 77);
  EXPECT_EQ(mv->columns[1].storage, 'm');
  EXPECT_EQ(mv->columns[0].statistics, -1);
  ASSERT_EQ(mv->indexes.size(), 1u);
  EXPECT_EQ(mv->indexes[0].column_statistics, (std::vector<std::pair<int, int>>{{1, 99}}));
  ASSERT_EQ(mv->statistics.size(), 1u);
  EXPECT_EQ(mv->statistics[0].name, (QualifiedName{"kinds", "Mv; stats"}));
  const Table& props = TableNamed("kinds", "Props; \"p\"");
  auto expr = std::find_if(props.indexes.begin(), props.indexes.end(),
                           [](const Index& i) { return i.name == "Expr; idx"; });
  ASSERT_NE(expr, props.indexes.end());
  EXPECT_EQ(expr->column_statistics, (std::vector<std::pair<int, int>>{{1, 321}}));
}

TEST_F(PgCompletenessExtractorTest, ExtensionInATenantSchemaAndGlobalDefaultPrivileges) {
  auto ext = std::find_if(catalog_.extensions.begin(), catalog_.extensions.end(),
                          [](const Extension& e) { return e.name == "fuzzystrmatch"; });
  ASSERT_NE(ext, catalog_.extensions.end());
  EXPECT_EQ(ext->schema, "Kinds \"Odd\"; $(touch pwned)");
  EXPECT_FALSE(ext->version.empty());
  for (const Routine& r : catalog_.routines) EXPECT_NE(r.name.name, "levenshtein");  // a member
  const DefaultAcl* rule = nullptr;
  for (const DefaultAcl& d : catalog_.global_default_acls) {
    if (d.role == "Kind Owner") rule = &d;
  }
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->schema, "");
  EXPECT_EQ(rule->on, DefaultAcl::On::kFunctions);
  ASSERT_EQ(rule->items.size(), 1u);  // PUBLIC's EXECUTE revoked: the owner's alone
  EXPECT_EQ(rule->items[0].grantee, "Kind Owner");
}

}  // namespace
}  // namespace tenantshift
