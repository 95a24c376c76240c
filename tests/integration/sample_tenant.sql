-- Sample tenant for the tenantshift integration tests, loaded into the SOURCE cluster.
--
-- Tenant schemas:  acme
--                  "Bill""ing; $(touch pwned) ü"   (quotes, semicolon, space, $(...), mixed case, unicode)
-- Not the tenant:  other, acme_archive              (must never reach the target)
--
-- REQUIRES: the role acme_owner exists (the tests create it on the source, and some also on the
-- target, before loading this file; tenantshift creates it on the target when it is missing). Run with: psql -X -v ON_ERROR_STOP=1 -f sample_tenant.sql
--
-- Only objects the tool is meant to migrate today appear here (schemas, types, sequences, tables,
-- data, indexes, constraints, comments, ownership); no views, functions, triggers or grants.
-- Everything is deterministic (no now()/random() in stored data) so runs are comparable.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';
BEGIN;

------------------------------------------------------------------------------------------------
-- Schemas
------------------------------------------------------------------------------------------------
CREATE SCHEMA acme AUTHORIZATION acme_owner;
COMMENT ON SCHEMA acme IS 'ACME Corp tenant: main schema; it''s "quoted"; ünïcode ✓';

CREATE SCHEMA "Bill""ing; $(touch pwned) ü";
ALTER SCHEMA "Bill""ing; $(touch pwned) ü" OWNER TO acme_owner;
COMMENT ON SCHEMA "Bill""ing; $(touch pwned) ü" IS E'Billing; hostile name\nsecond line $(touch pwned)';

------------------------------------------------------------------------------------------------
-- Types: enum, domains, composite
------------------------------------------------------------------------------------------------
CREATE TYPE acme.order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled', 'it''s "odd"; ü');
COMMENT ON TYPE acme.order_status IS 'Lifecycle of an order';

CREATE DOMAIN acme.positive_qty AS integer
  NOT NULL DEFAULT 1
  CONSTRAINT positive_qty_check CHECK (VALUE > 0);

CREATE DOMAIN acme.email AS text
  CONSTRAINT email_shape CHECK (VALUE ~ '^[^@\s]+@[^@\s]+$');

CREATE TYPE acme.address AS (street text, city varchar(80), zip char(5), geo point);

CREATE TYPE "Bill""ing; $(touch pwned) ü"."Währung; ""€""" AS ENUM ('EUR', 'USD', 'a;b', 'ü "x"', '');

------------------------------------------------------------------------------------------------
-- Sequences
------------------------------------------------------------------------------------------------
-- Non-default options, advanced (cache 20: the stored last_value is the end of the cached block).
CREATE SEQUENCE acme.ticket_seq AS integer
  INCREMENT BY 7 MINVALUE 100 MAXVALUE 1000000 START WITH 105 CACHE 20 CYCLE;
SELECT count(nextval('acme.ticket_seq')) FROM generate_series(1, 37);
COMMENT ON SEQUENCE acme.ticket_seq IS 'support tickets';

-- Small cycling sequence that already wrapped around.
CREATE SEQUENCE acme.wrap_seq AS smallint MINVALUE 1 MAXVALUE 10 CYCLE;
SELECT count(nextval('acme.wrap_seq')) FROM generate_series(1, 13);

-- Descending sequence.
CREATE SEQUENCE acme.countdown_seq INCREMENT BY -3 MINVALUE -1000 MAXVALUE -1 START WITH -1;
SELECT count(nextval('acme.countdown_seq')) FROM generate_series(1, 5);

-- Never called: is_called must stay false, the next value must be 42.
CREATE SEQUENCE acme.never_used_seq START WITH 42 INCREMENT BY 2;

-- Sequence OWNED BY a column (attached below), used as a column default.
CREATE SEQUENCE acme.invoice_no_seq AS bigint START WITH 1000 INCREMENT BY 10;

-- Hostile-named sequence used as a column default below; after the data is loaded it is set with
-- setval(..., false), so is_called is false although last_value is not the start value.
CREATE SEQUENCE "Bill""ing; $(touch pwned) ü"."seq ""q""; ü" START WITH 1 MAXVALUE 99999;

