-- Cell history: the canonical DDL creates list_cell_history and attaches the extension's
-- trigger, which records every cell written, by any writer, with what the write replaced;
-- cell_history() reads one cell's, newest first. Each write is read back in a statement of
-- its own.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\set VERBOSITY default
CREATE VIEW history AS
SELECT company_row_id = :row1 AS row1, kind, edit_id IS NOT NULL AS has_edit_id,
       CASE edited_by WHEN current_user THEN '(the role)' ELSE edited_by END AS edited_by, existed_before,
       value_before, value_after, status_before, status_after, source_before, source_after
FROM list_cell_history ORDER BY id;

-- A person's edits: each one row, with the value and status it replaced and the editor.
SELECT set_config('request.jwt.claims', '{"sub": "alice"}', false) IS NOT NULL AS alice;
SELECT cell_upsert(:list1, :row1, :col1, 'first');
SELECT cell_upsert(:list1, :row1, :col1, 'second');
SELECT * FROM history;

-- A batch: one edit id for every cell of the call, another for the next call.
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1, 'val', 'third'),
                                                  jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'new')));
SELECT count(DISTINCT edit_id) AS edit_ids, count(*) AS cells FROM list_cell_history
WHERE id > (SELECT min(id) + 1 FROM list_cell_history);
SELECT count(DISTINCT edit_id) AS edit_ids_of_three_calls FROM list_cell_history;

-- Another writer: recorded as external, without an edit id, by the role; a write the guard
-- skips (a person's cell) records nothing.
UPDATE list_company_cells SET status = 'error' WHERE company_row_id = :row1;
SELECT cell_release(:list1, :row1, :col1);
UPDATE list_company_cells SET status = 'error', error = 'timeout' WHERE company_row_id = :row1;
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS no_claims;
SELECT cell_enrich_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1, 'val', 'robot'),
                                                  jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'robot')));
SELECT * FROM history;

-- cell_history: newest first, as many as asked, with cell_upsert's checks.
SELECT kind, value_before, value_after FROM cell_history(:list1, :row1, :col1);
SELECT kind, value_after FROM cell_history(:list1, :row1, :col1, 2);
SELECT count(*) FROM cell_history(:list1, :row1, :col1, 0);
SELECT * FROM cell_history(:list1, :row1, :person1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cell_history(:list2, :row1, :col1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cell_history(:list1, :row1, :col1, -1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cell_history(:list1, :row1, :col1, NULL);
\echo :LAST_ERROR_SQLSTATE

-- A member of list1 reads its history under the example policy, not list2's; the history is
-- written by the extension as the table's owner: a member who may not insert into it still
-- records her edits, and can neither insert, update nor delete history rows herself.
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_history_member;
RESET client_min_messages;
CREATE ROLE regress_history_member;
CREATE TABLE list_members (list_id uuid NOT NULL, member name NOT NULL, PRIMARY KEY (list_id, member));
INSERT INTO list_members VALUES (:list1, 'regress_history_member');
CREATE POLICY members ON lists USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = lists.id AND m.member = current_user));
CREATE POLICY members ON list_columns USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_columns.list_id AND m.member = current_user));
CREATE POLICY members ON list_companies USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_companies.list_id AND m.member = current_user));
CREATE POLICY members ON list_company_cells USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_company_cells.list_id AND m.member = current_user));
CREATE POLICY members_read ON list_cell_history FOR SELECT USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_cell_history.list_id AND m.member = current_user));
GRANT USAGE ON SCHEMA app TO regress_history_member;
GRANT SELECT ON lists, list_columns, list_companies, list_members, list_cell_history TO regress_history_member;
GRANT SELECT, INSERT, UPDATE ON list_company_cells TO regress_history_member;
SELECT cell_upsert(:list2, :row2, :col2, 'list two');
SET ROLE regress_history_member;
SELECT cell_upsert(:list1, :row1b, :col1, 'by a member');
SELECT kind, edited_by, value_before, value_after FROM cell_history(:list1, :row1b, :col1, 1);
SELECT count(*) AS rows_of_list2 FROM list_cell_history WHERE list_id = :list2;
SELECT count(*) AS rows_of_list1 FROM list_cell_history WHERE list_id = :list1;
INSERT INTO list_cell_history (list_id, column_id, company_row_id, kind, existed_before)
VALUES (:list1, :col1, :row1, 'manual', true);
\echo :LAST_ERROR_SQLSTATE
UPDATE list_cell_history SET value_after = 'forged';
\echo :LAST_ERROR_SQLSTATE
DELETE FROM list_cell_history;
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
SELECT count(*) AS rows_of_list2 FROM list_cell_history WHERE list_id = :list2;

