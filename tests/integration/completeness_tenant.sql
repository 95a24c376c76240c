-- A tenant with the object kinds issue 18 found dropped or broken: table inheritance (with an
-- inherited CHECK, a merged column, a child-only default and NOT NULL), tables without columns
-- and with generated columns only (with rows), a partition with a default of its own and a
-- disabled clone of its parent's trigger, a range type, aggregate and window-function
-- privileges, table and column properties (storage parameters, STORAGE, COMPRESSION,
-- STATISTICS, attribute options, CLUSTER ON, CHECK comments, a NOT VALID CHECK on an
-- inheritance parent). Hostile names where a name can go.
-- Loaded into the source by completeness_test.sh; the role "Kind Owner" must exist.
CREATE SCHEMA kinds AUTHORIZATION "Kind Owner";
CREATE SCHEMA "Kinds ""Odd""; $(touch pwned)" AUTHORIZATION "Kind Owner";
SET ROLE "Kind Owner";

-- Inheritance: a parent with a CHECK that its children inherit, two children (one with a
-- column of its own, one merging a column, one child-only default and NOT NULL), a grandchild
-- and a child in the other schema with a hostile name.
CREATE TABLE kinds.vehicle (
    id integer NOT NULL,
    wheels integer DEFAULT 4 CHECK (wheels >= 0),
    label text,
    CONSTRAINT vehicle_id_positive CHECK (id > 0)
);
CREATE TABLE kinds.car (seats integer DEFAULT 5) INHERITS (kinds.vehicle);
ALTER TABLE ONLY kinds.car ALTER COLUMN wheels SET DEFAULT 3;
ALTER TABLE ONLY kinds.car ALTER COLUMN label SET NOT NULL;
CREATE TABLE kinds.bike (wheels integer CHECK (wheels <= 3)) INHERITS (kinds.vehicle);
CREATE TABLE kinds.racing_car () INHERITS (kinds.car);
CREATE TABLE "Kinds ""Odd""; $(touch pwned)"."Trike; ""x""" (motor boolean) INHERITS (kinds.vehicle);
INSERT INTO kinds.vehicle VALUES (1, 4, 'generic'), (2, 6, 'truck');
INSERT INTO kinds.car (id, label) VALUES (10, 'sedan'), (11, 'coupe');
INSERT INTO kinds.bike VALUES (20, 2, 'bmx');
INSERT INTO kinds.racing_car (id, label, seats) VALUES (30, 'f1', 1);
INSERT INTO "Kinds ""Odd""; $(touch pwned)"."Trike; ""x""" VALUES (40, 3, 'trike', true);

-- Tables without a column to copy: their rows are empty tuples, or generated values only.
CREATE TABLE kinds.no_columns ();
INSERT INTO kinds.no_columns SELECT FROM generate_series(1, 3);
CREATE TABLE kinds.only_generated (g integer GENERATED ALWAYS AS (7) STORED);
INSERT INTO kinds.only_generated DEFAULT VALUES;
INSERT INTO kinds.only_generated DEFAULT VALUES;

-- A partition whose column has a default of its own.
CREATE TABLE kinds.readings (at date NOT NULL, source text DEFAULT 'sensor', value numeric)
  PARTITION BY RANGE (at);
CREATE TABLE kinds.readings_2024 PARTITION OF kinds.readings
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE kinds.readings_manual PARTITION OF kinds.readings DEFAULT;
ALTER TABLE ONLY kinds.readings_manual ALTER COLUMN source SET DEFAULT 'manual';
INSERT INTO kinds.readings (at, value) VALUES ('2024-05-01', 1.5), ('2030-01-01', 2.5);
-- A trigger on the partitioned table whose clone on one partition is disabled.
CREATE FUNCTION kinds.stamp() RETURNS trigger LANGUAGE plpgsql
  AS $$BEGIN NEW.source := NEW.source || '+trg'; RETURN NEW; END$$;
CREATE TRIGGER readings_stamp BEFORE INSERT ON kinds.readings
  FOR EACH ROW EXECUTE FUNCTION kinds.stamp();
ALTER TABLE kinds.readings_manual DISABLE TRIGGER readings_stamp;

-- A range type with a SUBTYPE_DIFF function and a multirange name of its own, used by a table.
CREATE FUNCTION kinds.int_diff(a integer, b integer) RETURNS double precision
  LANGUAGE sql IMMUTABLE AS 'SELECT (a - b)::double precision';
