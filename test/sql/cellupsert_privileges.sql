-- Privileges and policies that refuse the write: each role gets 42501 and nothing is written,
-- on a new cell and on an existing one. Adds to cellupsert_rls (SELECT only, RLS without
-- UPDATE, no privilege on the cells table): no privilege on any table or on the schema,
-- a missing privilege of each kind the statement needs, no SELECT policy on the cells, and
-- an UPDATE policy whose check refuses the edited cell.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_cellupsert_p_full, regress_cellupsert_p_no_schema,
    regress_cellupsert_p_no_tables, regress_cellupsert_p_no_update,
    regress_cellupsert_p_no_select_cells, regress_cellupsert_p_no_select_columns,
    regress_cellupsert_p_no_select_policy, regress_cellupsert_p_update_check,
    regress_cellupsert_p_no_row_policy;
RESET client_min_messages;
CREATE ROLE regress_cellupsert_p_full;              -- every privilege and policy: the control
CREATE ROLE regress_cellupsert_p_no_schema;         -- no USAGE on the schema
CREATE ROLE regress_cellupsert_p_no_tables;         -- USAGE on the schema, nothing on any table
CREATE ROLE regress_cellupsert_p_no_update;         -- no UPDATE on the cells
CREATE ROLE regress_cellupsert_p_no_select_cells;   -- no SELECT on the cells
CREATE ROLE regress_cellupsert_p_no_select_columns; -- no SELECT on list_columns
CREATE ROLE regress_cellupsert_p_no_select_policy;  -- no SELECT policy on the cells
CREATE ROLE regress_cellupsert_p_update_check;      -- an UPDATE policy whose check fails
CREATE ROLE regress_cellupsert_p_no_row_policy;     -- no SELECT policy on the rows

GRANT USAGE ON SCHEMA app TO regress_cellupsert_p_full, regress_cellupsert_p_no_tables,
    regress_cellupsert_p_no_update, regress_cellupsert_p_no_select_cells,
    regress_cellupsert_p_no_select_columns, regress_cellupsert_p_no_select_policy,
    regress_cellupsert_p_update_check, regress_cellupsert_p_no_row_policy;
GRANT SELECT ON lists, list_companies TO regress_cellupsert_p_full,
    regress_cellupsert_p_no_update, regress_cellupsert_p_no_select_cells,
    regress_cellupsert_p_no_select_columns, regress_cellupsert_p_no_select_policy,
    regress_cellupsert_p_update_check, regress_cellupsert_p_no_row_policy;
GRANT SELECT ON list_columns TO regress_cellupsert_p_full,
    regress_cellupsert_p_no_update, regress_cellupsert_p_no_select_cells,
    regress_cellupsert_p_no_select_policy, regress_cellupsert_p_update_check,
    regress_cellupsert_p_no_row_policy;
GRANT SELECT ON list_company_cells TO regress_cellupsert_p_full,
    regress_cellupsert_p_no_update, regress_cellupsert_p_no_select_columns,
    regress_cellupsert_p_no_select_policy, regress_cellupsert_p_update_check,
    regress_cellupsert_p_no_row_policy;
GRANT INSERT ON list_company_cells TO regress_cellupsert_p_full,
    regress_cellupsert_p_no_update, regress_cellupsert_p_no_select_cells,
    regress_cellupsert_p_no_select_columns, regress_cellupsert_p_no_select_policy,
    regress_cellupsert_p_update_check, regress_cellupsert_p_no_row_policy;
GRANT UPDATE ON list_company_cells TO regress_cellupsert_p_full,
    regress_cellupsert_p_no_select_cells, regress_cellupsert_p_no_select_columns,
    regress_cellupsert_p_no_select_policy, regress_cellupsert_p_update_check,
    regress_cellupsert_p_no_row_policy;

-- Policies: everything is visible and writable, except what each role's name says.
CREATE POLICY read ON lists FOR SELECT USING (true);
CREATE POLICY read ON list_columns FOR SELECT USING (true);
CREATE POLICY read ON list_companies FOR SELECT TO regress_cellupsert_p_full,
    regress_cellupsert_p_no_update, regress_cellupsert_p_no_select_cells,
    regress_cellupsert_p_no_select_columns, regress_cellupsert_p_no_select_policy,
    regress_cellupsert_p_update_check USING (true);
