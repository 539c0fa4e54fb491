-- DROP EXTENSION removes every object the extension created and nothing of the application's:
-- the list tables, their rows, columns, RLS settings, policies and grants stay. CREATE
-- EXTENSION again works on the existing tables.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_lifecycle_editor;
RESET client_min_messages;
CREATE ROLE regress_lifecycle_editor;

-- The application's additions on top of the canonical DDL.
ALTER TABLE list_company_cells ADD COLUMN note text NOT NULL DEFAULT 'none';
ALTER TABLE list_company_cells FORCE ROW LEVEL SECURITY;
CREATE POLICY editor ON lists TO regress_lifecycle_editor USING (id = :list1);
CREATE POLICY editor ON list_columns TO regress_lifecycle_editor USING (list_id = :list1);
CREATE POLICY editor ON list_companies TO regress_lifecycle_editor USING (list_id = :list1);
CREATE POLICY editor ON list_company_cells TO regress_lifecycle_editor USING (list_id = :list1);
GRANT USAGE ON SCHEMA app TO regress_lifecycle_editor;
GRANT SELECT ON lists, list_columns, list_companies TO regress_lifecycle_editor;
GRANT SELECT, INSERT, UPDATE ON list_company_cells TO regress_lifecycle_editor;
REVOKE EXECUTE ON FUNCTION cell_upsert(uuid, uuid, uuid, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cell_upsert(uuid, uuid, uuid, text, text) TO regress_lifecycle_editor;
SELECT cell_upsert(:list1, :row1, :col1, 'before drop');
SELECT cell_upsert(:list2, :row2, :col2, 'list two');

-- Everything of the application's in schema app, as text: tables with their RLS flags and
-- grants, columns with their defaults, constraints, indexes, policies, and every row.
CREATE FUNCTION pg_temp.rows_of(t regclass) RETURNS text LANGUAGE plpgsql AS $$
DECLARE result text;
BEGIN
    EXECUTE format('SELECT md5(coalesce(string_agg(x::text, %L ORDER BY x::text), %L)) FROM %s x', ',', '', t)
        INTO result;
    RETURN result;
END $$;
CREATE TEMP VIEW app_state AS
SELECT 'relation ' || c.relname AS object,
       concat_ws(' ', c.relkind, c.relrowsecurity, c.relforcerowsecurity, c.relacl) AS state
FROM pg_class c WHERE c.relnamespace = 'app'::regnamespace
UNION ALL
SELECT 'column ' || a.attrelid::regclass || '.' || a.attname,
       concat_ws(' ', format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid AND c.relnamespace = 'app'::regnamespace AND c.relkind = 'r'
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint ' || conname, pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace = 'app'::regnamespace
UNION ALL
SELECT 'index ' || i.indexrelid::regclass, pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid AND c.relnamespace = 'app'::regnamespace
UNION ALL
SELECT 'policy ' || tablename || '.' || policyname, concat_ws(' ', roles, cmd, qual, with_check)
FROM pg_policies WHERE schemaname = 'app'
UNION ALL
SELECT 'rows of ' || c.relname, pg_temp.rows_of(c.oid)
FROM pg_class c WHERE c.relnamespace = 'app'::regnamespace AND c.relkind = 'r';
\set QUIET on
CREATE TEMP TABLE state_before AS SELECT * FROM app_state;
\set QUIET off
-- (Counts that hold whatever columns and indexes later versions of the DDL add.)
SELECT count(*) FILTER (WHERE object LIKE 'rows of %') AS tables,
       count(*) FILTER (WHERE object LIKE 'index %') >= 4 AS has_indexes,
       count(*) FILTER (WHERE object LIKE 'column %') >= 20 AS has_columns,
       count(*) FILTER (WHERE object LIKE 'policy %') AS policies
FROM state_before;

-- What the extension created.
\set QUIET on
CREATE TEMP TABLE members AS
SELECT d.classid, d.objid, d.objsubid, pg_describe_object(d.classid, d.objid, d.objsubid) AS member
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cellupsert');
\set QUIET off
SELECT count(*) > 0 AS has_members FROM members;

-- An application function that calls the extension's: DROP EXTENSION refuses to break it,
-- and CASCADE drops it, but still no table.
CREATE FUNCTION app.edit_cell(list uuid, "row" uuid, col uuid, val text) RETURNS boolean
BEGIN ATOMIC
    SELECT app.cell_upsert(list, "row", col, val);
END;
DROP EXTENSION cellupsert;
\echo :SQLSTATE
SET client_min_messages = warning;
DROP EXTENSION cellupsert CASCADE;
RESET client_min_messages;

-- Every member is gone, and no function is left behind in the schema.
SELECT member AS left_behind FROM members
WHERE pg_describe_object(classid, objid, objsubid) IS NOT NULL;
SELECT p.oid::regprocedure AS function_left FROM pg_proc p
WHERE p.pronamespace = 'app'::regnamespace OR p.proname LIKE 'cell\_upsert%';
-- (Terse: the hint of a failed function lookup is worded differently from PostgreSQL 19 on.)
\set VERBOSITY terse
SELECT app.cell_upsert(:list1, :row1, :col1, 'after drop');
\echo :SQLSTATE
\set VERBOSITY default

-- The application's objects and rows are exactly as before: no difference either way.
(TABLE state_before EXCEPT TABLE app_state) UNION ALL (TABLE app_state EXCEPT TABLE state_before);
SELECT value, status, note FROM list_company_cells ORDER BY value;

-- CREATE EXTENSION again, on the existing tables: the same session, whose cached plans
-- belonged to the dropped function, and a role under the policies both write.
CREATE EXTENSION cellupsert SCHEMA app;
-- New functions, with the default privileges: EXECUTE for PUBLIC again.
SELECT has_function_privilege('public', 'app.cell_upsert(uuid, uuid, uuid, text, text)', 'EXECUTE')
    AS public_may_execute;
SELECT cell_upsert(:list1, :row1, :col1, 'after re-create');
SET ROLE regress_lifecycle_editor;
SELECT cell_upsert(:list1, :row1b, :col1, 'by the editor');
SELECT cell_upsert(:list2, :row2, :col2, 'hidden from the editor');
\echo :SQLSTATE
RESET ROLE;
SELECT value, status, note FROM list_company_cells ORDER BY value;
-- The same members as the first time: no difference either way.
CREATE TEMP VIEW members_now AS
SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS member
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cellupsert');
(SELECT member FROM members EXCEPT TABLE members_now)
UNION ALL (TABLE members_now EXCEPT SELECT member FROM members);

SET client_min_messages = warning;
DROP SCHEMA app CASCADE;
DROP ROLE regress_lifecycle_editor;
RESET client_min_messages;