------------------------------------------------------------------------------------------------
-- acme tables
------------------------------------------------------------------------------------------------
CREATE TABLE acme.customers (
  id         integer GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5) PRIMARY KEY,
  name       text NOT NULL,
  email      acme.email,
  status     acme.order_status NOT NULL DEFAULT 'new',
  address    acme.address,
  tags       acme.order_status[],
  login      varchar(64) COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  parent_id  integer REFERENCES acme.customers (id) ON DELETE SET NULL,
  CONSTRAINT customers_login_key UNIQUE (login),
  CONSTRAINT customers_name_check CHECK (length(name) > 0)
);
ALTER TABLE acme.customers OWNER TO acme_owner;
COMMENT ON TABLE acme.customers IS 'Customers of ACME; one row per legal entity';
COMMENT ON COLUMN acme.customers.email IS 'contact e-mail; may be NULL';
COMMENT ON COLUMN acme.customers.login IS E'login name, byte-wise "C" collation\twith tab';
CREATE INDEX customers_lower_name_idx ON acme.customers (lower(name));
CREATE INDEX customers_login_pattern_idx ON acme.customers (login varchar_pattern_ops);

INSERT INTO acme.customers (name, email, status, address, tags, login, created_at, parent_id)
SELECT 'Customer ' || g,
       CASE WHEN g % 7 = 0 THEN NULL ELSE 'c' || g || '@example.com' END,
       (ARRAY['new','paid','shipped','cancelled','it''s "odd"; ü']::acme.order_status[])[1 + g % 5],
       CASE WHEN g % 4 = 0 THEN NULL
            ELSE ROW('Main St. ' || g, 'Zürich', lpad(g::text, 5, '0'), point(g, -g))::acme.address END,
       CASE WHEN g % 3 = 0 THEN NULL ELSE ARRAY['new', NULL, 'paid']::acme.order_status[] END,
       'login_' || g,
       timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour 7 minutes',
       NULL
FROM generate_series(1, 60) g;
-- Self reference (ids are 10, 15, 20, ...).
UPDATE acme.customers SET parent_id = 10 WHERE id BETWEEN 15 AND 50;
-- Burn identity values (rolled-back style gap): the next value must come from the sequence, not max(id).
SELECT count(nextval(pg_get_serial_sequence('acme.customers', 'id'))) FROM generate_series(1, 3);

CREATE TABLE acme.orders (
  id          bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 1000 INCREMENT BY 10) PRIMARY KEY,
  legacy      text,
  customer_id integer NOT NULL
              REFERENCES acme.customers (id) ON UPDATE CASCADE ON DELETE RESTRICT
              DEFERRABLE INITIALLY DEFERRED,
  status      acme.order_status NOT NULL DEFAULT 'new',
  qty         acme.positive_qty,
  unit_price  numeric(12,2) NOT NULL CHECK (unit_price >= 0),
  total       numeric(14,2) GENERATED ALWAYS AS (qty * unit_price) STORED,
  invoice_no  bigint DEFAULT nextval('acme.invoice_no_seq'),
  sku         text NOT NULL,
  placed_on   date NOT NULL DEFAULT CURRENT_DATE,
  notes       text
);
ALTER SEQUENCE acme.invoice_no_seq OWNED BY acme.orders.invoice_no;
ALTER TABLE acme.orders DROP COLUMN legacy;  -- leaves a dropped attribute behind
ALTER TABLE acme.orders ADD COLUMN ticket integer DEFAULT nextval('acme.ticket_seq'::regclass);
COMMENT ON TABLE acme.orders IS 'Orders; a few thousand rows';
COMMENT ON COLUMN acme.orders.total IS 'generated: qty * unit_price';
CREATE UNIQUE INDEX orders_invoice_no_uidx ON acme.orders (invoice_no) WHERE invoice_no IS NOT NULL;
CREATE INDEX orders_sku_pattern_idx ON acme.orders (sku text_pattern_ops);
CREATE INDEX orders_open_idx ON acme.orders (placed_on DESC NULLS LAST) INCLUDE (status)
  WHERE status IN ('new', 'paid');
