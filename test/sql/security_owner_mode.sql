-- The one identity switch of the extension: a batch locks the rows it references as the owner
-- of the tables under the list relations (docs/security.md). Here the list relations are
-- security_invoker views in an adapter schema over the application's own tables (docs/adoption.md
-- (b)), and the caller plants objects of every kind that a statement could resolve through its
-- session: a function, an operator and domains in a schema of its own, first in its
-- search_path, the same in pg_temp, and temporary views with the names of the list relations.
-- Each hostile function records the role it runs as. None runs as anyone but the caller, the
-- caller stays an ordinary role, and the batch writes.
\i test/fixtures/ids.sql
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS cellupsert CASCADE;
DROP SCHEMA IF EXISTS app, crm, regress_sec_alice CASCADE;
DROP ROLE IF EXISTS regress_sec_alice, regress_sec_views, regress_sec_tables;
RESET client_min_messages;
CREATE ROLE regress_sec_alice LOGIN;
CREATE ROLE regress_sec_views;
CREATE ROLE regress_sec_tables;

-- The application's tables (owned by a superuser first) and a helper of the view over the rows,
-- whose body names now() unqualified: any non-definer helper would do.
CREATE SCHEMA crm;
CREATE TABLE crm.lists (id uuid PRIMARY KEY);
CREATE TABLE crm.cols (list_id uuid NOT NULL REFERENCES crm.lists ON DELETE CASCADE, id uuid,
                       subject text NOT NULL, PRIMARY KEY (list_id, id));
CREATE TABLE crm.rows (list_id uuid NOT NULL REFERENCES crm.lists ON DELETE CASCADE, id uuid,
                       deleted_at timestamptz, PRIMARY KEY (list_id, id));
CREATE TABLE crm.cells (list_id uuid, column_id uuid, company_row_id uuid, value text,
                        status text NOT NULL DEFAULT 'pending',
                        PRIMARY KEY (list_id, column_id, company_row_id),
                        FOREIGN KEY (list_id, column_id) REFERENCES crm.cols ON DELETE CASCADE,
                        FOREIGN KEY (list_id, company_row_id) REFERENCES crm.rows ON DELETE CASCADE);
CREATE FUNCTION crm.is_live(deleted_at timestamptz) RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT deleted_at IS NULL OR deleted_at > now() $$;
CREATE SCHEMA app;
CREATE VIEW app.lists WITH (security_invoker) AS SELECT id FROM crm.lists;
CREATE VIEW app.list_columns WITH (security_invoker) AS SELECT list_id, id, subject FROM crm.cols;
CREATE VIEW app.list_companies WITH (security_invoker) AS
    SELECT list_id, id FROM crm.rows WHERE crm.is_live(deleted_at);
CREATE VIEW app.list_company_cells WITH (security_invoker) AS SELECT * FROM crm.cells;
CREATE EXTENSION cellupsert SCHEMA app;
INSERT INTO crm.lists VALUES (:list1), (:list2);
INSERT INTO crm.cols VALUES (:list1, :col1, 'company'), (:list2, :col2, 'company');
-- Rows deleted at some future time: the view's helper calls now() for each.
INSERT INTO crm.rows VALUES (:list1, :row1, 'infinity'), (:list1, :row1b, 'infinity'), (:list2, :row2, 'infinity');
GRANT USAGE ON SCHEMA app, crm TO regress_sec_alice;
GRANT SELECT ON ALL TABLES IN SCHEMA app, crm TO regress_sec_alice;
GRANT INSERT, UPDATE ON app.list_company_cells, crm.cells TO regress_sec_alice;

-- The caller's schema, first in its search_path, and what it plants there and in pg_temp.
CREATE SCHEMA regress_sec_alice AUTHORIZATION regress_sec_alice;
CREATE TABLE regress_sec_alice.seen (who name, what text);
ALTER TABLE regress_sec_alice.seen OWNER TO regress_sec_alice;
GRANT INSERT ON regress_sec_alice.seen TO PUBLIC;
SET ROLE regress_sec_alice;
SET search_path = regress_sec_alice, pg_catalog;
CREATE FUNCTION regress_sec_alice.now() RETURNS timestamptz LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO regress_sec_alice.seen VALUES (current_user, 'now()');
    IF current_user <> 'regress_sec_alice' THEN EXECUTE 'ALTER ROLE regress_sec_alice SUPERUSER'; END IF;
    RETURN pg_catalog.now();
