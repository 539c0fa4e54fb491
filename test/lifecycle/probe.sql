-- cell_upsert after a restore, as before it: a member edits a cell of its list; a list it
-- cannot see, a cell the restrictive policy protects and a caller without EXECUTE all fail.
\set list1 '''10000000-0000-4000-8000-000000000001'''
\set list3 '''10000000-0000-4000-8000-000000000003'''
\set row1 '''30000000-0000-4000-8000-000000001005'''
\set row3 '''30000000-0000-4000-8000-000000001003'''
\set row31 '''30000000-0000-4000-8000-000000003001'''
\set col1 '''20000000-0000-4000-8000-000000000101'''
\set col31 '''20000000-0000-4000-8000-000000000301'''
\set SHOW_CONTEXT never
SET ROLE regress_lifecycle_member;
SELECT count(*) AS visible_lists FROM app.lists;
SELECT app.cell_upsert(:list1, :row1, :col1, 'after restore');
SELECT value, status, reasoning, assigned_to FROM app.list_company_cells
WHERE list_id = :list1 AND company_row_id = :row1 AND column_id = :col1;
SELECT app.cell_upsert(:list3, :row31, :col31, 'hidden list');
\echo :SQLSTATE
SELECT app.cell_upsert(:list1, :row3, :col1, 'cell in error');
\echo :SQLSTATE
RESET ROLE;
SET ROLE regress_lifecycle_outsider;
SELECT app.cell_upsert(:list1, :row1, :col1, 'no execute');
\echo :SQLSTATE
RESET ROLE;
