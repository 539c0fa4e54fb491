-- A fresh schema "bench": the extension, the canonical list tables and one list of :rows
-- company rows and 20 company columns (plus a person column), with the cells of columns
-- 1..10 filled and those of columns 11..20 empty. A second, foreign list has one column and
-- one row, for refused calls. Ids are UUIDs whose last group is 100000000000 + n, so that
-- pgbench scripts can build them from integers. With :other_lists > 0, as many other
-- tenants' lists (20 columns and 10 rows each) fill the tables, as in a shared database.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench CASCADE;
RESET client_min_messages;
CREATE SCHEMA bench;
CREATE EXTENSION cellupsert SCHEMA bench;
SET search_path = bench;
\i sql/cellupsert_list_tables.sql
-- Without the manual-edit guard (1.3 on): the runs compare writers, and the bare upserts of
-- cells cell_upsert marked as a person's would be skipped by it. Without the history (1.4
-- on): its triggers and table, measured apart.
DROP TRIGGER IF EXISTS list_company_cells_manual_guard ON list_company_cells;
DROP TRIGGER IF EXISTS list_company_cells_history_insert ON list_company_cells;
DROP TRIGGER IF EXISTS list_company_cells_history_update ON list_company_cells;
DROP TABLE IF EXISTS list_cell_history;
RESET search_path;

CREATE FUNCTION bench.id(prefix text, n bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (prefix || '-0000-4000-8000-' || (100000000000 + n))::uuid;

INSERT INTO bench.lists (id, name) VALUES
    (bench.id('10000000', 1), 'bench list'), (bench.id('10000000', 2), 'foreign list');
INSERT INTO bench.list_columns (list_id, id, subject, name)
SELECT bench.id('10000000', 1), bench.id('20000000', c), 'company', 'column ' || c
FROM generate_series(1, 20) c;
INSERT INTO bench.list_columns (list_id, id, subject, name) VALUES
    (bench.id('10000000', 1), bench.id('22000000', 1), 'person', 'person column'),
    (bench.id('10000000', 2), bench.id('21000000', 1), 'company', 'foreign column');
INSERT INTO bench.list_companies (list_id, id, name)
SELECT bench.id('10000000', 1), bench.id('30000000', r), 'company ' || r
FROM generate_series(1, :rows) r;
INSERT INTO bench.list_companies (list_id, id, name) VALUES
    (bench.id('10000000', 2), bench.id('31000000', 1), 'foreign company');
INSERT INTO bench.lists (id, name)
SELECT bench.id('11000000', i), 'other list ' || i FROM generate_series(1, :other_lists) i;
INSERT INTO bench.list_columns (list_id, id, subject)
SELECT bench.id('11000000', i), bench.id('23000000', 100 * i + c), 'company'
FROM generate_series(1, :other_lists) i, generate_series(1, 20) c;
INSERT INTO bench.list_companies (list_id, id)
SELECT bench.id('11000000', i), bench.id('33000000', 100 * i + r)
FROM generate_series(1, :other_lists) i, generate_series(1, 10) r;
INSERT INTO bench.list_company_cells (list_id, column_id, company_row_id, value, status, reasoning)
SELECT bench.id('10000000', 1), bench.id('20000000', c), bench.id('30000000', r),
       'enriched ' || r, 'pending', 'from the web'
FROM generate_series(1, 10) c, generate_series(1, :rows) r;

-- The runs vacuum between rounds themselves, outside the timed part.
ALTER TABLE bench.list_company_cells SET (autovacuum_enabled = false);
VACUUM ANALYZE bench.lists, bench.list_columns, bench.list_companies, bench.list_company_cells;
