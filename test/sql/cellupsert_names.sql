-- Names that cannot collide: the admin function is named after the extension, so an
-- application's own distribute() and distribute(integer) in the same schema break neither
-- CREATE EXTENSION nor the application's calls; and PUBLIC cannot execute it.
\i test/fixtures/ids.sql
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS cellupsert CASCADE;
DROP SCHEMA IF EXISTS app CASCADE;
DROP ROLE IF EXISTS regress_names_caller;
RESET client_min_messages;
CREATE ROLE regress_names_caller;
CREATE SCHEMA app;
GRANT USAGE ON SCHEMA app TO regress_names_caller;

-- The application's functions, before the extension.
CREATE FUNCTION app.distribute() RETURNS text
LANGUAGE sql RETURN 'the application''s distribute()';
CREATE FUNCTION app.distribute(n integer) RETURNS text
LANGUAGE sql RETURN format('the application''s distribute(%s)', n);

CREATE EXTENSION cellupsert SCHEMA app;
SET search_path = app;
SELECT distribute();
SELECT distribute(3);
RESET search_path;
SELECT p.oid::regprocedure AS function, e.extname AS extension
FROM pg_proc p
LEFT JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
LEFT JOIN pg_extension e ON e.oid = d.refobjid
WHERE p.pronamespace = 'app'::regnamespace ORDER BY p.oid::regprocedure::text COLLATE "C";

-- Who may execute what: the functions of the API stay executable by PUBLIC (the application
-- revokes that itself, see the PostgREST guide); the admin function is not.
SELECT p.oid::regprocedure AS function,
       has_function_privilege('public', p.oid, 'EXECUTE') AS public_may_execute,
       has_function_privilege('regress_names_caller', p.oid, 'EXECUTE') AS caller_may_execute
FROM pg_proc p WHERE p.pronamespace = 'app'::regnamespace AND p.proname LIKE 'cell%'
ORDER BY p.oid::regprocedure::text COLLATE "C";
SET ROLE regress_names_caller;
SELECT app.cellupsert_distribute();
\echo :SQLSTATE
SELECT app.cellupsert_distribute(16);
\echo :SQLSTATE
RESET ROLE;
-- Its owner may (without Citus, it says so).
SELECT app.cellupsert_distribute();
\echo :SQLSTATE

-- 1.1 named it distribute: next to the application's distribute(integer), installing 1.1
-- fails; next to its distribute(), the application's call is ambiguous. The update to 1.2
-- removes the extension's distribute.
DROP EXTENSION cellupsert;
CREATE EXTENSION cellupsert SCHEMA app VERSION '1.1';
\echo :SQLSTATE
DROP FUNCTION app.distribute(integer);
CREATE EXTENSION cellupsert SCHEMA app VERSION '1.1';
-- (Terse: the detail and hint of an ambiguous call are worded differently from PostgreSQL 19 on.)
\set VERBOSITY terse
SELECT app.distribute();
\echo :SQLSTATE
\set VERBOSITY default
ALTER EXTENSION cellupsert UPDATE TO '1.2';
SELECT app.distribute();
SELECT p.oid::regprocedure AS function,
       has_function_privilege('public', p.oid, 'EXECUTE') AS public_may_execute
FROM pg_proc p WHERE p.pronamespace = 'app'::regnamespace AND p.proname LIKE '%distribute%'
ORDER BY p.oid::regprocedure::text COLLATE "C";

SET client_min_messages = warning;
DROP EXTENSION cellupsert;
DROP SCHEMA app CASCADE;
DROP ROLE regress_names_caller;
RESET client_min_messages;
