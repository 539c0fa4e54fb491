-- The plans the functions keep read lists, columns and rows by their keys whatever the
-- tables' size (kept_plans.h): here, with two lists in one page, a plan built as PostgreSQL
-- would build it scans the lists. The foreign keys' checks of the cells, which PostgreSQL
-- plans, read list_columns and list_companies, not lists: the counts of lists are the
-- functions' own.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
ANALYZE lists, list_columns, list_companies;
SELECT pg_stat_force_next_flush();
CREATE TEMP TABLE scans_before AS
SELECT relname, seq_scan, idx_scan FROM pg_stat_user_tables WHERE schemaname = 'app';

-- Each more than five times: the plan cache's custom plans come first.
SELECT count(cell_upsert(:list1, :row1, :col1, 'v' || n)) FROM generate_series(1, 7) n;
SELECT count(cell_version(:list1, :row1, :col1)) FROM generate_series(1, 7) n;
SELECT sum(cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'val', n))))
FROM generate_series(1, 7) n;
SELECT count(cell_release(:list1, :row1, :col1)) FROM generate_series(1, 7) n;
SHOW enable_seqscan;

SELECT pg_stat_force_next_flush();
SELECT s.seq_scan - b.seq_scan AS sequential_scans, s.idx_scan - b.idx_scan > 0 AS read_by_key
FROM pg_stat_user_tables s JOIN scans_before b USING (relname)
WHERE s.schemaname = 'app' AND relname = 'lists';
