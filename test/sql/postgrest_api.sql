-- Applications that expose only an "api" schema to PostgREST (db-schemas = api) keep the
-- extension next to the list tables and add the documented wrapper in "api": the same
-- signature (PostgREST resolves it by the body's keys), VOLATILE, not STRICT, SECURITY
-- INVOKER, no SET clause, and a SQL-standard body: parsed once, so the caller's search_path
-- cannot change it, and inlined into PostgREST's query.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\i test/fixtures/postgrest.sql

CREATE SCHEMA api;
CREATE FUNCTION api.cell_upsert(list uuid, "row" uuid, col uuid, val text DEFAULT NULL)
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY INVOKER
RETURN app.cell_upsert(list, "row", col, val);
REVOKE EXECUTE ON FUNCTION api.cell_upsert(uuid, uuid, uuid, text) FROM PUBLIC;
GRANT USAGE ON SCHEMA api TO regress_pgrst_authenticated, regress_pgrst_anon;
GRANT EXECUTE ON FUNCTION api.cell_upsert(uuid, uuid, uuid, text) TO regress_pgrst_authenticated;

-- What PostgREST's schema cache reads of the wrapper: the same as of app.cell_upsert.
\x on
SELECT p.oid::regprocedure AS function, pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_result(p.oid) AS result, p.provolatile AS volatility,
       p.proisstrict AS strict, p.prosecdef AS security_definer, p.proretset AS returns_set,
       p.provariadic <> 0 AS variadic, p.proconfig AS settings
FROM pg_proc p
WHERE p.proname = 'cell_upsert' AND p.pronamespace = 'api'::regnamespace;
\x off

-- The wrapper is inlined: the plan calls app.cell_upsert directly.
SET search_path = api, public;
EXPLAIN (VERBOSE, COSTS OFF) SELECT api.cell_upsert(:list1, :row1, :col1, 'x');

-- It depends on the extension's function: dropping the extension without CASCADE is refused.
DROP EXTENSION cellupsert;

-- A new cell (alice), with "app" not on the search_path.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"api", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": "42"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "api"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells;

-- "val": null reaches the function (a STRICT wrapper would answer null and write nothing).
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"api", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": null}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "api"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells;

-- A new cell, then a body without "val": the wrapper's own default applies.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"api", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": "7"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "api"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"api", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid) LIMIT 1) pgrst_body, LATERAL (SELECT "api"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells;

-- Errors pass through unchanged: 23503 (HTTP 409), a foreign column.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"api", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000021", "val": "x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "api"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- 22P02 (HTTP 400), an id that is not a UUID.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"api", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "not-a-uuid", "val": "x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "api"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- 25006 (HTTP 405), a GET.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
select set_config('search_path', '"api", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'GET', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"col":"20000000-0000-4000-8000-000000000011","list":"10000000-0000-4000-8000-000000000001","row":"30000000-0000-4000-8000-000000000011","val":"x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "api"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- 42501 (HTTP 401), the anonymous role.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"api", "public"', true), set_config('role', 'regress_pgrst_anon', true), set_config('request.jwt.claims', '{"role":"regress_pgrst_anon"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": "x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "api"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- The wrapper depends on the extension: drop it before the next test recreates the extension.
SET client_min_messages = warning;
DROP SCHEMA api CASCADE;
