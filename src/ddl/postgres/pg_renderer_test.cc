#include "ddl/postgres/pg_renderer.h"

#include <gtest/gtest.h>

namespace tenantshift::pgddl {
namespace {

Table OrdersTable() {
  Table t;
  t.name = {"acme", "Orders; $(x)"};
  Column id;
  id.name = "id";
  id.type = "bigint";
  id.not_null = true;
  id.identity = 'a';
  id.identity_sequence = "Orders; $(x)_id_seq";
  id.identity_options = {"bigint", 1, 1, 1, 9223372036854775807, 1, false};
  Column total;
  total.name = "Total";
  total.type = "numeric(12,2)";
  total.default_expr = "0";
  Column twice;
  twice.name = "twice";
  twice.type = "numeric";
  twice.generated_expr = "(\"Total\" * (2)::numeric)";
  twice.binary_safe = true;
  t.columns = {id, total, twice};
  Constraint check{"positive", Constraint::Kind::kCheck, "CHECK ((\"Total\" >= (0)::numeric))"};
  Constraint pk{"orders_pkey", Constraint::Kind::kPrimaryKey, "PRIMARY KEY (id)"};
  t.constraints = {check, pk};
  t.comment = "it's the orders";
  return t;
}

TEST(PgRendererTest, CreateTableQuotesEveryNameAndInlinesValidChecks) {
  EXPECT_EQ(CreateTable(OrdersTable()),
            "CREATE TABLE \"acme\".\"Orders; $(x)\" (\n"
            "    \"id\" bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME "
            "\"acme\".\"Orders; $(x)_id_seq\" START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE "
            "9223372036854775807 CACHE 1 NO CYCLE) NOT NULL,\n"
            "    \"Total\" numeric(12,2) DEFAULT 0,\n"
            "    \"twice\" numeric GENERATED ALWAYS AS ((\"Total\" * (2)::numeric)) STORED,\n"
            "    CONSTRAINT \"positive\" CHECK ((\"Total\" >= (0)::numeric))\n"
            ");\n");
}

TEST(PgRendererTest, CommentsAreLiterals) {
  EXPECT_EQ(TableComments(OrdersTable()),
            "COMMENT ON TABLE \"acme\".\"Orders; $(x)\" IS 'it''s the orders';\n");
}

TEST(PgRendererTest, PrimaryKeyAfterDataUsesOnly) {
  Table t = OrdersTable();
  EXPECT_TRUE(IsPostDataConstraint(t.constraints[1]));
  EXPECT_FALSE(IsPostDataConstraint(t.constraints[0]));
  EXPECT_EQ(AddConstraint(t, t.constraints[1]),
            "ALTER TABLE ONLY \"acme\".\"Orders; $(x)\" ADD CONSTRAINT \"orders_pkey\" PRIMARY KEY "
            "(id);\n");
}

TEST(PgRendererTest, NotValidChecksComeAfterData) {
  Constraint c{"late", Constraint::Kind::kCheck, "CHECK ((a > 0)) NOT VALID"};
  EXPECT_TRUE(IsPostDataConstraint(c));
}

TEST(PgRendererTest, CopySkipsGeneratedColumns) {
  Table t = OrdersTable();
  EXPECT_EQ(CopyOut(t, true),
            "COPY \"acme\".\"Orders; $(x)\" (\"id\", \"Total\") TO STDOUT WITH (FORMAT binary)");
  EXPECT_EQ(CopyIn(t, false, true),
            "COPY \"acme\".\"Orders; $(x)\" (\"id\", \"Total\") FROM STDIN WITH (FREEZE)");
  EXPECT_EQ(CopyIn(t, false, false),
            "COPY \"acme\".\"Orders; $(x)\" (\"id\", \"Total\") FROM STDIN");
}

// Issue 18: "COPY t () TO STDOUT" is a syntax error, so the rows of a table without columns, or
// with generated columns only, were lost. A bare COPY carries them (and no generated column).
TEST(PgRendererTest, CopyOfATableWithNoCopiedColumnNamesNone) {
  Table t;
  t.name = {"acme", "no cols"};
  EXPECT_EQ(CopyOut(t, false), "COPY \"acme\".\"no cols\" TO STDOUT");
  EXPECT_EQ(CopyIn(t, false, true), "COPY \"acme\".\"no cols\" FROM STDIN WITH (FREEZE)");
  t.columns = {{"g", "integer"}};
  t.columns[0].generated_expr = "1";
  EXPECT_EQ(CopyOut(t, true), "COPY \"acme\".\"no cols\" TO STDOUT WITH (FORMAT binary)");
  EXPECT_EQ(CopyIn(t, false, false), "COPY \"acme\".\"no cols\" FROM STDIN");
}

TEST(PgRendererTest, BinaryOnlyWhenEveryCopiedColumnAllowsIt) {
  Table t = OrdersTable();
  EXPECT_TRUE(CanCopyBinary(t));
  t.columns[1].binary_safe = false;
  EXPECT_FALSE(CanCopyBinary(t));
}

TEST(PgRendererTest, Partitions) {
  Table p;
  p.name = {"acme", "m_2024"};
  p.partition_parent = QualifiedName{"acme", "m"};
  p.partition_bound = "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')";
  EXPECT_EQ(CreateTable(p),
            "CREATE TABLE \"acme\".\"m_2024\" PARTITION OF \"acme\".\"m\" FOR VALUES FROM "
            "('2024-01-01') TO ('2025-01-01');\n");
}

TEST(PgRendererTest, Types) {
  UserType e;
  e.name = {"acme", "mood"};
  e.kind = UserType::Kind::kEnum;
  e.enum_labels = {"sad", "it's ok"};
  EXPECT_EQ(CreateType(e), "CREATE TYPE \"acme\".\"mood\" AS ENUM ('sad', 'it''s ok');\n");
  UserType d;
  d.name = {"acme", "pos"};
  d.kind = UserType::Kind::kDomain;
  d.base_type = "integer";
  d.domain_default = "1";
  d.domain_not_null = true;
  d.domain_checks = {{"pos_check", "CHECK ((VALUE > 0))"}};
  EXPECT_EQ(CreateType(d),
            "CREATE DOMAIN \"acme\".\"pos\" AS integer DEFAULT 1 NOT NULL\n"
            "    CONSTRAINT \"pos_check\" CHECK ((VALUE > 0));\n");
}

TEST(PgRendererTest, SequenceValue) {
  EXPECT_EQ(SetSequenceValue({"a'b", "s"}, {42, true}),
            "SELECT pg_catalog.setval('\"a''b\".\"s\"'::pg_catalog.regclass, 42, true);\n");
}

Routine HostileFunction() {
  Routine r;
  r.name = {"Bill\"ing", "f; $(x)"};
  r.identity_args = "p numeric, currency text";
  r.owner = "o\"wner";
  r.comment = "it's";
  r.definition =
      "CREATE OR REPLACE FUNCTION \"Bill\"\"ing\".\"f; $(x)\"(p numeric, currency text)\n"
      " RETURNS text\n LANGUAGE sql\n SECURITY DEFINER\n SET search_path TO 'pg_catalog'\n"
      "AS $function$ SELECT p || currency $function$\n";
  return r;
}

TEST(PgRendererTest, RoutinesUseTheServersDefinitionWithPlainCreate) {
  Routine r = HostileFunction();
  EXPECT_EQ(CreateRoutine(r),
            "CREATE FUNCTION \"Bill\"\"ing\".\"f; $(x)\"(p numeric, currency text)\n"
            " RETURNS text\n LANGUAGE sql\n SECURITY DEFINER\n SET search_path TO 'pg_catalog'\n"
            "AS $function$ SELECT p || currency $function$;\n");
  EXPECT_EQ(RoutineComment(r),
            "COMMENT ON FUNCTION \"Bill\"\"ing\".\"f; $(x)\"(p numeric, currency text) IS "
            "'it''s';\n");
  EXPECT_EQ(RoutineOwner(r),
            "ALTER FUNCTION \"Bill\"\"ing\".\"f; $(x)\"(p numeric, currency text) OWNER TO "
            "\"o\"\"wner\";\n");
  r.kind = Routine::Kind::kProcedure;
  r.comment = "";
  EXPECT_EQ(RoutineComment(r), "");
  EXPECT_EQ(RoutineOwner(r).rfind("ALTER PROCEDURE ", 0), 0u);
  EXPECT_EQ(NoFunctionBodyChecks(), "SET LOCAL check_function_bodies = off;\n");
}

TEST(PgRendererTest, Aggregates) {
  Routine r;
  r.name = {"acme", "list_of"};
  r.identity_args = "text";
  r.kind = Routine::Kind::kAggregate;
  r.owner = "acme_owner";
  r.aggregate.arguments = "text";
  r.aggregate.sfunc = "acme.concat_step";
  r.aggregate.stype = "text";
  r.aggregate.finalfunc = "acme.concat_final";
  r.aggregate.initcond = "";
  r.aggregate.msfunc = "acme.m_step";
  r.aggregate.minvfunc = "acme.m_inv";
  r.aggregate.mstype = "text";
  r.aggregate.minitcond = "it's";
  r.aggregate.parallel = 's';
  EXPECT_EQ(CreateRoutine(r),
            "CREATE AGGREGATE \"acme\".\"list_of\"(text) (\n"
            "    SFUNC = acme.concat_step,\n"
            "    STYPE = text,\n"
            "    FINALFUNC = acme.concat_final,\n"
            "    INITCOND = '',\n"
            "    MSFUNC = acme.m_step,\n"
            "    MINVFUNC = acme.m_inv,\n"
            "    MSTYPE = text,\n"
            "    MINITCOND = 'it''s',\n"
            "    PARALLEL = SAFE\n"
            ");\n");
  EXPECT_EQ(RoutineOwner(r),
            "ALTER AGGREGATE \"acme\".\"list_of\"(text) OWNER TO \"acme_owner\";\n");
  Routine count_star;
  count_star.name = {"acme", "n"};
  count_star.kind = Routine::Kind::kAggregate;
  count_star.comment = "rows";
  count_star.aggregate.sfunc = "int8inc";
  count_star.aggregate.stype = "bigint";
  count_star.aggregate.initcond = "0";
  count_star.aggregate.sortop = "OPERATOR(pg_catalog.>)";
  EXPECT_EQ(CreateRoutine(count_star),
            "CREATE AGGREGATE \"acme\".\"n\"(*) (\n"
            "    SFUNC = int8inc,\n"
            "    STYPE = bigint,\n"
            "    INITCOND = '0',\n"
            "    SORTOP = OPERATOR(pg_catalog.>)\n"
            ");\n");
  EXPECT_EQ(RoutineComment(count_star), "COMMENT ON AGGREGATE \"acme\".\"n\"(*) IS 'rows';\n");
}

TEST(PgRendererTest, OrderedSetAggregateDefaultsToReadWriteFinalFunc) {
  Routine r;
  r.name = {"acme", "pct"};
  r.kind = Routine::Kind::kAggregate;
  r.aggregate.kind = 'h';
  r.aggregate.arguments = "VARIADIC \"any\" ORDER BY VARIADIC \"any\"";
  r.aggregate.sfunc = "ordered_set_transition_multi";
  r.aggregate.stype = "internal";
  r.aggregate.finalfunc = "rank_final";
  r.aggregate.finalfunc_extra = true;
  r.aggregate.finalfunc_modify = 'w';
  EXPECT_EQ(CreateRoutine(r),
            "CREATE AGGREGATE \"acme\".\"pct\"(VARIADIC \"any\" ORDER BY VARIADIC \"any\") (\n"
            "    SFUNC = ordered_set_transition_multi,\n"
            "    STYPE = internal,\n"
            "    FINALFUNC = rank_final,\n"
            "    FINALFUNC_EXTRA,\n"
            "    HYPOTHETICAL\n"
            ");\n");
}

View CheapProducts() {
  View v;
  v.name = {"acme", "cheap \"p\""};
  v.owner = "acme_owner";
  v.comment = "cheap ones";
  v.definition = " SELECT p.id,\n    p.category\n   FROM acme.products p\n  WHERE (p.price < 50)";
  v.options = {{"security_barrier", "true"}};
  v.check_option = "cascaded";
  v.columns = {{"id", "", ""}, {"category", "it's", "'toys'::text"}};
  return v;
}

TEST(PgRendererTest, ViewsWithOptionsCheckOptionAndColumnDefaults) {
  EXPECT_EQ(CreateView(CheapProducts()),
            "CREATE VIEW \"acme\".\"cheap \"\"p\"\"\" WITH (\"security_barrier\"='true') AS\n"
            " SELECT p.id,\n    p.category\n   FROM acme.products p\n  WHERE (p.price < 50)\n"
            "  WITH CASCADED CHECK OPTION;\n"
            "ALTER VIEW \"acme\".\"cheap \"\"p\"\"\" ALTER COLUMN \"category\" SET DEFAULT "
            "'toys'::text;\n");
  EXPECT_EQ(ViewComments(CheapProducts()),
            "COMMENT ON VIEW \"acme\".\"cheap \"\"p\"\"\" IS 'cheap ones';\n"
            "COMMENT ON COLUMN \"acme\".\"cheap \"\"p\"\"\".\"category\" IS 'it''s';\n");
  EXPECT_EQ(ViewOwner(CheapProducts()),
            "ALTER VIEW \"acme\".\"cheap \"\"p\"\"\" OWNER TO \"acme_owner\";\n");
  View local = CheapProducts();
  local.options.clear();
  local.check_option = "local";
  local.columns.clear();
  EXPECT_EQ(CreateView(local),
            "CREATE VIEW \"acme\".\"cheap \"\"p\"\"\" AS\n"
            " SELECT p.id,\n    p.category\n   FROM acme.products p\n  WHERE (p.price < 50)\n"
            "  WITH LOCAL CHECK OPTION;\n");
}

TEST(PgRendererTest, MaterializedViewsAreCreatedEmptyAndRefreshed) {
  View mv;
  mv.name = {"acme", "mv"};
  mv.materialized = true;
  mv.owner = "acme_owner";
  mv.definition = " SELECT 1 AS one";
  mv.options = {{"fillfactor", "70"}};
  mv.columns = {{"one", "just one", ""}};
  EXPECT_EQ(CreateView(mv),
            "CREATE MATERIALIZED VIEW \"acme\".\"mv\" WITH (\"fillfactor\"='70') AS\n"
            " SELECT 1 AS one\n"
            "  WITH NO DATA;\n");
  EXPECT_EQ(ViewComments(mv), "COMMENT ON COLUMN \"acme\".\"mv\".\"one\" IS 'just one';\n");
  EXPECT_EQ(RefreshMaterializedView(mv), "REFRESH MATERIALIZED VIEW \"acme\".\"mv\";\n");
  EXPECT_EQ(ViewOwner(mv), "ALTER MATERIALIZED VIEW \"acme\".\"mv\" OWNER TO \"acme_owner\";\n");
}

TEST(PgRendererTest, TriggersAndRulesKeepTheirEnabledState) {
  Trigger t;
  t.relation = {"acme", "Pro\"ducts"};
  t.name = "touch; $(x)";
  t.definition =
      "CREATE TRIGGER \"touch; $(x)\" BEFORE INSERT ON acme.\"Pro\"\"ducts\" FOR EACH ROW WHEN "
      "((new.price > 0)) EXECUTE FUNCTION acme.touch()";
  EXPECT_EQ(CreateTrigger(t), t.definition + ";\n");
  t.enabled = 'D';
  t.comment = "off";
  EXPECT_EQ(CreateTrigger(t),
            t.definition + ";\n" +
                "ALTER TABLE \"acme\".\"Pro\"\"ducts\" DISABLE TRIGGER \"touch; $(x)\";\n"
                "COMMENT ON TRIGGER \"touch; $(x)\" ON \"acme\".\"Pro\"\"ducts\" IS 'off';\n");
  t.enabled = 'R';
  t.comment = "";
  EXPECT_EQ(CreateTrigger(t),
            t.definition + ";\n" +
                "ALTER TABLE \"acme\".\"Pro\"\"ducts\" ENABLE REPLICA TRIGGER \"touch; $(x)\";\n");
  Rule r;
  r.relation = {"acme", "log"};
  r.name = "no_delete";
  r.definition = "CREATE RULE no_delete AS\n    ON DELETE TO acme.log DO INSTEAD NOTHING";
  r.enabled = 'A';
  r.comment = "append-only";
  EXPECT_EQ(CreateRule(r),
            "CREATE RULE no_delete AS\n    ON DELETE TO acme.log DO INSTEAD NOTHING;\n"
            "ALTER TABLE \"acme\".\"log\" ENABLE ALWAYS RULE \"no_delete\";\n"
            "COMMENT ON RULE \"no_delete\" ON \"acme\".\"log\" IS 'append-only';\n");
}

TEST(PgRendererTest, ExtensionsAreCreatedInTheSourcesSchemaUnlessPresent) {
  EXPECT_EQ(CreateExtension({"citext", "public"}),
            "CREATE EXTENSION IF NOT EXISTS \"citext\" WITH SCHEMA \"public\";\n");
}

}  // namespace
}  // namespace tenantshift::pgddl

