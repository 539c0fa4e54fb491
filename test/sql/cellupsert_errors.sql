-- Every refused call: its SQLSTATE, message, detail and hint, and nothing written.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
SELECT cell_upsert(:list1, :row1, :col1, 'before');
CREATE TEMP TABLE cells_before AS SELECT * FROM list_company_cells;

-- 22004: a NULL id, in each position.
SELECT cell_upsert(NULL, :row1, :col1, 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, NULL, :col1, 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :row1, NULL, 'x');
\echo :SQLSTATE

-- 22023: an id outside the UUID pattern: version digit 0 or 9-f, variant digit 0-7 or c-f.
SELECT cell_upsert('10000000-0000-0000-8000-000000000001', :row1, :col1, 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, '30000000-0000-9000-8000-000000000011', :col1, 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :row1, '20000000-0000-f000-8000-000000000011', 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :row1, '20000000-0000-4000-7000-000000000011', 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :row1, '20000000-0000-4000-c000-000000000011', 'x');
\echo :SQLSTATE
-- Ids are checked in order: a malformed list is reported before a NULL row or col.
SELECT cell_upsert('10000000-0000-0000-8000-000000000001', NULL, NULL, 'x');
\echo :SQLSTATE

-- 22P02: text that is not a UUID at all is refused by PostgreSQL's own cast.
SELECT cell_upsert('not-a-uuid', :row1, :col1, 'x');
\echo :SQLSTATE

-- 22023: a person column of the list.
SELECT cell_upsert(:list1, :row1, :person1, 'x');
\echo :SQLSTATE

-- 23503: a list, column or row that does not exist, or not in this list.
SELECT cell_upsert(:missing, :row1, :col1, 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :row1, :missing, 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :missing, :col1, 'x');
\echo :SQLSTATE
-- The column of another list (the seed's "stale or foreign columnId").
SELECT cell_upsert(:list1, :row1, :col2, 'x');
\echo :SQLSTATE
-- The row of another list.
SELECT cell_upsert(:list1, :row2, :col1, 'x');
\echo :SQLSTATE
-- Column and row both of list2, under list1's id.
SELECT cell_upsert(:list1, :row2, :col2, 'x');
\echo :SQLSTATE
-- The list is checked first, then the column, then the row.
SELECT cell_upsert(:missing, :missing, :missing, 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :missing, :person1, 'x');
\echo :SQLSTATE

-- A refused call inside a transaction aborts it, as any error does.
BEGIN;
SELECT cell_upsert(:list1, :row1, :col1, 'inside');
SELECT cell_upsert(:list1, :row1, :col2, 'x');
COMMIT;

-- Nothing was written by any refused call (nor by the aborted transaction).
SELECT count(*) AS changed_cells FROM (
    (TABLE list_company_cells EXCEPT TABLE cells_before)
    UNION ALL
    (TABLE cells_before EXCEPT TABLE list_company_cells)) d;

-- The database itself refuses a dangling or cross-list cell from a writer that bypasses
-- the function: the composite foreign keys.
INSERT INTO list_company_cells (list_id, column_id, company_row_id, value)
VALUES (:list1, :col2, :row1, 'dangling');
INSERT INTO list_company_cells (list_id, column_id, company_row_id, value)
VALUES (:list1, :col1, :row2, 'dangling');
-- A missing list fails both foreign keys; which one PostgreSQL names is its own choice (19
-- checks them in an order that depends on the constraints' oids): the SQLSTATE only.
\set VERBOSITY sqlstate
INSERT INTO list_company_cells (list_id, column_id, company_row_id, value)
VALUES (:missing, :col1, :row1, 'dangling');
\set VERBOSITY default