CREATE POLICY read ON list_company_cells FOR SELECT TO regress_cellupsert_p_full,
    regress_cellupsert_p_no_update, regress_cellupsert_p_no_select_cells,
    regress_cellupsert_p_no_select_columns, regress_cellupsert_p_update_check,
    regress_cellupsert_p_no_row_policy USING (true);
CREATE POLICY write ON list_company_cells FOR INSERT WITH CHECK (true);
CREATE POLICY edit ON list_company_cells FOR UPDATE USING (true)
    WITH CHECK (current_user <> 'regress_cellupsert_p_update_check');

-- Calls cell_upsert as a role; returns the SQLSTATE and message instead of raising.
CREATE FUNCTION try_as(who name, l uuid, r uuid, c uuid,
                              OUT state text, OUT message text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', who);
    PERFORM app.cell_upsert(l, r, c, 'written by ' || who);
    RESET ROLE;
    state := '00000';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
END $$;

SELECT cell_upsert(:list1, :row1, :col1, 'existing');
CREATE TEMP TABLE cells_before AS SELECT * FROM list_company_cells;

-- Each role on the existing cell (row1) and on a new one (row1b). INSERT ... ON CONFLICT
-- DO UPDATE needs UPDATE and SELECT on the cells, and passing SELECT policies, even for a new
-- cell; an UPDATE policy applies to the existing cell only. Rows hidden by the absence of a
-- SELECT policy do not exist for the caller: 23503, as for any id it cannot see.
SELECT replace(w.who, 'regress_cellupsert_p_', '') AS role, t.cell, r.state, r.message
FROM (VALUES (1, 'regress_cellupsert_p_no_schema'), (2, 'regress_cellupsert_p_no_tables'),
             (3, 'regress_cellupsert_p_no_update'), (4, 'regress_cellupsert_p_no_select_cells'),
             (5, 'regress_cellupsert_p_no_select_columns'),
             (6, 'regress_cellupsert_p_no_select_policy'),
             (7, 'regress_cellupsert_p_update_check'), (8, 'regress_cellupsert_p_no_row_policy'))
     w (n, who),
     (VALUES ('existing', :row1::uuid), ('new', :row1b)) t (cell, row_id),
     LATERAL try_as(w.who, :list1, t.row_id, :col1) r
WHERE (w.who, t.cell) <> ('regress_cellupsert_p_update_check', 'new')
ORDER BY w.n, t.cell;
SELECT current_user = session_user AS role_restored;

-- Nothing was written.
SELECT count(*) AS changed_cells FROM (
    (TABLE list_company_cells EXCEPT TABLE cells_before)
    UNION ALL
    (TABLE cells_before EXCEPT TABLE list_company_cells)) d;

-- The control: the same calls by the role with every privilege and policy are written.
SELECT t.cell, r.state
FROM (VALUES ('existing', :row1::uuid), ('new', :row1b)) t (cell, row_id),
     LATERAL try_as('regress_cellupsert_p_full', :list1, t.row_id, :col1) r
ORDER BY t.cell;
SELECT company_row_id = :row1 AS row1, value FROM list_company_cells ORDER BY value;

-- cell_upsert_many: the same roles, each with a batch of existing cells (row1 and row1b,
-- written by the control), one of new cells, and one of both, whose new cells come
-- before and after the existing one in primary-key order (the order the batch is
-- written in): the same SQLSTATE as the single call and nothing written, not even the
-- new cells of the mixed batch. The UPDATE policy's check refuses the existing cells only.
\set r_before '''30000000-0000-4000-8000-000000000010'''
\set r_after '''30000000-0000-4000-8000-000000000013'''
INSERT INTO list_companies (list_id, id) VALUES (:list1, :r_before), (:list1, :r_after);

-- Calls cell_upsert_many as a role; returns the SQLSTATE and message instead of raising.
CREATE FUNCTION try_many_as(who name, l uuid, cell_rows uuid[], OUT state text, OUT message text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', who);
    PERFORM app.cell_upsert_many(l, (
        SELECT jsonb_agg(jsonb_build_object('row', r, 'col', '20000000-0000-4000-8000-000000000011',
                                            'val', 'batch by ' || who) ORDER BY n)
        FROM unnest(cell_rows) WITH ORDINALITY AS u (r, n)));
    RESET ROLE;
    state := '00000';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
END $$;

CREATE TEMP TABLE cells_before_many AS SELECT * FROM list_company_cells;
SELECT replace(w.who, 'regress_cellupsert_p_', '') AS role, b.batch, r.state, r.message
FROM (VALUES (1, 'regress_cellupsert_p_no_schema'), (2, 'regress_cellupsert_p_no_tables'),
             (3, 'regress_cellupsert_p_no_update'), (4, 'regress_cellupsert_p_no_select_cells'),
             (5, 'regress_cellupsert_p_no_select_columns'),
             (6, 'regress_cellupsert_p_no_select_policy'),
             (7, 'regress_cellupsert_p_update_check'), (8, 'regress_cellupsert_p_no_row_policy'))
     w (n, who),
     (VALUES (1, 'existing', ARRAY[:row1::uuid, :row1b]),
             (2, 'new', ARRAY[:r_before::uuid, :r_after]),
             (3, 'mixed', ARRAY[:r_after::uuid, :row1, :r_before])) b (o, batch, cell_rows),
     LATERAL try_many_as(w.who, :list1, b.cell_rows) r
WHERE (w.who, b.batch) <> ('regress_cellupsert_p_update_check', 'new')
ORDER BY w.n, b.o;
SELECT current_user = session_user AS role_restored;

-- Nothing was written.
SELECT count(*) AS changed_cells FROM (
    (TABLE list_company_cells EXCEPT TABLE cells_before_many)
    UNION ALL
    (TABLE cells_before_many EXCEPT TABLE list_company_cells)) d;

-- The control: the mixed batch by the role with every privilege and policy is written, and
-- by the role whose UPDATE policy refuses existing cells, a batch of new cells.
SELECT r.state FROM try_many_as('regress_cellupsert_p_full', :list1,
                                ARRAY[:r_after::uuid, :row1, :r_before]) r;
DELETE FROM list_company_cells WHERE company_row_id IN (:r_before, :r_after);
SELECT r.state FROM try_many_as('regress_cellupsert_p_update_check', :list1,
                                ARRAY[:r_before::uuid, :r_after]) r;
SELECT company_row_id, value FROM list_company_cells ORDER BY company_row_id;

-- A batch's locks run as the tables' owner (batch_locks.h): in one statement when one role
-- owns lists, list_columns and list_companies; here each table as its own owner, as the
-- owner of the lists may not lock the rows of the others.
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_cellupsert_p_lists_owner, regress_cellupsert_p_keys_owner;
RESET client_min_messages;
CREATE ROLE regress_cellupsert_p_lists_owner;
CREATE ROLE regress_cellupsert_p_keys_owner;
GRANT USAGE ON SCHEMA app TO regress_cellupsert_p_lists_owner, regress_cellupsert_p_keys_owner;
ALTER TABLE lists OWNER TO regress_cellupsert_p_lists_owner;
ALTER TABLE list_columns OWNER TO regress_cellupsert_p_keys_owner;
ALTER TABLE list_companies OWNER TO regress_cellupsert_p_keys_owner;
SELECT r.state, r.message FROM try_many_as('regress_cellupsert_p_full', :list1, ARRAY[:row1b::uuid, :r_after]) r;
SELECT company_row_id, value FROM list_company_cells WHERE company_row_id IN (:row1b, :r_after) ORDER BY 1;

-- An owner that may not lock its table: a batch says so (55000) and writes nothing, also for
-- a caller to whom no policy applies (whose batch locks in C when the owners could).
SET ROLE regress_cellupsert_p_keys_owner;
REVOKE UPDATE ON list_companies FROM regress_cellupsert_p_keys_owner;
RESET ROLE;
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'not written')));
SELECT value FROM list_company_cells WHERE company_row_id = :row1b;
