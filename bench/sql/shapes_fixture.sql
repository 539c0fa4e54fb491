-- bench/shapes.sh's fixture, in a database of its own per shape: a schema "bench" with the
-- extension over the list tables of one shape, :canonical true or false.
--   canonical: sql/cellupsert_list_tables.sql (cells carry list_id, key (list_id, column_id,
--              company_row_id), composite foreign keys, text status);
--   original:  the original API's shape as test/fixtures/original_api.sql (no list_id in the
--              cells, a surrogate id with a default, UNIQUE (column_id, company_row_id),
--              enums, list_columns and list_companies keyed by id alone), plus the three
--              provenance columns of the canonical cells, so that both shapes write the
--              same columns. Row-level security enabled as in the canonical file (the bench
--              runs as a superuser, which bypasses it in both).
-- Then the same data in both: one list of 20 company columns (and a person column) and
-- :rows company rows, the cells of columns 1..10 filled and those of 11..20 empty, and the
-- batch of :batch cells (:batch / 20 rows spread over the list, every column of each: half
-- existing cells, half new) as JSON (batch_input) and as rows (batch_rows, for the bare upsert).
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench CASCADE;
RESET client_min_messages;
CREATE SCHEMA bench;
SET search_path = bench;
\if :canonical
CREATE EXTENSION cellupsert SCHEMA bench;
\i sql/cellupsert_list_tables.sql
-- Without the manual-edit guard (1.3 on): the runs compare writers, and the bare upserts of
-- cells cell_upsert marked as a person's would be skipped by it. Without the history (1.4
-- on): its triggers and table, measured apart.
DROP TRIGGER IF EXISTS list_company_cells_manual_guard ON list_company_cells;
DROP TRIGGER IF EXISTS list_company_cells_history_insert ON list_company_cells;
DROP TRIGGER IF EXISTS list_company_cells_history_update ON list_company_cells;
DROP TABLE IF EXISTS list_cell_history;
\else
CREATE TYPE cell_status AS ENUM ('pending', 'running', 'complete', 'error');
CREATE TYPE column_subject AS ENUM ('company', 'person');
CREATE TABLE lists (
    id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL DEFAULT ''
);
CREATE TABLE list_columns (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    list_id       uuid NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    subject       column_subject NOT NULL,
    response_type text NOT NULL DEFAULT 'text',
    name          text NOT NULL DEFAULT ''
);
CREATE TABLE list_companies (
    id      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    list_id uuid NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    name    text NOT NULL DEFAULT ''
);
CREATE TABLE list_company_cells (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    column_id      uuid NOT NULL REFERENCES list_columns (id) ON DELETE CASCADE,
    company_row_id uuid NOT NULL REFERENCES list_companies (id) ON DELETE CASCADE,
    value          text,
    status         cell_status NOT NULL DEFAULT 'pending',
    reasoning      text,
    error          text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    source         text NOT NULL DEFAULT 'enrichment' CHECK (source IN ('enrichment', 'manual')),
    edited_by      text,
    edited_at      timestamptz,
    UNIQUE (column_id, company_row_id)
);
ALTER TABLE lists ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_columns ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_company_cells ENABLE ROW LEVEL SECURITY;
CREATE EXTENSION cellupsert SCHEMA bench;
\endif
RESET search_path;

CREATE FUNCTION bench.id(prefix text, n bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (prefix || '-0000-4000-8000-' || (100000000000 + n))::uuid;

INSERT INTO bench.lists (id, name) VALUES (bench.id('10000000', 1), 'bench list');
INSERT INTO bench.list_columns (list_id, id, subject, name)
SELECT bench.id('10000000', 1), bench.id('20000000', c), 'company', 'column ' || c
FROM generate_series(1, 20) c;
INSERT INTO bench.list_columns (list_id, id, subject, name)
VALUES (bench.id('10000000', 1), bench.id('22000000', 1), 'person', 'person column');
INSERT INTO bench.list_companies (list_id, id, name)
SELECT bench.id('10000000', 1), bench.id('30000000', r), 'company ' || r
FROM generate_series(1, :rows) r;
\if :canonical
INSERT INTO bench.list_company_cells (list_id, column_id, company_row_id, value, status, reasoning)
SELECT bench.id('10000000', 1), bench.id('20000000', c), bench.id('30000000', r),
       'enriched ' || r, 'pending', 'from the web'
FROM generate_series(1, 10) c, generate_series(1, :rows) r;
\else
INSERT INTO bench.list_company_cells (column_id, company_row_id, value, status, reasoning)
SELECT bench.id('20000000', c), bench.id('30000000', r), 'enriched ' || r, 'pending', 'from the web'
FROM generate_series(1, 10) c, generate_series(1, :rows) r;
\endif

-- The batch: rows spread over the list, every column of each, in row then column order.
CREATE TABLE bench.batch_rows AS
SELECT row_number() OVER (ORDER BY i, c) AS n, bench.id('30000000', 1 + i * :rows / (:batch / 20)) AS row_id,
       bench.id('20000000', c) AS col_id, md5(i::text || '/' || c::text) AS val
FROM generate_series(0, :batch / 20 - 1) i, generate_series(1, 20) c;
-- Two inputs for cell_upsert_many: the whole batch, and its first 20 cells for the warm-up.
CREATE TABLE bench.batch_input AS
SELECT size, jsonb_agg(jsonb_build_object('row', row_id, 'col', col_id, 'val', val) ORDER BY n) AS cells
FROM (VALUES (20), (:batch / 20 * 20)) s(size) JOIN bench.batch_rows ON n <= size
GROUP BY size;

-- The runs vacuum between rounds themselves, outside the timed part.
ALTER TABLE bench.list_company_cells SET (autovacuum_enabled = false);
VACUUM ANALYZE bench.lists, bench.list_columns, bench.list_companies, bench.list_company_cells,
               bench.batch_rows, bench.batch_input;
