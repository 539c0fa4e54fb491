-- cell_upsert_many: the rules of cell_upsert for every element, all or nothing.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
INSERT INTO list_companies (list_id, id)
SELECT :list1, format('30000000-0000-4000-8000-%s', lpad(n::text, 12, '0'))::uuid
FROM generate_series(100, 104) n;
\set r100 '''30000000-0000-4000-8000-000000000100'''
\set r101 '''30000000-0000-4000-8000-000000000101'''
\set r102 '''30000000-0000-4000-8000-000000000102'''

-- An enrichment result that the batch will overwrite.
INSERT INTO list_company_cells (list_id, column_id, company_row_id, value, status, reasoning, error)
VALUES (:list1, :col1, :r100, 'old', 'error', 'why', 'boom');

-- A batch: an overwrite, an insert, "" and null and an omitted val (all NULL), any key order.
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :r100, 'col', :col1, 'val', 'new'),
    jsonb_build_object('col', :col1, 'val', 'inserted', 'row', :r101),
    jsonb_build_object('row', :r102, 'col', :col1, 'val', ''),
    jsonb_build_object('row', :row1, 'col', :col1, 'val', null),
    jsonb_build_object('row', :row1b, 'col', :col1)));
SELECT company_row_id, value, status, reasoning, error
FROM list_company_cells ORDER BY company_row_id;

-- The same (row, col) twice: the last one wins, counted once.
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :r100, 'col', :col1, 'val', 'first'),
    jsonb_build_object('row', :r101, 'col', :col1, 'val', 'other'),
    jsonb_build_object('row', :r100, 'col', :col1, 'val', 'second'),
    jsonb_build_object('row', :r100, 'col', :col1, 'val', 'last')));
SELECT company_row_id, value FROM list_company_cells
WHERE company_row_id IN (:r100, :r101) ORDER BY company_row_id;

-- Ids in upper case are the same ids; values are stored byte for byte.
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object(
    'row', upper(:r102), 'col', upper(:col1), 'val', E' it''s\n"multi"\\line 日本 ')));
SELECT value FROM list_company_cells WHERE company_row_id = :r102;

-- A val that is not a string is stored as its JSON text, as PostgREST passes such a val to
-- cell_upsert: numbers, booleans, objects, arrays. The text is jsonb's: keys in jsonb's
-- order (shorter first), the last of a repeated key, one space after ":" and ","; numbers
-- without exponent (1e2 is 100, -0 is 0) and with their scale (1.0 stays 1.0); escapes in
-- strings only where JSON needs them. A JSON string of the same text stores the same.
INSERT INTO list_companies (list_id, id)
SELECT :list1, format('30000000-0000-4000-8000-%s', lpad(n::text, 12, '0'))::uuid
FROM generate_series(110, 121) n;
CREATE TEMP TABLE sent (n integer, val text);
INSERT INTO sent VALUES (110, '250'), (111, '1.0'), (112, '1e2'), (113, '-0'), (114, '0.10'),
    (115, 'true'), (116, 'false'), (117, '{"b":1,  "a" : [1,2],"b":{}}'), (118, '[]'),
    (119, '{"s": "\u00e9\/\"q\"\n"}'), (120, '"250"'), (121, '"{\"a\": 1}"');
SELECT cell_upsert_many(:list1, (
    SELECT jsonb_agg(format('{"row": "30000000-0000-4000-8000-%s", "col": %s, "val": %s}',
                            lpad(n::text, 12, '0'), to_json(:col1::text), val)::jsonb ORDER BY n)
    FROM sent));
SELECT s.val AS sent, c.value AS stored, c.status
FROM sent s
JOIN list_company_cells c ON c.company_row_id = format('30000000-0000-4000-8000-%s', lpad(s.n::text, 12, '0'))::uuid
ORDER BY s.n;

-- An empty array writes nothing and returns 0.
SELECT cell_upsert_many(:list1, '[]');

