-- Tenant A against every mix of its own and tenant B's list, row and column (B's cell when
-- all three are B's): nothing is written, and each error is byte for byte the error for ids
-- that exist nowhere. Compared programmatically: A's errors for B's real ids, then for the
-- same ids once B's list is deleted (in a transaction rolled back).
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\set person2 '''20000000-0000-4000-8000-000000000022'''
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_cellupsert_tenant_a;
DROP ROLE IF EXISTS regress_cellupsert_tenant_b;
RESET client_min_messages;
CREATE ROLE regress_cellupsert_tenant_a;
CREATE ROLE regress_cellupsert_tenant_b;

-- The example policy set of docs/adoption.md: A is a member of list1, B of list2.
CREATE TABLE list_members (
    list_id uuid NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    member  name NOT NULL,
    PRIMARY KEY (list_id, member)
);
INSERT INTO list_members VALUES
    (:list1, 'regress_cellupsert_tenant_a'), (:list2, 'regress_cellupsert_tenant_b');
CREATE POLICY members ON lists USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = lists.id AND m.member = current_user));
CREATE POLICY members ON list_columns USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_columns.list_id AND m.member = current_user));
CREATE POLICY members ON list_companies USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_companies.list_id AND m.member = current_user));
CREATE POLICY members ON list_company_cells USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_company_cells.list_id AND m.member = current_user));
GRANT USAGE ON SCHEMA app TO regress_cellupsert_tenant_a, regress_cellupsert_tenant_b;
GRANT SELECT ON lists, list_columns, list_companies, list_members
    TO regress_cellupsert_tenant_a, regress_cellupsert_tenant_b;
GRANT SELECT, INSERT, UPDATE ON list_company_cells
    TO regress_cellupsert_tenant_a, regress_cellupsert_tenant_b;

-- B also has a person column, and a cell.
INSERT INTO list_columns (list_id, id, subject) VALUES (:list2, :person2, 'person');
SELECT cell_upsert(:list2, :row2, :col2, 'B''s value');

-- Every mix of A's and B's list, row and column, but A's own three.
CREATE TABLE attempts AS
SELECT row_number() OVER (ORDER BY l.o, r.o, c.o)::int AS attempt,
       format('list %s, row %s, column %s', l.owner, r.owner, c.owner) AS label,
       l.id AS list_id, r.id AS row_id, c.id AS col_id
FROM (VALUES (1, 'A', :list1::uuid), (2, 'B', :list2)) l (o, owner, id),
     (VALUES (1, 'A', :row1::uuid), (2, 'B', :row2)) r (o, owner, id),
     (VALUES (1, 'A', :col1::uuid), (2, 'B', :col2), (3, 'B (person)', :person2)) c (o, owner, id)
WHERE (l.owner, r.owner, c.owner) <> ('A', 'A', 'A');
GRANT SELECT ON attempts TO regress_cellupsert_tenant_a;

-- Runs every attempt as the current role; returns what each one did, with every field of
-- its error.
CREATE FUNCTION try_attempts() RETURNS TABLE (
    attempt int, outcome text, err_sqlstate text, err_message text, err_detail text,
    err_hint text, err_context text, err_schema text, err_table text, err_column text,
    err_constraint text, err_datatype text)
LANGUAGE plpgsql AS $$
DECLARE
    a record;
BEGIN
    FOR a IN SELECT * FROM app.attempts ORDER BY 1 LOOP
        attempt := a.attempt;
        BEGIN
            PERFORM app.cell_upsert(a.list_id, a.row_id, a.col_id, 'written by A');
            outcome := 'written';
        EXCEPTION WHEN OTHERS THEN
            outcome := 'refused';
            GET STACKED DIAGNOSTICS
                err_sqlstate = RETURNED_SQLSTATE, err_message = MESSAGE_TEXT,
                err_detail = PG_EXCEPTION_DETAIL, err_hint = PG_EXCEPTION_HINT,
                err_context = PG_EXCEPTION_CONTEXT, err_schema = SCHEMA_NAME,
                err_table = TABLE_NAME, err_column = COLUMN_NAME,
                err_constraint = CONSTRAINT_NAME, err_datatype = PG_DATATYPE_NAME;
        END;
        RETURN NEXT;
    END LOOP;
