-- A small representative Redshift tenant for the live suite. Run with psql variables:
--   schema, owner, reader, grp, role, hostile (a hostile table name)
-- Every name is generated per run by live_test.sh, so two runs never collide.
\set ON_ERROR_STOP 1

CREATE USER :"owner" PASSWORD DISABLE;
CREATE USER :"reader" PASSWORD DISABLE CONNECTION LIMIT 5;
CREATE GROUP :"grp" WITH USER :"reader";
CREATE ROLE :"role";
GRANT ROLE :"role" TO :"reader";

CREATE SCHEMA :"schema" AUTHORIZATION :"owner";

-- Identity column, KEY distribution, compound sort key; values that break naive CSV/NULL
-- handling: NULL vs '', strings equal to other tools' NULL markers, newlines, CR, delimiters,
-- quotes, backslashes, leading/trailing spaces, 4-byte UTF-8, microsecond timestamps.
CREATE TABLE :"schema".orders (
  id BIGINT IDENTITY(1, 1),
  customer VARCHAR(64) NOT NULL,
  note VARCHAR(256),
  amount DECIMAL(12, 2),
  ratio DOUBLE PRECISION,
  placed TIMESTAMP,
  placed_tz TIMESTAMPTZ,
  flag BOOLEAN,
  code CHAR(4)
) DISTSTYLE KEY DISTKEY (customer) COMPOUND SORTKEY (placed);

INSERT INTO :"schema".orders (customer, note, amount, ratio, placed, placed_tz, flag, code) VALUES
  ('c1', NULL, 1.00, 0.1, '2024-02-29 23:59:59.123456', '2024-01-01 10:00:00.5+05:30', true, 'ab'),
  ('c1', '', 0.00, 1e-300, '1999-12-31 00:00:00', '1999-12-31 23:00:00+00', false, ''),
  ('c2', 'nullstring', -5.25, -2.5, NULL, NULL, NULL, NULL),
  ('c2', 'NULL_STRING__', 99999.99, 3.141592653589793, '2000-01-01', '2000-01-01 00:00:00-08', true, 'wxyz'),
  ('c3', '\\N', 0.01, 0, '2024-06-01 12:00:00.000001', '2024-06-01 12:00:00.000001+00', false, 'a  '),
  ('c3', 'line1' || chr(10) || 'line2' || chr(13) || 'end', 1, 1, NULL, NULL, NULL, NULL),
  ('c4', 'a,b;"c"|d' || chr(9) || 'tab', 2, 2, NULL, NULL, NULL, NULL),
  ('c4', 'trailing  ', 3, 3, NULL, NULL, NULL, NULL),
  ('c5', '  leading', 4, 4, NULL, NULL, NULL, NULL),
  ('c5', 'üñï€ 😀', 5, 5, NULL, NULL, NULL, NULL),
  ('c6', 'ends with a backslash \\', 6, 6, NULL, NULL, NULL, NULL),
  ('c6', '''quoted''', 7, 7, NULL, NULL, NULL, NULL);

-- Interleaved sort key; SUPER, VARBYTE and GEOMETRY columns (CSV-only types on UNLOAD).
CREATE TABLE :"schema".events (
  id INTEGER NOT NULL,
  kind VARCHAR(32),
  at TIMESTAMP,
  doc SUPER NOT NULL,
  raw VARBYTE(64),
  shape GEOMETRY
) INTERLEAVED SORTKEY (kind, at);

INSERT INTO :"schema".events VALUES
  (1, 'a', '2024-01-01 00:00:00', JSON_PARSE('{"a":[1,2,{"b":null}],"s":"x,y\\n\\"q\\""}'),
   FROM_HEX('00ff10'), ST_GeomFromText('POINT(1 2)', 4326)),
  (2, 'b', NULL, JSON_PARSE('null'), NULL, NULL),
  (3, NULL, '2024-01-02 03:04:05.678', JSON_PARSE('"just a string"'), FROM_HEX('41'),
   ST_GeomFromText('LINESTRING(0 0, 1 1, 2 0)')),
  (4, '', NULL, JSON_PARSE('[]'), FROM_HEX('5c2c22'), NULL);

-- D5: floats that lose digits through a 15-digit text; compared exactly (extra_float_digits 2,
-- REAL widened to FLOAT8) and by equality with the same expressions on the target.
CREATE TABLE :"schema".floats (id INTEGER NOT NULL, d DOUBLE PRECISION, r REAL);
INSERT INTO :"schema".floats VALUES
  (1, 0.1::FLOAT8 + 0.2::FLOAT8, 0.1::REAL),
  (2, 1::FLOAT8 / 3.0::FLOAT8, (1::FLOAT8 / 3.0::FLOAT8)::REAL),
  (3, 1e-300::FLOAT8, 1.17549435e-38::REAL),
  (4, 1.7976931348623157e308::FLOAT8, 3.4028235e38::REAL),
  (5, -2.5e-7::FLOAT8, 1.04815894e18::REAL);

