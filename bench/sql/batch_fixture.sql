-- The batch benchmark's fixture: one list, 20 company columns, :rows rows, and the batch of
-- every (row, column) cell as JSON (batch_input) and as rows (batch_rows, for the floor).
CREATE EXTENSION cellupsert;
\i sql/cellupsert_list_tables.sql
-- Without the manual-edit guard (1.3 on): the runs compare writers, and the bare upserts of
-- cells cell_upsert marked as a person's would be skipped by it. Without the history (1.4
-- on): its triggers and table, measured apart.
DROP TRIGGER IF EXISTS list_company_cells_manual_guard ON list_company_cells;
DROP TRIGGER IF EXISTS list_company_cells_history_insert ON list_company_cells;
DROP TRIGGER IF EXISTS list_company_cells_history_update ON list_company_cells;
DROP TABLE IF EXISTS list_cell_history;
INSERT INTO lists (id) VALUES ('10000000-0000-4000-8000-000000000001');
INSERT INTO list_columns (list_id, id, subject)
SELECT '10000000-0000-4000-8000-000000000001',
       format('20000000-0000-4000-8000-%s', lpad(c::text, 12, '0'))::uuid, 'company'
FROM generate_series(1, 20) c;
INSERT INTO list_companies (list_id, id)
SELECT '10000000-0000-4000-8000-000000000001',
       format('30000000-0000-4000-8000-%s', lpad(r::text, 12, '0'))::uuid
FROM generate_series(1, :rows) r;
CREATE TABLE batch_rows AS
SELECT row_number() OVER () AS n, r.id AS row_id, c.id AS col_id, md5(r.id::text || c.id::text) AS val
FROM list_companies r CROSS JOIN list_columns c;
CREATE TABLE batch_input AS
SELECT jsonb_agg(jsonb_build_object('row', row_id, 'col', col_id, 'val', val) ORDER BY n) AS cells
FROM batch_rows;
VACUUM ANALYZE;
