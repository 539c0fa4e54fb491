-- POST /rpc/cell_upsert through PostgREST (v12 and later), replayed statement for statement:
-- the transaction, the role and JWT claims PostgREST sets, the call through json_to_record
-- with named arguments for the keys present in the body, then COMMIT (ROLLBACK after an
-- error). The body column is the HTTP response body; for errors PostgREST answers with the
-- SQLSTATE, message, detail and hint (HTTP status in docs/postgrest.md). After each request,
-- the cells as the superuser sees them.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\i test/fixtures/postgrest.sql

-- What PostgREST's schema cache reads: one function of that name in the exposed schema,
-- these argument names and types (the JSON keys), val with a default (optional key), a
-- scalar result (the body is the value itself), VOLATILE (POST runs READ WRITE; GET would
-- run READ ONLY), no SET clause (PostgREST would copy it into the transaction).
\x on
SELECT p.oid::regprocedure AS function, pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_result(p.oid) AS result, p.provolatile AS volatility,
       p.proisstrict AS strict, p.prosecdef AS security_definer, p.proretset AS returns_set,
       p.provariadic <> 0 AS variadic, p.proconfig AS settings
FROM pg_proc p
WHERE p.proname = 'cell_upsert' AND p.pronamespace = 'app'::regnamespace;
\x off

-- A cell written earlier by an enrichment run.
INSERT INTO app.list_company_cells (list_id, column_id, company_row_id, value, status, reasoning, error)
VALUES (:list1, :col1, :row1b, 'enriched', 'error', 'from run 7', 'timeout');
:cells;

-- A new cell (alice, editor of list1).
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": "42"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells;

-- An overwrite: value replaced, status complete, reasoning and error kept.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": "1200"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells;

-- "val": "" is stored as NULL.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": ""}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells;

-- "val": null is stored as NULL.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": null}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells;

-- A JSON number reaches the function as its JSON text.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": 250}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells;

-- A body without "val": the key is left out of the record and of the named arguments,
-- and the default applies: NULL.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells;

-- 23503 (HTTP 409): the column of another list (a stale or foreign column id).
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000021", "val": "x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- 23503 (HTTP 409): another tenant's list, column and row: as if they did not exist.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000002", "row": "30000000-0000-4000-8000-000000000021", "col": "20000000-0000-4000-8000-000000000021", "val": "x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- 22023 (HTTP 400): a person column.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000012", "val": "x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- 22P02 (HTTP 400): an id that is not a UUID: PostgreSQL's own error, from json_to_record.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "not-a-uuid", "col": "20000000-0000-4000-8000-000000000011", "val": "x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- 22004 (HTTP 400): an id sent as null.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": null, "val": "x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- 22023 (HTTP 400): a UUID outside the endpoint's pattern (version digit 0).
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-0000-8000-000000000011", "val": "x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- 25006 (HTTP 405): the same call in a READ ONLY transaction, as PostgREST runs a GET
-- (GET /rpc/cell_upsert?list=...&row=...&col=...&val=x).
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'GET', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"col":"20000000-0000-4000-8000-000000000011","list":"10000000-0000-4000-8000-000000000001","row":"30000000-0000-4000-8000-000000000011","val":"x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- 42501 (HTTP 403): carol, a viewer of list1, is refused by the write policies.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"ca201000-0000-4000-8000-000000000003"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": "x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- 42501 (HTTP 401): a request without a JWT runs as the anonymous role, which may not
-- execute the function.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_anon', true), set_config('request.jwt.claims', '{"role":"regress_pgrst_anon"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": "x"}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- A conditional edit: "if_match" is the version the client read (GET /rpc/cell_version):
-- written. The same version again is stale: PT412, which PostgREST answers with HTTP 412,
-- the current version in the details; nothing written.
SELECT app.cell_version(:list1, :row1b, :col1) AS version \gset
\set body '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": "if matched", "if_match": "' :version '"}'
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT :'body'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val", "if_match" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text, "if_match" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val", "if_match" := pgrst_body."if_match") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells;
\set body '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": "stale", "if_match": "' :version '"}'
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', '{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT :'body'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val", "if_match" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text, "if_match" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val", "if_match" := pgrst_body."if_match") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- The If-Match header instead of "if_match" (PostgREST passes it in request.headers): the
-- version in quotes, as an ETag. The response's ETag is the new version; headers the
-- application set (a pre-request function) stay.
SELECT app.cell_version(:list1, :row1b, :col1) AS version \gset

