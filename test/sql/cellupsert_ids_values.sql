-- Hostile ids and values, beyond cellupsert_errors and cellupsert_values: every version and
-- variant digit in each position, the nil and max UUIDs as real ids, NULLs and omissions in
-- each position, and values of 1 byte, 1 MiB and 100 MiB, every character from 1 to 255, SQL
-- and format strings. Each is stored exactly or refused with the documented SQLSTATE, and
-- no refused call writes anything.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\set nil '''00000000-0000-0000-0000-000000000000'''
\set max '''ffffffff-ffff-ffff-ffff-ffffffffffff'''

-- A call whose error, if any, is returned instead of raised.
CREATE FUNCTION try_call(l uuid, r uuid, c uuid, v text DEFAULT 'x',
                         OUT state text, OUT message text, OUT detail text)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cell_upsert(l, r, c, v);
    state := '00000';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL;
END $$;

SELECT cell_upsert(:list1, :row1, :col1, 'before');
CREATE TEMP TABLE cells_before AS SELECT * FROM list_company_cells;

-- Every version digit (15th character) and variant digit (20th) in each position, on an id
-- that exists nowhere: 22023 for a digit outside the pattern, otherwise looked up (23503).
CREATE TEMP TABLE digit_calls AS
SELECT p.n, p.position, k.kind, d.digit, i.id, t.*
FROM (VALUES (1, 'list'), (2, 'row'), (3, 'col')) p (n, position),
     (VALUES ('version', 15), ('variant', 20)) k (kind, at),
     regexp_split_to_table('0123456789abcdef', '') d (digit),
     LATERAL (SELECT overlay('90000000-0000-4000-8000-000000000099' PLACING d.digit
                             FROM k.at FOR 1)::uuid AS id) i,
     LATERAL try_call(CASE p.n WHEN 1 THEN i.id ELSE :list1 END,
                      CASE p.n WHEN 2 THEN i.id ELSE :row1 END,
                      CASE p.n WHEN 3 THEN i.id ELSE :col1 END) t;
SELECT position, kind,
       string_agg(digit, '' ORDER BY digit) FILTER (WHERE state = '22023') AS refused_22023,
       string_agg(digit, '' ORDER BY digit) FILTER (WHERE state = '23503') AS looked_up_23503,
       count(*) FILTER (WHERE state NOT IN ('22023', '23503')) AS other
FROM digit_calls GROUP BY n, position, kind ORDER BY n, kind DESC;
-- Each refusal names the parameter, the id and the offending digit.
SELECT count(*) AS refusals,
       count(*) FILTER (WHERE message <> format('invalid id for parameter "%s": %s', position, id)
                           OR detail <> format('Its %s digit is "%s".', kind, digit)) AS wrong_text
FROM digit_calls WHERE state = '22023';
-- A wrong version digit is reported before a wrong variant digit, and upper case is the same id.
SELECT state, detail FROM try_call(:list1, :row1, '20000000-0000-F000-C000-000000000011');

-- Ids almost nil or almost max are checked like any other.
SELECT state, detail FROM try_call('00000000-0000-0000-0000-000000000001', :row1, :col1);
SELECT state, detail FROM try_call(:list1, :row1, 'ffffffff-ffff-ffff-ffff-fffffffffffe');

-- The nil and max UUIDs are ids like any other: a list, its column and its row.
INSERT INTO lists (id) VALUES (:nil), (:max);
INSERT INTO list_columns (list_id, id, subject) VALUES (:nil, :max, 'company'), (:max, :nil, 'company');
INSERT INTO list_companies (list_id, id) VALUES (:nil, :nil), (:max, :max);
SELECT cell_upsert(:nil, :nil, :max, 'nil list, nil row, max column');
SELECT cell_upsert(:max, :max, :nil, 'max list, max row, nil column');
-- Other text forms of the same UUIDs (PostgreSQL's uuid input: upper case, braces, no
-- hyphens) reach the function as the same id.
SELECT cell_upsert('FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '{ffffffff-ffff-ffff-ffff-ffffffffffff}',
                   '00000000000000000000000000000000', 'max list, max row, nil column, again');
SELECT list_id, company_row_id, column_id, value, status FROM list_company_cells
WHERE list_id IN (:nil, :max) ORDER BY list_id;
-- They are not visible from another list.
SELECT state FROM try_call(:list1, :nil, :col1);
SELECT state FROM try_call(:list1, :row1, :max);

