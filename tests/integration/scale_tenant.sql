-- A many-object tenant for the scale test and bench/many_objects.sh: schema "big" with
-- :tables tables (each with a primary key, a second index, a comment, a grant and a few rows),
-- a view on every 4th table, a function on every 8th, and one role per 20 tables; the
-- even-numbered tables and views belong to the role big_owner, the rest to the loading user.
-- Usage: psql -v tables=3000 -f scale_tenant.sql
-- Every table is created in its own transaction (one \gexec row each), so loading takes no more
-- locks at once than a default-configured server allows.
\set ON_ERROR_STOP 1
SELECT greatest(:tables / 20, 1) AS roles \gset
CREATE ROLE big_owner NOLOGIN;
CREATE SCHEMA big;
GRANT CREATE, USAGE ON SCHEMA big TO big_owner;
CREATE SCHEMA big_other;  -- a neighbour that must not move
CREATE TABLE big_other.secret (id int PRIMARY KEY);
SELECT format('CREATE ROLE %I NOLOGIN', 'big_r' || r) FROM generate_series(0, :roles - 1) r \gexec
SELECT format('GRANT USAGE ON SCHEMA big TO %I', 'big_r' || r) FROM generate_series(0, :roles - 1) r \gexec
SELECT format($f$%7$s
  CREATE TABLE big.%1$I (id integer PRIMARY KEY, grp integer NOT NULL, name text,
                         amount numeric(12,2), created timestamptz NOT NULL DEFAULT '2024-01-01');
  CREATE INDEX %2$I ON big.%1$I (grp, name);
  COMMENT ON TABLE big.%1$I IS %3$L;
  GRANT SELECT, INSERT ON big.%1$I TO %4$I;
  INSERT INTO big.%1$I (id, grp, name, amount)
    SELECT g, g %% 7, 'row ' || g || ' of ' || %5$s, g * 1.25 FROM generate_series(1, %6$s) g;
  RESET ROLE;
  $f$, 't' || i, 't' || i || '_grp', 'table number ' || i, 'big_r' || (i % :roles), i, 1 + i % 20,
  CASE WHEN i % 2 = 0 THEN 'SET ROLE big_owner;' ELSE '' END)
  FROM generate_series(1, :tables) i \gexec
SELECT format('SET ROLE big_owner; CREATE VIEW big.%I AS SELECT id, name FROM big.%I WHERE grp = 1; RESET ROLE',
              'v' || i, 't' || i)
  FROM generate_series(4, :tables, 4) i \gexec
SELECT format('SET ROLE big_owner; GRANT SELECT ON big.%I TO %I; RESET ROLE', 'v' || i, 'big_r' || (i % :roles))
  FROM generate_series(4, :tables, 4) i \gexec
SELECT format($f$CREATE FUNCTION big.%I(g integer) RETURNS bigint LANGUAGE sql STABLE
                 AS 'SELECT count(*) FROM big.%I WHERE grp = g'$f$, 'f' || i, 't' || i)
  FROM generate_series(8, :tables, 8) i \gexec
ALTER DEFAULT PRIVILEGES IN SCHEMA big GRANT SELECT ON TABLES TO big_r0;
