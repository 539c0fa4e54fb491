-- What CREATE EXTENSION installs, and the first call on missing list tables.
\i test/fixtures/ids.sql
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS cellupsert CASCADE;
DROP SCHEMA IF EXISTS app CASCADE;
RESET client_min_messages;
CREATE SCHEMA app;
CREATE EXTENSION cellupsert SCHEMA app;

-- Functions only: the extension owns no table, type or other object.
SELECT pg_describe_object(classid, objid, objsubid) AS member
FROM pg_depend
WHERE refclassid = 'pg_extension'::regclass
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cellupsert')
ORDER BY pg_describe_object(classid, objid, objsubid) COLLATE "C";

SELECT e.extversion, n.nspname AS schema, e.extrelocatable
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname = 'cellupsert';

-- The signatures PostgREST and SQL callers rely on: names, defaults, results, VOLATILE,
-- SECURITY INVOKER, not STRICT.
SELECT p.oid::regprocedure AS function,
       pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_result(p.oid) AS result,
       p.provolatile, p.prosecdef, p.proisstrict, p.proparallel
FROM pg_proc p WHERE p.pronamespace = 'app'::regnamespace ORDER BY p.proname;

-- No list tables in the schema yet: the first call names what is missing.
SELECT app.cell_upsert(:list1, :row1, :col1, 'x');
\echo :SQLSTATE

-- The tables exist but a column the function writes is missing.
SET search_path = app;
\set ECHO none
\i sql/cellupsert_list_tables.sql
\set ECHO all
ALTER TABLE list_company_cells DROP COLUMN value;
SELECT app.cell_upsert(:list1, :row1, :col1, 'x');
\echo :SQLSTATE
ALTER TABLE list_company_cells DROP COLUMN status;
SELECT app.cell_upsert(:list1, :row1, :col1, 'x');
\echo :SQLSTATE

-- Once the shape is right, the same session works: a failed check cached nothing.
ALTER TABLE list_company_cells ADD COLUMN status text NOT NULL DEFAULT 'pending',
                               ADD COLUMN value text;
INSERT INTO lists (id) VALUES (:list1);
INSERT INTO list_columns (list_id, id, subject) VALUES (:list1, :col1, 'company');
INSERT INTO list_companies (list_id, id) VALUES (:list1, :row1);
SELECT app.cell_upsert(:list1, :row1, :col1, 'x');
SELECT value, status FROM list_company_cells;

-- The function uses the tables of its own schema, whatever the search_path says.
RESET search_path;
SELECT app.cell_upsert(:list1, :row1, :col1, 'y');
SELECT value FROM app.list_company_cells;

-- The DDL enables row-level security on every table and creates no policy.
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
FROM pg_class c
WHERE c.relnamespace = 'app'::regnamespace AND c.relkind = 'r'
ORDER BY c.relname;
