-- The plans the functions keep generic read lists, columns and rows by their keys whatever
-- the tables' size (kept_plans.h): here, with two lists in one page, a plan built as
-- PostgreSQL would build it scans the lists. A caller under row-level security takes the
-- statements (a superuser's checks are read by key in C, key_probes.h); a small batch's
-- statements are kept generic. The foreign keys' checks of the cells, which PostgreSQL
-- plans, read list_columns and list_companies, not lists: the counts of lists are the
-- functions' own.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_cellupsert_plans_member;
RESET client_min_messages;
CREATE ROLE regress_cellupsert_plans_member;
GRANT USAGE ON SCHEMA app TO regress_cellupsert_plans_member;
GRANT SELECT ON lists, list_columns, list_companies, list_company_cells TO regress_cellupsert_plans_member;
GRANT INSERT, UPDATE ON list_company_cells TO regress_cellupsert_plans_member;
CREATE POLICY every_row ON lists TO regress_cellupsert_plans_member USING (true);
CREATE POLICY every_row ON list_columns TO regress_cellupsert_plans_member USING (true);
CREATE POLICY every_row ON list_companies TO regress_cellupsert_plans_member USING (true);
CREATE POLICY every_row ON list_company_cells TO regress_cellupsert_plans_member USING (true) WITH CHECK (true);
ALTER TABLE lists ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_columns ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_company_cells ENABLE ROW LEVEL SECURITY;
ANALYZE lists, list_columns, list_companies;
SELECT pg_stat_force_next_flush();
CREATE TEMP TABLE scans_before AS
SELECT relname, seq_scan, idx_scan FROM pg_stat_user_tables WHERE schemaname = 'app';

-- Each more than five times: the plan cache's custom plans come first.
SET ROLE regress_cellupsert_plans_member;
SELECT sum(cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'val', n))))
FROM generate_series(1, 7) n;
RESET ROLE;
-- A superuser's single call and batch, by key in C.
SELECT count(cell_upsert(:list1, :row1, :col1, 'v' || n)) FROM generate_series(1, 7) n;
SELECT sum(cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1, 'val', n))))
FROM generate_series(1, 7) n;
SHOW enable_seqscan;

SELECT pg_stat_force_next_flush();
SELECT s.seq_scan - b.seq_scan AS sequential_scans, s.idx_scan - b.idx_scan > 0 AS read_by_key
FROM pg_stat_user_tables s JOIN scans_before b USING (relname)
WHERE s.schemaname = 'app' AND relname = 'lists';
DROP OWNED BY regress_cellupsert_plans_member;
DROP ROLE regress_cellupsert_plans_member;
