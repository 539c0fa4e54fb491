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