CREATE TYPE kinds.hours AS RANGE (SUBTYPE = integer, SUBTYPE_DIFF = kinds.int_diff,
                                  MULTIRANGE_TYPE_NAME = kinds."Hours Set");
CREATE TABLE kinds.shifts (during kinds.hours, many kinds."Hours Set");
INSERT INTO kinds.shifts VALUES ('[8,12)', '{[8,12), [13,17)}'), (kinds.hours(20, 22), NULL);

-- Aggregate and window-function privileges: PUBLIC may not run them.
CREATE FUNCTION kinds.add_up(state integer, v integer) RETURNS integer
  LANGUAGE sql IMMUTABLE AS 'SELECT state + v';
CREATE AGGREGATE kinds.total(integer) (SFUNC = kinds.add_up, STYPE = integer, INITCOND = '0');
REVOKE EXECUTE ON FUNCTION kinds.total(integer) FROM PUBLIC;

-- Table and column properties pg_dump moves: storage parameters (on a plain table, a child and a
-- partition), column STORAGE, COMPRESSION, STATISTICS and attribute options, CLUSTER ON (an
-- index and a primary key), a comment on an inline CHECK and one on an inherited CHECK, and a
-- NOT VALID CHECK on an inheritance parent (its children inherit it).
CREATE TABLE kinds."Props; ""p""" (
    id integer PRIMARY KEY,
    "Doc ""x""" text COMPRESSION pglz,
    n integer CONSTRAINT "n positive; x" CHECK (n > 0)
) WITH (fillfactor = 70, autovacuum_enabled = false);
ALTER TABLE kinds."Props; ""p""" ALTER COLUMN "Doc ""x""" SET STORAGE EXTERNAL;
ALTER TABLE kinds."Props; ""p""" ALTER COLUMN n SET STATISTICS 500;
ALTER TABLE kinds."Props; ""p""" ALTER COLUMN n SET (n_distinct = 100);
ALTER TABLE kinds."Props; ""p""" CLUSTER ON "Props; ""p""_pkey";
COMMENT ON CONSTRAINT "n positive; x" ON kinds."Props; ""p""" IS 'n stays positive; "quoted"';
INSERT INTO kinds."Props; ""p""" VALUES (1, repeat('x', 3000), 5), (2, NULL, 7);
ALTER TABLE kinds.bike SET (fillfactor = 80);
ALTER TABLE kinds.readings_2024 SET (autovacuum_vacuum_scale_factor = 0.05);
CREATE UNIQUE INDEX vehicle_id_idx ON kinds.vehicle (id);
ALTER TABLE kinds.vehicle CLUSTER ON vehicle_id_idx;
COMMENT ON CONSTRAINT vehicle_id_positive ON kinds.car IS 'inherited, commented on the child';
ALTER TABLE kinds.vehicle ADD CONSTRAINT "label not empty" CHECK (label <> '') NOT VALID;
-- Extended statistics with a target of their own and a comment.
CREATE STATISTICS kinds."Car; stats" (ndistinct, dependencies) ON id, seats FROM kinds.car;
ALTER STATISTICS kinds."Car; stats" SET STATISTICS 200;
COMMENT ON STATISTICS kinds."Car; stats" IS 'car stats';
-- Comments on a domain constraint and on a policy.
CREATE DOMAIN kinds."Pos; d" AS integer CONSTRAINT "pos; c" CHECK (VALUE > 0);
COMMENT ON CONSTRAINT "pos; c" ON DOMAIN kinds."Pos; d" IS 'positive "only"';
CREATE POLICY "own; rows" ON kinds."Props; ""p""" USING (n > 0);
COMMENT ON POLICY "own; rows" ON kinds."Props; ""p""" IS 'policy; comment';

-- Text search: a dictionary with options in the odd schema, a configuration in another schema
-- that maps it (after a built-in one), an index and a function that name the configuration.
CREATE TEXT SEARCH DICTIONARY "Kinds ""Odd""; $(touch pwned)"."Simple; ""d"""
  (TEMPLATE = pg_catalog.simple, STOPWORDS = english, ACCEPT = false);
COMMENT ON TEXT SEARCH DICTIONARY "Kinds ""Odd""; $(touch pwned)"."Simple; ""d""" IS 'dict; ''x''';
CREATE TEXT SEARCH CONFIGURATION kinds."Words; cfg" (PARSER = pg_catalog."default");
ALTER TEXT SEARCH CONFIGURATION kinds."Words; cfg" ADD MAPPING FOR asciiword, word
  WITH "Kinds ""Odd""; $(touch pwned)"."Simple; ""d""", english_stem;
