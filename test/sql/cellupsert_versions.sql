-- Cell versions and conditional writes: cell_version(), cell_version_of(), cell_upsert's
-- if_match and PT412. Each write is read back in a statement of its own.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\set VERBOSITY default

-- A cell that does not exist has the version "absent".
SELECT cell_version(:list1, :row1, :col1);

-- "absent" creates the cell only while there is none.
SELECT cell_upsert(:list1, :row1, :col1, 'first', 'absent');
SELECT value, status FROM list_company_cells WHERE company_row_id = :row1;
SELECT cell_upsert(:list1, :row1, :col1, 'second', 'absent');
\echo :LAST_ERROR_SQLSTATE
SELECT value FROM list_company_cells WHERE company_row_id = :row1;

-- The version is that of the cell's value, status, reasoning and error, whoever computes it.
SELECT cell_version(:list1, :row1, :col1) AS v1 \gset
SELECT :'v1' ~ '^[0-9a-f]{32}$' AS hex,
       :'v1' = (SELECT cell_version_of(value, status, reasoning, error) FROM list_company_cells
                WHERE company_row_id = :row1) AS same_as_of;

-- A write with the current version succeeds, and the version changes.
SELECT cell_upsert(:list1, :row1, :col1, 'second', :'v1');
SELECT value FROM list_company_cells WHERE company_row_id = :row1;
SELECT cell_version(:list1, :row1, :col1) AS v2 \gset
SELECT :'v1' <> :'v2' AS changed;

-- A write with a stale version: PT412, the current version in the detail, nothing written.
SELECT cell_upsert(:list1, :row1, :col1, 'third', :'v1');
\echo :LAST_ERROR_SQLSTATE
SELECT value FROM list_company_cells WHERE company_row_id = :row1;
-- A version where there is no cell: PT412 naming "absent"; nothing created.
SELECT cell_upsert(:list1, :row1b, :col1, 'new', :'v2');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM list_company_cells WHERE company_row_id = :row1b;
-- Without if_match (NULL, or not given), as before: last writer wins.
SELECT cell_upsert(:list1, :row1, :col1, 'third', NULL);
SELECT cell_upsert(:list1, :row1, :col1, 'fourth');
SELECT value FROM list_company_cells WHERE company_row_id = :row1;

