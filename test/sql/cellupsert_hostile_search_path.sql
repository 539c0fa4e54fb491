-- A caller whose search_path puts look-alike tables, functions and operators first redirects
-- nothing the function runs: the real tables are written, the look-alikes stay untouched, and
-- every result is the same as under a normal search_path.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS evil, evil_raise CASCADE;
RESET client_min_messages;

-- A second company column in list1, for the batches.
\set col1b '''20000000-0000-4000-8000-000000000013'''
INSERT INTO list_columns (list_id, id, subject) VALUES (:list1, :col1b, 'company');

-- "evil": the four tables without keys or row-level security, holding rows that would let
-- every refused call of the scenario through, and a cell of their own.
CREATE SCHEMA evil;
CREATE TABLE evil.lists (LIKE lists INCLUDING DEFAULTS);
CREATE TABLE evil.list_columns (LIKE list_columns INCLUDING DEFAULTS);
CREATE TABLE evil.list_companies (LIKE list_companies INCLUDING DEFAULTS);
CREATE TABLE evil.list_company_cells (LIKE list_company_cells INCLUDING DEFAULTS);
INSERT INTO evil.lists (id) VALUES (:list1), (:missing);
INSERT INTO evil.list_columns (list_id, id, subject) VALUES
    (:list1, :col1, 'company'), (:list1, :col2, 'company'), (:list1, :person1, 'company'),
    (:list1, :col1b, 'company'), (:missing, :col1, 'company'), (:missing, :col1b, 'company');
INSERT INTO evil.list_companies (list_id, id) VALUES
    (:list1, :row1), (:list1, :row2), (:list1, :missing), (:missing, :row1);
INSERT INTO evil.list_company_cells (list_id, column_id, company_row_id, value, status)
VALUES (:list1, :col1, :row1, 'fake', 'error');
-- Functions and operators: now() in 1999, lower(), upper() and current_setting() constant,
-- "=" on uuid, text and boolean always true, "<>" on text always false, "->>" on jsonb
-- constant.
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS $$SELECT '1999-12-31 00:00+00'::timestamptz$$;
CREATE FUNCTION evil.current_setting(text, boolean) RETURNS text LANGUAGE sql AS $$SELECT '{"sub": "evil"}'$$;
CREATE FUNCTION evil.text_false(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT false';
CREATE FUNCTION evil.jsonb_field(jsonb, text) RETURNS text LANGUAGE sql AS $$SELECT 'evil'$$;
CREATE OPERATOR evil.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_false);
CREATE OPERATOR evil.->> (LEFTARG = jsonb, RIGHTARG = text, FUNCTION = evil.jsonb_field);
CREATE FUNCTION evil.lower(text) RETURNS text LANGUAGE sql AS $$SELECT 'evil'$$;
CREATE FUNCTION evil.upper(text) RETURNS text LANGUAGE sql AS $$SELECT 'EVIL'$$;
CREATE FUNCTION evil.uuid_true(uuid, uuid) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION evil.text_true(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION evil.bool_true(boolean, boolean) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR evil.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = evil.uuid_true);
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_true);
CREATE OPERATOR evil.= (LEFTARG = boolean, RIGHTARG = boolean, FUNCTION = evil.bool_true);
-- For cell_upsert_many's statements, which unnest its arrays of rows, columns, values and
-- positions and order by position: unnest() of each that returns the wrong elements
-- (exact matches, preferred to pg_catalog.unnest(anyarray) whatever the search_path), and
-- "<", ">" and "=" on integer that are always false.
CREATE FUNCTION evil.unnest(uuid[]) RETURNS SETOF uuid LANGUAGE sql AS
    $$SELECT '30000000-0000-4000-8000-000000000021'::uuid FROM generate_series(1, cardinality($1))$$;
CREATE FUNCTION evil.unnest(text[]) RETURNS SETOF text LANGUAGE sql AS
    $$SELECT 'evil' FROM generate_series(1, cardinality($1))$$;
