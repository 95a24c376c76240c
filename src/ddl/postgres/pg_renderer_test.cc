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

}  // namespace
}  // namespace tenantshift::pgddl
