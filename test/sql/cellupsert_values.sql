-- Values are stored byte for byte: quotes, backslashes, newlines, multibyte text, SQL, 10 MB.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql

CREATE TEMP TABLE samples (n int PRIMARY KEY, val text);
INSERT INTO samples VALUES
    (1, 'it''s "quoted"'),
    (2, E'back\\slash \\n not a newline'),
    (3, E'line one\nline two\r\nline three\ttabbed'),
    (4, 'héllo wörld — 日本語 — emoji 🙂'),
    (5, 'x''); DROP TABLE list_company_cells; --'),
    (6, ' '),
    (7, '{"json": [1, 2, 3]}'),
    (8, repeat('0123456789', 1024 * 1024));  -- 10 MB

-- Each sample goes through the function into a fresh cell and comes back unchanged.
CREATE TEMP TABLE sample_rows AS
SELECT n, format('50000000-0000-4000-8000-%s', lpad(n::text, 12, '0'))::uuid AS row_id FROM samples;
INSERT INTO list_companies (list_id, id) SELECT :list1, row_id FROM sample_rows;
SELECT n, cell_upsert(:list1, r.row_id, :col1, s.val) FROM samples s JOIN sample_rows r USING (n)
ORDER BY n;

SELECT s.n, octet_length(c.value) AS bytes, c.value = s.val AS identical,
       md5(c.value) = md5(s.val) AS same_md5
FROM samples s JOIN sample_rows r USING (n)
JOIN list_company_cells c ON c.company_row_id = r.row_id AND c.column_id = :col1
ORDER BY s.n;

-- An overwrite with the 10 MB value, then back to a short one.
SELECT cell_upsert(:list1, :row1, :col1, (SELECT val FROM samples WHERE n = 8));
SELECT octet_length(value) AS bytes FROM list_company_cells WHERE company_row_id = :row1;
SELECT cell_upsert(:list1, :row1, :col1, (SELECT val FROM samples WHERE n = 4));
SELECT value FROM list_company_cells WHERE company_row_id = :row1;

-- A value read from a table (compressed, out of line) is stored as the same text.
CREATE TEMP TABLE stored AS SELECT val FROM samples WHERE n = 8;
SELECT cell_upsert(:list1, :row1b, :col1, (SELECT val FROM stored));
SELECT md5(value) = md5((SELECT val FROM stored)) AS identical
FROM list_company_cells WHERE company_row_id = :row1b;

-- The injection sample did nothing but get stored.
SELECT count(*) AS cells FROM list_company_cells;
