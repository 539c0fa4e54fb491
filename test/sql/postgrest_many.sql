-- POST /rpc/cell_upsert_many through PostgREST, replayed as in postgrest_rpc.sql: body
-- {"list": ..., "cells": [...]}, the cells arriving as jsonb through json_to_record.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\i test/fixtures/postgrest.sql
REVOKE EXECUTE ON FUNCTION app.cell_upsert_many(uuid, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.cell_upsert_many(uuid, jsonb) TO regress_pgrst_authenticated;
-- The statement PostgREST sends first in each request, for alice (editor of list1), to
-- /rpc/cell_upsert_many and to /rpc/cell_upsert.
\set alice 'select set_config(''search_path'', ''"app", "public"'', true), set_config(''role'', ''regress_pgrst_authenticated'', true), set_config(''request.jwt.claims'', ''{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}'', true), set_config(''request.method'', ''POST'', true), set_config(''request.path'', ''/rpc/cell_upsert_many'', true), set_config(''request.headers'', ''{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}'', true), set_config(''request.cookies'', ''{}'', true)'
\set alice_single 'select set_config(''search_path'', ''"app", "public"'', true), set_config(''role'', ''regress_pgrst_authenticated'', true), set_config(''request.jwt.claims'', ''{"aud":"authenticated","role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}'', true), set_config(''request.method'', ''POST'', true), set_config(''request.path'', ''/rpc/cell_upsert'', true), set_config(''request.headers'', ''{"accept":"*/*","content-type":"application/json","host":"localhost:3000"}'', true), set_config(''request.cookies'', ''{}'', true)'
\set cells_by 'SELECT r.name AS "row", c.name AS col, cell.value, cell.status, cell.source, cell.edited_by FROM app.list_company_cells cell JOIN app.list_companies r ON r.list_id = cell.list_id AND r.id = cell.company_row_id JOIN app.list_columns c ON c.list_id = cell.list_id AND c.id = cell.column_id ORDER BY 1, 2'

-- A batch: two cells, one of them twice (the last wins), one cleared with "".
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
:alice;
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "cells": [{"row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": "first"}, {"row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": ""}, {"row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": "last"}]}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "cells" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "cells" jsonb) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert_many"("list" := pgrst_body."list", "cells" := pgrst_body."cells") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert_many".* FROM "pgrst_source" AS "cell_upsert_many") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells_by;

-- 23503 (HTTP 409): element 1 uses a column of another list; nothing of the batch is written.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
:alice;
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "cells": [{"row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": "changed"}, {"row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000021", "val": "foreign"}]}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "cells" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "cells" jsonb) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert_many"("list" := pgrst_body."list", "cells" := pgrst_body."cells") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert_many".* FROM "pgrst_source" AS "cell_upsert_many") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells_by;

-- 23503 (HTTP 409): bob's list, as alice: it does not exist for her.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
:alice;
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000002", "cells": [{"row": "30000000-0000-4000-8000-000000000021", "col": "20000000-0000-4000-8000-000000000021", "val": "hacked"}]}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "cells" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "cells" jsonb) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert_many"("list" := pgrst_body."list", "cells" := pgrst_body."cells") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert_many".* FROM "pgrst_source" AS "cell_upsert_many") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;

-- 22023 (HTTP 400): a number where an id belongs, in element 0.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
:alice;
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "cells": [{"row": 11, "col": "20000000-0000-4000-8000-000000000011"}]}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "cells" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "cells" jsonb) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert_many"("list" := pgrst_body."list", "cells" := pgrst_body."cells") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert_many".* FROM "pgrst_source" AS "cell_upsert_many") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;

-- 25006 (HTTP 405): a READ ONLY transaction, as for a GET.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
:alice;
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "cells": [{"row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": "read only"}]}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "cells" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "cells" jsonb) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert_many"("list" := pgrst_body."list", "cells" := pgrst_body."cells") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert_many".* FROM "pgrst_source" AS "cell_upsert_many") _postgrest_t;
\echo :SQLSTATE
ROLLBACK;
:cells_by;

-- Values that are not JSON strings (200): a number and an object, stored as their JSON text,
-- as /rpc/cell_upsert stores them. The batch's cells arrive as jsonb, so its text is jsonb's
-- (keys in jsonb's order, spacing normalised); /rpc/cell_upsert's val arrives as sent.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
:alice;
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "cells": [{"row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": 250}, {"row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": {"b":1,  "a":[1,2]}}]}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "cells" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "cells" jsonb) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert_many"("list" := pgrst_body."list", "cells" := pgrst_body."cells") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert_many".* FROM "pgrst_source" AS "cell_upsert_many") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells_by;
-- The same two values, one request each to /rpc/cell_upsert.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
:alice_single;
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000011", "col": "20000000-0000-4000-8000-000000000011", "val": 250}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
:alice_single;
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT '{"list": "10000000-0000-4000-8000-000000000001", "row": "30000000-0000-4000-8000-000000000012", "col": "20000000-0000-4000-8000-000000000011", "val": {"b":1,  "a":[1,2]}}'::json AS json_data) pgrst_payload, LATERAL (SELECT "list", "row", "col", "val" FROM json_to_record(pgrst_payload.json_data) AS _("list" uuid, "row" uuid, "col" uuid, "val" text) LIMIT 1) pgrst_body, LATERAL (SELECT "app"."cell_upsert"("list" := pgrst_body."list", "row" := pgrst_body."row", "col" := pgrst_body."col", "val" := pgrst_body."val") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "cell_upsert".* FROM "pgrst_source" AS "cell_upsert") _postgrest_t;
\echo :SQLSTATE
COMMIT;
:cells_by;
