#include "ddl/postgres/pg_operator_renderer.h"

#include <gtest/gtest.h>

namespace tenantshift::pgddl {
namespace {

const char kOdd[] = "Kinds \"Odd\"; $(touch pwned)";

// Issue 18: an operator with every clause pg_dump writes, a hostile schema, owner and comment.
TEST(PgOperatorRendererTest, OperatorWithEveryClauseOwnerAndComment) {
  Operator op;
  op.name = {kOdd, "==="};
  op.function = "\"Kinds \"\"Odd\"\"; $(touch pwned)\".same";
  op.left_type = "integer";
  op.right_type = "integer";
  op.commutator = "\"Kinds \"\"Odd\"\"; $(touch pwned)\".===";
  op.negator = "\"Kinds \"\"Odd\"\"; $(touch pwned)\".!==";
  op.restrict_fn = "eqsel";
  op.join_fn = "eqjoinsel";
  op.hashes = true;
  op.merges = true;
  op.comment = "same; 'x'";
  EXPECT_EQ(CreateOperator(op, "Kind Owner"),
            "CREATE OPERATOR \"Kinds \"\"Odd\"\"; $(touch pwned)\".=== (\n"
            "    FUNCTION = \"Kinds \"\"Odd\"\"; $(touch pwned)\".same,\n"
            "    LEFTARG = integer,\n"
            "    RIGHTARG = integer,\n"
            "    COMMUTATOR = OPERATOR(\"Kinds \"\"Odd\"\"; $(touch pwned)\".===),\n"
            "    NEGATOR = OPERATOR(\"Kinds \"\"Odd\"\"; $(touch pwned)\".!==),\n"
            "    MERGES,\n"
            "    HASHES,\n"
            "    RESTRICT = eqsel,\n"
            "    JOIN = eqjoinsel\n"
            ");\n"
            "ALTER OPERATOR \"Kinds \"\"Odd\"\"; $(touch pwned)\".=== (integer, integer) OWNER TO "
            "\"Kind Owner\";\n"
            "COMMENT ON OPERATOR \"Kinds \"\"Odd\"\"; $(touch pwned)\".=== (integer, integer) IS "
            "'same; ''x''';\n");
}

TEST(PgOperatorRendererTest, PrefixOperatorWithoutOptionalClauses) {
  Operator op;
  op.name = {"kinds", "~~~"};
  op.function = "kinds.neg";
  op.right_type = "bigint";
  EXPECT_EQ(CreateOperator(op, ""),
            "CREATE OPERATOR \"kinds\".~~~ (\n"
            "    FUNCTION = kinds.neg,\n"
            "    RIGHTARG = bigint\n"
            ");\n");
  EXPECT_EQ(OperatorSignature(op), "\"kinds\".~~~ (NONE, bigint)");
}

TEST(PgOperatorRendererTest, FamilyWithLooseMembersThenClassInIt) {
  OperatorFamily f;
  f.name = {"kinds", "Rev; \"fam\""};
  f.method = "btree";
  f.members = {{true, 1, ">(integer,bigint)", "", "", ""},
               {false, 1, "btint48cmp(integer,bigint)", "integer", "bigint", ""}};
  f.comment = "reverse family";
  EXPECT_EQ(CreateOperatorFamily(f, "Kind Owner"),
            "CREATE OPERATOR FAMILY \"kinds\".\"Rev; \"\"fam\"\"\" USING \"btree\";\n"
            "ALTER OPERATOR FAMILY \"kinds\".\"Rev; \"\"fam\"\"\" USING \"btree\" ADD\n"
            "    OPERATOR 1 >(integer,bigint),\n"
            "    FUNCTION 1 (integer, bigint) btint48cmp(integer,bigint);\n"
            "ALTER OPERATOR FAMILY \"kinds\".\"Rev; \"\"fam\"\"\" USING \"btree\" OWNER TO "
            "\"Kind Owner\";\n"
            "COMMENT ON OPERATOR FAMILY \"kinds\".\"Rev; \"\"fam\"\"\" USING \"btree\" IS "
            "'reverse family';\n");
  f.members.clear();
  f.comment.clear();
  EXPECT_EQ(CreateOperatorFamily(f, ""),
            "CREATE OPERATOR FAMILY \"kinds\".\"Rev; \"\"fam\"\"\" USING \"btree\";\n");

  OperatorClass c;
  c.name = {"kinds", "Rev; \"ops\""};
  c.method = "btree";
  c.type = "integer";
  c.family = f.name;
  c.members = {{true, 3, "\"Kinds \"\"Odd\"\"; $(touch pwned)\".===(integer,integer)", "", "", ""},
               {false, 1, "kinds.rev_cmp(integer,integer)", "integer", "integer", ""}};
  c.comment = "reverse; 'order'";
  EXPECT_EQ(CreateOperatorClass(c, "Kind Owner"),
            "CREATE OPERATOR CLASS \"kinds\".\"Rev; \"\"ops\"\"\"\n"
            "    FOR TYPE integer USING \"btree\" FAMILY \"kinds\".\"Rev; \"\"fam\"\"\" AS\n"
            "    OPERATOR 3 \"Kinds \"\"Odd\"\"; $(touch pwned)\".===(integer,integer),\n"
            "    FUNCTION 1 (integer, integer) kinds.rev_cmp(integer,integer);\n"
            "ALTER OPERATOR CLASS \"kinds\".\"Rev; \"\"ops\"\"\" USING \"btree\" OWNER TO "
            "\"Kind Owner\";\n"
            "COMMENT ON OPERATOR CLASS \"kinds\".\"Rev; \"\"ops\"\"\" USING \"btree\" IS "
            "'reverse; ''order''';\n");
}

TEST(PgOperatorRendererTest, DefaultClassWithStorageAndOrderByMember) {
  OperatorClass c;
  c.name = {"kinds", "pt_ops"};
  c.method = "gist";
  c.is_default = true;
  c.type = "kinds.pt";
  c.storage = "box";
  c.family = {"kinds", "pt_ops"};
  c.members = {{true, 15, "kinds.<->(kinds.pt,kinds.pt)", "", "", "pg_catalog.float_ops"}};
  EXPECT_EQ(CreateOperatorClass(c, ""),
            "CREATE OPERATOR CLASS \"kinds\".\"pt_ops\"\n"
            "    DEFAULT FOR TYPE kinds.pt USING \"gist\" FAMILY \"kinds\".\"pt_ops\" AS\n"
            "    OPERATOR 15 kinds.<->(kinds.pt,kinds.pt) FOR ORDER BY pg_catalog.float_ops,\n"
            "    STORAGE box;\n");
}

TEST(PgOperatorRendererTest, DefaultConversionWithOwnerAndComment) {
  Conversion c;
  c.name = {"kinds", "Latin; \"conv\""};
  c.from_encoding = "LATIN1";
  c.to_encoding = "UTF8";
  c.function = "iso8859_1_to_utf8";
  c.is_default = true;
  c.comment = "latin conversion";
  EXPECT_EQ(CreateConversion(c, "Kind Owner"),
            "CREATE DEFAULT CONVERSION \"kinds\".\"Latin; \"\"conv\"\"\" FOR 'LATIN1' TO 'UTF8' "
            "FROM iso8859_1_to_utf8;\n"
            "ALTER CONVERSION \"kinds\".\"Latin; \"\"conv\"\"\" OWNER TO \"Kind Owner\";\n"
            "COMMENT ON CONVERSION \"kinds\".\"Latin; \"\"conv\"\"\" IS 'latin conversion';\n");
  c.is_default = false;
  c.comment.clear();
  EXPECT_EQ(CreateConversion(c, ""),
            "CREATE CONVERSION \"kinds\".\"Latin; \"\"conv\"\"\" FOR 'LATIN1' TO 'UTF8' "
            "FROM iso8859_1_to_utf8;\n");
}

TEST(PgOperatorRendererTest, TextSearchParserAndTemplateWithOptionalClauses) {
  TextSearchParser p;
  p.name = {"kinds", "Parse; \"p\""};
  p.start = "prsd_start";
  p.gettoken = "prsd_nexttoken";
  p.end = "prsd_end";
  p.lextypes = "prsd_lextype";
  p.comment = "parser; x";
  EXPECT_EQ(CreateTextSearchParser(p),
            "CREATE TEXT SEARCH PARSER \"kinds\".\"Parse; \"\"p\"\"\" (\n"
            "    START = prsd_start,\n"
            "    GETTOKEN = prsd_nexttoken,\n"
            "    END = prsd_end,\n"
            "    LEXTYPES = prsd_lextype );\n"
            "COMMENT ON TEXT SEARCH PARSER \"kinds\".\"Parse; \"\"p\"\"\" IS 'parser; x';\n");
  TextSearchTemplate t;
  t.name = {kOdd, "Tmpl; \"t\""};
  t.init = "dsimple_init";
  t.lexize = "dsimple_lexize";
  EXPECT_EQ(CreateTextSearchTemplate(t),
            "CREATE TEXT SEARCH TEMPLATE \"Kinds \"\"Odd\"\"; $(touch pwned)\".\"Tmpl; \"\"t\"\"\" (\n"
            "    INIT = dsimple_init,\n"
            "    LEXIZE = dsimple_lexize );\n");
  t.init.clear();
  EXPECT_EQ(CreateTextSearchTemplate(t),
            "CREATE TEXT SEARCH TEMPLATE \"Kinds \"\"Odd\"\"; $(touch pwned)\".\"Tmpl; \"\"t\"\"\" (\n"
            "    LEXIZE = dsimple_lexize );\n");
}

}  // namespace
}  // namespace tenantshift::pgddl
