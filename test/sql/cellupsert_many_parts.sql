-- A large batch is written in parts, each a statement sized to work_mem (batch_cells.h): no
-- part spills to disk, and the batch stays one edit, all or nothing, whose error names its
-- first refused element in input order whatever part refuses it.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\set QUIET on
-- 100 more company columns and 200 more rows in list1: 20,000 cells, a batch of them in key
-- order (columns, then rows) and one of them in input order (rows, then columns).
CREATE FUNCTION pg_temp.col(c int) RETURNS uuid IMMUTABLE LANGUAGE sql AS
    $$ SELECT format('20000000-0000-4000-8000-1%s', lpad(c::text, 11, '0'))::uuid $$;
CREATE FUNCTION pg_temp.row_id(r int) RETURNS uuid IMMUTABLE LANGUAGE sql AS
    $$ SELECT format('30000000-0000-4000-8000-1%s', lpad(r::text, 11, '0'))::uuid $$;
INSERT INTO list_columns (list_id, id, subject) SELECT :list1, pg_temp.col(c), 'company' FROM generate_series(1, 100) c;
INSERT INTO list_companies (list_id, id) SELECT :list1, pg_temp.row_id(r) FROM generate_series(1, 200) r;
CREATE TEMP TABLE batch AS
SELECT jsonb_agg(jsonb_build_object('row', pg_temp.row_id(r), 'col', pg_temp.col(c), 'val', format('v%s/%s', r, c))
                 ORDER BY r, c) AS cells
FROM generate_series(1, 200) r, generate_series(1, 100) c;
\set QUIET off

-- A sort or a hash table that outgrows work_mem writes a temporary file, which this logs.
SET work_mem = '1MB';
SET log_temp_files = 0;
SET client_min_messages = log;

SELECT cell_enrich_many(:list1, cells) FROM batch;
SELECT count(*) AS cells, min(edit_id::text) = max(edit_id::text) AS one_edit, min(kind) AS kind
FROM list_cell_history WHERE list_id = :list1;

SELECT cell_upsert_many(:list1, cells) FROM batch;
SELECT count(*) FILTER (WHERE source = 'manual') AS manual, count(*) AS cells FROM list_company_cells;
SELECT count(*) AS cells, min(edit_id::text) = max(edit_id::text) AS one_edit FROM list_cell_history
WHERE list_id = :list1 AND kind = 'manual';

-- Explaining an error reads the whole batch in one query, which may spill.
SET log_temp_files = -1;

-- Two refused elements: cells[19000] (column 91's row "missing") is in a part before
-- cells[5]'s (column 100's, the last). The error names cells[5], the first in input order;
-- no part is written.
SELECT cell_upsert_many(:list1, jsonb_set(jsonb_set(cells,
    '{19000}', jsonb_build_object('row', :missing, 'col', pg_temp.col(91), 'val', 'x')),
    '{5}', jsonb_build_object('row', :missing, 'col', pg_temp.col(100), 'val', 'x')))
FROM batch;
SELECT count(*) FILTER (WHERE value LIKE 'v%') AS unchanged FROM list_company_cells;
SELECT count(*) AS history FROM list_cell_history WHERE list_id = :list1;

RESET client_min_messages;
RESET log_temp_files;
RESET work_mem;
