-- cell_upsert's checks read by key (key_probes.h) read a list's row only where a column found
-- in the list does not prove that the list exists: when list_columns' list_id references
-- lists by a validated foreign key that is not deferrable, the column is enough; otherwise
-- (no such key, or a deferrable or NOT VALID one) a column of a list that does not exist is
-- refused as the list's error, 23503, and nothing is written.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\set VERBOSITY terse
\set ghost '''60000000-0000-4000-8000-000000000001'''

-- The canonical tables: the key is there, the call writes.
SELECT cell_upsert(:list1, :row1, :col1, 'by the key');
SELECT value FROM list_company_cells WHERE list_id = :list1 AND company_row_id = :row1 AND column_id = :col1;

-- Without the key, a column and a row of a list that does not exist.
ALTER TABLE list_columns DROP CONSTRAINT list_columns_list_id_fkey;
ALTER TABLE list_companies DROP CONSTRAINT list_companies_list_id_fkey;
INSERT INTO list_columns (list_id, id, subject, response_type, name) VALUES (:ghost, :col2, 'company', 'text', 'Ghost');
INSERT INTO list_companies (list_id, id, name) VALUES (:ghost, :row2, 'Ghost');
SELECT cell_upsert(:ghost, :row2, :col2, 'no list');
SELECT count(*) AS ghost_cells FROM list_company_cells WHERE list_id = :ghost;

-- A key that is NOT VALID (the ghost column stays) proves nothing either; nor does a
-- deferrable one, which lets this transaction see a column of no list until it commits.
ALTER TABLE list_columns ADD FOREIGN KEY (list_id) REFERENCES lists (id) NOT VALID;
SELECT cell_upsert(:ghost, :row2, :col2, 'not valid');
ALTER TABLE list_columns DROP CONSTRAINT list_columns_list_id_fkey;
DELETE FROM list_columns WHERE list_id = :ghost;
ALTER TABLE list_columns ADD FOREIGN KEY (list_id) REFERENCES lists (id) DEFERRABLE INITIALLY DEFERRED;
BEGIN;
INSERT INTO list_columns (list_id, id, subject, response_type, name) VALUES (:ghost, :col2, 'company', 'text', 'Ghost');
SELECT cell_upsert(:ghost, :row2, :col2, 'deferrable');
ROLLBACK;
SELECT count(*) AS ghost_cells FROM list_company_cells WHERE list_id = :ghost;