ALTER TEXT SEARCH CONFIGURATION kinds."Words; cfg" ADD MAPPING FOR int WITH simple;
COMMENT ON TEXT SEARCH CONFIGURATION kinds."Words; cfg" IS 'words config';
CREATE INDEX "Props; words" ON kinds."Props; ""p"""
  USING gin (to_tsvector('kinds."Words; cfg"'::regconfig, coalesce("Doc ""x""", '')));
CREATE FUNCTION kinds.words(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE
  RETURN to_tsvector('kinds."Words; cfg"'::regconfig, t);

-- Operators: two in the odd schema, each the other's negator and its own commutator, with
-- every clause pg_dump writes; a conversion (DEFAULT in its schema).
CREATE FUNCTION "Kinds ""Odd""; $(touch pwned)".same(a integer, b integer) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS 'SELECT a = b';
CREATE FUNCTION "Kinds ""Odd""; $(touch pwned)".differ(a integer, b integer) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS 'SELECT a <> b';
CREATE OPERATOR "Kinds ""Odd""; $(touch pwned)".=== (
  FUNCTION = "Kinds ""Odd""; $(touch pwned)".same, LEFTARG = integer, RIGHTARG = integer,
  COMMUTATOR = OPERATOR("Kinds ""Odd""; $(touch pwned)".===),
  NEGATOR = OPERATOR("Kinds ""Odd""; $(touch pwned)".!==),
  RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR "Kinds ""Odd""; $(touch pwned)".!== (
  FUNCTION = "Kinds ""Odd""; $(touch pwned)".differ, LEFTARG = integer, RIGHTARG = integer,
  COMMUTATOR = OPERATOR("Kinds ""Odd""; $(touch pwned)".!==),
  NEGATOR = OPERATOR("Kinds ""Odd""; $(touch pwned)".===), RESTRICT = neqsel, JOIN = neqjoinsel);
COMMENT ON OPERATOR "Kinds ""Odd""; $(touch pwned)".=== (integer, integer) IS 'same; ''x''';
CREATE FUNCTION kinds.rev_cmp(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE
  AS 'SELECT pg_catalog.btint4cmp(b, a)';
CREATE DEFAULT CONVERSION kinds."Latin; ""conv""" FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
COMMENT ON CONVERSION kinds."Latin; ""conv""" IS 'latin conversion';

RESET ROLE;
-- LANGUAGE internal needs a superuser.
-- Operator families and classes need a superuser: a btree family with a loose cross-type
-- member, a class in it that uses a tenant operator and function, and an index that uses the
-- class. Text search parsers and templates need one too; a dictionary uses the template.
CREATE OPERATOR FAMILY kinds."Rev; ""fam""" USING btree;
CREATE OPERATOR CLASS kinds."Rev; ""ops""" FOR TYPE integer USING btree
  FAMILY kinds."Rev; ""fam""" AS
  OPERATOR 1 >, OPERATOR 2 >=, OPERATOR 3 "Kinds ""Odd""; $(touch pwned)".===,
  OPERATOR 4 <=, OPERATOR 5 <, FUNCTION 1 kinds.rev_cmp(integer, integer);
ALTER OPERATOR FAMILY kinds."Rev; ""fam""" USING btree ADD
  OPERATOR 1 > (integer, bigint), FUNCTION 1 (integer, bigint) btint48cmp(integer, bigint);
ALTER OPERATOR FAMILY kinds."Rev; ""fam""" USING btree OWNER TO "Kind Owner";
ALTER OPERATOR CLASS kinds."Rev; ""ops""" USING btree OWNER TO "Kind Owner";
COMMENT ON OPERATOR FAMILY kinds."Rev; ""fam""" USING btree IS 'reverse family';
COMMENT ON OPERATOR CLASS kinds."Rev; ""ops""" USING btree IS 'reverse; ''order''';
CREATE INDEX "Rev; idx" ON kinds.vehicle (id kinds."Rev; ""ops""");
CREATE TEXT SEARCH PARSER kinds."Parse; ""p""" (START = prsd_start, GETTOKEN = prsd_nexttoken,
  END = prsd_end, LEXTYPES = prsd_lextype, HEADLINE = prsd_headline);
COMMENT ON TEXT SEARCH PARSER kinds."Parse; ""p""" IS 'parser; x';
CREATE TEXT SEARCH TEMPLATE "Kinds ""Odd""; $(touch pwned)"."Tmpl; ""t"""
  (INIT = dsimple_init, LEXIZE = dsimple_lexize);
COMMENT ON TEXT SEARCH TEMPLATE "Kinds ""Odd""; $(touch pwned)"."Tmpl; ""t""" IS 'template; x';
CREATE TEXT SEARCH DICTIONARY kinds.tmpl_dict
  (TEMPLATE = "Kinds ""Odd""; $(touch pwned)"."Tmpl; ""t""");
ALTER TEXT SEARCH DICTIONARY kinds.tmpl_dict OWNER TO "Kind Owner";
CREATE FUNCTION kinds.row_no() RETURNS bigint LANGUAGE internal WINDOW AS 'window_row_number';
ALTER FUNCTION kinds.row_no() OWNER TO "Kind Owner";
REVOKE EXECUTE ON FUNCTION kinds.row_no() FROM PUBLIC;

-- Issue 18, part 2. A foreign table (with column OPTIONS, a default, NOT NULL, a CHECK, a
-- column of a tenant type, a statistics target, comments, a privilege and a view reading it)
-- on a foreign server the target must have too
-- (completeness_test.sh creates the same server there); a materialized view with an access
-- method of its own (the target must have it too), storage parameters, column STORAGE and
-- STATISTICS, an expression index with a column statistics target, CLUSTER ON and extended
-- statistics; an expression index on a table with a column statistics target; an extension in
-- a tenant schema that no tenant object uses; and a database-wide default privilege of the
-- tenant's owner role. Superuser parts first.
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE SERVER "Kinds; srv" FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host 'localhost', dbname 'nowhere; ''x''');
GRANT USAGE ON FOREIGN SERVER "Kinds; srv" TO "Kind Owner";
CREATE ACCESS METHOD "Kinds; am" TYPE TABLE HANDLER heap_tableam_handler;
CREATE EXTENSION fuzzystrmatch SCHEMA "Kinds ""Odd""; $(touch pwned)";
ALTER DEFAULT PRIVILEGES FOR ROLE "Kind Owner" REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
SET ROLE "Kind Owner";
CREATE FOREIGN TABLE kinds."Remote; ""r""" (
    id integer OPTIONS (column_name 'remote id') NOT NULL,
    label text DEFAULT 'none; ''x''',
    during kinds.hours,
    CONSTRAINT "remote id positive" CHECK (id > 0)
) SERVER "Kinds; srv" OPTIONS (schema_name 'public', table_name 'remote''s; t');
ALTER FOREIGN TABLE kinds."Remote; ""r""" ALTER COLUMN label SET STATISTICS 50;
COMMENT ON FOREIGN TABLE kinds."Remote; ""r""" IS 'remote; rows';
COMMENT ON COLUMN kinds."Remote; ""r""".id IS 'the remote id';
GRANT SELECT ON kinds."Remote; ""r""" TO PUBLIC;
-- A view that reads it (created after it, never reading a row).
CREATE VIEW kinds."Remote view" AS SELECT id, during FROM kinds."Remote; ""r""";
CREATE MATERIALIZED VIEW kinds."Mv; ""m""" USING "Kinds; am" WITH (fillfactor = 60) AS
  SELECT id, label FROM kinds.vehicle;
ALTER MATERIALIZED VIEW kinds."Mv; ""m""" ALTER COLUMN label SET STATISTICS 77;
ALTER MATERIALIZED VIEW kinds."Mv; ""m""" ALTER COLUMN label SET STORAGE MAIN;
CREATE INDEX "Mv; idx" ON kinds."Mv; ""m""" ((id + 1));
ALTER INDEX kinds."Mv; idx" ALTER COLUMN 1 SET STATISTICS 99;
ALTER MATERIALIZED VIEW kinds."Mv; ""m""" CLUSTER ON "Mv; idx";
CREATE STATISTICS kinds."Mv; stats" ON id, label FROM kinds."Mv; ""m""";
CREATE INDEX "Expr; idx" ON kinds."Props; ""p""" ((n * 2));
ALTER INDEX kinds."Expr; idx" ALTER COLUMN 1 SET STATISTICS 321;
RESET ROLE;
