-- Who the user is (docs/postgrest.md): the policies, through app.request_user_id(), and the
-- provenance's edited_by read the JWT's "sub" by one rule: request.jwt.claims ->> 'sub'
-- (PostgREST), else jwt.claims.sub (PostGraphile v4), else nobody (edited_by: the role).
-- Requests replayed in PostgREST's and PostGraphile v4's transaction shapes, then the rule
-- case by case, the helper's answer beside the edited_by the call wrote.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\i test/fixtures/postgrest.sql
GRANT SELECT ON app.list_cell_history TO regress_pgrst_authenticated;
CREATE POLICY members_read ON app.list_cell_history FOR SELECT USING (EXISTS (
    SELECT FROM app.list_members m
    WHERE m.list_id = list_cell_history.list_id AND m.user_id = (SELECT app.request_user_id())));
GRANT EXECUTE ON FUNCTION app.cell_upsert_many(uuid, jsonb) TO regress_pgrst_authenticated;
\set cell_writers 'SELECT r.name AS "row", cell.value, cell.edited_by FROM app.list_company_cells cell JOIN app.list_companies r ON r.list_id = cell.list_id AND r.id = cell.company_row_id ORDER BY 1'

-- PostgREST: alice (editor of list1) writes a cell; edited_by is her sub.
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
select set_config('search_path', '"app", "public"', true), set_config('role', 'regress_pgrst_authenticated', true), set_config('request.jwt.claims', '{"role":"regress_pgrst_authenticated","sub":"a11ce000-0000-4000-8000-000000000001"}', true);
SELECT app.cell_upsert(:list1, :row1, :col1, 'by alice through PostgREST');
COMMIT;
:cell_writers;

-- PostGraphile v4: the role and each claim in a setting of its own (jwt.claims.<claim>), the
-- mutation in a savepoint. alice writes, through both functions; edited_by is her sub.
BEGIN;
select set_config('role', 'regress_pgrst_authenticated', true), set_config('jwt.claims.role', 'regress_pgrst_authenticated', true), set_config('jwt.claims.sub', 'a11ce000-0000-4000-8000-000000000001', true);
SAVEPOINT graphql_mutation;
SELECT app.cell_upsert(:list1, :row1, :col1, 'by alice through PostGraphile');
RELEASE SAVEPOINT graphql_mutation;
SAVEPOINT graphql_mutation;
SELECT app.cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'batch by alice')));
RELEASE SAVEPOINT graphql_mutation;
SELECT app.request_user_id() AS user_seen_by_policies, count(*) AS lists_seen FROM app.lists;
COMMIT;
:cell_writers;
SELECT company_row_id = :row1 AS row1, value_after, edited_by FROM app.list_cell_history ORDER BY id;

-- PostGraphile v4: bob (editor of list2 only) does not see list1; carol (viewer of list1) is
-- refused by the cells' policies.
BEGIN;
select set_config('role', 'regress_pgrst_authenticated', true), set_config('jwt.claims.sub', 'b0b00000-0000-4000-8000-000000000002', true);
SAVEPOINT graphql_mutation;
SELECT app.cell_upsert(:list1, :row1, :col1, 'by bob');
ROLLBACK TO SAVEPOINT graphql_mutation;
SELECT app.cell_upsert(:list2, :row2, :col2, 'by bob on his list');
COMMIT;
BEGIN;
select set_config('role', 'regress_pgrst_authenticated', true), set_config('jwt.claims.sub', 'ca201000-0000-4000-8000-000000000003', true);
SAVEPOINT graphql_mutation;
SELECT app.cell_upsert(:list1, :row1, :col1, 'by carol');
ROLLBACK TO SAVEPOINT graphql_mutation;
SELECT count(*) AS cells_carol_sees FROM app.list_company_cells;
COMMIT;
:cell_writers;

-- The rule, case by case, as the superuser (no policy applies): the helper's answer, and the
-- edited_by a call wrote in the same transaction (read in a statement of its own).
CREATE FUNCTION pg_temp.identity(claims text, sub text, OUT request_user_id text, OUT edited_by text)
LANGUAGE plpgsql AS $$
BEGIN
    IF claims IS NOT NULL THEN PERFORM set_config('request.jwt.claims', claims, true); END IF;
    IF sub IS NOT NULL THEN PERFORM set_config('jwt.claims.sub', sub, true); END IF;
    request_user_id := app.request_user_id();
    PERFORM app.cell_upsert('10000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000011',
                            '20000000-0000-4000-8000-000000000011', 'x' || pg_catalog.random());
    SELECT c.edited_by INTO edited_by FROM app.list_company_cells c
    WHERE c.company_row_id = '30000000-0000-4000-8000-000000000011' AND c.column_id = '20000000-0000-4000-8000-000000000011';
    PERFORM set_config('request.jwt.claims', '', true), set_config('jwt.claims.sub', '', true);
END $$;
SELECT claims, sub, i.request_user_id,
       CASE WHEN i.edited_by = current_user THEN '(current_user)' ELSE i.edited_by END AS edited_by,
       i.edited_by = coalesce(i.request_user_id, current_user) AS agree
FROM (VALUES
    ('{"sub":"alice"}', NULL),            -- PostgREST
    (NULL, 'alice'),                      -- PostGraphile v4
    ('{"sub":"alice"}', 'bob'),           -- both: PostgREST's first
    ('{"role":"x"}', 'bob'),              -- claims without sub: PostGraphile's
    ('{"sub":null}', 'bob'),
    ('', 'bob'),                          -- '' counts as unset
    ('{"sub":"alice"}', ''),
    ('', ''),                             -- nobody: the role
    (NULL, NULL),
    ('{"sub":42}', NULL),                 -- ->> 'sub' of a number, an object: its JSON text
    ('{"sub":{"b":1, "a":2}}', NULL),
    ('[1]', 'bob')                        -- claims that are no object: PostGraphile's
) AS t (claims, sub), pg_temp.identity(t.claims, t.sub) i;
