-- A trusted extension: a role that owns its database but is not a superuser installs it,
-- and the script then runs as a superuser. Whatever that role put in its search_path or in
-- the target schema, the functions land in the schema named, belong to the role, and work.
\i test/fixtures/ids.sql
\set regress_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS contrib_regression_trusted;
DROP ROLE IF EXISTS regress_db_owner;
DROP ROLE IF EXISTS regress_db_user;
RESET client_min_messages;
CREATE ROLE regress_db_owner;
CREATE ROLE regress_db_user;
CREATE DATABASE contrib_regression_trusted OWNER regress_db_owner TEMPLATE template0;
\c contrib_regression_trusted
SET ROLE regress_db_owner;
SELECT current_user, rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user;

-- The role's own schemas: app for the list tables, and lookalike, with look-alikes of the
-- types an install script names, of functions and operators, and of the list tables.
CREATE SCHEMA app;
SET search_path = app;
\set ECHO none
\i sql/cellupsert_list_tables.sql
\set ECHO all
INSERT INTO app.lists (id) VALUES (:list1);
INSERT INTO app.list_columns (list_id, id, subject) VALUES (:list1, :col1, 'company');
INSERT INTO app.list_companies (list_id, id) VALUES (:list1, :row1), (:list1, :row1b);
-- Look-alike types in app itself, the schema the install script runs in.
CREATE DOMAIN app.uuid AS pg_catalog.text;
CREATE DOMAIN app.text AS pg_catalog.int4;
CREATE SCHEMA lookalike;
CREATE DOMAIN lookalike.uuid AS pg_catalog.text;
CREATE DOMAIN lookalike.text AS pg_catalog.int4;
CREATE DOMAIN lookalike.bool AS pg_catalog.int4;
CREATE DOMAIN lookalike.int4 AS pg_catalog.int8;
CREATE DOMAIN lookalike.jsonb AS pg_catalog.text;
CREATE FUNCTION lookalike.uuid_true(pg_catalog.uuid, pg_catalog.uuid) RETURNS pg_catalog.bool
    LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR lookalike.= (LEFTARG = pg_catalog.uuid, RIGHTARG = pg_catalog.uuid,
                             FUNCTION = lookalike.uuid_true);
CREATE FUNCTION lookalike.now() RETURNS pg_catalog.timestamptz
    LANGUAGE sql AS $$SELECT '1999-12-31 00:00+00'::pg_catalog.timestamptz$$;
CREATE FUNCTION lookalike.format(pg_catalog.text, pg_catalog.text) RETURNS pg_catalog.text
    LANGUAGE sql AS $$SELECT 'lookalike'$$;
CREATE TABLE lookalike.lists (LIKE app.lists INCLUDING DEFAULTS);
CREATE TABLE lookalike.list_columns (LIKE app.list_columns INCLUDING DEFAULTS);
CREATE TABLE lookalike.list_companies (LIKE app.list_companies INCLUDING DEFAULTS);
CREATE TABLE lookalike.list_company_cells (LIKE app.list_company_cells INCLUDING DEFAULTS);
-- Rows that would let a refused call through: person1 as a company column of list1.
INSERT INTO lookalike.lists (id) VALUES (:list1), (:missing);
INSERT INTO lookalike.list_columns (list_id, id, subject) VALUES (:list1, :col1, 'company'), (:list1, :person1, 'company');
INSERT INTO lookalike.list_companies (list_id, id) VALUES (:list1, :row1), (:list1, :missing);
-- A temporary table of a list-table name, too.
CREATE TEMP TABLE list_company_cells (LIKE app.list_company_cells INCLUDING DEFAULTS);
CREATE TEMP TABLE lookalike_before AS
SELECT (SELECT pg_catalog.count(*) FROM lookalike.lists) AS lists,
       (SELECT pg_catalog.count(*) FROM lookalike.list_columns) AS columns,
       (SELECT pg_catalog.count(*) FROM lookalike.list_companies) AS companies,
       (SELECT pg_catalog.count(*) FROM lookalike.list_company_cells) AS cells;

-- An object the role made under a name the script creates is never taken over: the
-- install fails and installs nothing.
CREATE FUNCTION app.cell_upsert_many(list pg_catalog.uuid, cells pg_catalog.jsonb)
RETURNS pg_catalog.int4 LANGUAGE sql AS 'SELECT 0';
CREATE EXTENSION cellupsert SCHEMA app;
\echo :SQLSTATE
SELECT pg_catalog.count(*) AS installed FROM pg_catalog.pg_extension WHERE extname = 'cellupsert';
DROP FUNCTION app.cell_upsert_many(pg_catalog.uuid, pg_catalog.jsonb);

-- The install, with the look-alikes first in the search_path, before pg_catalog.
SET search_path = lookalike, pg_catalog, app, public;
CREATE EXTENSION cellupsert SCHEMA app;
SHOW search_path;
RESET search_path;