END $$;

CREATE TEMP TABLE cells_before AS SELECT * FROM list_company_cells;

-- A can write: its own cell.
SET ROLE regress_cellupsert_tenant_a;
SELECT cell_upsert(:list1, :row1, :col1, 'A''s value');
-- A against B's real ids.
CREATE TEMP TABLE seen_real AS SELECT * FROM try_attempts();
RESET ROLE;
SELECT s.attempt, a.label, s.outcome, s.err_sqlstate, s.err_message
FROM seen_real s JOIN attempts a USING (attempt) ORDER BY attempt;

-- Nothing written but A's own cell.
SELECT list_id = :list1 AS in_list1, value
FROM (TABLE list_company_cells EXCEPT TABLE cells_before) changed ORDER BY value;
SELECT count(*) AS removed FROM (TABLE cells_before EXCEPT TABLE list_company_cells) gone;

-- The same ids once B's list, columns, rows and cell exist nowhere: the same outcomes and
-- errors, field for field. Any difference is printed.
BEGIN;
DELETE FROM lists WHERE id = :list2;
SELECT count(*) AS b_objects_left FROM (
    SELECT id FROM list_columns WHERE list_id = :list2 UNION ALL
    SELECT id FROM list_companies WHERE list_id = :list2 UNION ALL
    SELECT column_id FROM list_company_cells WHERE list_id = :list2) b;
SET LOCAL ROLE regress_cellupsert_tenant_a;
CREATE TEMP TABLE seen_missing ON COMMIT DROP AS SELECT * FROM try_attempts();
SELECT 'with B' AS seen, * FROM (TABLE seen_real EXCEPT ALL TABLE seen_missing) d
UNION ALL
SELECT 'without B', * FROM (TABLE seen_missing EXCEPT ALL TABLE seen_real) d
ORDER BY attempt, seen;
SELECT count(*) AS attempts, count(*) FILTER (WHERE outcome = 'refused') AS refused
FROM seen_missing;
ROLLBACK;

-- cell_upsert_many: the same mixes as batches. Each mix alone, after two of A's own cells
-- (so that the batch starts with cells A may write), and before one; then every mix in
-- one batch, in both orders, against each list. Nothing written, and each error (which
-- names the first refused element) compared field for field with the one for ids that
-- exist nowhere, as above.
CREATE TABLE batch_attempts AS
WITH own (row_id) AS (VALUES (:row1::uuid), (:row1b)),
cell AS (SELECT a.*, jsonb_build_object('row', a.row_id, 'col', a.col_id, 'val', 'written by A') AS elem
         FROM attempts a),
own_cell AS (SELECT jsonb_agg(jsonb_build_object('row', row_id, 'col', :col1::uuid, 'val', 'A''s own')
                              ORDER BY row_id) AS elems FROM own),
mixes AS (
    SELECT c.attempt, f.o, c.label || ', ' || f.form AS label, c.list_id, f.cells
    FROM cell c, own_cell o, LATERAL (VALUES
        (1, 'alone', jsonb_build_array(c.elem)),
        (2, 'after two own cells', o.elems || c.elem),
        (3, 'before an own cell', jsonb_build_array(c.elem) || (o.elems -> 0))) f (o, form, cells)
    UNION ALL
    SELECT 100, f.o, format('list %s, every mix %s', l.owner, f.form), l.id,
           CASE f.o WHEN 1 THEN m.elems ELSE m.reversed END
    FROM (VALUES ('A', :list1::uuid), ('B', :list2)) l (owner, id),
         (SELECT (o.elems -> 0) || jsonb_agg(c.elem ORDER BY c.row_id, c.col_id) || (o.elems -> 1) AS elems,
                 (o.elems -> 1) || jsonb_agg(c.elem ORDER BY c.row_id DESC, c.col_id DESC) || (o.elems -> 0) AS reversed
          FROM (SELECT DISTINCT row_id, col_id, elem FROM cell) c, own_cell o GROUP BY o.elems) m,
         (VALUES (1, 'first to last'), (2, 'last to first')) f (o, form))