-- Going back. cell_revert writes again the value an edit replaced, as a person's edit (status
-- complete, reasoning and error kept), recorded as revert; PT412 when the cell's value or
-- status is no longer what the edit wrote, and nothing written, unless force.
-- (Errors that name an edit id, which differs from run to run, are shown with it as <edit>.)
CREATE FUNCTION pg_temp.attempt(call text, edit uuid) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    detail text;
    hint text;
BEGIN
    EXECUTE call;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RETURN format(E'%s: %s\nDETAIL: %s\nHINT: %s', SQLSTATE, replace(SQLERRM, edit::text, '<edit>'), detail, hint);
END $$;
SELECT edit_id AS second FROM list_cell_history WHERE value_after = 'second' \gset
SELECT pg_temp.attempt(format('SELECT cell_revert(%L, %L, %L, %L)', :list1, :row1, :col1, :'second'), :'second');
SELECT value, status, error FROM list_company_cells WHERE company_row_id = :row1;
SELECT cell_revert(:list1, :row1, :col1, :'second', force => true);
SELECT value, status, error, source FROM list_company_cells WHERE company_row_id = :row1;
SELECT kind, value_before, value_after FROM cell_history(:list1, :row1, :col1, 1);
-- The last edit goes back without force: a revert of the revert.
SELECT edit_id AS last FROM cell_history(:list1, :row1, :col1, 1) \gset
SELECT cell_revert(:list1, :row1, :col1, :'last');
SELECT value FROM list_company_cells WHERE company_row_id = :row1;
-- An edit of another cell, an unknown one, none: 22023, 22023, 22004.
SELECT pg_temp.attempt(format('SELECT cell_revert(%L, %L, %L, %L)', :list1, :row1b, :col1, :'last'), :'last');
SELECT cell_revert(:list1, :row1, :col1, '99999999-0000-4000-8000-000000000000');
\echo :LAST_ERROR_SQLSTATE
SELECT cell_revert(:list1, :row1, :col1, NULL);
\echo :LAST_ERROR_SQLSTATE

-- cell_undo: every cell of one call back, all or nothing; a paste changed since is PT412
-- naming the first cell changed, with nothing written; once that cell is back to what the
-- paste wrote (its fix reverted), the undo restores every cell as it was; undoing the undo is
-- a redo.
CREATE TEMP TABLE before_paste AS SELECT company_row_id, value, status, reasoning, error FROM list_company_cells;
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1, 'val', 'pasted 1'),
                                                  jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'pasted 2')));
SELECT edit_id AS paste FROM cell_history(:list1, :row1b, :col1, 1) \gset
SELECT cell_upsert(:list1, :row1b, :col1, 'fixed by hand');
SELECT pg_temp.attempt(format('SELECT cell_undo(%L, %L)', :list1, :'paste'), :'paste');
SELECT company_row_id = :row1 AS row1, value FROM list_company_cells WHERE list_id = :list1 ORDER BY 1 DESC;
SELECT cell_revert(:list1, :row1b, :col1, (SELECT edit_id FROM cell_history(:list1, :row1b, :col1, 1)));
SELECT value FROM list_company_cells WHERE company_row_id = :row1b;
SELECT cell_undo(:list1, :'paste');
SELECT count(*) AS changed_since_the_paste FROM (
    SELECT company_row_id, value, status, reasoning, error FROM list_company_cells
    EXCEPT SELECT * FROM before_paste) c;