-- The current version in If-Match: written; ETag after the application's header.
\set body '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": "by header"}'
\set headers '{"accept":"*/*","content-type":"application/json","host":"localhost:3000","if-match":"\\"' :version '\\""}'
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', :'headers', true), set_config('request.cookies', '{}', true);
SELECT set_config('response.headers', '[{"Cache-Control": "no-store"}]', true) IS NOT NULL AS pre_request;
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT :'body'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells;
SELECT app.cell_version(:list1, :row1b, :col1) AS new_version \gset

-- The same, now stale, version in If-Match: PT412.
\set body '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": "stale by header"}'
\set headers '{"accept":"*/*","content-type":"application/json","host":"localhost:3000","if-match":"\\"' :version '\\""}'
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', :'headers', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT :'body'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- A weak tag: 22023 (If-Match compares strongly).
\set body '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": "weak"}'
\set headers '{"accept":"*/*","content-type":"application/json","host":"localhost:3000","if-match":"W/\\"' :new_version '\\""}'
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', :'headers', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT :'body'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- If-Match: *: 22023.
\set body '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": "star"}'
\set headers '{"accept":"*/*","content-type":"application/json","host":"localhost:3000","if-match":"*"}'
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', :'headers', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT :'body'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;

-- The header and the body disagree: 22023.
\set body '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": "both", "if_match": "' :version '"}'
\set headers '{"accept":"*/*","content-type":"application/json","host":"localhost:3000","if-match":"\\"' :new_version '\\""}'
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', :'headers', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT :'body'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val", "if_match" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text, "if_match" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val", "if_match" := pgrst_body."if_match") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells;
\set version :new_version

-- The header and the body agree: written.
\set body '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": "both agree", "if_match": "' :version '"}'
\set headers '{"accept":"*/*","content-type":"application/json","host":"localhost:3000","if-match":"\\"' :new_version '\\""}'
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true), set_config('request.method', 'POST', true), set_config('request.path', '/rpc/cell_upsert', true), set_config('request.headers', :'headers', true), set_config('request.cookies', '{}', true);
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT :'body'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val", "if_match" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text, "if_match" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val", "if_match" := pgrst_body."if_match") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells;

-- The If-Match header on a function that cannot honour it (a batch, a release, an
-- enrichment): 22023, nothing written; never ignored.
SELECT app.cell_version(:list1, :row1b, :col1) AS version \gset
\set headers '{"accept":"*/*","content-type":"application/json","host":"localhost:3000","if-match":"\\"' :version '\\""}'
BEGIN;
SELECT set_config('request.headers', :'headers', true) IS NOT NULL AS headers_set;
SAVEPOINT call;
SELECT app.cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'batch')));
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO call;
SELECT app.cell_release(:list1, :row1b, :col1);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO call;
SELECT app.cell_release_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1)));
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO call;
SELECT app.cell_enrich_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'job')));
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
:cells;

-- Two writes in one transaction (a wrapper that calls cell_upsert twice): one ETag, the
-- last write's version.
BEGIN;
SELECT set_config('request.headers', '{"accept":"*/*"}', true) IS NOT NULL AS headers_set;
SELECT app.cell_upsert(:list1, :row1, :col1, 'first of two') AND app.cell_upsert(:list1, :row1b, :col1, 'second of two');
SELECT current_setting('response.headers') = format('[{"ETag": "\"%s\""}]', app.cell_version(:list1, :row1b, :col1))
       AS one_etag_the_last;
ROLLBACK;
