-- cellupsert_list_tables.sql applies whole or not at all. Over an empty schema it creates the
-- four list tables; over a schema that already has any of them it creates nothing, enables
-- row-level security on nothing and says why in a WARNING. The installed copy is run three
-- ways: by a psql of its own without ON_ERROR_STOP (psql -c 'SET search_path = ...' -f FILE,
-- the README's way; test/fixtures/list_tables_psql.sh), the same with psql -1, and as one
-- string holding the whole file, as a migration tool sends it (pg_read_file, then \gexec).
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS ddl_empty, ddl_single_transaction, ddl_one_string, ddl_one, ddl_view,
    ddl_all, ddl_first, ddl_type CASCADE;
DROP ROLE IF EXISTS regress_ddl_reader;
RESET client_min_messages;
CREATE ROLE regress_ddl_reader;

-- The installed file, for the psql runs and the string runs.
SELECT coalesce(current_setting('extension_destdir', true), '')
       || (SELECT setting FROM pg_config WHERE name = 'SHAREDIR')
       || '/extension/cellupsert_list_tables.sql' AS ddl_file \gset
SELECT pg_read_file(:'ddl_file') AS ddl \gset
\setenv CELLUPSERT_DDL :ddl_file
\setenv PGDATABASE :DBNAME

-- What a schema holds, by name and deparsed, with the schema's own name taken out so that
-- two schemas compare: relations (with row-level security), columns in order with type,
-- NOT NULL and default, constraints, indexes, policies.
CREATE FUNCTION pg_temp.shape(schema_name name) RETURNS SETOF text
LANGUAGE sql SET search_path = pg_catalog AS $$
    SELECT replace(item, quote_ident(schema_name) || '.', '') FROM (
        SELECT format('relation %s %s rls=%s force=%s', c.relname, c.relkind,
                      c.relrowsecurity, c.relforcerowsecurity)
        FROM pg_class c WHERE c.relnamespace = schema_name::regnamespace
        UNION ALL
        SELECT format('column %s %2s %s %s notnull=%s default=%s', c.relname, a.attnum, a.attname,
                      format_type(a.atttypid, a.atttypmod), a.attnotnull,
                      pg_get_expr(d.adbin, d.adrelid))
        FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
        WHERE c.relnamespace = schema_name::regnamespace AND c.relkind = 'r'
        UNION ALL
        SELECT format('constraint %s %s %s valid=%s', co.conrelid::regclass, co.conname,
                      pg_get_constraintdef(co.oid), co.convalidated)
        -- NOT NULL constraints, which PostgreSQL catalogs here from 18 on, are notnull= above.
        FROM pg_constraint co WHERE co.connamespace = schema_name::regnamespace AND co.contype <> 'n'
        UNION ALL
        SELECT format('index %s', pg_get_indexdef(i.indexrelid))
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE c.relnamespace = schema_name::regnamespace
        UNION ALL
        SELECT format('policy %s %s', p.tablename, p.policyname)
        FROM pg_policies p WHERE p.schemaname = schema_name
        UNION ALL
        SELECT format('type %s %s', t.typname, t.typtype)
        FROM pg_type t WHERE t.typnamespace = schema_name::regnamespace AND t.typtype <> 'c'
          AND t.typelem = 0
    ) items(item)
$$;

-- Differences between two schemas' shapes, each line tagged with the schema that has it.
CREATE FUNCTION pg_temp.shape_diff(a name, b name) RETURNS SETOF text LANGUAGE sql AS $$
    (SELECT a || ' only: ' || s FROM pg_temp.shape(a) s EXCEPT SELECT a || ' only: ' || s FROM pg_temp.shape(b) s)
    UNION ALL
    (SELECT b || ' only: ' || s FROM pg_temp.shape(b) s EXCEPT SELECT b || ' only: ' || s FROM pg_temp.shape(a) s)
    ORDER BY 1
$$;

-- The original API's tables, as an application that did not start from the DDL has them: one
-- cell per (column_id, company_row_id), no list_id on cells, a surrogate id, no row-level
-- security, two cells. In the first schema of search_path; only the cells when cells_only.
CREATE FUNCTION pg_temp.original_tables(cells_only boolean) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT cells_only THEN
        CREATE TABLE lists (id uuid PRIMARY KEY, name text NOT NULL DEFAULT '');
        CREATE TABLE list_columns (id uuid PRIMARY KEY, list_id uuid NOT NULL REFERENCES lists,
                                   subject text NOT NULL, name text NOT NULL DEFAULT '');
        CREATE TABLE list_companies (id uuid PRIMARY KEY, list_id uuid NOT NULL REFERENCES lists,
                                     name text NOT NULL DEFAULT '');
        INSERT INTO lists VALUES ('10000000-0000-4000-8000-000000000001', 'one');
        INSERT INTO list_columns VALUES ('20000000-0000-4000-8000-000000000011',
                                         '10000000-0000-4000-8000-000000000001', 'company', 'Website');
        INSERT INTO list_companies VALUES
            ('30000000-0000-4000-8000-000000000011', '10000000-0000-4000-8000-000000000001', 'Acme'),
            ('30000000-0000-4000-8000-000000000012', '10000000-0000-4000-8000-000000000001', 'Globex');
    END IF;
    CREATE TABLE list_company_cells (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        column_id uuid NOT NULL,
        company_row_id uuid NOT NULL,
        value text,
        UNIQUE (column_id, company_row_id));
    INSERT INTO list_company_cells (column_id, company_row_id, value) VALUES
        ('20000000-0000-4000-8000-000000000011', '30000000-0000-4000-8000-000000000011', 'acme.example'),
        ('20000000-0000-4000-8000-000000000011', '30000000-0000-4000-8000-000000000012', 'globex.example');
END $$;

-- 1. An empty schema: the four tables, their keys and row-level security.
CREATE SCHEMA ddl_empty;
\! sh test/fixtures/list_tables_psql.sh ddl_empty
SELECT s AS ddl_empty FROM pg_temp.shape('ddl_empty') s ORDER BY 1;

-- The same with psql -1, and as one string: the same tables, in every detail.
CREATE SCHEMA ddl_single_transaction;
\! sh test/fixtures/list_tables_psql.sh ddl_single_transaction -1
SELECT * FROM pg_temp.shape_diff('ddl_empty', 'ddl_single_transaction');
CREATE SCHEMA ddl_one_string;
SET search_path = ddl_one_string;
-- \gexec sends the file's text as one query (echo off: psql would print it).
\set ECHO none
SELECT :'ddl' \gexec
\set ECHO all
RESET search_path;
SELECT * FROM pg_temp.shape_diff('ddl_empty', 'ddl_one_string');

-- 2. A schema with one of the four tables, the cells of the original API's shape: nothing
-- created beside it, row-level security left off, its rows kept.
CREATE SCHEMA ddl_one;
SET search_path = ddl_one;
SELECT pg_temp.original_tables(cells_only => true);
RESET search_path;
CREATE TEMP TABLE ddl_one_before AS SELECT s FROM pg_temp.shape('ddl_one') s;
CREATE TEMP TABLE ddl_one_rows AS SELECT * FROM ddl_one.list_company_cells;
\! sh test/fixtures/list_tables_psql.sh ddl_one
\! sh test/fixtures/list_tables_psql.sh ddl_one -1
SET search_path = ddl_one;
\set ECHO none
SELECT :'ddl' \gexec
\set ECHO all
RESET search_path;
SELECT s AS ddl_one FROM pg_temp.shape('ddl_one') s ORDER BY 1;
SELECT (SELECT array_agg(s ORDER BY s) FROM ddl_one_before) = array_agg(s ORDER BY s) AS unchanged
FROM pg_temp.shape('ddl_one') s;
SELECT count(*) AS rows_kept FROM ddl_one.list_company_cells NATURAL JOIN ddl_one_rows;

-- A view of one of the names (an adapter schema) stops it too.
CREATE SCHEMA ddl_view;
CREATE VIEW ddl_view.list_columns AS SELECT 1 AS id;
\! sh test/fixtures/list_tables_psql.sh ddl_view
SELECT s AS ddl_view FROM pg_temp.shape('ddl_view') s ORDER BY 1;

-- 3. A schema with all four tables, their rows and no policies. Before the file was one
-- block, psql went on after its failed CREATE TABLEs and ran its ENABLE ROW LEVEL SECURITY:
-- every reader but the owner then saw no rows.
CREATE SCHEMA ddl_all;
SET search_path = ddl_all;
SELECT pg_temp.original_tables(cells_only => false);
RESET search_path;
GRANT USAGE ON SCHEMA ddl_all TO regress_ddl_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA ddl_all TO regress_ddl_reader;
CREATE TEMP TABLE ddl_all_before AS SELECT s FROM pg_temp.shape('ddl_all') s;
\! sh test/fixtures/list_tables_psql.sh ddl_all
\! sh test/fixtures/list_tables_psql.sh ddl_all -1
SET search_path = ddl_all;
\set ECHO none
SELECT :'ddl' \gexec
\set ECHO all
RESET search_path;
SELECT (SELECT array_agg(s ORDER BY s) FROM ddl_all_before) = array_agg(s ORDER BY s) AS unchanged
FROM pg_temp.shape('ddl_all') s;
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
WHERE c.relnamespace = 'ddl_all'::regnamespace AND c.relkind = 'r' ORDER BY 1;
SET ROLE regress_ddl_reader;
SELECT (SELECT count(*) FROM ddl_all.lists) AS lists,
       (SELECT count(*) FROM ddl_all.list_columns) AS list_columns,
       (SELECT count(*) FROM ddl_all.list_companies) AS list_companies,
       (SELECT count(*) FROM ddl_all.list_company_cells) AS list_company_cells;
RESET ROLE;

-- 4. The check looks where the CREATEs create, the first existing schema of search_path, not
-- wherever the names resolve: ddl_all's tables do not stop it in ddl_first ...
CREATE SCHEMA ddl_first;
\! sh test/fixtures/list_tables_psql.sh ddl_first,ddl_all
SELECT * FROM pg_temp.shape_diff('ddl_empty', 'ddl_first');
-- ... and a schema of search_path that does not exist is skipped, as CREATE TABLE skips it.
\! sh test/fixtures/list_tables_psql.sh ddl_missing,ddl_all
SELECT (SELECT array_agg(s ORDER BY s) FROM ddl_all_before) = array_agg(s ORDER BY s) AS unchanged
FROM pg_temp.shape('ddl_all') s;

-- 5. An error rolls back the whole file. A type named like the third table: the two tables
-- created before the CREATE TABLE that fails are gone with it. (Terse: the error's context
-- would quote the DDL.)
CREATE SCHEMA ddl_type;
CREATE TYPE ddl_type.list_companies AS ENUM ('x');
\! sh test/fixtures/list_tables_psql.sh ddl_type -v VERBOSITY=terse
SELECT s AS ddl_type FROM pg_temp.shape('ddl_type') s ORDER BY 1;
-- No schema to create in: nothing anywhere.
CREATE TEMP TABLE list_tables_before AS SELECT count(*) AS n FROM pg_class WHERE relname = 'lists';
\! sh test/fixtures/list_tables_psql.sh ddl_missing -v VERBOSITY=terse
SELECT count(*) - (SELECT n FROM list_tables_before) AS lists_created FROM pg_class WHERE relname = 'lists';

SET client_min_messages = warning;
DROP SCHEMA ddl_empty, ddl_single_transaction, ddl_one_string, ddl_one, ddl_view, ddl_all,
    ddl_first, ddl_type CASCADE;
DROP ROLE regress_ddl_reader;
RESET client_min_messages;
