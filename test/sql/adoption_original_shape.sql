-- The functions on tables in the original API's shape (test/fixtures/original_api.sql):
-- no list_id in the cells, the conflict key (column_id, company_row_id), enums for status
-- and subject, a surrogate id. Every rule, every error, two tenants, batches.
\i test/fixtures/ids.sql
\i test/fixtures/original_api.sql

-- Insert, then overwrite: status complete whatever it was, reasoning and error kept, the
-- surrogate id and created_at kept.
SELECT cell_upsert(:list1, :row1, :col1, '42');
UPDATE list_company_cells SET status = 'error', reasoning = 'why', error = 'boom',
    created_at = '2000-01-01 00:00:00+00', updated_at = '2000-01-01 00:00:00+00';
CREATE TEMP TABLE first_id AS SELECT id FROM list_company_cells;
SELECT cell_upsert(:list1, :row1, :col1, 'overwritten');
SELECT value, status, reasoning, error, id = (SELECT id FROM first_id) AS same_id,
       created_at = '2000-01-01 00:00:00+00' AS created_kept, updated_at > '2000-01-01 00:00:00+00' AS updated_moved
FROM list_company_cells;
-- '' and NULL and an omitted val are stored as NULL; text is stored as is.
SELECT cell_upsert(:list1, :row1, :col1, '');
SELECT cell_upsert(:list1, :row1b, :col1);
SELECT company_row_id = :row1 AS row1, value IS NULL AS null_value, status FROM list_company_cells ORDER BY 1;
SELECT cell_upsert(:list1, :row1, :col1, E' not a number \n');
SELECT value FROM list_company_cells WHERE company_row_id = :row1;

-- Every error, with nothing written.
CREATE TEMP TABLE cells_before AS SELECT * FROM list_company_cells;
SELECT cell_upsert(NULL, :row1, :col1, 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :row1, '20000000-0000-0000-8000-000000000011', 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :row1, 'not a uuid', 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :row1, :person1, 'x');
\echo :SQLSTATE
SELECT cell_upsert(:missing, :row1, :col1, 'x');
\echo :SQLSTATE
-- A column or a row of another list: refused, although the cells' own foreign keys would
-- accept it (they know nothing of lists in this shape).
SELECT cell_upsert(:list1, :row1, :col2, 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :row2, :col1, 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list2, :row1, :col1, 'x');
\echo :SQLSTATE
SELECT count(*) AS changed FROM (
    (TABLE list_company_cells EXCEPT TABLE cells_before)
    UNION ALL (TABLE cells_before EXCEPT TABLE list_company_cells)) d;

-- Batches: all or nothing, the last occurrence of a pair wins, errors name the element.
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'batch 1'),
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'batch 2'),
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'batch 3')));
SELECT company_row_id = :row1 AS row1, value, status FROM list_company_cells ORDER BY 1;
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'not written'),
    jsonb_build_object('row', :row2, 'col', :col1, 'val', 'foreign row')));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'not written'),
    jsonb_build_object('row', :row1, 'col', :person1, 'val', 'person')));
\echo :SQLSTATE
SELECT value FROM list_company_cells WHERE company_row_id = :row1;

-- Two tenants: policies through the membership table, as the original API's application has.
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_cellupsert_a;
DROP ROLE IF EXISTS regress_cellupsert_b;
RESET client_min_messages;
CREATE ROLE regress_cellupsert_a;
CREATE ROLE regress_cellupsert_b;
CREATE TABLE list_members (list_id uuid REFERENCES lists (id) ON DELETE CASCADE, member name,
                           PRIMARY KEY (list_id, member));
INSERT INTO list_members VALUES (:list1, 'regress_cellupsert_a'), (:list2, 'regress_cellupsert_b');
ALTER TABLE lists ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_columns ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_company_cells ENABLE ROW LEVEL SECURITY;
CREATE POLICY members ON lists USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = lists.id AND m.member = current_user));
CREATE POLICY members ON list_columns USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_columns.list_id AND m.member = current_user));
CREATE POLICY members ON list_companies USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_companies.list_id AND m.member = current_user));
-- Cells reach their list through their column.
CREATE POLICY members ON list_company_cells USING (
    EXISTS (SELECT FROM list_columns c JOIN list_members m ON m.list_id = c.list_id
            WHERE c.id = list_company_cells.column_id AND m.member = current_user));
GRANT USAGE ON SCHEMA app TO regress_cellupsert_a, regress_cellupsert_b;
GRANT SELECT ON lists, list_columns, list_companies, list_members TO regress_cellupsert_a, regress_cellupsert_b;
GRANT SELECT, INSERT, UPDATE ON list_company_cells TO regress_cellupsert_a, regress_cellupsert_b;
SELECT cell_upsert(:list2, :row2, :col2, 'b value');
DROP TABLE cells_before;
CREATE TEMP TABLE cells_before AS SELECT * FROM list_company_cells;
GRANT SELECT ON cells_before TO PUBLIC;

SET ROLE regress_cellupsert_a;
SELECT cell_upsert(:list1, :row1b, :col1, 'a edit');
SELECT value FROM list_company_cells ORDER BY value;
-- B's list, column and row read as absent, the same errors as for ids that exist nowhere.
SELECT cell_upsert(:list2, :row2, :col2, 'a into b');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :row2, :col1, 'a into b');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :row1, :col2, 'a into b');
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row2, 'col', :col1, 'val', 'x')));
\echo :SQLSTATE
RESET ROLE;
SET ROLE regress_cellupsert_b;
SELECT value FROM list_company_cells ORDER BY value;
RESET ROLE;
SELECT (SELECT value FROM list_company_cells WHERE column_id = :col2) AS b_cell,
       (SELECT count(*) FROM list_company_cells) AS cells;

DROP OWNED BY regress_cellupsert_a, regress_cellupsert_b;
DROP ROLE regress_cellupsert_a;
DROP ROLE regress_cellupsert_b;
