-- A write that every check lets through but a trigger of the application skips (a BEFORE
-- trigger returning NULL) is no error: cell_upsert returns false and cell_upsert_many the
-- number of cells actually written. (1.1 raised 40001 "changed during the write" for it.)
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
INSERT INTO list_company_cells (list_id, column_id, company_row_id, value, status, reasoning)
VALUES (:list1, :col1, :row1, 'frozen', 'error', 'kept');

-- The application freezes cells whose value is 'frozen', and refuses new cells on row1b.
CREATE FUNCTION app.skip_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.value = 'frozen' THEN RETURN NULL; END IF;
    IF TG_OP = 'INSERT' AND NEW.company_row_id = '30000000-0000-4000-8000-000000000012' THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER skip_frozen BEFORE INSERT OR UPDATE ON list_company_cells
FOR EACH ROW EXECUTE FUNCTION app.skip_frozen();

-- An existing frozen cell, a new cell on row1b: false, nothing changed.
SELECT cell_upsert(:list1, :row1, :col1, 'edited');
SELECT cell_upsert(:list1, :row1b, :col1, 'edited');
SELECT company_row_id, value, status, reasoning FROM list_company_cells ORDER BY company_row_id;

-- A refused call is still refused, with its own error.
SELECT cell_upsert(:list1, :row1b, :col2, 'edited');
SELECT cell_upsert(:list1, :row1, :person1, 'edited');

-- A batch: the frozen cell and the new cell on row1b skipped, the third written.
INSERT INTO list_companies (list_id, id) VALUES (:list1, '30000000-0000-4000-8000-000000000013');
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'a'),
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'b'),
    jsonb_build_object('row', '30000000-0000-4000-8000-000000000013', 'col', :col1, 'val', 'c')));
SELECT company_row_id, value, status FROM list_company_cells ORDER BY company_row_id;
-- All skipped: 0.
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'a'),
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'b')));
-- A skipped cell and a refused one: the refusal, nothing written.
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'a'),
    jsonb_build_object('row', '30000000-0000-4000-8000-000000000013', 'col', :col1, 'val', 'not written'),
    jsonb_build_object('row', :row2, 'col', :col1, 'val', 'b')));
SELECT value FROM list_company_cells WHERE company_row_id = '30000000-0000-4000-8000-000000000013';
DROP TRIGGER skip_frozen ON list_company_cells;

-- PostgreSQL's suppress_redundant_updates_trigger(): a transaction that saves a cell twice
-- with the same value writes the same row twice (same now()), and the second is skipped.
CREATE TRIGGER z_suppress_redundant BEFORE UPDATE ON list_company_cells
FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
BEGIN;
SELECT cell_upsert(:list1, :row1b, :col1, 'same');
SELECT cell_upsert(:list1, :row1b, :col1, 'same');
SELECT cell_upsert(:list1, :row1b, :col1, 'other');
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'other'),
    jsonb_build_object('row', '30000000-0000-4000-8000-000000000013', 'col', :col1, 'val', 'new')));
COMMIT;
SELECT company_row_id, value, status FROM list_company_cells ORDER BY company_row_id;