END $$;
CREATE FUNCTION regress_sec_alice.uuid_eq(a uuid, b uuid) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO regress_sec_alice.seen VALUES (current_user, 'operator =');
    RETURN pg_catalog.uuid_eq(a, b);
END $$;
CREATE OPERATOR regress_sec_alice.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = regress_sec_alice.uuid_eq);
CREATE OPERATOR pg_temp.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = regress_sec_alice.uuid_eq);
CREATE DOMAIN regress_sec_alice.uuid AS pg_catalog.uuid CHECK (regress_sec_alice.uuid_eq(VALUE, VALUE));
CREATE DOMAIN regress_sec_alice.text AS pg_catalog.text CHECK (regress_sec_alice.uuid_eq(NULL, NULL) IS NULL);
CREATE TEMP VIEW lists AS SELECT id FROM crm.lists WHERE regress_sec_alice.now() IS NOT NULL;
CREATE TEMP VIEW list_columns AS SELECT * FROM crm.cols WHERE regress_sec_alice.now() IS NOT NULL;
CREATE TEMP VIEW list_companies AS SELECT * FROM crm.rows WHERE regress_sec_alice.now() IS NOT NULL;
CREATE TEMP VIEW rows AS SELECT * FROM crm.rows WHERE regress_sec_alice.now() IS NOT NULL;
CREATE TEMP VIEW cols AS SELECT * FROM crm.cols WHERE regress_sec_alice.now() IS NOT NULL;
SET search_path = regress_sec_alice, pg_temp, pg_catalog;

-- The batch of the issue's report: views and tables owned by a superuser. It locks and
-- writes; the caller's functions ran as the caller only (the view's helper, reading the
-- rows as the caller, calls its now()).
SELECT app.cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1, 'val', 'x')))
    AS written;
RESET ROLE;
SET search_path = pg_catalog;
SELECT rolsuper FROM pg_roles WHERE rolname = 'regress_sec_alice';
SELECT DISTINCT who, what FROM regress_sec_alice.seen ORDER BY 1, 2;
SELECT value FROM crm.cells;

-- The locks, as the batch holds them: FOR KEY SHARE on the list, the column and the row of
-- the table under each view, as pgrowlocks reads them in the batch's own transaction.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgrowlocks SCHEMA public;
RESET client_min_messages;
CREATE FUNCTION pg_temp.key_share_locks() RETURNS TABLE (relation text, modes text) LANGUAGE sql AS $$
    SELECT r, array_to_string(p.modes, ',')
    FROM unnest(ARRAY['crm.lists', 'crm.cols', 'crm.rows']) r, public.pgrowlocks(r) p ORDER BY 1
$$;

-- Views owned by another role, which has SELECT only on the tables (in 1.2: 42501 permission
-- denied for table lists), and tables whose policies hide every row from that role (in
-- 1.2: the locks locked nothing), owned by a third role (with USAGE on their schema, which
-- PostgreSQL's own foreign key checks need too).
TRUNCATE regress_sec_alice.seen;
ALTER TABLE crm.lists OWNER TO regress_sec_tables;
ALTER TABLE crm.cols OWNER TO regress_sec_tables;
ALTER TABLE crm.rows OWNER TO regress_sec_tables;
ALTER TABLE crm.cells OWNER TO regress_sec_tables;
ALTER FUNCTION crm.is_live(timestamptz) OWNER TO regress_sec_tables;
GRANT USAGE ON SCHEMA crm TO regress_sec_views, regress_sec_tables;
GRANT SELECT ON ALL TABLES IN SCHEMA crm TO regress_sec_views;
ALTER VIEW app.lists OWNER TO regress_sec_views;
ALTER VIEW app.list_columns OWNER TO regress_sec_views;
ALTER VIEW app.list_companies OWNER TO regress_sec_views;
ALTER VIEW app.list_company_cells OWNER TO regress_sec_views;
ALTER TABLE crm.lists ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm.cols ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm.rows ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm.cells ENABLE ROW LEVEL SECURITY;
CREATE POLICY alice ON crm.lists TO regress_sec_alice USING (true);
CREATE POLICY alice ON crm.cols TO regress_sec_alice USING (true);
CREATE POLICY alice ON crm.rows TO regress_sec_alice USING (true);
CREATE POLICY alice ON crm.cells TO regress_sec_alice USING (true);
SELECT item, ok, detail FROM app.cellupsert_check() WHERE item LIKE 'batch locks %' ORDER BY item;
BEGIN;
SET LOCAL ROLE regress_sec_alice;
SET LOCAL search_path = regress_sec_alice, pg_temp, pg_catalog;
SELECT app.cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1, 'val', 'y'),
                                                     jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'z')))
    AS written;