-- Every member is a function in app, owned by the role; only the admin function is not
-- executable by PUBLIC. The signatures are built from pg_catalog's types.
SELECT e.extversion, e.extowner::regrole, e.extnamespace::regnamespace
FROM pg_extension e WHERE e.extname = 'cellupsert';
SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS member
FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'cellupsert'
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
ORDER BY pg_describe_object(d.classid, d.objid, d.objsubid) COLLATE "C";
SELECT p.oid::regprocedure AS function, p.proowner::regrole AS owner, p.proacl,
       (SELECT array_agg(DISTINCT t.typnamespace::regnamespace::text) FROM pg_type t
        WHERE t.oid = ANY (coalesce(p.proallargtypes, p.proargtypes::oid[]) || p.prorettype)) AS type_schemas
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'cellupsert'
ORDER BY p.proname;
-- What the script leaves is recorded as the initial privileges: pg_dump writes no GRANT or
-- REVOKE for them.
SELECT p.oid::regprocedure AS function, i.initprivs IS NOT DISTINCT FROM p.proacl AS as_initial
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'cellupsert'
LEFT JOIN pg_init_privs i ON i.classoid = 'pg_proc'::regclass AND i.objoid = p.oid
ORDER BY p.proname;
SELECT p.oid::regprocedure AS in_another_schema FROM pg_proc p
WHERE p.pronamespace <> 'app'::regnamespace AND p.proname LIKE 'cell%';

-- The functions work under the look-alike search_path: the real tables are written, with
-- the real now(), and a column that is a company column only in the look-alikes is refused.
BEGIN;
SET LOCAL search_path = lookalike, pg_catalog, app, public;
SELECT app.cell_upsert(:list1, :row1, :col1, 'by the owner');
SELECT app.cell_upsert_many(:list1, '[{"row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": "batch"}]');
SELECT company_row_id, value, status, edited_by, updated_at = pg_catalog.now() AS now_is_real
FROM app.list_company_cells ORDER BY company_row_id;
COMMIT;
SET search_path = lookalike, pg_catalog, app, public;
SELECT app.cell_upsert(:list1, :row1, :person1, 'refused');
\echo :SQLSTATE
RESET search_path;
SELECT company_row_id, value FROM app.list_company_cells ORDER BY company_row_id;
SELECT l.lists = (SELECT count(*) FROM lookalike.lists)
       AND l.columns = (SELECT count(*) FROM lookalike.list_columns)
       AND l.companies = (SELECT count(*) FROM lookalike.list_companies)
       AND l.cells = (SELECT count(*) FROM lookalike.list_company_cells)
       AND NOT EXISTS (SELECT FROM pg_temp.list_company_cells) AS lookalikes_untouched
FROM lookalike_before l;

-- As the functions' owner, the role grants and revokes EXECUTE, as the PostgREST guide says.
REVOKE EXECUTE ON FUNCTION app.cell_upsert(uuid, uuid, uuid, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.cell_upsert(uuid, uuid, uuid, text, text) TO regress_db_user;
SELECT proacl FROM pg_proc WHERE oid = 'app.cell_upsert(uuid, uuid, uuid, text, text)'::regprocedure;
-- The admin function: the owner may run it (without Citus, 0A000), PUBLIC may not (42501).
SELECT app.cellupsert_distribute();
\echo :SQLSTATE
GRANT USAGE ON SCHEMA app TO regress_db_user;
SET ROLE regress_db_user;
SELECT app.cellupsert_distribute();
\echo :SQLSTATE
SET ROLE regress_db_owner;

-- The oldest version, installed and upgraded by the same role, ends as the fresh install.
DROP EXTENSION cellupsert;
CREATE EXTENSION cellupsert SCHEMA app VERSION '1.0';
ALTER EXTENSION cellupsert UPDATE;
SELECT p.oid::regprocedure AS function, p.proowner::regrole AS owner, p.proacl
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'cellupsert'
ORDER BY p.proname;
SELECT app.cell_upsert(:list1, :row1, :col1, 'after the upgrade');
DROP EXTENSION cellupsert;

-- The install script runs as a superuser and looks at the list tables (cellupsert_check(),
-- for its warnings): it must run none of the role's code. Here lists is a view whose column
-- calls the role's function, which would make the role a superuser if a superuser ran it.
ALTER TABLE app.lists RENAME TO lists_table;
CREATE FUNCTION app.escalate(id pg_catalog.uuid) RETURNS pg_catalog.uuid LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
        EXECUTE 'ALTER ROLE regress_db_owner SUPERUSER';
    END IF;
    RETURN id;
END $$;
CREATE VIEW app.lists WITH (security_invoker) AS SELECT app.escalate(id) AS id, name FROM app.lists_table;
CREATE EXTENSION cellupsert SCHEMA app;
SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'regress_db_owner';
-- The role's own call counts the ids, as the role.
SELECT item, ok FROM app.cellupsert_check() WHERE item LIKE 'ids of %' OR item = 'relation lists';
SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'regress_db_owner';
DROP EXTENSION cellupsert;

RESET ROLE;
\c :regress_db
DROP DATABASE contrib_regression_trusted;
DROP ROLE regress_db_owner;
DROP ROLE regress_db_user;