CREATE INDEX orders_customer_idx ON acme.orders (customer_id);

INSERT INTO acme.orders (customer_id, status, qty, unit_price, invoice_no, sku, placed_on, notes, ticket)
SELECT 10 + 5 * (g % 60),
       (ARRAY['new','paid','shipped','cancelled']::acme.order_status[])[1 + g % 4],
       1 + g % 9,
       round((g % 1000) * 1.37, 2),
       CASE WHEN g % 10 = 0 THEN NULL ELSE nextval('acme.invoice_no_seq') END,
       'SKU-' || lpad((g % 503)::text, 4, '0'),
       date '2023-01-01' + (g % 700),
       CASE g % 5 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN E'line\nbreak' ELSE 'note ' || g END,
       NULL
FROM generate_series(1, 4000) g;
-- Explicit ids below and above the identity sequence (BY DEFAULT allows it; the sequence is untouched).
INSERT INTO acme.orders (id, customer_id, qty, unit_price, sku, placed_on)
VALUES (5, 10, 2, 9.99, 'SKU-manual', date '2022-12-31'),
       (999999, 15, 3, 0, 'SKU-far', date '2022-12-30');

-- Every core type, plus edge values.
CREATE TABLE acme.all_types (
  id                bigserial PRIMARY KEY,
  c_smallint        smallint,
  c_int             integer,
  c_bigint          bigint,
  c_numeric         numeric(60,25),
  c_numeric_free    numeric,
  c_real            real,
  c_double          double precision,
  c_text            text,
  c_varchar         varchar(20),
  c_char            char(10),
  c_bytea           bytea,
  c_bool            boolean,
  c_date            date,
  c_time            time,
  c_timetz          timetz,
  c_timestamp       timestamp(3),
  c_timestamptz     timestamptz,
  c_interval        interval,
  c_uuid            uuid,
  c_json            json,
  c_jsonb           jsonb,
  c_inet            inet,
  c_cidr            cidr,
  c_macaddr         macaddr,
  c_macaddr8        macaddr8,
  c_point           point,
  c_line            line,
  c_lseg            lseg,
  c_box             box,
  c_path            path,
  c_polygon         polygon,
  c_circle          circle,
  c_int4range       int4range,
  c_numrange        numrange,
  c_tstzrange       tstzrange,
  c_int4multirange  int4multirange,
  c_int_arr         integer[],
  c_text_arr        text[],
  c_int_2d          integer[],
  c_bit             bit(8),
  c_varbit          bit varying(16),
  c_money           money,
  c_tsvector        tsvector,
  c_tsquery         tsquery,
  c_xml             xml,
  c_oid             oid,
  c_pg_lsn          pg_lsn,
  c_status_arr      acme.order_status[],
  c_address         acme.address,
  c_qty             acme.positive_qty
);
COMMENT ON TABLE acme.all_types IS 'one column per core type';
CREATE INDEX all_types_jsonb_idx ON acme.all_types USING gin (c_jsonb jsonb_path_ops);
CREATE INDEX all_types_tsv_idx ON acme.all_types USING gin (c_tsvector);

INSERT INTO acme.all_types (c_smallint, c_int, c_bigint, c_numeric, c_numeric_free, c_real, c_double,
  c_text, c_varchar, c_char, c_bytea, c_bool, c_date, c_time, c_timetz, c_timestamp, c_timestamptz,
  c_interval, c_uuid, c_json, c_jsonb, c_inet, c_cidr, c_macaddr, c_macaddr8, c_point, c_line, c_lseg,
  c_box, c_path, c_polygon, c_circle, c_int4range, c_numrange, c_tstzrange, c_int4multirange,
  c_int_arr, c_text_arr, c_int_2d, c_bit, c_varbit, c_money, c_tsvector, c_tsquery, c_xml, c_oid,
  c_pg_lsn, c_status_arr, c_address, c_qty)
