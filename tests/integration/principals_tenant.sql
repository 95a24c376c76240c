-- Tenant for the principals test (tests/integration/principals_test.sh), loaded into the SOURCE
-- cluster: roles, memberships, settings, passwords, owners, grants, default privileges and
-- row-level security.
--
-- Tenant schemas:  tenant_a, "Tenant A ""Audit"""
-- Not the tenant:  tenant_b (another tenant, whose role tb_user must never reach the target)
--
-- Principals the tool must find (none is the connecting user, most are not named after the
-- tenant, so a name pattern would miss them):
--   ta_owner                  owns every tenant object (NOLOGIN)
--   "Ta Reader ""Q"" ü"       SELECT on tables, USAGE on schemas: mixed case, space, quote
--   ta_staff                  member of the reader group (group of groups), holds nothing itself
--   ta_app                    member of ta_staff; LOGIN, VALID UNTIL, CONNECTION LIMIT,
--                             search_path and a per-database setting, a comment, an RLS policy
--   ta_writer                 INSERT, UPDATE WITH GRANT OPTION; grants INSERT on to etl_bot
--   ta_analyst                column-level SELECT and UPDATE; NOINHERIT; md5 password
--   etl_bot                   service account: INSERT granted by ta_writer (not the owner)
--   ta_dba                    SUPERUSER with USAGE on the schema: must not stay superuser
-- Passwords: see principals_test.sh (they are test data, not secrets).
--
-- Run with: psql -X -v ON_ERROR_STOP=1 -f principals_tenant.sql
\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;

CREATE ROLE ta_owner NOLOGIN;
COMMENT ON ROLE ta_owner IS 'owns tenant A';
CREATE ROLE "Ta Reader ""Q"" ü" NOLOGIN;
CREATE ROLE ta_staff NOLOGIN;
GRANT "Ta Reader ""Q"" ü" TO ta_staff WITH ADMIN OPTION;
CREATE ROLE ta_app LOGIN PASSWORD 'app-Pw-1' CONNECTION LIMIT 7
  VALID UNTIL '2099-12-31 23:00:00+00';
GRANT ta_staff TO ta_app;
ALTER ROLE ta_app SET search_path = tenant_a, "$user", public;
ALTER ROLE ta_app SET statement_timeout = '5min';
ALTER ROLE ta_app IN DATABASE postgres SET work_mem = '8MB';
COMMENT ON ROLE ta_app IS 'application login; it''s "quoted"';
CREATE ROLE ta_writer LOGIN PASSWORD 'writer-Pw-2' CREATEDB;
SET LOCAL password_encryption = 'md5';
CREATE ROLE ta_analyst LOGIN PASSWORD 'analyst-Pw-3' NOINHERIT;
RESET password_encryption;
CREATE ROLE etl_bot LOGIN PASSWORD 'etl-Pw-4';
CREATE ROLE ta_dba SUPERUSER NOLOGIN;
CREATE ROLE tb_user LOGIN PASSWORD 'tb-Pw-5';

CREATE SCHEMA tenant_a AUTHORIZATION ta_owner;
CREATE SCHEMA "Tenant A ""Audit""" AUTHORIZATION ta_owner;
GRANT USAGE ON SCHEMA tenant_a TO "Ta Reader ""Q"" ü", ta_writer, ta_analyst, etl_bot, ta_dba;
GRANT USAGE ON SCHEMA "Tenant A ""Audit""" TO "Ta Reader ""Q"" ü";

SET ROLE ta_owner;
CREATE TYPE tenant_a.mood AS ENUM ('ok', 'meh');
-- PUBLIC holds USAGE on a type by default, as it holds EXECUTE on a function: revoke it.
REVOKE USAGE ON TYPE tenant_a.mood FROM PUBLIC;
GRANT USAGE ON TYPE tenant_a.mood TO ta_writer;
CREATE TABLE tenant_a.customers (
  id integer PRIMARY KEY,
  name text NOT NULL,
  secret_note text,
  owner_login text NOT NULL DEFAULT current_user,
  mood tenant_a.mood
);
INSERT INTO tenant_a.customers (id, name, secret_note, owner_login)
  SELECT g, 'customer ' || g, 'secret ' || g, CASE WHEN g % 2 = 0 THEN 'ta_app' ELSE 'x' END
    FROM generate_series(1, 20) g;
GRANT SELECT ON tenant_a.customers TO "Ta Reader ""Q"" ü";
GRANT INSERT, UPDATE ON tenant_a.customers TO ta_writer WITH GRANT OPTION;
GRANT SELECT ON tenant_a.customers TO ta_writer;
GRANT SELECT (id, name), UPDATE (name) ON tenant_a.customers TO ta_analyst;
GRANT REFERENCES (id) ON tenant_a.customers TO ta_writer WITH GRANT OPTION;
CREATE SEQUENCE tenant_a.ticket_seq;
GRANT USAGE, SELECT ON SEQUENCE tenant_a.ticket_seq TO ta_writer;
ALTER TABLE tenant_a.customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_a.customers FORCE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON tenant_a.customers FOR SELECT TO ta_app
  USING (owner_login = current_user);
CREATE POLICY "Writers' rows" ON tenant_a.customers AS RESTRICTIVE FOR ALL
  TO ta_writer, "Ta Reader ""Q"" ü" USING (true) WITH CHECK (id > 0);
-- Default privileges: tables created from now on are readable by the reader group.
ALTER DEFAULT PRIVILEGES FOR ROLE ta_owner IN SCHEMA tenant_a
  GRANT SELECT ON TABLES TO "Ta Reader ""Q"" ü";
ALTER DEFAULT PRIVILEGES FOR ROLE ta_owner IN SCHEMA tenant_a
  GRANT USAGE ON SEQUENCES TO ta_writer WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES FOR ROLE ta_owner IN SCHEMA tenant_a
  GRANT EXECUTE ON FUNCTIONS TO etl_bot;
CREATE TABLE tenant_a.orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id integer REFERENCES tenant_a.customers (id),
  note text
);
INSERT INTO tenant_a.orders (customer_id, note) SELECT g, 'order ' || g FROM generate_series(1, 5) g;
CREATE TABLE "Tenant A ""Audit""".log (at timestamptz NOT NULL, what text);
RESET ROLE;

-- A grant whose grantor is not the owner.
SET ROLE ta_writer;
GRANT INSERT ON tenant_a.customers TO etl_bot;
RESET ROLE;

-- The other tenant.
CREATE SCHEMA tenant_b;
CREATE TABLE tenant_b.items (id integer PRIMARY KEY, label text);
GRANT USAGE ON SCHEMA tenant_b TO tb_user;
GRANT SELECT ON tenant_b.items TO tb_user;

COMMIT;
