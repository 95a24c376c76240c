-- Programmable objects of the sample tenant: extensions, functions, procedures, aggregates,
-- views, materialized views, triggers and rules. Loaded into the SOURCE cluster AFTER
-- sample_tenant.sql (it reads and extends that tenant's tables).
--
-- Traps for a migration tool, each checked by programmable_test.sh:
--   - alphabetical order is wrong: acme.a_order_summary reads acme.z_order_base, acme.mv_a_top
--     reads acme.v_over_mv which reads acme.mv_z_daily (an MV over a view over an MV);
--   - SQL functions in a column default, a CHECK constraint and a domain CHECK, one of them with
--     a SQL-standard body that calls another (so those two must exist before the tables, in order);
--   - plpgsql triggers that change every row they see: if one fired during the load, the copied
--     rows would differ from the source's;
--   - a disabled trigger, a replica and an always trigger, a WHEN clause, an INSTEAD OF trigger
--     on a view, a row trigger on a partitioned table (cloned onto its partitions);
--   - SECURITY DEFINER with SET search_path, overloads, numeric(10,2) arguments, VARIADIC, OUT
--     and INOUT arguments, defaults, LEAKPROOF, PARALLEL, COST/ROWS, a procedure, aggregates,
--     mutually recursive plpgsql functions, a SQL function whose body reads a view (created
--     before the view on the target: bodies must not be checked);
--   - a materialized view WITH NO DATA, MV indexes, view options (security_barrier,
--     security_invoker, LOCAL/CASCADED CHECK OPTION), a recursive view, views across the two
--     tenant schemas, comments on view columns, a view column default, rules (one disabled);
--   - extensions citext (a column type) and pgcrypto (a view calls digest()), in public.
--
-- REQUIRES: sample_tenant.sql loaded; the citext and pgcrypto extensions available.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';
BEGIN;

CREATE EXTENSION IF NOT EXISTS citext SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA public;

------------------------------------------------------------------------------------------------
-- Functions that tables need: a column default, a CHECK constraint, a domain CHECK.
------------------------------------------------------------------------------------------------
CREATE FUNCTION acme.normalize_code(code text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT upper(btrim(code)) $$;
-- SQL-standard body: parsed at creation, so normalize_code must already exist.
CREATE FUNCTION acme.is_valid_code(code text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN acme.normalize_code(code) ~ '^[A-Z]{2}-[0-9]+$';
COMMENT ON FUNCTION acme.is_valid_code(text) IS 'product codes look like AB-123';

CREATE SEQUENCE acme.product_code_seq START WITH 100;
CREATE FUNCTION acme.next_code() RETURNS text
  LANGUAGE sql VOLATILE
  AS $$ SELECT 'PX-' || nextval('acme.product_code_seq') $$;

CREATE DOMAIN acme.product_code AS text CONSTRAINT product_code_valid CHECK (acme.is_valid_code(VALUE));

CREATE TABLE acme.products (
  id            integer PRIMARY KEY,
  code          text NOT NULL DEFAULT acme.next_code()
                CONSTRAINT products_code_check CHECK (acme.is_valid_code(code)),
  alt_code      acme.product_code,
  name          public.citext NOT NULL,
  price         numeric(10,2) NOT NULL,
  category      text NOT NULL DEFAULT 'misc',
  touched       integer NOT NULL DEFAULT 0
);
ALTER TABLE acme.products OWNER TO acme_owner;

CREATE TABLE acme.price_log (
  product_id integer NOT NULL,
  old_price  numeric(10,2),
  new_price  numeric(10,2),
  note       text
);

------------------------------------------------------------------------------------------------
-- Trigger functions and triggers, created before the data so the source rows carry their effect.
------------------------------------------------------------------------------------------------
-- Changes every row it sees: firing again during a load would corrupt the copied rows.
CREATE FUNCTION acme.products_touch() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.touched := NEW.touched + 1;
  NEW.name := NEW.name || '*';
  RETURN NEW;
END
$$;
CREATE TRIGGER products_touch_trg BEFORE INSERT OR UPDATE ON acme.products
  FOR EACH ROW EXECUTE FUNCTION acme.products_touch();
COMMENT ON TRIGGER products_touch_trg ON acme.products IS 'marks every written row';

CREATE FUNCTION acme.log_price_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO acme.price_log VALUES (NEW.id, OLD.price, NEW.price, TG_ARGV[0]);
  RETURN NULL;
END
$$;
CREATE TRIGGER products_price_audit AFTER UPDATE OF price ON acme.products
  FOR EACH ROW WHEN (OLD.price IS DISTINCT FROM NEW.price)
  EXECUTE FUNCTION acme.log_price_change('price changed; it''s "logged"');

-- Would reject every insert: disabled.
CREATE FUNCTION acme.reject_all() RETURNS trigger LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'rejected by %', TG_NAME; END $$;
CREATE TRIGGER products_reject_disabled BEFORE INSERT ON acme.products
  FOR EACH ROW EXECUTE FUNCTION acme.reject_all();
ALTER TABLE acme.products DISABLE TRIGGER products_reject_disabled;
CREATE TRIGGER products_reject_replica BEFORE INSERT ON acme.products
  FOR EACH ROW EXECUTE FUNCTION acme.reject_all();
ALTER TABLE acme.products ENABLE REPLICA TRIGGER products_reject_replica;
CREATE TRIGGER price_log_always AFTER INSERT ON acme.price_log
  FOR EACH STATEMENT EXECUTE FUNCTION acme.reject_all();
ALTER TABLE acme.price_log ENABLE ALWAYS TRIGGER price_log_always;
ALTER TABLE acme.price_log DISABLE TRIGGER price_log_always;  -- back to disabled after all
CREATE TRIGGER price_log_always_on AFTER TRUNCATE ON acme.price_log
  FOR EACH STATEMENT EXECUTE FUNCTION acme.reject_all();
ALTER TABLE acme.price_log ENABLE ALWAYS TRIGGER price_log_always_on;

-- A row trigger on a partitioned table is cloned onto every partition.
CREATE FUNCTION acme.events_mark() RETURNS trigger LANGUAGE plpgsql
  AS $$ BEGIN NEW.kind := NEW.kind || '+'; RETURN NEW; END $$;
CREATE TRIGGER events_mark_trg BEFORE INSERT ON acme.events
  FOR EACH ROW EXECUTE FUNCTION acme.events_mark();

INSERT INTO acme.products (id, code, alt_code, name, price, category)
SELECT g,
       CASE WHEN g % 3 = 0 THEN 'AB-' || g ELSE acme.next_code() END,
       CASE WHEN g % 2 = 0 THEN 'ZZ-' || g END,
       'Product ' || g || CASE WHEN g % 4 = 0 THEN ' ü' ELSE '' END,
       round(g * 3.17, 2),
       (ARRAY['tools', 'toys', 'misc'])[1 + g % 3]
FROM generate_series(1, 40) g;
UPDATE acme.products SET price = price + 1 WHERE id <= 5;
INSERT INTO acme.events (id, occurred_at, kind) VALUES (100001, '2024-06-01 00:00:00+00', 'trig');

------------------------------------------------------------------------------------------------
-- More functions: overloads, numeric(10,2), VARIADIC, OUT/INOUT, defaults, attributes.
------------------------------------------------------------------------------------------------
CREATE FUNCTION acme.fmt_price(p numeric) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT to_char(p, 'FM999999990.00') $$;
CREATE FUNCTION acme.fmt_price(p numeric, currency text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT acme.fmt_price(p) || ' ' || currency $$;
CREATE FUNCTION acme.fmt_price(p integer) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT
  RETURN p::text || '.00';
COMMENT ON FUNCTION acme.fmt_price(numeric, text) IS 'price with its currency; it''s "quoted"';

-- The server keeps no typmod on arguments; the body keeps the precision.
CREATE FUNCTION acme.add_tax(amount numeric(10,2), rate numeric(5,4) DEFAULT 0.0825)
  RETURNS numeric(10,2)
  LANGUAGE plpgsql IMMUTABLE LEAKPROOF PARALLEL SAFE COST 7
  AS $$ BEGIN RETURN round(amount * (1 + rate), 2)::numeric(10,2); END $$;

CREATE FUNCTION acme.sum_all(VARIADIC nums integer[]) RETURNS bigint
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT coalesce(sum(n), 0) FROM unnest(nums) n $$;

CREATE FUNCTION acme.split_code(code text, OUT prefix text, OUT num integer)
  LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT split_part(code, '-', 1), split_part(code, '-', 2)::integer $$;

CREATE FUNCTION acme.products_in(cat text DEFAULT 'misc')
  RETURNS TABLE (id integer, name public.citext)
  LANGUAGE sql STABLE ROWS 12 COST 50
  AS $$ SELECT p.id, p.name FROM acme.products p WHERE p.category = cat ORDER BY p.id $$;

CREATE FUNCTION acme.secret_digest(p text) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER STABLE
  SET search_path = pg_catalog, public
  SET work_mem = '8MB'
  AS $$ BEGIN RETURN encode(digest(p, 'sha256'), 'hex'); END $$;
ALTER FUNCTION acme.secret_digest(text) OWNER TO acme_owner;

-- Mutually recursive: neither body is validated at creation on the target.
CREATE FUNCTION acme.is_even(n integer) RETURNS boolean LANGUAGE plpgsql IMMUTABLE
  AS $$ BEGIN IF n = 0 THEN RETURN true; END IF; RETURN acme.is_odd(n - 1); END $$;
CREATE FUNCTION acme.is_odd(n integer) RETURNS boolean LANGUAGE plpgsql IMMUTABLE
  AS $$ BEGIN IF n = 0 THEN RETURN false; END IF; RETURN acme.is_even(n - 1); END $$;

CREATE PROCEDURE acme.reprice(IN category_name text, INOUT changed integer DEFAULT NULL)
  LANGUAGE plpgsql
  AS $$
BEGIN
  UPDATE acme.products SET price = price * 2 WHERE category = category_name;
  GET DIAGNOSTICS changed = ROW_COUNT;
END
$$;
COMMENT ON PROCEDURE acme.reprice(text, integer) IS 'doubles the prices of one category';

-- Aggregates.
CREATE FUNCTION acme.concat_step(state text, val text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN state = '' THEN val ELSE state || ', ' || val END $$;
CREATE FUNCTION acme.concat_final(state text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT '[' || state || ']' $$;
CREATE AGGREGATE acme.list_of(text) (
  SFUNC = acme.concat_step, STYPE = text, FINALFUNC = acme.concat_final, INITCOND = ''
);
COMMENT ON AGGREGATE acme.list_of(text) IS 'bracketed list';
CREATE AGGREGATE acme.total_of(numeric) (
  SFUNC = numeric_add, STYPE = numeric, COMBINEFUNC = numeric_add, INITCOND = '0',
  MSFUNC = numeric_add, MINVFUNC = numeric_sub, MSTYPE = numeric, MINITCOND = '0',
  PARALLEL = SAFE
);

------------------------------------------------------------------------------------------------
-- Views: names in the wrong alphabetical order, options, recursion, two schemas.
------------------------------------------------------------------------------------------------
CREATE VIEW acme.z_order_base AS
  SELECT o.id, o.customer_id, o.status, o.qty, o.unit_price, o.placed_on
    FROM acme.orders o WHERE o.status <> 'cancelled';
CREATE VIEW acme.a_order_summary AS
  SELECT b.customer_id, count(*) AS orders, sum(b.qty * b.unit_price) AS total,
         acme.fmt_price(sum(b.qty * b.unit_price), 'EUR') AS total_text
    FROM acme.z_order_base b GROUP BY b.customer_id;
COMMENT ON VIEW acme.a_order_summary IS 'per customer; reads z_order_base';
COMMENT ON COLUMN acme.a_order_summary.total IS 'sum of qty * unit_price';

-- SQL-standard body reading a view: created after the view.
CREATE FUNCTION acme.open_order_count() RETURNS bigint
  LANGUAGE sql STABLE
  BEGIN ATOMIC
    SELECT count(*) FROM acme.z_order_base;
  END;
-- Returns the rows of a view.
CREATE FUNCTION acme.top_customers(n integer) RETURNS SETOF acme.a_order_summary
  LANGUAGE sql STABLE
  AS $$ SELECT * FROM acme.a_order_summary ORDER BY total DESC, customer_id LIMIT n $$;

CREATE VIEW acme.v_secure WITH (security_barrier = true) AS
  SELECT id, name FROM acme.customers WHERE status <> 'cancelled';
CREATE VIEW acme.v_invoker WITH (security_invoker = true) AS
  SELECT id, code, price FROM acme.products;
CREATE VIEW acme.v_cheap_products AS
  SELECT id, code, name, price, category FROM acme.products WHERE price < 50
  WITH CASCADED CHECK OPTION;
ALTER VIEW acme.v_cheap_products ALTER COLUMN category SET DEFAULT 'toys';
CREATE VIEW acme.v_cheap_toys AS
  SELECT * FROM acme.v_cheap_products WHERE category = 'toys'
  WITH LOCAL CHECK OPTION;
CREATE RECURSIVE VIEW acme.customer_tree (id, parent_id, depth) AS
  SELECT id, parent_id, 0 FROM acme.customers WHERE parent_id IS NULL
  UNION ALL
  SELECT c.id, c.parent_id, t.depth + 1 FROM acme.customers c JOIN customer_tree t ON c.parent_id = t.id;
CREATE VIEW acme.v_hashes AS
  SELECT id, encode(public.digest(name::text, 'sha256'), 'hex') AS name_sha256,
         acme.add_tax(price) AS gross
    FROM acme.products;
ALTER VIEW acme.v_hashes OWNER TO acme_owner;

-- Views across the two tenant schemas: hostile-schema view over an acme view, and back.
CREATE VIEW "Bill""ing; $(touch pwned) ü"."Summe ""€""; $(touch pwned)" AS
  SELECT s.customer_id, s.total, count(l."Line ID") AS lines
    FROM acme.a_order_summary s
    LEFT JOIN "Bill""ing; $(touch pwned) ü"."Invoice ""Lines""; DROP TABLE acme.customers; --" l
      ON l."customer; id" = s.customer_id
   GROUP BY s.customer_id, s.total;
COMMENT ON COLUMN "Bill""ing; $(touch pwned) ü"."Summe ""€""; $(touch pwned)".lines
  IS 'invoice lines; "hostile" column comment';
CREATE VIEW acme.b_billing_totals AS
  SELECT customer_id, lines FROM "Bill""ing; $(touch pwned) ü"."Summe ""€""; $(touch pwned)";

-- An updatable view with an INSTEAD OF trigger.
CREATE VIEW acme.v_price_entry AS SELECT product_id, new_price, note FROM acme.price_log;
CREATE FUNCTION acme.price_entry_insert() RETURNS trigger LANGUAGE plpgsql
  AS $$ BEGIN INSERT INTO acme.price_log VALUES (NEW.product_id, NULL, NEW.new_price, 'via view'); RETURN NEW; END $$;
CREATE TRIGGER v_price_entry_ins INSTEAD OF INSERT ON acme.v_price_entry
  FOR EACH ROW EXECUTE FUNCTION acme.price_entry_insert();

------------------------------------------------------------------------------------------------
-- Materialized views: an MV over a view over an MV, indexes, WITH NO DATA.
------------------------------------------------------------------------------------------------
CREATE MATERIALIZED VIEW acme.mv_z_daily AS
  SELECT placed_on, count(*) AS orders, sum(qty * unit_price) AS revenue
    FROM acme.orders GROUP BY placed_on;
CREATE UNIQUE INDEX mv_z_daily_day_idx ON acme.mv_z_daily (placed_on);
COMMENT ON MATERIALIZED VIEW acme.mv_z_daily IS 'orders per day';
COMMENT ON COLUMN acme.mv_z_daily.revenue IS 'gross';
CREATE VIEW acme.v_over_mv AS
  SELECT date_trunc('month', placed_on)::date AS month, sum(orders) AS orders, sum(revenue) AS revenue
    FROM acme.mv_z_daily GROUP BY 1;
CREATE MATERIALIZED VIEW acme.mv_a_top AS
  SELECT month, revenue FROM acme.v_over_mv ORDER BY revenue DESC LIMIT 5;
CREATE INDEX mv_a_top_month_idx ON acme.mv_a_top (month);
ALTER MATERIALIZED VIEW acme.mv_a_top OWNER TO acme_owner;
CREATE MATERIALIZED VIEW acme.mv_no_data AS
  SELECT id, acme.fmt_price(price) AS price_text FROM acme.products
  WITH NO DATA;
CREATE MATERIALIZED VIEW acme.mv_product_list AS
  SELECT category, acme.list_of(code ORDER BY code) AS codes, acme.total_of(price) AS total
    FROM acme.products GROUP BY category;

------------------------------------------------------------------------------------------------
-- Rules.
------------------------------------------------------------------------------------------------
CREATE RULE price_log_no_delete AS ON DELETE TO acme.price_log DO INSTEAD NOTHING;
COMMENT ON RULE price_log_no_delete ON acme.price_log IS 'the log is append-only';
CREATE RULE products_delete_log AS ON DELETE TO acme.products
  DO ALSO INSERT INTO acme.price_log VALUES (OLD.id, OLD.price, NULL, 'deleted');
ALTER TABLE acme.products DISABLE RULE products_delete_log;

------------------------------------------------------------------------------------------------
-- A SQL function whose (string) body reads a view: the server records no dependency, so the
-- target gets it before the view, which works only because bodies are not checked there.
------------------------------------------------------------------------------------------------
CREATE FUNCTION acme.cheap_count() RETURNS bigint
  LANGUAGE sql STABLE
  AS $$ SELECT count(*) FROM acme.v_cheap_products $$;

COMMIT;
