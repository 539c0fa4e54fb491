-- cellupsert_check(): one row for each thing the functions rely on; ok is false exactly for
-- what stops them, and detail says what to do. Schemas each missing one piece.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\pset format unaligned
-- The canonical tables, fresh from the DDL: everything ok (row-level security enabled with
-- no policy is reported, not refused).
SELECT * FROM cellupsert_check();

-- Not executable by PUBLIC.
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_cellupsert_user;
RESET client_min_messages;
CREATE ROLE regress_cellupsert_user;
GRANT USAGE ON SCHEMA app TO regress_cellupsert_user;
SET ROLE regress_cellupsert_user;
SELECT * FROM cellupsert_check();
\echo :SQLSTATE
RESET ROLE;
DROP OWNED BY regress_cellupsert_user;
DROP ROLE regress_cellupsert_user;

-- Without the manual-edit guard: ok (the functions mark manual edits either way), and the
-- detail says how to attach it.
BEGIN;
DROP TRIGGER list_company_cells_manual_guard ON list_company_cells;
SELECT * FROM cellupsert_check() WHERE item = 'manual-edit guard';
ROLLBACK;

-- The history: kept (above); one trigger missing; the table missing, the triggers left; both
-- missing; a history of another owner than the cells (which fails every write: not ok).
BEGIN;
DROP TRIGGER list_company_cells_history_update ON list_company_cells;
SELECT * FROM cellupsert_check() WHERE item = 'history';
CREATE ROLE regress_history_owner;
ALTER TABLE list_cell_history OWNER TO regress_history_owner;
SELECT * FROM cellupsert_check() WHERE item = 'history';
DROP TABLE list_cell_history;
SELECT * FROM cellupsert_check() WHERE item = 'history';
DROP TRIGGER list_company_cells_history_insert ON list_company_cells;
SELECT * FROM cellupsert_check() WHERE item = 'history';
ROLLBACK;

-- Each piece missing in turn: only what stops the functions is not ok.
BEGIN;
INSERT INTO lists (id) VALUES ('10000000-0000-0000-8000-000000000009'), ('10000000-0000-4000-c000-000000000009');
SELECT * FROM cellupsert_check() WHERE NOT ok;
ROLLBACK;
-- A table the statistics call large (over 10^6 rows) is sampled (TABLESAMPLE, qualified).
BEGIN;
UPDATE pg_catalog.pg_class SET reltuples = 2000000 WHERE oid = 'list_companies'::regclass;
SELECT * FROM cellupsert_check() WHERE item = 'ids of list_companies';
ROLLBACK;
BEGIN;
ALTER TABLE list_company_cells DROP COLUMN edited_by;
SELECT * FROM cellupsert_check() WHERE NOT ok;
ROLLBACK;
BEGIN;
ALTER TABLE list_company_cells ADD COLUMN tenant text NOT NULL, ADD COLUMN note text NOT NULL DEFAULT '',
    ADD COLUMN n int GENERATED ALWAYS AS IDENTITY;
SELECT * FROM cellupsert_check() WHERE NOT ok;
ROLLBACK;
BEGIN;
ALTER TABLE list_company_cells DROP CONSTRAINT list_company_cells_pkey;
SELECT * FROM cellupsert_check() WHERE NOT ok;
ROLLBACK;
BEGIN;
DROP TABLE list_company_cells;
ALTER TABLE list_columns RENAME COLUMN subject TO kind;
SELECT * FROM cellupsert_check() WHERE NOT ok;
ROLLBACK;
BEGIN;
CREATE TYPE odd_status AS ENUM ('todo', 'done');
ALTER TABLE list_company_cells DROP CONSTRAINT list_company_cells_status_check,
    ALTER COLUMN status DROP DEFAULT, ALTER COLUMN status TYPE odd_status USING 'done',
    ALTER COLUMN value TYPE integer USING 0;
ALTER TABLE list_company_cells DROP CONSTRAINT list_company_cells_list_id_company_row_id_fkey;
ALTER TABLE list_companies ALTER COLUMN id TYPE text;
SELECT * FROM cellupsert_check() WHERE NOT ok;
ROLLBACK;
-- Policies are counted; row-level security turned off is reported.
BEGIN;
CREATE POLICY everyone ON lists USING (true);
ALTER TABLE list_companies DISABLE ROW LEVEL SECURITY;
SELECT * FROM cellupsert_check() WHERE item LIKE 'row-level security%';
ROLLBACK;

-- The original API's shape: ok, and the shape says what the database cannot guarantee.
\i test/fixtures/original_api.sql
SELECT * FROM cellupsert_check() WHERE NOT ok OR item IN ('shape', 'conflict key', 'provenance');
ALTER TABLE list_company_cells DROP CONSTRAINT list_company_cells_column_id_company_row_id_key;
SELECT * FROM cellupsert_check() WHERE NOT ok;

-- CREATE EXTENSION over existing tables reports what cellupsert_check() finds wrong (a
-- WARNING: extension scripts run with client_min_messages at warning or above).
DROP EXTENSION cellupsert;
CREATE EXTENSION cellupsert SCHEMA app;
CREATE UNIQUE INDEX ON list_company_cells (column_id, company_row_id);
DROP EXTENSION cellupsert;
CREATE EXTENSION cellupsert SCHEMA app;