SELECT kind, count(*), count(DISTINCT edit_id) FROM list_cell_history WHERE kind = 'undo' GROUP BY kind;
SELECT edit_id AS undo FROM cell_history(:list1, :row1b, :col1, 1) \gset
SELECT cell_undo(:list1, :'undo');
SELECT company_row_id = :row1 AS row1, value FROM list_company_cells WHERE list_id = :list1 ORDER BY 1 DESC;
SELECT cell_undo(:list1, '99999999-0000-4000-8000-000000000000');
\echo :LAST_ERROR_SQLSTATE
-- A 500-cell paste over cells an enrichment wrote, one of them edited by hand since: PT412
-- naming that cell, nothing written; once the edit is reverted, the undo restores all 500
-- byte for byte (value, status, reasoning, error).
INSERT INTO list_companies (list_id, id)
SELECT :list1, format('70000000-0000-4000-8000-%s', lpad(i::text, 12, '0'))::uuid FROM generate_series(1, 500) i;
INSERT INTO list_company_cells (list_id, column_id, company_row_id, value, status, reasoning, error)
SELECT :list1, :col1, format('70000000-0000-4000-8000-%s', lpad(i::text, 12, '0'))::uuid,
       'enriched ' || i, 'complete', 'reason ' || i, CASE WHEN i % 7 = 0 THEN 'warning ' || i END
FROM generate_series(1, 500) i;
CREATE TEMP TABLE before_big_paste AS
SELECT company_row_id, value, status, reasoning, error FROM list_company_cells WHERE company_row_id::text LIKE '70000000%';
SELECT cell_upsert_many(:list1, (SELECT jsonb_agg(jsonb_build_object('row', company_row_id, 'col', :col1, 'val', 'pasted ' || value))
                                 FROM before_big_paste));
SELECT edit_id AS big_paste FROM list_cell_history WHERE value_after = 'pasted enriched 1' \gset
SELECT cell_upsert(:list1, '70000000-0000-4000-8000-000000000317', :col1, 'fixed by hand');
SELECT count(*) AS history_rows FROM list_cell_history \gset
SELECT pg_temp.attempt(format('SELECT cell_undo(%L, %L)', :list1, :'big_paste'), :'big_paste');
SELECT count(*) FILTER (WHERE value LIKE 'pasted %') AS still_pasted, count(*) FILTER (WHERE value = 'fixed by hand') AS fixed
FROM list_company_cells WHERE company_row_id::text LIKE '70000000%';
SELECT count(*) - :history_rows AS history_rows_added FROM list_cell_history;
SELECT cell_revert(:list1, '70000000-0000-4000-8000-000000000317', :col1,
                   (SELECT edit_id FROM cell_history(:list1, '70000000-0000-4000-8000-000000000317', :col1, 1)));
SELECT cell_undo(:list1, :'big_paste');
SELECT count(*) AS cells, count(*) FILTER (WHERE (c.value, c.status, c.reasoning, c.error) IS NOT DISTINCT FROM
                                                 (b.value, b.status, b.reasoning, b.error)) AS byte_identical
FROM list_company_cells c JOIN before_big_paste b USING (company_row_id) WHERE c.column_id = :col1;

-- An UPDATE that moves a cell to another row records it there as created (with its values);
-- the row it left records nothing, as no deletion does. (Released first: the guard skips
-- other writers' updates of a person's cell.)
INSERT INTO list_companies (list_id, id) VALUES (:list1, '70000000-0000-4000-8000-000000000501');
SELECT cell_release(:list1, '70000000-0000-4000-8000-000000000500', :col1);
SELECT count(*) AS history_rows FROM list_cell_history \gset
UPDATE list_company_cells SET company_row_id = '70000000-0000-4000-8000-000000000501'
WHERE company_row_id = '70000000-0000-4000-8000-000000000500';
SELECT company_row_id, existed_before, value_before, value_after FROM list_cell_history WHERE id > (
    SELECT max(id) FROM (SELECT id FROM list_cell_history ORDER BY id LIMIT :history_rows) h);
