-- cell_upsert_many with "if_match" per element: all or nothing, a stale element refuses the
-- whole batch with PT412 naming it. Each write is read back in a statement of its own.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\set VERBOSITY default
INSERT INTO list_companies (list_id, id, name) VALUES (:list1, '30000000-0000-4000-8000-000000000013', 'Hooli');
\set row1c '''30000000-0000-4000-8000-000000000013'''
SELECT cell_upsert(:list1, :row1, :col1, 'one');
SELECT cell_upsert(:list1, :row1b, :col1, 'two');
SELECT cell_version(:list1, :row1, :col1) AS v1, cell_version(:list1, :row1b, :col1) AS v1b \gset

-- Every version current, a new cell "absent", an element without condition: all written.
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'one+', 'if_match', :'v1'),
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'two+', 'if_match', :'v1b'),
    jsonb_build_object('row', :row1c, 'col', :col1, 'val', 'three', 'if_match', 'absent')));
SELECT company_row_id = :row1c AS new, value FROM list_company_cells ORDER BY company_row_id;

-- The same versions again: stale. The first stale element in input order is named (cells[1]
-- here), with its cell's current version; nothing is written, the unconditioned element neither.
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1c, 'col', :col1, 'val', 'unconditioned'),
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'stale', 'if_match', :'v1b'),
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'stale', 'if_match', :'v1')));
\echo :LAST_ERROR_SQLSTATE
SELECT value FROM list_company_cells ORDER BY company_row_id;

-- "absent" on a cell that exists: PT412.
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1c, 'col', :col1, 'val', 'again', 'if_match', 'absent')));
\echo :LAST_ERROR_SQLSTATE

-- A repeated cell: as its value, the last element's if_match decides.
SELECT cell_version(:list1, :row1, :col1) AS v1 \gset
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'first', 'if_match', 'absent'),
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'last', 'if_match', :'v1')));
SELECT value FROM list_company_cells WHERE company_row_id = :row1;

-- The checks come first: a foreign column is 23503, even next to a stale element.
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'x', 'if_match', 'absent'),
    jsonb_build_object('row', :row1, 'col', :col2, 'val', 'x')));
\echo :LAST_ERROR_SQLSTATE

-- An if_match that is not a version: 22023 naming the element, before any lookup.
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'x'),
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'x', 'if_match', 'ABSENT')));
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'x', 'if_match', 42)));
-- if_match null: no condition.
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'no condition', 'if_match', NULL)));
SELECT value FROM list_company_cells WHERE company_row_id = :row1;

-- A trigger that skips a write: counted out, as without if_match.
CREATE FUNCTION pg_temp.skip() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN IF NEW.value = 'skip me' THEN RETURN NULL; END IF; RETURN NEW; END $$;
CREATE TRIGGER skip BEFORE INSERT OR UPDATE ON list_company_cells FOR EACH ROW EXECUTE FUNCTION pg_temp.skip();
DELETE FROM list_company_cells WHERE company_row_id = :row1c;
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'skip me', 'if_match', cell_version(:list1, :row1, :col1)),
    jsonb_build_object('row', :row1c, 'col', :col1, 'val', 'skip me', 'if_match', 'absent'),
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'written', 'if_match', cell_version(:list1, :row1b, :col1))));
DROP TRIGGER skip ON list_company_cells;
SELECT company_row_id = :row1c AS new, value FROM list_company_cells ORDER BY company_row_id;