-- D12, R9: a SUPER value and a VARBYTE value of about 100 KB, over the 65,535-byte VARCHAR
-- limit (built by concatenation: REPEAT and FROM_HEX work on VARCHAR).
CREATE TABLE :"schema".big (id INTEGER NOT NULL, doc SUPER, raw VARBYTE(1024000));
INSERT INTO :"schema".big VALUES
  (1,
   ARRAY_CONCAT(ARRAY_CONCAT(JSON_PARSE('["' || REPEAT('x', 40000) || '"]'),
                             JSON_PARSE('["' || REPEAT('y', 40000) || '"]')),
                JSON_PARSE('["' || REPEAT('z', 40000) || '"]')),
   FROM_HEX(REPEAT('ab', 30000)) || FROM_HEX(REPEAT('cd', 30000)) ||
   FROM_HEX(REPEAT('ef', 30000)) || FROM_HEX(REPEAT('01', 12400)));

-- R18: types no AWS page shows a CSV round trip for: INTERVAL, TIME/TIMETZ, an empty VARBYTE
-- next to NULL, HLLSKETCH.
CREATE TABLE :"schema".odd_types (
  id INTEGER NOT NULL,
  span INTERVAL DAY TO SECOND,
  ym INTERVAL YEAR TO MONTH,
  at TIME,
  at_tz TIMETZ,
  bytes VARBYTE(16),
  sketch HLLSKETCH
);
INSERT INTO :"schema".odd_types
  SELECT 1, INTERVAL '1 day 2 hours 3 minutes 4.5 seconds' DAY TO SECOND,
         INTERVAL '1-2' YEAR TO MONTH, '23:59:59.999999'::TIME, '12:34:56+05:30'::TIMETZ,
         FROM_HEX(''), HLL_CREATE_SKETCH(v)
  FROM (SELECT 1 AS v UNION ALL SELECT 2 UNION ALL SELECT 3) s;
INSERT INTO :"schema".odd_types
  SELECT 2, INTERVAL '-3' DAY, INTERVAL '11' MONTH, '00:00:00'::TIME, '00:00:00-08'::TIMETZ,
         FROM_HEX('00'), HLL_CREATE_SKETCH(v)
  FROM (SELECT 42 AS v) s;
INSERT INTO :"schema".odd_types VALUES (3, NULL, NULL, NULL, NULL, NULL, NULL);

-- A table whose name needs quoting everywhere (kept lower case: Redshift folds case by default).
CREATE TABLE :"schema".:"hostile" (":col; $(x)" INTEGER, "it's" VARCHAR(16));
INSERT INTO :"schema".:"hostile" VALUES (1, 'o''k'), (2, NULL), (3, '');

-- An empty table: UNLOAD writes nothing (or empty objects); the move must still succeed.
CREATE TABLE :"schema".empty_one (x INTEGER);

CREATE VIEW :"schema".v_late AS
  SELECT customer, count(*) AS n FROM :"schema".orders GROUP BY customer
  WITH NO SCHEMA BINDING;

CREATE MATERIALIZED VIEW :"schema".mv_totals AS
  SELECT customer, sum(amount) AS total FROM :"schema".orders GROUP BY customer;

CREATE PROCEDURE :"schema".p_touch(n INTEGER) AS $$
BEGIN
  RAISE INFO 'touched %', n;
END;
$$ LANGUAGE plpgsql;

ALTER TABLE :"schema".orders OWNER TO :"owner";
ALTER TABLE :"schema".events OWNER TO :"owner";
ALTER TABLE :"schema".floats OWNER TO :"owner";
GRANT USAGE ON SCHEMA :"schema" TO GROUP :"grp";
GRANT USAGE ON SCHEMA :"schema" TO ROLE :"role";
GRANT SELECT ON :"schema".orders TO :"reader";
GRANT SELECT (kind, at) ON :"schema".events TO :"reader";
GRANT SELECT ON :"schema".v_late TO ROLE :"role";
GRANT EXECUTE ON PROCEDURE :"schema".p_touch(INTEGER) TO :"reader";
ALTER DEFAULT PRIVILEGES FOR USER :"owner" IN SCHEMA :"schema" GRANT SELECT ON TABLES TO GROUP :"grp";
