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
GRANT USAGE ON SCHEMA :"schema" TO GROUP :"grp";
GRANT USAGE ON SCHEMA :"schema" TO ROLE :"role";
GRANT SELECT ON :"schema".orders TO :"reader";
GRANT SELECT (kind, at) ON :"schema".events TO :"reader";
GRANT SELECT ON :"schema".v_late TO ROLE :"role";
GRANT EXECUTE ON PROCEDURE :"schema".p_touch(INTEGER) TO :"reader";
ALTER DEFAULT PRIVILEGES FOR USER :"owner" IN SCHEMA :"schema" GRANT SELECT ON TABLES TO GROUP :"grp";
