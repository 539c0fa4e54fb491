-- The extension installed into public next to existing list tables, then into a dedicated
-- schema. Another schema's copy of the list tables, with the same ids, is never read or
-- written by the functions, whatever the search_path, and neither are temporary tables.
\i test/fixtures/ids.sql
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS cellupsert CASCADE;
DROP SCHEMA IF EXISTS app, lists_a, tenant_b CASCADE;
DROP TABLE IF EXISTS public.list_company_cells, public.list_companies, public.list_columns, public.lists;
RESET client_min_messages;

-- md5 of the rows of the four list tables of a schema.
CREATE FUNCTION pg_temp.contents(schema_name text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    t text;
    rows_md5 text;
    result text := '';
BEGIN
    FOREACH t IN ARRAY ARRAY['lists', 'list_columns', 'list_companies', 'list_company_cells'] LOOP
        EXECUTE format('SELECT md5(coalesce(string_agg(x::text, %L ORDER BY x::text), %L)) FROM %I.%I x',
                       ',', '', schema_name, t) INTO rows_md5;
        result := result || rows_md5;
    END LOOP;
    RETURN md5(result);
END $$;

-- The application's tables exist in public, with data, before the extension.
SET search_path = public;
\set ECHO none
\i sql/cellupsert_list_tables.sql
\set ECHO all
INSERT INTO lists (id, name) VALUES (:list1, 'public list');
INSERT INTO list_columns (list_id, id, subject) VALUES (:list1, :col1, 'company');
INSERT INTO list_companies (list_id, id, name) VALUES (:list1, :row1, 'Acme');

-- CREATE EXTENSION without SCHEMA: the first schema of search_path.
CREATE EXTENSION cellupsert;
SELECT extnamespace::regnamespace AS schema FROM pg_extension WHERE extname = 'cellupsert';
SELECT cell_upsert(:list1, :row1, :col1, 'in public');
SELECT value, status FROM public.list_company_cells;

-- A second copy of the list tables in schema tenant_b: the same list, column and row ids,
-- other data, and a list (list2) that only tenant_b has.
CREATE SCHEMA tenant_b;
SET search_path = tenant_b;
\set ECHO none
\i sql/cellupsert_list_tables.sql
\set ECHO all
INSERT INTO lists (id, name) VALUES (:list1, 'tenant_b list'), (:list2, 'only in tenant_b');
INSERT INTO list_columns (list_id, id, subject) VALUES (:list1, :col1, 'company'), (:list2, :col2, 'company');
INSERT INTO list_companies (list_id, id, name) VALUES (:list1, :row1, 'Acme B'), (:list2, :row2, 'Initech B');
INSERT INTO list_company_cells (list_id, column_id, company_row_id, value)
VALUES (:list1, :col1, :row1, 'tenant_b value');
CREATE TEMP TABLE tenant_b_before AS SELECT pg_temp.contents('tenant_b') AS rows_md5;

-- search_path names tenant_b first: the call finds public.cell_upsert, which writes public.
SET search_path = tenant_b, public;
SELECT cell_upsert(:list1, :row1, :col1, 'search_path tenant_b, public');
SELECT value FROM public.list_company_cells;
-- A list that exists only in tenant_b does not exist for public's function.
SELECT cell_upsert(:list2, :row2, :col2, 'x');
\echo :SQLSTATE
-- Temporary tables of the same names come first in every lookup of an unqualified name.
CREATE TEMP TABLE lists (LIKE public.lists);
CREATE TEMP TABLE list_columns (LIKE public.list_columns);
CREATE TEMP TABLE list_companies (LIKE public.list_companies);
CREATE TEMP TABLE list_company_cells (LIKE public.list_company_cells INCLUDING DEFAULTS);
INSERT INTO pg_temp.lists SELECT * FROM tenant_b.lists;
INSERT INTO pg_temp.list_columns SELECT * FROM tenant_b.list_columns;
INSERT INTO pg_temp.list_companies SELECT * FROM tenant_b.list_companies;
SELECT public.cell_upsert(:list1, :row1, :col1, 'temp tables present');
SELECT public.cell_upsert(:list2, :row2, :col2, 'x');
\echo :SQLSTATE
SELECT value FROM public.list_company_cells;
SELECT count(*) AS temp_cells FROM pg_temp.list_company_cells;
DROP TABLE pg_temp.lists, pg_temp.list_columns, pg_temp.list_companies, pg_temp.list_company_cells;
SELECT pg_temp.contents('tenant_b') = rows_md5 AS tenant_b_unchanged FROM tenant_b_before;

-- The extension stays with its tables: it cannot be moved to another schema.
ALTER EXTENSION cellupsert SET SCHEMA tenant_b;
\echo :SQLSTATE

-- A dedicated schema lists_a with its own tables; public's tables are now the application's
-- leftovers and tenant_b another copy: the function in lists_a touches neither.
DROP EXTENSION cellupsert;
CREATE SCHEMA lists_a;
SET search_path = lists_a;
\set ECHO none
\i sql/cellupsert_list_tables.sql
\set ECHO all
INSERT INTO lists (id, name) VALUES (:list1, 'lists_a list');
INSERT INTO list_columns (list_id, id, subject) VALUES (:list1, :col1, 'company');
INSERT INTO list_companies (list_id, id, name) VALUES (:list1, :row1, 'Acme A');
CREATE EXTENSION cellupsert SCHEMA lists_a;
SELECT extnamespace::regnamespace AS schema FROM pg_extension WHERE extname = 'cellupsert';
CREATE TEMP TABLE public_before AS SELECT pg_temp.contents('public') AS rows_md5;

SET search_path = tenant_b, public;
SELECT lists_a.cell_upsert(:list1, :row1, :col1, 'in lists_a');
SELECT lists_a.cell_upsert(:list2, :row2, :col2, 'x');
\echo :SQLSTATE
SET search_path = public;
SELECT lists_a.cell_upsert(:list1, :row1, :col1, 'in lists_a again');
SELECT value, status FROM lists_a.list_company_cells;
SELECT pg_temp.contents('tenant_b') = rows_md5 AS tenant_b_unchanged FROM tenant_b_before;
SELECT pg_temp.contents('public') = rows_md5 AS public_unchanged FROM public_before;

SET client_min_messages = warning;
DROP EXTENSION cellupsert;
DROP SCHEMA lists_a, tenant_b CASCADE;
DROP TABLE public.list_cell_history, public.list_company_cells, public.list_companies, public.list_columns, public.lists;
RESET client_min_messages;