RESET ROLE;
SELECT * FROM pg_temp.key_share_locks();
COMMIT;
SELECT rolsuper FROM pg_roles WHERE rolname = 'regress_sec_alice';
SELECT DISTINCT who, what FROM regress_sec_alice.seen ORDER BY 1, 2;
SELECT company_row_id = :row1 AS row1, value FROM crm.cells ORDER BY value;

-- A table whose owner cannot lock its rows: the batch fails with the extension's own error,
-- which says what to grant, and writes nothing; cellupsert_check() says the same. The single
-- call, which locks nothing, writes.
REVOKE UPDATE ON crm.rows FROM regress_sec_tables;
SELECT item, ok, detail FROM app.cellupsert_check() WHERE NOT ok;
SET ROLE regress_sec_alice;
SELECT app.cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1, 'val', 'refused')));
\echo :SQLSTATE
SELECT app.cell_upsert(:list1, :row1, :col1, 'single');
RESET ROLE;
GRANT UPDATE ON crm.rows TO regress_sec_tables;
-- Without USAGE on the tables' schema (which PostgreSQL's foreign key checks need too).
REVOKE USAGE ON SCHEMA crm FROM regress_sec_tables;
SELECT item, ok, detail FROM app.cellupsert_check() WHERE NOT ok;
SET ROLE regress_sec_alice;
SELECT app.cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1, 'val', 'refused')));
\echo :SQLSTATE
RESET ROLE;
GRANT USAGE ON SCHEMA crm TO regress_sec_tables;
SELECT value FROM crm.cells ORDER BY value;

-- A relation that is not a simple view over a table: the batch cannot lock what is under it.
CREATE OR REPLACE VIEW app.list_columns WITH (security_invoker) AS
    SELECT list_id, id, subject FROM crm.cols UNION ALL SELECT NULL, NULL, NULL WHERE false;
SELECT item, ok, detail FROM app.cellupsert_check() WHERE NOT ok;
SET ROLE regress_sec_alice;
SELECT app.cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1, 'val', 'refused')));
\echo :SQLSTATE
RESET ROLE;

-- An error inside a statement of the functions carries no line with its text: the caller
-- lacks INSERT on the cells (42501, PostgreSQL's own), and the context holds only the
-- caller's own lines.
CREATE OR REPLACE VIEW app.list_columns WITH (security_invoker) AS SELECT list_id, id, subject FROM crm.cols;
REVOKE INSERT ON app.list_company_cells FROM regress_sec_alice;
CREATE FUNCTION regress_sec_alice.context_of(call text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE state text; message text; context text;
BEGIN
    EXECUTE call;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT, context = PG_EXCEPTION_CONTEXT;
    RETURN state || ' ' || message || E'\n' || context;
END $$;
SET ROLE regress_sec_alice;
SELECT regress_sec_alice.context_of(format('SELECT app.cell_upsert(%L, %L, %L, %L)', :list1, :row1b, :col1, 'x'));
SELECT regress_sec_alice.context_of(format('SELECT app.cell_upsert_many(%L, %L)', :list1,
                                 jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1))));
RESET ROLE;

SET client_min_messages = warning;
DROP EXTENSION cellupsert;
DROP SCHEMA app, crm, regress_sec_alice CASCADE;
DROP OWNED BY regress_sec_alice, regress_sec_views, regress_sec_tables;
DROP ROLE regress_sec_alice, regress_sec_views, regress_sec_tables;