SELECT row_number() OVER (ORDER BY attempt, o, label)::int AS attempt, label, list_id, cells
FROM mixes;
GRANT SELECT ON batch_attempts TO regress_cellupsert_tenant_a;

CREATE FUNCTION try_batches() RETURNS TABLE (
    attempt int, outcome text, err_sqlstate text, err_message text, err_detail text,
    err_hint text, err_context text, err_schema text, err_table text, err_column text,
    err_constraint text, err_datatype text)
LANGUAGE plpgsql AS $$
DECLARE
    a record;
BEGIN
    FOR a IN SELECT * FROM app.batch_attempts ORDER BY 1 LOOP
        attempt := a.attempt;
        BEGIN
            outcome := format('%s written', app.cell_upsert_many(a.list_id, a.cells));
        EXCEPTION WHEN OTHERS THEN
            outcome := 'refused';
            GET STACKED DIAGNOSTICS
                err_sqlstate = RETURNED_SQLSTATE, err_message = MESSAGE_TEXT,
                err_detail = PG_EXCEPTION_DETAIL, err_hint = PG_EXCEPTION_HINT,
                err_context = PG_EXCEPTION_CONTEXT, err_schema = SCHEMA_NAME,
                err_table = TABLE_NAME, err_column = COLUMN_NAME,
                err_constraint = CONSTRAINT_NAME, err_datatype = PG_DATATYPE_NAME;
        END;
        RETURN NEXT;
    END LOOP;
END $$;

CREATE TEMP TABLE cells_before_many AS SELECT * FROM list_company_cells;

-- A can write its own cells in a batch.
SET ROLE regress_cellupsert_tenant_a;
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'A''s batch'),
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'A''s batch')));
-- A against B's real ids.
CREATE TEMP TABLE seen_real_many AS SELECT * FROM try_batches();
RESET ROLE;
SELECT s.attempt, a.label, s.outcome, s.err_sqlstate, s.err_message
FROM seen_real_many s JOIN batch_attempts a USING (attempt) ORDER BY attempt;

-- Nothing written but A's own batch (which overwrote A's cell and added one).
SELECT list_id = :list1 AS in_list1, company_row_id, value
FROM (TABLE list_company_cells EXCEPT TABLE cells_before_many) changed ORDER BY company_row_id;
SELECT count(*) AS cells_gone FROM cells_before_many b
WHERE NOT EXISTS (SELECT FROM list_company_cells c
                  WHERE (c.list_id, c.column_id, c.company_row_id) = (b.list_id, b.column_id, b.company_row_id));

-- The same batches once B's objects exist nowhere: the same outcomes and errors.
BEGIN;
DELETE FROM lists WHERE id = :list2;
SET LOCAL ROLE regress_cellupsert_tenant_a;
CREATE TEMP TABLE seen_missing_many ON COMMIT DROP AS SELECT * FROM try_batches();
SELECT 'with B' AS seen, * FROM (TABLE seen_real_many EXCEPT ALL TABLE seen_missing_many) d
UNION ALL
SELECT 'without B', * FROM (TABLE seen_missing_many EXCEPT ALL TABLE seen_real_many) d
ORDER BY attempt, seen;
SELECT count(*) AS batches, count(*) FILTER (WHERE outcome = 'refused') AS refused
FROM seen_missing_many;
ROLLBACK;
