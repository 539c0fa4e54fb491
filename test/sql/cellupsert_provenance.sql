-- Provenance: manual edits record source 'manual', who and when; enrichment jobs can skip them.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql

-- Other writers get the default source.
INSERT INTO list_company_cells (list_id, column_id, company_row_id, value, status)
VALUES (:list1, :col1, :row1b, 'enriched', 'complete');

-- A manual edit outside PostgREST: the editor is the current role.
CREATE ROLE regress_cellupsert_editor SUPERUSER;
SET ROLE regress_cellupsert_editor;
BEGIN;
SELECT cell_upsert(:list1, :row1, :col1, 'by hand');
SELECT company_row_id = :row1 AS row1, value, source, edited_by, edited_at = now() AS edited_now
FROM list_company_cells ORDER BY company_row_id;
COMMIT;
RESET ROLE;
DROP ROLE regress_cellupsert_editor;

-- Through PostgREST: the "sub" claim of the JWT; without one, the role.
BEGIN;
SELECT set_config('request.jwt.claims', '{"role": "authenticated", "sub": "user-42"}', true);
SELECT cell_upsert(:list1, :row1, :col1, 'via api');
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'batch')));
SELECT value, source, edited_by FROM list_company_cells ORDER BY company_row_id;
SELECT set_config('request.jwt.claims', '{"role": "anon"}', true);
SELECT cell_upsert(:list1, :row1, :col1, 'no sub');
SELECT set_config('request.jwt.claims', '', true);
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'empty claims')));
SELECT value, source, edited_by = current_user AS by_role FROM list_company_cells ORDER BY company_row_id;
COMMIT;

-- How an enrichment job skips manual cells on tables without the guard: a predicate in its
-- upsert (with the guard, redundant). The manual cell keeps its value; a cell the enrichment
-- owns (released) is updated; a new one is inserted.
INSERT INTO list_companies (list_id, id) VALUES (:list1, '30000000-0000-4000-8000-000000000013');
SELECT cell_release(:list1, :row1b, :col1);
INSERT INTO list_company_cells AS cell (list_id, column_id, company_row_id, value, status, reasoning)
VALUES (:list1, :col1, :row1, 'robot', 'complete', 'from the web'),
       (:list1, :col1, :row1b, 'robot', 'complete', 'from the web'),
       (:list1, :col1, '30000000-0000-4000-8000-000000000013', 'robot', 'complete', 'from the web')
ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE
SET value = EXCLUDED.value, status = EXCLUDED.status, reasoning = EXCLUDED.reasoning,
    updated_at = EXCLUDED.updated_at
WHERE cell.source <> 'manual';
SELECT company_row_id, value, source, reasoning FROM list_company_cells ORDER BY company_row_id;

-- Tables from the 1.0 DDL, without the provenance columns: the functions still work, in the
-- same session, and record no provenance.
ALTER TABLE list_company_cells DROP COLUMN source, DROP COLUMN edited_by, DROP COLUMN edited_at;
SELECT cell_upsert(:list1, :row1, :col1, 'without provenance');
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'batch without')));
SELECT company_row_id, value, status FROM list_company_cells ORDER BY company_row_id;

-- Half of the provenance columns is a mistake: the call names the missing one.
ALTER TABLE list_company_cells ADD COLUMN source text NOT NULL DEFAULT 'enrichment';
SELECT cell_upsert(:list1, :row1, :col1, 'half');
\echo :SQLSTATE
ALTER TABLE list_company_cells DROP COLUMN source;

-- The migration for tables from the 1.0 DDL; provenance is recorded from the next call on.
\i sql/cellupsert_list_tables--1.0--1.1.sql
SELECT cell_upsert(:list1, :row1, :col1, 'migrated');
SELECT company_row_id, value, source, edited_by = current_user AS by_role
FROM list_company_cells ORDER BY company_row_id;