VALUES
  -- ordinary values
  (1, 2, 3, 12345678901234567890.1234567890123456789012345, 3.14159265358979323846264338327950288,
   1.5, 2.718281828459045, 'plain text', 'varchar', 'char', '\x00ff5c0a0d09'::bytea, true,
   '2024-02-29', '23:59:59.999999', '12:34:56+05:30', '2024-02-29 12:00:00.123',
   '2024-02-29 12:00:00.123456+00', '1 year 2 mons 3 days 04:05:06.789',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1,  "a": 2, "nul": "\u0000"}',
   '{"a": [1, {"b": null, "c": "\u00fc"}], "d": {"e": {"f": [true, false, 1.50]}}}',
   '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05',
   '(1.5,-2.25)', '{1,-1,0}', '[(0,0),(1,1)]', '(2,2),(0,0)', '[(0,0),(1,1),(2,0)]',
   '((0,0),(1,1),(1,0))', '<(0,0),5>', '[1,10)', '(0.5,1.5]',
   '[2024-01-01 00:00:00+00,2024-12-31 00:00:00+00)', '{[1,3),[5,8)}',
   '{1,NULL,3}', '{"a b","NULL",NULL,"","q\"uote","back\\slash","tab\there"}', '{{1,2},{3,NULL}}',
   B'10101010', B'1011', 1234.56, to_tsvector('simple', 'The quick brown fox; ü'),
   to_tsquery('simple', 'quick & fox'), '<a href="x">t&amp;t</a>', 4294967295, '16/B374D848',
   '{new,NULL,"it''s \"odd\"; ü"}', ROW('Bahnhofstr. 1', 'Zürich', '8001', point(8.5, 47.4)), 3),
  -- extremes and special values
  (-32768, -2147483648, -9223372036854775808, -99999999999999999999999999999999999.9999999999999999999999999,
   'NaN', 'NaN', '-Infinity', '', '', '', ''::bytea, false,
   'infinity', '00:00:00', '00:00:00-14:59', '-infinity', 'infinity', '-178000000 years',
   '00000000-0000-0000-0000-000000000000', '[]', '{}', '::1', '::/0', '00:00:00:00:00:00',
   'ff:ff:ff:ff:ff:ff:ff:ff', '(1e+300,-1e-300)', '{0,1,0}', '[(0,0),(0,0)]', '(0,0),(0,0)', '((0,0))',
   '((0,0))', '<(0,0),0>', 'empty', '(,)', '(,2024-01-01 00:00:00+00]', '{}',
   '{}', '{}', '[0:2]={7,8,9}', B'00000000', B'', -92233720368547758.08, ''::tsvector, NULL, '<e/>', 0,
   '0/0', '{}', ROW(NULL, NULL, NULL, NULL), 1),
  -- more extremes
  (32767, 2147483647, 9223372036854775807, 0.0000000000000000000000001, '-Infinity',
   'Infinity', '-0', E'tab\t nl\n cr\r bs\\ q'' dq"', 'ü😀', '\N', '\\'::bytea, NULL,
   '4713-01-01 BC', '24:00:00', '24:00:00+15:59', '294276-12-31 23:59:59.999',
   '1970-01-01 00:00:00+00', '-1 days +02:03:04.000001',
   'ffffffff-ffff-ffff-ffff-ffffffffffff', '"just a string"', '[null, "", "\\N", {"k": []}]',
   '2001:db8::1/128', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00:00:00',
   '(NaN,Infinity)', '{-1,0,5}', '[(1,2),(3,4)]', '(-1,-1),(-2,-2)', '((1,1),(2,2))',
   '((0,0),(0,1),(1,1),(1,0))', '<(1,1),1e-10>', '[-2147483648,2147483647)', '[-1e-30,1e30)',
   '[2024-01-01 00:00:00+00,infinity)', '{[-5,-1], (10,20)}',
   '{NULL,NULL}', '{NULL}', '{{NULL,NULL}}', B'11111111', B'1111111111111111', 92233720368547758.07,
   $$'a':1A 'b''c':2 'back\\slash':3$$::tsvector, 'a <-> !b', E'<?xml version="1.0"?>\n<r>&lt;\u00fc&gt;</r>',
   4294967295, 'FFFFFFFF/FFFFFFFF', '{cancelled,cancelled}', ROW('', '', '     ', NULL), 2147483647),
  -- all NULL (c_qty is a NOT NULL domain: it gets its default)
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, DEFAULT);