-- Any writer changes the version: value, status, reasoning, error, each alone (released
-- first: the guard skips other writers' updates of a manual cell; the release keeps it).
SELECT cell_version(:list1, :row1, :col1) AS v \gset
SELECT cell_release(:list1, :row1, :col1);
SELECT cell_version(:list1, :row1, :col1) = :'v' AS release_keeps_it;
SELECT cell_version(:list1, :row1, :col1) AS v \gset
UPDATE list_company_cells SET reasoning = '' WHERE company_row_id = :row1;
SELECT cell_version(:list1, :row1, :col1) <> :'v' AS reasoning_empty_changes_it;
SELECT cell_version(:list1, :row1, :col1) AS v \gset
UPDATE list_company_cells SET reasoning = NULL, error = '' WHERE company_row_id = :row1;
SELECT cell_version(:list1, :row1, :col1) <> :'v' AS moved_to_error_changes_it;
SELECT cell_version(:list1, :row1, :col1) AS v \gset
UPDATE list_company_cells SET status = 'error' WHERE company_row_id = :row1;
SELECT cell_version(:list1, :row1, :col1) <> :'v' AS status_changes_it;
SELECT cell_version(:list1, :row1, :col1) AS v \gset
UPDATE list_company_cells SET value = 'fourth ' WHERE company_row_id = :row1;
SELECT cell_version(:list1, :row1, :col1) <> :'v' AS value_changes_it;
-- ... and only those: who and when do not.
SELECT cell_version(:list1, :row1, :col1) AS v \gset
UPDATE list_company_cells SET updated_at = updated_at + interval '1 day' WHERE company_row_id = :row1;
SELECT cell_version(:list1, :row1, :col1) = :'v' AS updated_at_keeps_it;
-- The same content gives the same version back.
UPDATE list_company_cells SET value = 'fourth' WHERE company_row_id = :row1;
UPDATE list_company_cells SET value = 'fourth ' WHERE company_row_id = :row1;
SELECT cell_version(:list1, :row1, :col1) = :'v' AS content_back_version_back;
-- Fields cannot run into each other.
SELECT cell_version_of('a', 'bc', NULL, NULL) <> cell_version_of('ab', 'c', NULL, NULL) AS framed,
       cell_version_of(NULL, 'complete', NULL, NULL) <> cell_version_of('', 'complete', NULL, NULL) AS null_not_empty;

-- A trigger that skips the write: false, as without if_match (rule 6).
CREATE FUNCTION pg_temp.skip() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER skip BEFORE UPDATE ON list_company_cells FOR EACH ROW EXECUTE FUNCTION pg_temp.skip();
SELECT cell_upsert(:list1, :row1, :col1, 'skipped', cell_version(:list1, :row1, :col1));
DROP TRIGGER skip ON list_company_cells;
SELECT value FROM list_company_cells WHERE company_row_id = :row1;

-- The checks come first: a foreign column or row is 23503, not PT412.
SELECT cell_upsert(:list1, :row1, :col2, 'x', 'absent');
SELECT cell_upsert(:list1, :row2, :col1, 'x', :'v');
SELECT cell_upsert(:list1, :row1, :person1, 'x', :'v');

-- if_match must be a version.
SELECT cell_upsert(:list1, :row1, :col1, 'x', '');
\echo :LAST_ERROR_SQLSTATE
SELECT cell_upsert(:list1, :row1, :col1, 'x', upper(:'v'));
SELECT cell_upsert(:list1, :row1, :col1, 'x', '"' || :'v' || '"');
SELECT cell_upsert(:list1, :row1, :col1, 'x', repeat('é', 100));
SELECT cell_upsert(:list1, :row1, :col1, 'x', 'Absent');

-- cell_version's checks and errors are cell_upsert's.
SELECT cell_version(NULL, :row1, :col1);
SELECT cell_version(:list1, :row1, '20000000-0000-0000-8000-000000000011');
SELECT cell_version(:missing, :row1, :col1);
SELECT cell_version(:list1, :row1, :col2);
SELECT cell_version(:list1, :row1, :person1);
SELECT cell_version(:list1, :row2, :col1);

-- A grid reads the versions of a whole list in its own query.
SELECT company_row_id = :row1 AS row1, cell_version_of(value, status, reasoning, error) = cell_version(:list1, company_row_id, column_id) AS same
FROM list_company_cells WHERE list_id = :list1 ORDER BY company_row_id;

-- Cells without reasoning and error (an adapter view that leaves them out): versions of
-- value and status, NULL for the others.
ALTER TABLE list_company_cells RENAME TO cells_table;
CREATE VIEW list_company_cells WITH (security_invoker = true) AS
    SELECT list_id, column_id, company_row_id, value, status, created_at, updated_at, source, edited_by, edited_at
    FROM cells_table;
SELECT cell_version(:list1, :row1, :col1) = (SELECT cell_version_of(value, status, NULL, NULL) FROM cells_table
                                            WHERE company_row_id = :row1) AS without_reasoning_and_error;
SELECT cell_upsert(:list1, :row1, :col1, 'through the view', cell_version(:list1, :row1, :col1));
SELECT value FROM cells_table WHERE company_row_id = :row1;
DROP VIEW list_company_cells;
ALTER TABLE cells_table RENAME TO list_company_cells;

-- The README's example, on a cell with no version yet.
DELETE FROM list_company_cells;
SELECT cell_version('10000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000011',
                    '20000000-0000-4000-8000-000000000011');                  -- 'absent': no cell yet
SELECT cell_upsert('10000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000011',
                   '20000000-0000-4000-8000-000000000011', 'acme.com', 'absent');  -- true: created
SELECT cell_upsert('10000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000011',
                   '20000000-0000-4000-8000-000000000011', 'acme.org', 'absent');  -- PT412: it exists now
\echo :LAST_ERROR_SQLSTATE
SELECT value FROM list_company_cells;
