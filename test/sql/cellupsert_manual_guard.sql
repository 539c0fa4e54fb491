-- Manual edits win: with cell_manual_guard() attached to the cells (by the canonical DDL),
-- an update of a cell a person edited last (source 'manual') by any other writer is skipped;
-- the extension's own manual edits get through; cell_release() gives the cell back to the
-- next enrichment.
-- Each write is read back in a statement of its own.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\set VERBOSITY default
SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger
WHERE tgrelid = 'list_company_cells'::regclass AND NOT tgisinternal;
CREATE VIEW cell AS SELECT company_row_id = :row1 AS row1, value, status, reasoning, error, source,
                           edited_at IS NOT NULL AS edited FROM list_company_cells ORDER BY company_row_id;

-- An enrichment's cell: other writers update it as before.
INSERT INTO list_company_cells (list_id, column_id, company_row_id, value, status, reasoning)
VALUES (:list1, :col1, :row1, 'robot', 'complete', 'from the web');
UPDATE list_company_cells SET value = 'robot 2' WHERE company_row_id = :row1;
SELECT * FROM cell;

-- A person edits it: from now on only the extension's manual edits change it.
SELECT cell_upsert(:list1, :row1, :col1, 'by hand');
CREATE TABLE kept AS SELECT * FROM list_company_cells;
-- A plain UPDATE, an ORM's upsert, an enrichment's upsert with its own columns: skipped.
UPDATE list_company_cells SET value = 'plain', status = 'error', reasoning = 'x', error = 'y' WHERE company_row_id = :row1;
INSERT INTO list_company_cells AS c (list_id, column_id, company_row_id, value, status)
VALUES (:list1, :col1, :row1, 'orm', 'pending')
ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE SET value = EXCLUDED.value, status = EXCLUDED.status;
INSERT INTO list_company_cells AS c (list_id, column_id, company_row_id, value, status, source)
VALUES (:list1, :col1, :row1, 'enriched again', 'complete', 'enrichment')
ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source;
-- Byte for byte as the person left it, edited_at included.
SELECT (SELECT k FROM kept k) IS NOT DISTINCT FROM (SELECT c FROM list_company_cells c) AS unchanged;

-- The extension's manual edits get through: single, conditional, batch.
SELECT cell_upsert(:list1, :row1, :col1, 'by hand 2');
SELECT cell_upsert(:list1, :row1, :col1, 'by hand 3', cell_version(:list1, :row1, :col1));
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1, 'val', 'by hand 4')));
SELECT * FROM cell;

-- Released: the value stays, the mark goes; the next enrichment writes again.
SELECT cell_release(:list1, :row1, :col1);
SELECT * FROM cell;
UPDATE list_company_cells SET value = 'robot 3' WHERE company_row_id = :row1;
SELECT * FROM cell;
-- Nothing to release: false. No cell: false.
SELECT cell_release(:list1, :row1, :col1);
SELECT cell_release(:list1, :row1b, :col1);
-- cell_release's checks and errors are cell_upsert's.
SELECT cell_release(NULL, :row1, :col1);
SELECT cell_release(:list1, :row1, :col2);
SELECT cell_release(:list1, :row1, :person1);
SELECT cell_release(:missing, :row1, :col1);

-- Many at once, all or nothing: the checks of every element first, then the marks of those
-- cells that have one released; the number released.
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1, 'val', 'mine'),
                                                  jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'mine too')));
SELECT cell_release_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col2),
                                                   jsonb_build_object('row', :row1, 'col', :col1)));
SELECT cell_release_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1, 'val', 'x')));
SELECT * FROM cell;
SELECT cell_release_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1),
                                                   jsonb_build_object('row', :row1b, 'col', :col1)));
SELECT cell_release_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1)));
SELECT cell_release_many(:list1, '[]');
SELECT * FROM cell;

-- The guard is a BEFORE UPDATE row trigger, on a table with source.
SELECT cell_manual_guard();
CREATE TRIGGER wrong AFTER UPDATE ON list_company_cells FOR EACH ROW EXECUTE FUNCTION cell_manual_guard();
UPDATE list_company_cells SET value = 'x' WHERE company_row_id = :row1;
DROP TRIGGER wrong ON list_company_cells;
CREATE TABLE no_source (id int, value text);
INSERT INTO no_source VALUES (1, 'a');
CREATE TRIGGER guard BEFORE UPDATE ON no_source FOR EACH ROW EXECUTE FUNCTION cell_manual_guard();
UPDATE no_source SET value = 'b';
DROP TABLE no_source;

-- Without the provenance columns there is no mark to release: 42703.
ALTER TABLE list_company_cells RENAME TO cells_table;
CREATE VIEW list_company_cells WITH (security_invoker = true) AS
    SELECT list_id, column_id, company_row_id, value, status, reasoning, error, created_at, updated_at FROM cells_table;
SELECT cell_release(:list1, :row1, :col1);
-- The 1.3 migration attaches the guard to a table with source only: to this view (adopted
-- tables), and to a table without source, none, and a WARNING says so.
\set ECHO none
\i sql/cellupsert_list_tables--1.2--1.3.sql
\set ECHO all
DROP VIEW list_company_cells;
ALTER TABLE cells_table RENAME TO list_company_cells;
CREATE SCHEMA no_provenance;
CREATE TABLE no_provenance.list_company_cells (list_id uuid, value text);
SET search_path = no_provenance, app;
\set ECHO none
\i sql/cellupsert_list_tables--1.2--1.3.sql
\set ECHO all
SET search_path = app;
SELECT count(*) AS guards FROM pg_trigger WHERE tgrelid = 'no_provenance.list_company_cells'::regclass;
DROP SCHEMA no_provenance CASCADE;

-- While the guard is attached, DROP EXTENSION refuses (the trigger depends on its function);
-- dropping the trigger first leaves the cells as they are.
DROP EXTENSION cellupsert;
DROP TRIGGER list_company_cells_manual_guard ON list_company_cells;
DROP VIEW cell;
DROP TABLE kept;