namespace tenantshift::pgddl {
namespace {

// Issue 18: INHERITS was dropped (the child became a standalone table with every column), and
// so were a partition's own column default and a partition's trigger clone state.
TEST(PgRendererTest, InheritanceListsOnlyLocalColumnsAndSetsWhatIsTheChildsOwn) {
  Table car;
  car.name = {"kinds", "car"};
  Column id{"id", "integer", true};
  id.inherited = id.parent_default = id.parent_not_null = true;
  Column wheels{"wheels", "integer", false, "3"};
  wheels.inherited = true;  // a default of its own
  wheels.parent_not_null = false;
  Column label{"label", "text", true};
  label.inherited = label.parent_default = true;  // NOT NULL of its own
  Column gone{"gone", "text"};
  gone.inherited = true;  // the parent's default dropped here
  car.columns = {id, wheels, label, gone, {"seats", "integer", false, "5"}};
  car.inherits = {{"kinds", "vehicle"}, {"Odd \"s\"", "Base"}};
  Constraint inherited{"vehicle_id_positive", Constraint::Kind::kCheck, "CHECK ((id > 0))"};
  inherited.local = false;
  car.constraints = {inherited};
  EXPECT_EQ(CreateTable(car),
            "CREATE TABLE \"kinds\".\"car\" (\n    \"seats\" integer DEFAULT 5\n) INHERITS "
            "(\"kinds\".\"vehicle\", \"Odd \"\"s\"\"\".\"Base\");\n"
            "ALTER TABLE ONLY \"kinds\".\"car\" ALTER COLUMN \"wheels\" SET DEFAULT 3;\n"
            "ALTER TABLE ONLY \"kinds\".\"car\" ALTER COLUMN \"label\" SET NOT NULL;\n"
            "ALTER TABLE ONLY \"kinds\".\"car\" ALTER COLUMN \"gone\" DROP DEFAULT;\n");
  Table none;
  none.name = {"kinds", "racing_car"};
  none.columns = {id};
  none.inherits = {{"kinds", "car"}};
  EXPECT_EQ(CreateTable(none),
            "CREATE TABLE \"kinds\".\"racing_car\" (\n    \n) INHERITS (\"kinds\".\"car\");\n");
}

TEST(PgRendererTest, APartitionKeepsItsOwnColumnDefault) {
  Table p;
  p.name = {"kinds", "readings_manual"};
  p.partition_parent = QualifiedName{"kinds", "readings"};
  p.partition_bound = "DEFAULT";
  Column source{"source", "text", false, "'manual'::text"};
  source.inherited = true;
  Column at{"at", "date", true};
  at.inherited = at.parent_default = at.parent_not_null = true;
  p.columns = {at, source};
  EXPECT_EQ(CreateTable(p),
            "CREATE TABLE \"kinds\".\"readings_manual\" PARTITION OF \"kinds\".\"readings\" "
            "DEFAULT;\nALTER TABLE ONLY \"kinds\".\"readings_manual\" ALTER COLUMN \"source\" "
            "SET DEFAULT 'manual'::text;\n");
}

TEST(PgRendererTest, ATriggerCloneGetsOnlyItsState) {
  Trigger t{
      {"kinds", "readings_manual"}, "readings_stamp", "CREATE TRIGGER readings_stamp ...", 'D'};
  t.clone = true;
  EXPECT_EQ(CreateTrigger(t),
            "ALTER TABLE \"kinds\".\"readings_manual\" DISABLE TRIGGER \"readings_stamp\";\n");
  t.enabled = 'O';  // enabled where the parent's is not
  EXPECT_EQ(CreateTrigger(t),
            "ALTER TABLE \"kinds\".\"readings_manual\" ENABLE TRIGGER \"readings_stamp\";\n");
}

}  // namespace
}  // namespace tenantshift::pgddl