CREATE FUNCTION evil.unnest(integer[]) RETURNS SETOF integer LANGUAGE sql AS
    $$SELECT 0 FROM generate_series(1, cardinality($1))$$;
CREATE FUNCTION evil.int_false(integer, integer) RETURNS boolean LANGUAGE sql AS 'SELECT false';
CREATE OPERATOR evil.< (LEFTARG = integer, RIGHTARG = integer, FUNCTION = evil.int_false);
CREATE OPERATOR evil.> (LEFTARG = integer, RIGHTARG = integer, FUNCTION = evil.int_false);
CREATE OPERATOR evil.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = evil.int_false);

-- "evil_raise": the same functions and operators, raising an error when called.
CREATE SCHEMA evil_raise;
CREATE FUNCTION evil_raise.called(what text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'look-alike % was called', what; END $$;
CREATE FUNCTION evil_raise.now() RETURNS timestamptz LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'look-alike now() was called'; END $$;
CREATE FUNCTION evil_raise.uuid_eq(uuid, uuid) RETURNS boolean LANGUAGE sql AS $$SELECT evil_raise.called('= (uuid)')$$;
CREATE FUNCTION evil_raise.text_eq(text, text) RETURNS boolean LANGUAGE sql AS $$SELECT evil_raise.called('= (text)')$$;
CREATE OPERATOR evil_raise.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = evil_raise.uuid_eq);
CREATE OPERATOR evil_raise.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil_raise.text_eq);
CREATE FUNCTION evil_raise.text_ne(text, text) RETURNS boolean LANGUAGE sql AS $$SELECT evil_raise.called('<> (text)')$$;
CREATE FUNCTION evil_raise.current_setting(text, boolean) RETURNS text LANGUAGE sql AS $$SELECT evil_raise.called('current_setting()')::text$$;
CREATE OPERATOR evil_raise.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = evil_raise.text_ne);
CREATE FUNCTION evil_raise.unnest(uuid[]) RETURNS SETOF uuid LANGUAGE sql AS $$SELECT evil_raise.called('unnest(uuid[])')::text::uuid$$;
CREATE FUNCTION evil_raise.unnest(text[]) RETURNS SETOF text LANGUAGE sql AS $$SELECT evil_raise.called('unnest(text[])')::text$$;
CREATE FUNCTION evil_raise.unnest(integer[]) RETURNS SETOF integer LANGUAGE sql AS $$SELECT evil_raise.called('unnest(integer[])')::int$$;
CREATE FUNCTION evil_raise.int_lt(integer, integer) RETURNS boolean LANGUAGE sql AS $$SELECT evil_raise.called('< (integer)')$$;
CREATE OPERATOR evil_raise.< (LEFTARG = integer, RIGHTARG = integer, FUNCTION = evil_raise.int_lt);

GRANT USAGE ON SCHEMA evil, evil_raise TO PUBLIC;
CREATE TEMP TABLE look_alikes_before AS
SELECT 'lists' AS t, md5(string_agg(x::text, ',' ORDER BY x::text)) FROM evil.lists x
UNION ALL SELECT 'list_columns', md5(string_agg(x::text, ',' ORDER BY x::text)) FROM evil.list_columns x
UNION ALL SELECT 'list_companies', md5(string_agg(x::text, ',' ORDER BY x::text)) FROM evil.list_companies x
UNION ALL SELECT 'list_company_cells', md5(string_agg(x::text, ',' ORDER BY x::text)) FROM evil.list_company_cells x;
CREATE TEMP TABLE hostile_results (
    label text, list_id uuid, column_id uuid, company_row_id uuid,
    value text, status text, reasoning text, error text, source text, edited_by text);