-- Awkward text: NULL vs '', '\N', tabs, newlines, backslashes, quotes, unicode, COPY end marker.
CREATE TABLE acme.notes (
  id    integer PRIMARY KEY,
  body  text,
  label varchar(50),
  fixed char(8),
  raw   bytea
);
INSERT INTO acme.notes VALUES
  (1,  NULL,                       NULL,          NULL,       NULL),
  (2,  '',                         '',            '',         ''::bytea),
  (3,  '\N',                       '\N',          '\N',       '\x5c4e'::bytea),
  (4,  E'tab\there\t',             E'\t',         E'\t',      '\x09'::bytea),
  (5,  E'line1\nline2\r\nline3\r', E'\n',         E'\n',      '\x0a0d'::bytea),
  (6,  E'back\\slash \\\\ dbl \\t \\n not escapes', E'\\', E'\\\\', '\x5c5c'::bytea),
  (7,  'single '' double " quotes `tick`', '''', '"', '\x2227'::bytea),
  (8,  'emoji 😀🎉 ünïcödé 中文 עברית Ω', '€', 'ü', convert_to('ü😀', 'UTF8')),
  (9,  'NULL',                     'null',        'NULL',     '\x00'::bytea),
  (10, E'\\.',                     E'\\.',        E'\\.',     '\x5c2e'::bytea),
  (11, E'a\n\\.\nb',               ',;|',         ' lead',    '\x000000'::bytea),
  (12, ' trailing spaces   ',      '  ',          'trail  ',  '\xdeadbeef'::bytea),
  (13, E'\x01\x02\x7f control',    E'\x1b[31m',   E'\x7f',    '\x80ff'::bytea),
  (14, '$(touch pwned); `touch pwned`', '"; DROP TABLE acme.notes; --', '$HOME', '\x24'::bytea),
  (15, E'\\x41 looks like hex',   E'\\x',        E'\\x00',   '\x'::bytea);

-- Large TOASTed values (~1 MB text and ~1 MB bytea per row, poorly compressible).
CREATE TABLE acme.documents (
  id      integer PRIMARY KEY,
  title   text NOT NULL,
  content text,
  blob    bytea
);
INSERT INTO acme.documents
SELECT g, 'document ' || g,
       (SELECT string_agg(md5(g || ':' || i), '') FROM generate_series(1, 32768) i),
       (SELECT decode(string_agg(md5(i || '/' || g), ''), 'hex') FROM generate_series(1, 65536) i)
FROM generate_series(1, 3) g;
INSERT INTO acme.documents VALUES (4, 'small', 'tiny', '\x01'), (5, 'nulls', NULL, NULL);

-- Partitioned table (RANGE) with a DEFAULT partition, PK and index on the parent.
CREATE TABLE acme.events (
  id          bigint NOT NULL,
  occurred_at timestamptz NOT NULL,
  kind        text NOT NULL DEFAULT 'info',
  payload     jsonb,
  PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE TABLE acme.events_2023 PARTITION OF acme.events
  FOR VALUES FROM ('2023-01-01 00:00:00+00') TO ('2024-01-01 00:00:00+00');
CREATE TABLE acme.events_2024 PARTITION OF acme.events
  FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');
CREATE TABLE acme.events_default PARTITION OF acme.events DEFAULT;
CREATE INDEX events_kind_idx ON acme.events (kind);
CREATE INDEX events_payload_idx ON acme.events USING gin (payload);
COMMENT ON TABLE acme.events IS 'partitioned by occurred_at';
COMMENT ON TABLE acme.events_default IS 'everything outside 2023-2024';
INSERT INTO acme.events
SELECT g,
       timestamptz '2022-07-01 00:00:00+00' + g * interval '6 hours 17 minutes',
       (ARRAY['info', 'warn', 'error', E'multi\nline'])[1 + g % 4],
       CASE WHEN g % 6 = 0 THEN NULL
            ELSE jsonb_build_object('n', g, 'tags', jsonb_build_array('x', g % 3, NULL),
                                    'nested', jsonb_build_object('deep', jsonb_build_object('v', g * 1.5)))
       END
FROM generate_series(1, 3000) g;

-- EXCLUDE constraint using core GiST range support.
CREATE TABLE acme.room_bookings (
  id     serial PRIMARY KEY,
  room   integer NOT NULL,
  during tsrange NOT NULL,
  CONSTRAINT room_bookings_no_overlap EXCLUDE USING gist (during WITH &&)
);
INSERT INTO acme.room_bookings (room, during)
SELECT g % 3, tsrange(timestamp '2024-01-01' + g * interval '1 hour',
                      timestamp '2024-01-01' + (g + 1) * interval '1 hour', '[)')
FROM generate_series(1, 40) g;
-- A serial column in a table owned by another role: its sequence follows the table's owner
-- (regression: ALTER SEQUENCE ... OWNER TO is refused for a column's sequence).
ALTER TABLE acme.room_bookings OWNER TO acme_owner;

-- UNLOGGED table.
CREATE UNLOGGED TABLE acme.session_cache (
  key        text PRIMARY KEY,
  value      jsonb,
  expires_at timestamptz
);
INSERT INTO acme.session_cache
SELECT 'session-' || g, jsonb_build_object('user', g), timestamptz '2030-01-01 00:00:00+00' + g * interval '1 min'
FROM generate_series(1, 25) g;

-- Table without a primary key, with duplicate rows.
CREATE TABLE acme.raw_import (
  line_no  integer,
  content  text,
  imported boolean DEFAULT false
);
INSERT INTO acme.raw_import VALUES (1, 'dup', false), (1, 'dup', false), (1, 'dup', false),
  (2, NULL, NULL), (NULL, NULL, NULL), (NULL, NULL, NULL), (3, '', true);

-- Empty table.
CREATE TABLE acme.empty_things (
  id   integer PRIMARY KEY,
  note text DEFAULT 'n/a'
);
COMMENT ON TABLE acme.empty_things IS 'intentionally empty';

------------------------------------------------------------------------------------------------
-- Hostile schema: hostile table, column, constraint and index names; cross-schema foreign keys.
-- The schema name has an odd number of double quotes, so pasting it into a shell command line
-- usually ends in a syntax error rather than running $(touch pwned). The column "$(touch pwned)"
-- and the index "idx $(touch pwned); "x"" have balanced quotes: those would really run it.
------------------------------------------------------------------------------------------------
CREATE TABLE "Bill""ing; $(touch pwned) ü"."Invoice ""Lines""; DROP TABLE acme.customers; --" (
  "Line ID"        integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  "customer; id"   integer NOT NULL REFERENCES acme.customers (id),
  "Amount ($)"     numeric(20,4) NOT NULL,
  "währung"        "Bill""ing; $(touch pwned) ü"."Währung; ""€""" NOT NULL DEFAULT 'EUR',
  "select"         text,
  "MixedCase"      boolean DEFAULT false,
  "ünï ""cödé"""   text COLLATE "C",
  "$(touch pwned)" integer DEFAULT nextval('"Bill""ing; $(touch pwned) ü"."seq ""q""; ü"'),
  CONSTRAINT "chk; amount <> 0 ""nz""" CHECK ("Amount ($)" <> 0),
  CONSTRAINT "uq ""select""; x" UNIQUE ("select", "MixedCase")
);
COMMENT ON TABLE "Bill""ing; $(touch pwned) ü"."Invoice ""Lines""; DROP TABLE acme.customers; --"
  IS 'hostile table; ''quoted'' comment';
COMMENT ON COLUMN "Bill""ing; $(touch pwned) ü"."Invoice ""Lines""; DROP TABLE acme.customers; --"."Amount ($)"
  IS 'amount in "währung"';
CREATE INDEX "idx $(touch pwned); ""x""" ON "Bill""ing; $(touch pwned) ü"."Invoice ""Lines""; DROP TABLE acme.customers; --"
  ("select" text_pattern_ops) WHERE "MixedCase";
CREATE INDEX "Ünïcode-Idx" ON "Bill""ing; $(touch pwned) ü"."Invoice ""Lines""; DROP TABLE acme.customers; --"
  (lower("ünï ""cödé"""), "Amount ($)" DESC);

INSERT INTO "Bill""ing; $(touch pwned) ü"."Invoice ""Lines""; DROP TABLE acme.customers; --"
  ("customer; id", "Amount ($)", "währung", "select", "MixedCase", "ünï ""cödé""")
SELECT 10 + 5 * (g % 60),
       (g * 3.3333)::numeric(20,4) * CASE WHEN g % 2 = 0 THEN -1 ELSE 1 END,
       (ARRAY['EUR', 'USD', 'a;b', 'ü "x"', '']::"Bill""ing; $(touch pwned) ü"."Währung; ""€"""[])[1 + g % 5],
       CASE WHEN g % 9 = 0 THEN NULL ELSE 'sel ' || g END,
       g % 2 = 0,
       CASE g % 3 WHEN 0 THEN 'Ä"ö"ü' WHEN 1 THEN E'\\N' ELSE NULL END
FROM generate_series(1, 500) g;
SELECT setval('"Bill""ing; $(touch pwned) ü"."seq ""q""; ü"', 1234, false);

-- Acme table referencing the hostile schema (FK in the other direction).
CREATE TABLE acme.payments (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  invoice_line integer NOT NULL
               REFERENCES "Bill""ing; $(touch pwned) ü"."Invoice ""Lines""; DROP TABLE acme.customers; --" ("Line ID")
               ON DELETE CASCADE,
  paid_at      timestamptz NOT NULL,
  amount       money NOT NULL,
  ticket_no    integer UNIQUE
);
INSERT INTO acme.payments (invoice_line, paid_at, amount, ticket_no)
SELECT g, timestamptz '2024-03-01 00:00:00+00' + g * interval '1 day', g * 10.25, nextval('acme.ticket_seq')
FROM generate_series(1, 200) g;
-- Identity sequence moved with setval(..., false): next value 300 although last_value is not the start.
SELECT setval(pg_get_serial_sequence('acme.payments', 'id'), 300, false);

-- Hostile table without a primary key and with a composite column.
CREATE TABLE "Bill""ing; $(touch pwned) ü"."UPPER lower ""x""" (
  "A"  integer,
  a    integer,
  "a " acme.address
);
INSERT INTO "Bill""ing; $(touch pwned) ü"."UPPER lower ""x""" VALUES
  (1, 2, ROW('s', 'c', 'z', NULL)), (1, 2, ROW('s', 'c', 'z', NULL)), (NULL, NULL, NULL);

------------------------------------------------------------------------------------------------
-- Other tenants: must never reach the target. Same table names as acme, no foreign keys.
------------------------------------------------------------------------------------------------
CREATE SCHEMA other;
COMMENT ON SCHEMA other IS 'another tenant';
CREATE TABLE other.customers (
  id     integer PRIMARY KEY,
  secret text NOT NULL
);
INSERT INTO other.customers SELECT g, 'other-tenant-secret-' || g FROM generate_series(1, 150) g;
CREATE SEQUENCE other.other_seq;
SELECT nextval('other.other_seq');

CREATE SCHEMA acme_archive;   -- prefix of "acme": catches LIKE 'acme%' style filters
CREATE TABLE acme_archive.orders (id integer, note text);
INSERT INTO acme_archive.orders VALUES (1, 'archived');

COMMIT;
