-- Nothing in cell_upsert depends on the session's search_path, which PostgREST sets to the
-- exposed schema (plus db-extra-search-path) in every transaction. The same requests as in
-- postgrest_rpc, first (and first in this backend: plans are prepared on the first call)
-- under a search_path that puts look-alike objects before pg_catalog, then under the
-- exposed schema alone.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\i test/fixtures/postgrest.sql

-- Look-alikes of everything the function uses: the four tables, where list1 has list2's
-- column as a company column; "=" for uuid and for text that is always true; and now().
CREATE SCHEMA regress_lookalike;
CREATE TABLE regress_lookalike.lists (LIKE app.lists INCLUDING DEFAULTS);
CREATE TABLE regress_lookalike.list_columns (LIKE app.list_columns INCLUDING DEFAULTS);
CREATE TABLE regress_lookalike.list_companies (LIKE app.list_companies INCLUDING DEFAULTS);
CREATE TABLE regress_lookalike.list_company_cells (LIKE app.list_company_cells INCLUDING DEFAULTS);
INSERT INTO regress_lookalike.lists (id) VALUES (:list1);
INSERT INTO regress_lookalike.list_columns (list_id, id, subject) VALUES (:list1, :col2, 'company');
INSERT INTO regress_lookalike.list_companies (list_id, id) VALUES (:list1, :row1);
CREATE FUNCTION regress_lookalike.always(uuid, uuid) RETURNS boolean LANGUAGE sql RETURN true;
CREATE FUNCTION regress_lookalike.always(text, text) RETURNS boolean LANGUAGE sql RETURN true;
CREATE OPERATOR regress_lookalike.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = regress_lookalike.always);
CREATE OPERATOR regress_lookalike.= (LEFTARG = text, RIGHTARG = text, FUNCTION = regress_lookalike.always);
CREATE FUNCTION regress_lookalike.now() RETURNS timestamptz LANGUAGE sql
RETURN '2000-01-01 00:00:00+00'::timestamptz;
GRANT USAGE ON SCHEMA regress_lookalike TO regress_pgrst_authenticated;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA regress_lookalike TO regress_pgrst_authenticated;

-- The look-alikes are live under that search_path.
BEGIN;
SELECT set_config('search_path', '"regress_lookalike", "pg_catalog"', true);
SELECT :col1::uuid = :col2::uuid AS lookalike_equal, now() AS lookalike_now;
ROLLBACK;

-- A new cell, then an overwrite: written in app, at the transactions' times.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"regress_lookalike", "pg_catalog"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": "42"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"regress_lookalike", "pg_catalog"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": "43"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells;
SELECT created_at > '2000-01-02' AS created_now, updated_at > created_at AS updated_later
FROM app.list_company_cells;

-- The foreign column, which the look-alike tables and operators would let through.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"regress_lookalike", "pg_catalog"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000021", "val": "x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;

-- A person column, which the look-alike "=" for text would let through.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"regress_lookalike", "pg_catalog"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000012", "val": "x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;

-- An overwrite under the exposed schema alone.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": "44"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells;

-- The look-alike cells table was never written.
SELECT count(*) AS lookalike_cells FROM regress_lookalike.list_company_cells;

SET client_min_messages = warning;
DROP SCHEMA regress_lookalike CASCADE;