-- Going back to an edit of a cell deleted since: PT412 that says so; force => NULL is 22004;
-- a forced undo of a paste one of whose rows is gone: the batch's 23503 (cells[i]: the
-- edit's i-th cell, in the order it wrote them).
SELECT edit_id AS last_undo FROM cell_history(:list1, '70000000-0000-4000-8000-000000000498', :col1, 1) \gset
DELETE FROM list_company_cells WHERE company_row_id = '70000000-0000-4000-8000-000000000498';
SELECT pg_temp.attempt(format('SELECT cell_revert(%L, %L, %L, %L)', :list1, '70000000-0000-4000-8000-000000000498',
                              :col1, :'last_undo'), :'last_undo');
SELECT cell_revert(:list1, '70000000-0000-4000-8000-000000000498', :col1, :'last_undo', force => NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT cell_undo(:list1, :'last_undo', force => NULL);
\echo :LAST_ERROR_SQLSTATE
DELETE FROM list_companies WHERE id = '70000000-0000-4000-8000-000000000498';
SELECT cell_undo(:list1, :'last_undo', force => true);

-- Another tenant's edit: the member cannot revert or undo it (its list is not hers).
SELECT edit_id AS list2_edit FROM list_cell_history WHERE list_id = :list2 \gset
SET ROLE regress_history_member;
SELECT cell_revert(:list2, :row2, :col2, :'list2_edit');
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.attempt(format('SELECT cell_undo(%L, %L)', :list2, :'list2_edit'), :'list2_edit');
RESET ROLE;
SELECT value FROM list_company_cells WHERE list_id = :list2;

-- The change feed: the list's history after a cursor, in order, each change with the cursor
-- after it; from the last cursor, nothing until the next write, then exactly that write.
SELECT count(*) = (SELECT count(*) FROM list_cell_history WHERE list_id = :list1) AS every_change,
       bool_and(c.id = h.id) AS in_order
FROM (SELECT id, row_number() OVER () AS n FROM cell_changes(:list1, NULL, 5000)) c
JOIN (SELECT id, row_number() OVER (ORDER BY xact, id) AS n FROM list_cell_history WHERE list_id = :list1) h USING (n);
SELECT "cursor" AS last FROM cell_changes(:list1, NULL, 5000) ORDER BY id DESC LIMIT 1 \gset
SELECT count(*) FROM cell_changes(:list1, :'last');
SELECT cell_upsert(:list1, :row1, :col1, 'fed');
SELECT kind, value_after, "cursor" <> :'last' AS cursor_moved FROM cell_changes(:list1, :'last');
SELECT count(*) FROM cell_changes(:list1, NULL, 2);
SELECT count(*) FROM cell_changes(:list2, NULL);
-- A cursor that is not one, a negative limit, another tenant's list: 22023, 22023, 23503.
SELECT * FROM cell_changes(:list1, 'yesterday');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cell_changes(:list1, '-1:5');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cell_changes(:list1, NULL, -1);
\echo :LAST_ERROR_SQLSTATE
SET ROLE regress_history_member;
SELECT * FROM cell_changes(:list2, NULL);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

-- Retention: cellupsert_prune_history deletes what was written before the cutoff, in batches,
-- and nothing else; not executable by PUBLIC; CALL outside a transaction block.
UPDATE list_cell_history SET edited_at = now() - interval '100 days' WHERE id <= (SELECT min(id) + 4 FROM list_cell_history);
SELECT count(*) AS old_rows FROM list_cell_history WHERE edited_at < now() - interval '90 days';
SELECT count(*) AS all_rows FROM list_cell_history \gset
CALL cellupsert_prune_history('90 days', 2);
SELECT :all_rows - count(*) AS deleted, count(*) FILTER (WHERE edited_at < now() - interval '90 days') AS old_left
FROM list_cell_history;
CALL cellupsert_prune_history('90 days', 0);
\echo :LAST_ERROR_SQLSTATE
CALL cellupsert_prune_history('-1 day');
\echo :LAST_ERROR_SQLSTATE
BEGIN;
CALL cellupsert_prune_history('90 days');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
SET ROLE regress_history_member;
CALL cellupsert_prune_history('1 second');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

-- The trigger is AFTER INSERT or UPDATE FOR EACH STATEMENT with its transition tables.
SELECT cell_history_record();
CREATE TRIGGER wrong AFTER UPDATE ON list_company_cells FOR EACH STATEMENT EXECUTE FUNCTION cell_history_record();
UPDATE list_company_cells SET value = 'x' WHERE company_row_id = :row1b;
DROP TRIGGER wrong ON list_company_cells;
-- Attached to a table of another role (one with CREATE on the schema), it writes nothing as
-- the history's owner: 42501.
CREATE TABLE not_the_cells (LIKE list_company_cells);
ALTER TABLE not_the_cells OWNER TO regress_history_member;
CREATE TRIGGER record AFTER INSERT ON not_the_cells REFERENCING NEW TABLE AS new_cells
    FOR EACH STATEMENT EXECUTE FUNCTION cell_history_record();
INSERT INTO not_the_cells (list_id, column_id, company_row_id, value, status, created_at, updated_at, source)
VALUES (:list2, :col2, :row2, 'forged', 'complete', now(), now(), 'manual');
\echo :LAST_ERROR_SQLSTATE
DROP TABLE not_the_cells;

-- Cells of another shape (a status of an enum type, no source), in a schema of their own: a
-- statement that writes one cell (recorded from its values) and one that writes two (from
-- the transition tables) record the same: the enum's labels, no source, the values before.
CREATE SCHEMA enum_cells;
CREATE TYPE enum_cells.cell_status AS ENUM ('pending', 'complete');
CREATE TABLE enum_cells.list_company_cells (
    list_id uuid, column_id uuid, company_row_id uuid, value text, status enum_cells.cell_status,
    PRIMARY KEY (list_id, column_id, company_row_id));
CREATE TABLE enum_cells.list_cell_history (LIKE list_cell_history INCLUDING DEFAULTS INCLUDING IDENTITY);
CREATE TRIGGER history_insert AFTER INSERT ON enum_cells.list_company_cells REFERENCING NEW TABLE AS new_cells
    FOR EACH STATEMENT EXECUTE FUNCTION cell_history_record();
CREATE TRIGGER history_update AFTER UPDATE ON enum_cells.list_company_cells
    REFERENCING OLD TABLE AS old_cells NEW TABLE AS new_cells FOR EACH STATEMENT EXECUTE FUNCTION cell_history_record();
INSERT INTO enum_cells.list_company_cells VALUES (:list1, :col1, :row1, 'one', 'pending');
UPDATE enum_cells.list_company_cells SET value = 'one, done', status = 'complete';
INSERT INTO enum_cells.list_company_cells VALUES (:list1, :col1, :row1b, 'two', 'pending'), (:list1, :col2, :row1b, 'three', 'pending');
UPDATE enum_cells.list_company_cells SET status = 'complete' WHERE company_row_id = :row1b;
SELECT company_row_id = :row1 AS row1, column_id = :col1 AS col1, kind, edit_id, existed_before,
       value_before, value_after, status_before, status_after, source_before, source_after
FROM enum_cells.list_cell_history ORDER BY id;
DROP SCHEMA enum_cells CASCADE;

-- Without the history table, writes record nothing and cost nothing more; cell_history: 42P01.
DROP VIEW history;
DROP TABLE list_cell_history;
SELECT cell_upsert(:list1, :row1, :col1, 'no history');
SELECT value FROM list_company_cells WHERE company_row_id = :row1;
SELECT * FROM cell_history(:list1, :row1, :col1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM cell_changes(:list1, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT cell_undo(:list1, '99999999-0000-4000-8000-000000000000');
\echo :LAST_ERROR_SQLSTATE

RESET client_min_messages;
DROP OWNED BY regress_history_member;
DROP ROLE regress_history_member;