-- NULLs: ids are checked in argument order, NULL before pattern.
SELECT cell_upsert(NULL, NULL, NULL, 'x');
\echo :SQLSTATE
SELECT cell_upsert(NULL, '30000000-0000-0000-8000-000000000011', :col1, 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, NULL, '20000000-0000-0000-8000-000000000011', 'x');
\echo :SQLSTATE
SELECT cell_upsert(:list1, :row1, NULL::uuid, NULL::text);
\echo :SQLSTATE
-- An omitted id matches no function: PostgreSQL's 42883, before the function runs.
-- (Terse: the hint of a failed function lookup is worded differently from PostgreSQL 19 on.)
\set VERBOSITY terse
SELECT cell_upsert(list => :list1, "row" => :row1, val => 'x');
\echo :SQLSTATE
\set VERBOSITY default
-- A NUL character cannot be a text value: PostgreSQL refuses it before the call.
SELECT cell_upsert(:list1, :row1, :col1, convert_from('\x6100'::bytea, 'UTF8'));
\echo :SQLSTATE
SELECT cell_upsert(:list1, :row1, :col1, chr(0));
\echo :SQLSTATE

-- Nothing was written by any refused call.
SELECT count(*) AS changed_cells FROM (
    (TABLE list_company_cells EXCEPT TABLE cells_before)
    UNION ALL
    (TABLE cells_before EXCEPT TABLE list_company_cells)) d
WHERE list_id NOT IN (:nil, :max);

-- Values. Rows 60000000-…-000000000001 to -000000000255 take one character each, 1 to 255
-- (every character the database encoding has there; in UTF-8, 128 to 255 take two bytes).
CREATE TEMP TABLE samples (n int PRIMARY KEY, val text);
INSERT INTO samples SELECT i, chr(i) FROM generate_series(1, 255) i;
INSERT INTO samples VALUES
    (256, (SELECT string_agg(chr(i), '' ORDER BY i) FROM generate_series(1, 255) i)),
    -- SQL, psql and format strings.
    (257, '''; DELETE FROM app.lists; --'),
    (258, '$1 $2 $3 $4'),
    (259, '%1$s %s %d %n %%'),
    (260, '$$; DROP SCHEMA app CASCADE; $$'),
    (261, '*/ SELECT pg_sleep(10); /*'),
    (262, E'\\.\n\\x00\\000'),
    (263, 'NULL'),
    (264, E'\'\'\'\'');
-- 1 MiB of pseudo-random characters 1 to 127, which pglz cannot compress.
INSERT INTO samples
SELECT 265, string_agg(chr(1 + get_byte(decode(md5(i::text), 'hex'), 0) % 127), '')
FROM generate_series(1, 1024 * 1024) i;
CREATE TEMP TABLE sample_rows AS
SELECT n, format('60000000-0000-4000-8000-%s', lpad(n::text, 12, '0'))::uuid AS row_id FROM samples;
INSERT INTO list_companies (list_id, id) SELECT :list1, row_id FROM sample_rows;

SELECT count(*) FILTER (WHERE cell_upsert(:list1, r.row_id, :col1, s.val)) AS written
FROM samples s JOIN sample_rows r USING (n);
SELECT count(*) AS samples,
       count(*) FILTER (WHERE c.value = s.val AND md5(c.value) = md5(s.val)
                          AND octet_length(c.value) = octet_length(s.val)) AS identical,
       count(*) FILTER (WHERE octet_length(c.value) = 1) AS one_byte,
       max(octet_length(c.value)) FILTER (WHERE s.n <= 256) AS all_characters_bytes,
       max(octet_length(c.value)) AS largest_bytes
FROM samples s JOIN sample_rows r USING (n)
LEFT JOIN list_company_cells c ON c.company_row_id = r.row_id AND c.column_id = :col1;
-- The same values as overwrites of existing cells, in reverse.
SELECT count(*) FILTER (WHERE cell_upsert(:list1, r.row_id, :col1, s.val)) AS overwritten
FROM samples s JOIN sample_rows r ON r.n = 266 - s.n;
SELECT count(*) FILTER (WHERE md5(c.value) = md5(s.val)) AS identical
FROM samples s JOIN sample_rows r ON r.n = 266 - s.n
JOIN list_company_cells c ON c.company_row_id = r.row_id AND c.column_id = :col1;

-- 100 MiB: the 1 MiB sample a hundred times, stored out of line uncompressed, then
-- overwritten with one byte.
SELECT cell_upsert(:list1, :row1b, :col1, repeat(val, 100)) FROM samples WHERE n = 265;
SELECT octet_length(c.value) AS bytes, pg_column_size(c.value) AS stored_bytes,
       md5(c.value) = md5(repeat(s.val, 100)) AS identical
FROM list_company_cells c, samples s WHERE c.company_row_id = :row1b AND s.n = 265;
-- Its history row has it too (the cell's new tuple, too large for work_mem, was read back
-- from disk).
SELECT md5(h.value_after) = md5(repeat(s.val, 100)) AS history_identical
FROM list_cell_history h, samples s WHERE h.company_row_id = :row1b AND s.n = 265 ORDER BY h.id DESC LIMIT 1;
SELECT cell_upsert(:list1, :row1b, :col1, 'y');
SELECT value FROM list_company_cells WHERE company_row_id = :row1b;

-- The SQL in the values did nothing but get stored.
SELECT (SELECT count(*) FROM lists) AS lists, (SELECT count(*) FROM list_company_cells) AS cells;