CREATE TEMP TABLE cells_before AS SELECT * FROM list_company_cells;

-- Refused batches: the error names the element (from 0) and nothing is written, not even
-- the valid elements before it.
SELECT cell_upsert_many(NULL, '[]');
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, NULL);
\echo :SQLSTATE
SELECT cell_upsert_many('10000000-0000-0000-8000-000000000001', '[]');
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, '{"row": "x"}');
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, '"not an array"');
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :r100, 'col', :col1, 'val', 'ok'), 'a string'));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :r100, 'col', :col1, 'val', 'ok'), jsonb_build_array(1)));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :r100, 'col', :col1, 'value', 'typo')));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :r100, 'col', :col1, 'val', 'ok'),
    jsonb_build_object('row', :r100, 'col', :col1, 'val', 'ok', 'extra', 1)));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', 42, 'col', :col1)));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :r100, 'col', jsonb_build_object())));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :r100, 'col', true)));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', '[1]'::jsonb, 'col', :col1, 'val', 'ok')));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('col', :col1, 'val', 'x')));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :r100, 'col', null)));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :r100, 'col', :col1),
    jsonb_build_object('row', '{30000000-0000-4000-8000-000000000100}', 'col', :col1)));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', '3000000000004000800000000000000100', 'col', :col1)));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :r100, 'col', '20000000-0000-0000-8000-000000000011')));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :r100, 'col', '20000000-0000-4000-f000-000000000011')));
\echo :SQLSTATE
-- Checks against the tables: the first refused element by position, whatever the key order.
SELECT cell_upsert_many(:missing, jsonb_build_array(jsonb_build_object('row', :r100, 'col', :col1)));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :r100, 'col', :col1, 'val', 'ok'),
    jsonb_build_object('row', :r101, 'col', :col1, 'val', 'ok'),
    jsonb_build_object('row', :r102, 'col', :col2, 'val', 'foreign column'),
    jsonb_build_object('row', :row2, 'col', :col1, 'val', 'foreign row')));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :r100, 'col', :col1, 'val', 'ok'),
    jsonb_build_object('row', :row2, 'col', :col1, 'val', 'foreign row'),
    jsonb_build_object('row', :r102, 'col', :col2, 'val', 'foreign column')));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :r100, 'col', :col1, 'val', 'ok'),
    jsonb_build_object('row', :r100, 'col', :person1, 'val', 'person')));
\echo :SQLSTATE
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :missing, 'col', :col1, 'val', 'missing row')));
\echo :SQLSTATE

SELECT count(*) AS changed_cells FROM (
    (TABLE list_company_cells EXCEPT TABLE cells_before)
    UNION ALL
    (TABLE cells_before EXCEPT TABLE list_company_cells)) d;

-- A refused batch caught in PL/pgSQL leaves the rest of the transaction as it was.
DO $$
BEGIN
    PERFORM app.cell_upsert_many('10000000-0000-4000-8000-000000000001', jsonb_build_array(
        jsonb_build_object('row', '30000000-0000-4000-8000-000000000100',
                           'col', '20000000-0000-4000-8000-000000000011', 'val', 'half'),
        jsonb_build_object('row', '30000000-0000-4000-8000-000000000100',
                           'col', '20000000-0000-4000-8000-000000000012', 'val', 'person')));
EXCEPTION WHEN invalid_parameter_value THEN
    RAISE NOTICE 'refused: %', SQLERRM;
END $$;
SELECT value FROM list_company_cells WHERE company_row_id = :r100 AND column_id = :col1;