-- The traps are armed: under this search_path "=" and now() are the look-alikes.
SET search_path = evil, pg_catalog;
SELECT :list1::uuid = :missing::uuid AS uuid_eq, 'a'::text = 'b'::text AS text_eq,
       now() < '2000-01-01' AS now_in_1999, lower('ABC') AS lower,
       current_setting('request.jwt.claims', true) AS claims, 'a'::text <> 'b'::text AS text_ne;
SELECT (SELECT array_agg(u) FROM unnest(ARRAY[:row1::uuid]) u) AS unnest_uuid,
       (SELECT array_agg(u) FROM unnest(ARRAY['a'::text]) u) AS unnest_text,
       (SELECT array_agg(u) FROM unnest(ARRAY[7]) u) AS unnest_int,
       1 < 2 AS int_lt, 1 = 1 AS int_eq;

-- The first call in this backend prepares the plans: under the look-alikes.
\set label 'look-alikes first'
\i test/fixtures/hostile_calls.sql

-- A normal search_path, for reference.
SET search_path = app, public;
\set label 'normal'
\i test/fixtures/hostile_calls.sql

-- Raising look-alikes: any of them called fails the call.
SET search_path = evil_raise, pg_catalog;
SELECT :list1::uuid = :list1::uuid AS armed;
SELECT pg_catalog.count(*) FROM unnest(ARRAY[:row1::uuid]) u;
\set label 'raising look-alikes'
\i test/fixtures/hostile_calls.sql

-- Temporary tables named like the real ones, with pg_temp first in the search_path.
CREATE TEMP TABLE lists AS SELECT * FROM evil.lists;
CREATE TEMP TABLE list_columns AS SELECT * FROM evil.list_columns;
CREATE TEMP TABLE list_companies AS SELECT * FROM evil.list_companies;
CREATE TEMP TABLE list_company_cells AS SELECT * FROM evil.list_company_cells;
SET search_path = pg_temp, evil, pg_catalog;
SELECT count(*) AS temp_cells FROM list_company_cells;
\set label 'pg_temp first'
\i test/fixtures/hostile_calls.sql

-- The plans invalidated (ANALYZE) and rebuilt under the look-alikes.
ANALYZE app.list_company_cells;
SET search_path = evil, pg_catalog;
\set label 'look-alikes after invalidation'
\i test/fixtures/hostile_calls.sql

RESET search_path;
SET search_path = app;

-- The real tables got the cells, the same under every search_path.
SELECT value, status, list_id = :list1 AS in_list1, company_row_id = :row1 AS row1,
       source, edited_by = current_user AS edited_by_caller
FROM hostile_results WHERE label = 'normal' ORDER BY value;
SELECT label, count(*) AS cells,
       count(*) FILTER (WHERE NOT EXISTS (
           SELECT FROM hostile_results n WHERE n.label = 'normal'
             AND (n.list_id, n.column_id, n.company_row_id, n.value, n.status, n.reasoning,
                  n.error, n.source, n.edited_by)
                 IS NOT DISTINCT FROM (h.list_id, h.column_id, h.company_row_id, h.value,
                                       h.status, h.reasoning, h.error, h.source,
                                       h.edited_by))) AS differing
FROM hostile_results h GROUP BY label ORDER BY label;

-- The look-alikes are untouched.
SELECT b.t, b.md5 = a.md5 AS untouched FROM look_alikes_before b JOIN (
    SELECT 'lists' AS t, md5(string_agg(x::text, ',' ORDER BY x::text)) FROM evil.lists x
    UNION ALL SELECT 'list_columns', md5(string_agg(x::text, ',' ORDER BY x::text)) FROM evil.list_columns x
    UNION ALL SELECT 'list_companies', md5(string_agg(x::text, ',' ORDER BY x::text)) FROM evil.list_companies x
    UNION ALL SELECT 'list_company_cells', md5(string_agg(x::text, ',' ORDER BY x::text)) FROM evil.list_company_cells x
) a USING (t) ORDER BY t;
SELECT count(*) AS temp_cells, min(value) AS temp_value FROM pg_temp.list_company_cells;