namespace tenantshift::pgddl {
namespace {

TEST(PgRendererTest, RangeTypesNameEveryOptionTheyHave) {
  UserType t;
  t.name = {"kinds", "hours"};
  t.kind = UserType::Kind::kRange;
  t.base_type = "integer";
  t.range_subdiff = "kinds.int_diff";
  t.range_multirange = "kinds.\"Hours Set\"";
  EXPECT_EQ(
      CreateType(t),
      "CREATE TYPE \"kinds\".\"hours\" AS RANGE (\n    SUBTYPE = integer,\n    SUBTYPE_DIFF = "
      "kinds.int_diff,\n    MULTIRANGE_TYPE_NAME = kinds.\"Hours Set\"\n);\n");
  t.range_subdiff.clear();
  t.range_opclass = "kinds.my_ops";
  t.collation = "pg_catalog.\"C\"";
  EXPECT_EQ(CreateType(t),
            "CREATE TYPE \"kinds\".\"hours\" AS RANGE (\n    SUBTYPE = integer,\n    "
            "SUBTYPE_OPCLASS = kinds.my_ops,\n    COLLATION = pg_catalog.\"C\",\n    "
            "MULTIRANGE_TYPE_NAME = kinds.\"Hours Set\"\n);\n");
  EXPECT_EQ(TypeOwner(t), "ALTER TYPE \"kinds\".\"hours\" OWNER TO \"\";\n");
}

// Issue 18: table properties pg_dump moves. Storage parameters and the access method follow the
// columns (or the partition bound) in the grammar's order, values quoted; column STORAGE,
// COMPRESSION, STATISTICS and attribute options are set after CREATE TABLE; CLUSTER ON names
// the index; comments on CHECKs CREATE TABLE makes (inline or inherited) go with the table's.
TEST(PgRendererTest, TableAndColumnPropertiesAsPgDumpSetsThem) {
  Table t;
  t.name = {"kinds", "Props \"p\""};
  Column doc{"Doc \"x\"", "text"};
  doc.storage = 'e';
  doc.compression = 'l';
  Column n{"n", "integer"};
  n.statistics = 500;
  n.options = {"n_distinct=100"};
  t.columns = {doc, n};
  t.access_method = "my am";
  t.storage_parameters = {"fillfactor=70", "autovacuum_enabled=false"};
  const std::string name = "\"kinds\".\"Props \"\"p\"\"\"";
  EXPECT_EQ(CreateTable(t),
            "CREATE TABLE " + name + " (\n    \"Doc \"\"x\"\"\" text,\n    \"n\" integer\n) " +
                "USING \"my am\" WITH (fillfactor='70', autovacuum_enabled='false');\n"
                "ALTER TABLE ONLY " +
                name +
                " ALTER COLUMN \"Doc \"\"x\"\"\" SET STORAGE EXTERNAL;\n"
                "ALTER TABLE ONLY " +
                name +
                " ALTER COLUMN \"Doc \"\"x\"\"\" SET COMPRESSION lz4;\n"
                "ALTER TABLE ONLY " +
                name +
                " ALTER COLUMN \"n\" SET STATISTICS 500;\n"
                "ALTER TABLE ONLY " +
                name + " ALTER COLUMN \"n\" SET (n_distinct='100');\n");
  EXPECT_EQ(ClusterOn(t.name, "Props \"p\"_pkey"),
            "ALTER TABLE ONLY " + name + " CLUSTER ON \"Props \"\"p\"\"_pkey\";\n");

  Table part;
  part.name = {"kinds", "r_2024"};
  part.partition_parent = QualifiedName{"kinds", "r"};
  part.partition_bound = "FOR VALUES IN (1)";
  part.storage_parameters = {"autovacuum_vacuum_scale_factor=0.05"};
  EXPECT_EQ(CreateTable(part),
            "CREATE TABLE \"kinds\".\"r_2024\" PARTITION OF \"kinds\".\"r\" FOR VALUES IN (1) "
            "WITH (autovacuum_vacuum_scale_factor='0.05');\n");

  Constraint inline_check{"n positive; x", Constraint::Kind::kCheck, "CHECK ((n > 0))"};
  inline_check.comment = "it's positive";
  Constraint inherited = inline_check;
  inherited.name = "from parent";
  inherited.local = false;
  Constraint later{"later", Constraint::Kind::kCheck, "CHECK ((n < 9)) NOT VALID"};
  later.comment = "with its own step";
  t.constraints = {inline_check, inherited, later};
  t.comment = "";
  t.columns = {};
  EXPECT_EQ(TableComments(t), "COMMENT ON CONSTRAINT \"n positive; x\" ON " + name +
                                  " IS 'it''s positive';\n"
                                  "COMMENT ON CONSTRAINT \"from parent\" ON " +
                                  name + " IS 'it''s positive';\n");
}

// Issue 18: extended statistics as the server printed them, with their target, owner and comment.
TEST(PgRendererTest, ExtendedStatisticsWithTargetOwnerAndComment) {
  ExtendedStatistics s;
  s.name = {"kinds", "Car; stats"};
  s.definition = "CREATE STATISTICS kinds.\"Car; stats\" ON id, seats FROM kinds.car";
  s.statistics = 200;
  s.comment = "car stats";
  EXPECT_EQ(CreateStatistics(s, "Kind Owner"),
            "CREATE STATISTICS kinds.\"Car; stats\" ON id, seats FROM kinds.car;\n"
            "ALTER STATISTICS \"kinds\".\"Car; stats\" SET STATISTICS 200;\n"
            "ALTER STATISTICS \"kinds\".\"Car; stats\" OWNER TO \"Kind Owner\";\n"
            "COMMENT ON STATISTICS \"kinds\".\"Car; stats\" IS 'car stats';\n");
  s.statistics = -1;
  s.comment = "";
  EXPECT_EQ(CreateStatistics(s, ""),
            "CREATE STATISTICS kinds.\"Car; stats\" ON id, seats FROM kinds.car;\n");
}

// Issue 18: text search objects as pg_dump writes them, with hostile names, owner and comment.
TEST(PgRendererTest, TextSearchDictionaryWithTemplateOptionsOwnerAndComment) {
  TextSearchDictionary d;
  d.name = {"Kinds \"Odd\"", "Simple; \"d\""};
  d.template_name = {"pg_catalog", "simple"};
  d.options = "stopwords = 'english', accept = 'false'";
  d.comment = "dict; 'x'";
  EXPECT_EQ(CreateTextSearchDictionary(d, "Kind Owner"),
            "CREATE TEXT SEARCH DICTIONARY \"Kinds \"\"Odd\"\"\".\"Simple; \"\"d\"\"\" (\n"
            "    TEMPLATE = \"pg_catalog\".\"simple\",\n"
            "    stopwords = 'english', accept = 'false' );\n"
            "ALTER TEXT SEARCH DICTIONARY \"Kinds \"\"Odd\"\"\".\"Simple; \"\"d\"\"\" OWNER TO "
            "\"Kind Owner\";\n"
            "COMMENT ON TEXT SEARCH DICTIONARY \"Kinds \"\"Odd\"\"\".\"Simple; \"\"d\"\"\" IS "
            "'dict; ''x''';\n");
  d.options = "";
  d.comment = "";
  EXPECT_EQ(CreateTextSearchDictionary(d, ""),
            "CREATE TEXT SEARCH DICTIONARY \"Kinds \"\"Odd\"\"\".\"Simple; \"\"d\"\"\" (\n"
            "    TEMPLATE = \"pg_catalog\".\"simple\" );\n");
}

TEST(PgRendererTest, TextSearchConfigurationWithParserAndMappingsInOrder) {
  TextSearchConfiguration c;
  c.name = {"kinds", "Words; cfg"};
  c.parser = {"pg_catalog", "default"};
  c.mappings = {{"asciiword", {{"Kinds \"Odd\"", "Simple; \"d\""}, {"pg_catalog", "english_stem"}}},
                {"int", {{"pg_catalog", "simple"}}}};
  c.comment = "words config";
  EXPECT_EQ(CreateTextSearchConfiguration(c, "Kind Owner"),
            "CREATE TEXT SEARCH CONFIGURATION \"kinds\".\"Words; cfg\" (\n"
            "    PARSER = \"pg_catalog\".\"default\" );\n"
            "ALTER TEXT SEARCH CONFIGURATION \"kinds\".\"Words; cfg\"\n"
            "    ADD MAPPING FOR \"asciiword\" WITH \"Kinds \"\"Odd\"\"\".\"Simple; \"\"d\"\"\", "
            "\"pg_catalog\".\"english_stem\";\n"
            "ALTER TEXT SEARCH CONFIGURATION \"kinds\".\"Words; cfg\"\n"
            "    ADD MAPPING FOR \"int\" WITH \"pg_catalog\".\"simple\";\n"
            "ALTER TEXT SEARCH CONFIGURATION \"kinds\".\"Words; cfg\" OWNER TO \"Kind Owner\";\n"
            "COMMENT ON TEXT SEARCH CONFIGURATION \"kinds\".\"Words; cfg\" IS 'words config';\n");
}

// Issue 18: comments on domain constraints go with the domain's comment.
TEST(PgRendererTest, DomainConstraintCommentsGoWithTheDomain) {
  UserType d;
  d.kind = UserType::Kind::kDomain;
  d.name = {"kinds", "Pos; d"};
  d.domain_checks = {{"pos; c", "CHECK ((VALUE > 0))", "positive"}, {"plain", "CHECK (true)", ""}};
  EXPECT_EQ(TypeComment(d),
            "COMMENT ON CONSTRAINT \"pos; c\" ON DOMAIN \"kinds\".\"Pos; d\" IS 'positive';\n");
}

// Issue 18, item 4: a NOT VALID CHECK on an INHERITS parent is added without ONLY (PostgreSQL
// refuses ONLY there), so the children get their inherited copy; elsewhere ONLY stays.
TEST(PgRendererTest, NotValidCheckOnAnInheritanceParentReachesItsChildren) {
  Table t;
  t.name = {"kinds", "vehicle"};
  Constraint c{"label not empty", Constraint::Kind::kCheck,
               "CHECK ((label <> ''::text)) NOT VALID"};
  EXPECT_EQ(AddConstraint(t, c),
            "ALTER TABLE ONLY \"kinds\".\"vehicle\" ADD CONSTRAINT "
            "\"label not empty\" CHECK ((label <> ''::text)) NOT VALID;\n");
  t.has_inheritance_children = true;
  EXPECT_EQ(AddConstraint(t, c),
            "ALTER TABLE \"kinds\".\"vehicle\" ADD CONSTRAINT "
            "\"label not empty\" CHECK ((label <> ''::text)) NOT VALID;\n");
}

// Issue 18: a foreign table as pg_dump creates it: its columns with their OPTIONS (before the
// collation), NOT NULL and defaults, its SERVER and OPTIONS, names and values quoted; COMMENT ON
// FOREIGN TABLE. Column properties are set as for any table.
TEST(PgRendererTest, ForeignTableWithServerOptionsAndColumnOptions) {
  Table t;
  t.name = {"kinds", "Remote; \"r\""};
  t.foreign_server = "srv; $(x)";
  t.foreign_options = {"schema_name=it's", "table_name=t"};
  Column id{"id", "integer", true};
  id.foreign_options = {"column_name=remote id"};
  Column label{"label", "text"};
  label.default_expr = "'none'::text";
  label.collation = "pg_catalog.\"C\"";
  label.statistics = 50;
  t.columns = {id, label};
  t.constraints = {{"id positive", Constraint::Kind::kCheck, "CHECK ((id > 0))"}};
  t.comment = "remote; rows";
  const std::string name = "\"kinds\".\"Remote; \"\"r\"\"\"";
  EXPECT_EQ(CreateTable(t),
            "CREATE FOREIGN TABLE " + name +
                " (\n"
                "    \"id\" integer OPTIONS (\"column_name\" 'remote id') NOT NULL,\n"
                "    \"label\" text COLLATE pg_catalog.\"C\" DEFAULT 'none'::text,\n"
                "    CONSTRAINT \"id positive\" CHECK ((id > 0))\n"
                ") SERVER \"srv; $(x)\" OPTIONS (\"schema_name\" 'it''s', "
                "\"table_name\" 't');\n"
                "ALTER TABLE ONLY " +
                name + " ALTER COLUMN \"label\" SET STATISTICS 50;\n");
  EXPECT_EQ(TableComments(t), "COMMENT ON FOREIGN TABLE " + name + " IS 'remote; rows';\n");
  EXPECT_FALSE(t.has_storage());
}

// Issue 18: a materialized view's access method comes before its storage parameters, as the
// grammar has them; its columns' properties follow CREATE.
TEST(PgRendererTest, MaterializedViewAccessMethodAndColumnProperties) {
  View mv;
  mv.name = {"kinds", "Mv; x"};
  mv.materialized = true;
  mv.definition = " SELECT 1 AS one";
  mv.options = {{"fillfactor", "60"}};
  mv.access_method = "heap2";
  mv.columns = {{"one"}};
  mv.columns[0].storage = 'm';
  mv.columns[0].options = {"n_distinct=5"};
  const std::string alter = "ALTER MATERIALIZED VIEW \"kinds\".\"Mv; x\" ALTER COLUMN \"one\" ";
  EXPECT_EQ(CreateView(mv),
            "CREATE MATERIALIZED VIEW \"kinds\".\"Mv; x\" USING \"heap2\" WITH "
            "(\"fillfactor\"='60') AS\n SELECT 1 AS one\n  WITH NO DATA;\n" +
                alter + "SET STORAGE MAIN;\n" + alter + "SET (n_distinct='5');\n");
}

TEST(PgRendererTest, IndexColumnStatisticsAndExtensionVersion) {
  Index i{"Expr; i", "CREATE INDEX ..."};
  EXPECT_EQ(IndexStatistics({"kinds", "t"}, i), "");
  i.column_statistics = {{1, 100}, {3, 0}};
  EXPECT_EQ(IndexStatistics({"kinds", "t"}, i),
            "ALTER INDEX \"kinds\".\"Expr; i\" ALTER COLUMN 1 SET STATISTICS 100;\n"
            "ALTER INDEX \"kinds\".\"Expr; i\" ALTER COLUMN 3 SET STATISTICS 0;\n");
  EXPECT_EQ(CreateExtension({"hstore", "Kinds; x", "1.8"}),
            "CREATE EXTENSION IF NOT EXISTS \"hstore\" WITH SCHEMA \"Kinds; x\" VERSION '1.8';\n");
  EXPECT_EQ(CreateExtension({"citext", "public"}),
            "CREATE EXTENSION IF NOT EXISTS \"citext\" WITH SCHEMA \"public\";\n");
}

}  // namespace
}  // namespace tenantshift::pgddl
