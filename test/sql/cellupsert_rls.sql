-- Two tenants under a membership-based policy set: each sees and writes only its own lists,
-- and cannot tell another tenant's ids from ids that do not exist. Refusals by privileges or
-- policies surface as PostgreSQL's own 42501.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_cellupsert_a;
DROP ROLE IF EXISTS regress_cellupsert_b;
DROP ROLE IF EXISTS regress_cellupsert_reader;
DROP ROLE IF EXISTS regress_cellupsert_inserter;
RESET client_min_messages;
CREATE ROLE regress_cellupsert_a;
CREATE ROLE regress_cellupsert_b;
CREATE ROLE regress_cellupsert_reader;
CREATE ROLE regress_cellupsert_inserter;

-- The example policy set of docs/adoption.md: a list is visible to its members, and so is everything in it.
CREATE TABLE list_members (
    list_id uuid NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    member  name NOT NULL,
    PRIMARY KEY (list_id, member)
);
INSERT INTO list_members VALUES
    (:list1, 'regress_cellupsert_a'), (:list2, 'regress_cellupsert_b'),
    (:list1, 'regress_cellupsert_reader'), (:list1, 'regress_cellupsert_inserter');
CREATE POLICY members_read ON lists FOR SELECT USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = lists.id AND m.member = current_user));
CREATE POLICY members_read ON list_columns FOR SELECT USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_columns.list_id AND m.member = current_user));
CREATE POLICY members_read ON list_companies FOR SELECT USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_companies.list_id AND m.member = current_user));
CREATE POLICY members_read ON list_company_cells FOR SELECT USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_company_cells.list_id AND m.member = current_user));
CREATE POLICY members_insert ON list_company_cells FOR INSERT WITH CHECK (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_company_cells.list_id AND m.member = current_user));
-- Everyone but the "inserter" role may also update.
CREATE POLICY members_update ON list_company_cells FOR UPDATE USING (
    current_user <> 'regress_cellupsert_inserter' AND
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_company_cells.list_id AND m.member = current_user));

GRANT USAGE ON SCHEMA app TO regress_cellupsert_a, regress_cellupsert_b,
    regress_cellupsert_reader, regress_cellupsert_inserter;
GRANT SELECT ON lists, list_columns, list_companies, list_members TO regress_cellupsert_a, regress_cellupsert_b,
    regress_cellupsert_reader, regress_cellupsert_inserter;
GRANT SELECT, INSERT, UPDATE ON list_company_cells TO regress_cellupsert_a, regress_cellupsert_b,
    regress_cellupsert_inserter;
GRANT SELECT ON list_company_cells TO regress_cellupsert_reader;

-- Cells of both tenants, written by the superuser.
SELECT cell_upsert(:list1, :row1, :col1, 'a value');
SELECT cell_upsert(:list2, :row2, :col2, 'b value');
CREATE TEMP TABLE cells_before AS SELECT * FROM list_company_cells;
GRANT SELECT ON cells_before TO PUBLIC;

-- Tenant A writes its own cells.
SET ROLE regress_cellupsert_a;
SELECT cell_upsert(:list1, :row1, :col1, 'a edit');
SELECT cell_upsert(:list1, :row1b, :col1, 'a new');
-- A sees its own cells only.
SELECT list_id = :list1 AS own_list, value FROM list_company_cells ORDER BY value;

-- A, against B's list, column and row, in every mix with its own.
SELECT cell_upsert(:list2, :row2, :col2, 'x');
SELECT cell_upsert(:list1, :row1, :col2, 'x');
SELECT cell_upsert(:list1, :row2, :col1, 'x');
SELECT cell_upsert(:list2, :row1, :col1, 'x');
RESET ROLE;

-- The same refusals when B's list is really gone: byte for byte the same errors.
BEGIN;
DELETE FROM lists WHERE id = :list2;
SET LOCAL ROLE regress_cellupsert_a;
SAVEPOINT s;
SELECT cell_upsert(:list2, :row2, :col2, 'x');
ROLLBACK TO s;
SELECT cell_upsert(:list1, :row1, :col2, 'x');
ROLLBACK TO s;
SELECT cell_upsert(:list1, :row2, :col1, 'x');
ROLLBACK TO s;
SELECT cell_upsert(:list2, :row1, :col1, 'x');
ROLLBACK;

-- A role with SELECT only on cells: PostgreSQL's own 42501.
SET ROLE regress_cellupsert_reader;
SELECT cell_upsert(:list1, :row1, :col1, 'x');
\echo :SQLSTATE
RESET ROLE;

-- A role whose policies allow INSERT but not UPDATE: a new cell is written, the existing
-- cell is refused with 42501.
INSERT INTO list_companies (list_id, id) VALUES (:list1, '30000000-0000-4000-8000-000000000013');
SET ROLE regress_cellupsert_inserter;
SELECT cell_upsert(:list1, '30000000-0000-4000-8000-000000000013', :col1, 'inserted');
SELECT cell_upsert(:list1, :row1, :col1, 'x');
\echo :SQLSTATE
RESET ROLE;

-- A role with no privilege on the cells table.
REVOKE ALL ON list_company_cells FROM regress_cellupsert_b;
SET ROLE regress_cellupsert_b;
SELECT cell_upsert(:list2, :row2, :col2, 'x');
\echo :SQLSTATE
RESET ROLE;

-- Only the three writes that succeeded changed anything.
SELECT company_row_id, value, status
FROM (TABLE list_company_cells EXCEPT TABLE cells_before) changed
ORDER BY value;
SELECT count(*) AS removed FROM (TABLE cells_before EXCEPT TABLE list_company_cells) gone
WHERE gone.company_row_id <> :row1;