-- A batch of 2,000 cells in one call: every value lands in its own cell.
INSERT INTO list_columns (list_id, id, subject)
SELECT :list1, format('21000000-0000-4000-8000-%s', lpad(n::text, 12, '0'))::uuid, 'company'
FROM generate_series(1, 20) n;
INSERT INTO list_companies (list_id, id)
SELECT :list1, format('31000000-0000-4000-8000-%s', lpad(n::text, 12, '0'))::uuid
FROM generate_series(1, 100) n;
SELECT cell_upsert_many(:list1, (
    SELECT jsonb_agg(jsonb_build_object('row', r.id, 'col', c.id, 'val', r.id::text || c.id::text))
    FROM list_companies r, list_columns c
    WHERE r.id::text LIKE '31000000-%' AND c.id::text LIKE '21000000-%'));
SELECT count(*) AS cells, count(*) FILTER (WHERE value = company_row_id::text || column_id::text) AS right_value
FROM list_company_cells WHERE company_row_id::text LIKE '31000000-%';

-- The error names the first refused element in input order, even when a refused pair
-- comes again later (the repeats are reduced to their last occurrence before writing).
-- A column of list2 on a row of list1 at cells[0] and again at cells[2]: cells[0].
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col2, 'val', 'a'),
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'b'),
    jsonb_build_object('row', :row1, 'col', :col2, 'val', 'c')));
-- Two refused pairs, the first repeated after the second: cells[0], not cells[1].
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :missing, 'col', :col1, 'val', 'a'),
    jsonb_build_object('row', :row1, 'col', :missing, 'val', 'b'),
    jsonb_build_object('row', :missing, 'col', :col1, 'val', 'c')));
-- A person column at cells[1], repeated at cells[3], and a foreign column at cells[2]:
-- cells[1], with the person column's own error.
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'a'),
    jsonb_build_object('row', :row1, 'col', :person1, 'val', 'b'),
    jsonb_build_object('row', :row1b, 'col', :col2, 'val', 'c'),
    jsonb_build_object('row', :row1, 'col', :person1, 'val', 'd')));

-- A batch reads its ids by key up to 500 cells (kept plans), by joins above (plans made for
-- the batch): both write the same. 501 new rows, then the same 501 cells as one batch and
-- as batches of 500 and 1, overwriting each other's values; then a refused element among
-- 501 and among 500: the same error, nothing written.
INSERT INTO list_companies (list_id, id)
SELECT :list1, format('80000000-0000-4000-8000-%s', lpad(i::text, 12, '0'))::uuid FROM generate_series(1, 501) i;
CREATE TEMP TABLE big AS
SELECT i, jsonb_build_object('row', format('80000000-0000-4000-8000-%s', lpad(i::text, 12, '0')), 'col', :col1,
                             'val', 'v' || i) AS e FROM generate_series(1, 501) i;
SELECT cell_upsert_many(:list1, (SELECT jsonb_agg(e ORDER BY i) FROM big)) AS one_batch;
SELECT count(*) AS written FROM list_company_cells WHERE company_row_id::text LIKE '80000000%' AND value = 'v' || right(company_row_id::text, 3)::int;
SELECT cell_upsert_many(:list1, (SELECT jsonb_agg(e || '{"val": "w"}' ORDER BY i) FROM big WHERE i <= 500)) AS by_key,
       cell_upsert_many(:list1, (SELECT jsonb_agg(e || '{"val": "w"}' ORDER BY i) FROM big WHERE i > 500)) AS by_key_too;
SELECT count(*) FILTER (WHERE value = 'w') AS rewritten FROM list_company_cells WHERE company_row_id::text LIKE '80000000%';
SELECT cell_upsert_many(:list1, (SELECT jsonb_agg(CASE WHEN i = 300 THEN e || jsonb_build_object('col', :col2) ELSE e END ORDER BY i) FROM big));
SELECT cell_upsert_many(:list1, (SELECT jsonb_agg(CASE WHEN i = 300 THEN e || jsonb_build_object('col', :col2) ELSE e END ORDER BY i) FROM big WHERE i <= 500));
SELECT count(*) FILTER (WHERE value = 'w') AS still_rewritten FROM list_company_cells WHERE company_row_id::text LIKE '80000000%';
