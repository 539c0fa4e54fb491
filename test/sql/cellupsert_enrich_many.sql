-- cell_enrich_many: a background job's write, all or nothing, with cell_upsert_many's checks,
-- that leaves the cells a person edited as they are. Each write is read back on its own.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\set VERBOSITY default
CREATE VIEW cell AS SELECT company_row_id = :row1 AS row1, value, status, reasoning, error, source, edited_by IS NOT NULL AS edited
                    FROM list_company_cells ORDER BY company_row_id;

-- Two new cells: written with their status, reasoning and error; the source is the column's
-- default; nobody edited them.
SELECT cell_enrich_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'acme.com', 'status', 'complete', 'reasoning', 'from the web'),
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', NULL, 'status', 'error', 'error', 'timeout')));
SELECT * FROM cell;

-- A person edits one; the next run leaves it exactly as it is and writes the other.
SELECT cell_upsert(:list1, :row1, :col1, 'acme.org');
CREATE TABLE kept AS SELECT * FROM list_company_cells WHERE company_row_id = :row1;
SELECT cell_enrich_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'acme.com', 'status', 'complete', 'reasoning', 'run 2'),
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'globex.com', 'reasoning', 'run 2')));
SELECT * FROM cell;
SELECT (SELECT k FROM kept k) IS NOT DISTINCT FROM (SELECT c FROM list_company_cells c WHERE company_row_id = :row1) AS unchanged;

-- Released, the cell is the enrichment's again.
SELECT cell_release(:list1, :row1, :col1);
SELECT cell_enrich_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'acme.com', 'status', 'complete', 'reasoning', 'run 3')));
SELECT * FROM cell;

-- All or nothing: a status the column does not take is its own error (here the CHECK of
-- the canonical DDL), a refused element the batch's error naming it; nothing is written.
-- (Terse: the detail of a CHECK's error shows the row, with its timestamps.)
\set VERBOSITY terse
SELECT cell_enrich_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'lost', 'status', 'done')));
\set VERBOSITY default
SELECT cell_enrich_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'lost'),
    jsonb_build_object('row', :row1b, 'col', :person1, 'val', 'lost')));
SELECT cell_enrich_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'lost'),
    jsonb_build_object('row', :row2, 'col', :col1, 'val', 'lost')));
SELECT * FROM cell;

-- A refused element whose cell exists and is marked manual (a person column's, written by
-- another writer) is still the batch's error: the person's cells that make up the rest are
-- only those that pass the checks.
INSERT INTO list_company_cells (list_id, column_id, company_row_id, value, status, source)
VALUES (:list1, :person1, :row1b, 'someone', 'complete', 'manual');
SELECT cell_enrich_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'lost'),
    jsonb_build_object('row', :row1b, 'col', :person1, 'val', 'lost')));
DELETE FROM list_company_cells WHERE column_id = :person1;

-- The elements: a text field that is not a JSON string, a key of cell_upsert_many's, an
-- unknown key, a bad id: 22023 naming the element, before any lookup.
SELECT cell_enrich_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'status', 1)));
SELECT cell_enrich_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'if_match', 'absent')));
SELECT cell_enrich_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'value', 'x')));
SELECT cell_enrich_many(:list1, '[{"row": "30000000-0000-0000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011"}]');
SELECT cell_enrich_many(:list1, NULL);
SELECT cell_enrich_many(:list1, '[]');

-- An enum status: the type's own error for a label it does not have.
DROP VIEW cell;
CREATE TYPE cell_status AS ENUM ('pending', 'complete', 'error');
ALTER TABLE list_company_cells DROP CONSTRAINT list_company_cells_status_check,
    ALTER COLUMN status DROP DEFAULT, ALTER COLUMN status TYPE cell_status USING status::cell_status;
CREATE VIEW cell AS SELECT company_row_id = :row1 AS row1, value, status, reasoning, error, source, edited_by IS NOT NULL AS edited
                    FROM list_company_cells ORDER BY company_row_id;
SELECT cell_enrich_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'enum', 'status', 'error')));
SELECT cell_enrich_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'enum', 'status', 'done')));
SELECT * FROM cell;

-- Cells without reasoning: 42703.
ALTER TABLE list_company_cells RENAME TO cells_table;
CREATE VIEW list_company_cells WITH (security_invoker = true) AS
    SELECT list_id, column_id, company_row_id, value, status, error, created_at, updated_at, source, edited_by, edited_at
    FROM cells_table;
SELECT cell_enrich_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'x')));
DROP VIEW list_company_cells;
ALTER TABLE cells_table RENAME TO list_company_cells;
DROP VIEW cell;
DROP TABLE kept;
