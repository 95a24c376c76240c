-- The Quick start demo's additions to the sample tenant (scripts/demo.sh loads sample_tenant.sql,
-- then this file, into the SOURCE cluster): the parts of a tenant beyond tables and data, so
-- the demo's report shows them moving. Kept apart from sample_tenant.sql, which other
-- integration tests compare object by object.
--
--   roles:     acme_app (LOGIN, password), acme_reader (group, NOLOGIN), acme_analyst (LOGIN,
--              member of acme_reader); acme_owner (created by demo.sh)
--   grants:    table, column (SELECT and UPDATE on some columns only), schema, sequence,
--              function EXECUTE, and default privileges for acme_owner's future tables/functions
--   owners:    the routines belong to acme_owner; tables and views to the loading superuser
--   routines:  a SQL function, a PL/pgSQL function, a trigger function, a procedure
--   views:     acme.order_totals, and acme.big_customers built on it (a view on a view)
--   matview:   acme.daily_revenue
--   trigger:   acme.notes_touch on acme.notes
--   RLS:       acme.orders with a policy letting acme_analyst see paid orders only
--
-- REQUIRES: sample_tenant.sql loaded; runs as a superuser (it creates roles).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;

CREATE ROLE acme_reader NOLOGIN;
CREATE ROLE acme_app LOGIN PASSWORD 'demo-app-password-7Qx' CONNECTION LIMIT 20;
CREATE ROLE acme_analyst LOGIN PASSWORD 'demo-analyst-password-3Kd' IN ROLE acme_reader;

-- Routines -------------------------------------------------------------------------------------
CREATE FUNCTION acme.order_total(qty integer, unit_price numeric) RETURNS numeric
  LANGUAGE sql IMMUTABLE AS $$ SELECT qty * unit_price $$;
COMMENT ON FUNCTION acme.order_total(integer, numeric) IS 'price of one order line';

CREATE FUNCTION acme.customer_label(c_id integer) RETURNS text
  LANGUAGE plpgsql STABLE AS $$
DECLARE
  n text;
BEGIN
  SELECT name INTO n FROM acme.customers WHERE id = c_id;
  RETURN coalesce(n, '(unknown)') || ' #' || c_id;
END
$$;

CREATE FUNCTION acme.touch_note() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  NEW.label := coalesce(NEW.label, 'touched');
  RETURN NEW;
END
$$;

CREATE PROCEDURE acme.archive_empty_things(keep integer)
  LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM acme.empty_things WHERE id > keep;
END
$$;

-- Views, one on another, and a materialized view -----------------------------------------------
CREATE VIEW acme.order_totals AS
  SELECT o.customer_id, count(*) AS orders, sum(acme.order_total(o.qty, o.unit_price)) AS total
  FROM acme.orders o
  GROUP BY o.customer_id;

CREATE VIEW acme.big_customers AS
  SELECT t.customer_id, acme.customer_label(t.customer_id) AS label, t.total
  FROM acme.order_totals t
  WHERE t.total > 0;

CREATE MATERIALIZED VIEW acme.daily_revenue AS
  SELECT o.status, count(*) AS orders, sum(o.unit_price) AS revenue
  FROM acme.orders o
  GROUP BY o.status
WITH DATA;
CREATE INDEX daily_revenue_status_idx ON acme.daily_revenue (status);

-- A trigger --------------------------------------------------------------------------------------
CREATE TRIGGER notes_touch BEFORE INSERT OR UPDATE ON acme.notes
  FOR EACH ROW EXECUTE FUNCTION acme.touch_note();

-- Privileges -----------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA acme TO acme_reader, acme_app;
GRANT SELECT ON acme.order_totals, acme.big_customers, acme.daily_revenue TO acme_reader;
GRANT SELECT, INSERT, UPDATE ON acme.orders TO acme_app;
GRANT SELECT ON acme.orders TO acme_analyst;
GRANT SELECT (id, name, status), UPDATE (status) ON acme.customers TO acme_app;
GRANT SELECT (id, name) ON acme.customers TO acme_reader;
GRANT EXECUTE ON FUNCTION acme.customer_label(integer) TO acme_reader;
GRANT EXECUTE ON PROCEDURE acme.archive_empty_things(integer) TO acme_app;
ALTER DEFAULT PRIVILEGES FOR ROLE acme_owner IN SCHEMA acme GRANT SELECT ON TABLES TO acme_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE acme_owner IN SCHEMA acme GRANT EXECUTE ON FUNCTIONS TO acme_app;

-- Row-level security ---------------------------------------------------------------------------
ALTER TABLE acme.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY analysts_see_paid ON acme.orders FOR SELECT TO acme_analyst
  USING (status = 'paid');
CREATE POLICY app_all ON acme.orders TO acme_app USING (true) WITH CHECK (true);

ALTER FUNCTION acme.order_total(integer, numeric) OWNER TO acme_owner;
ALTER FUNCTION acme.customer_label(integer) OWNER TO acme_owner;
ALTER FUNCTION acme.touch_note() OWNER TO acme_owner;
ALTER PROCEDURE acme.archive_empty_things(integer) OWNER TO acme_owner;
COMMIT;
