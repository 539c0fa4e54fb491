-- The endpoint's rules, run as the superuser (row-level security does not apply to it).
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql

-- 1, 6. No cell yet: one is inserted; the call returns true.
SELECT cell_upsert(:list1, :row1, :col1, '42');
SELECT value, status, reasoning, error, created_at = updated_at AS same_times
FROM list_company_cells WHERE column_id = :col1 AND company_row_id = :row1;

-- An enrichment run leaves a failed cell with reasoning and error, at a known old time
-- (once the manual mark is released: the guard skips other writers' updates of a manual cell).
SELECT cell_release(:list1, :row1, :col1);
UPDATE list_company_cells
SET value = 'enriched', status = 'error', reasoning = 'looked it up', error = 'timeout',
    created_at = '2000-01-01 00:00:00+00', updated_at = '2000-01-01 00:00:00+00'
WHERE column_id = :col1 AND company_row_id = :row1;

-- 1-5. The manual edit replaces the value wholesale, forces status complete, keeps
-- reasoning, error and created_at, and moves updated_at to the time of the edit.
BEGIN;
SELECT cell_upsert(:list1, :row1, :col1, '17');
SELECT value, status, reasoning, error,
       created_at = '2000-01-01 00:00:00+00' AS created_kept,
       updated_at = now() AS updated_now
FROM list_company_cells WHERE column_id = :col1 AND company_row_id = :row1;
COMMIT;

-- 2. Whatever the previous status was.
SELECT cell_release(:list1, :row1, :col1);
UPDATE list_company_cells SET status = 'running' WHERE company_row_id = :row1;
SELECT cell_upsert(:list1, :row1, :col1, '18');
SELECT status FROM list_company_cells WHERE company_row_id = :row1;

-- 3. An empty string, NULL, and an omitted val all store NULL, on insert and on update.
SELECT cell_upsert(:list1, :row1, :col1, '');
SELECT cell_upsert(:list1, :row1b, :col1, '');
SELECT company_row_id = :row1 AS row1, value IS NULL AS value_is_null, status
FROM list_company_cells ORDER BY company_row_id;
SELECT cell_upsert(:list1, :row1, :col1, 'again');
SELECT cell_upsert(:list1, :row1, :col1, NULL);
SELECT value IS NULL AS value_is_null FROM list_company_cells WHERE company_row_id = :row1;
SELECT cell_upsert(:list1, :row1, :col1, 'again');
SELECT cell_upsert(:list1, :row1, :col1);
SELECT value IS NULL AS value_is_null FROM list_company_cells WHERE company_row_id = :row1;

-- Named arguments, as PostgREST sends them, in any order.
SELECT cell_upsert(col => :col1, "row" => :row1, list => :list1, val => 'named');
SELECT value FROM list_company_cells WHERE company_row_id = :row1;

-- 3. No coercion to the column's response_type (number) and no trimming.
SELECT cell_upsert(:list1, :row1, :col1, '  not a number  ');
SELECT '[' || value || ']' AS value FROM list_company_cells WHERE company_row_id = :row1;
SELECT cell_upsert(:list1, :row1, :col1, '007');
SELECT cell_upsert(:list1, :row1b, :col1, 'NULL');
SELECT company_row_id = :row1 AS row1, value FROM list_company_cells ORDER BY company_row_id;

-- One cell per (column, row), however many edits.
SELECT count(*) AS cells FROM list_company_cells;

-- 4. A new cell has reasoning and error NULL, in another list too.
SELECT cell_upsert(:list2, :row2, :col2, 'https://initech.example');
SELECT list_id = :list2 AS in_list2, value, status, reasoning IS NULL AND error IS NULL AS clean
FROM list_company_cells WHERE column_id = :col2;

-- 7. The nil and max UUIDs match the pattern: they are looked up (and not found here).
SELECT cell_upsert('00000000-0000-0000-0000-000000000000', :row1, :col1, 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :row1, 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'x');
\echo :SQLSTATE

-- Every version digit from 1 to 8 and every variant digit 8, 9, a, b is accepted.
INSERT INTO list_columns (list_id, id, subject)
SELECT :list1, format('40000000-0000-%s000-%s000-000000000000', v, r)::uuid, 'company'
FROM unnest('{1,2,3,4,5,6,7,8}'::text[]) v, unnest('{8,9,a,b}'::text[]) r;
SELECT count(*) FILTER (WHERE cell_upsert(:list1, :row1, c.id, 'v')) AS accepted
FROM list_columns c WHERE c.id::text LIKE '40000000-%';
