-- A batch's error names its first refused element in input order, whatever refuses it:
-- reading the element (not an object, an unknown key, a missing, null or non-string id, an id
-- that is not a UUID or outside the pattern, a bad if_match) or a lookup as the caller sees
-- the tables (a column of another list, nowhere, or a person column; a row of another
-- tenant's list, or hidden by a policy). Every ordered pair of two kinds, at cells[1] and
-- cells[3] between accepted elements, must raise the error the first raises alone at cells[1],
-- for cell_upsert_many, cell_enrich_many and cell_release_many, as tenant A.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
\set hidden '''30000000-0000-4000-8000-000000000013'''
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_cellupsert_first_refused;
RESET client_min_messages;
CREATE ROLE regress_cellupsert_first_refused;
INSERT INTO list_companies (list_id, id, name) VALUES (:list1, :hidden, 'hidden');

-- Tenant A is a member of list1 only; a restrictive policy hides one of its rows.
CREATE TABLE list_members (list_id uuid NOT NULL REFERENCES lists (id), member name NOT NULL);
INSERT INTO list_members VALUES (:list1, 'regress_cellupsert_first_refused');
CREATE POLICY members ON lists USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = lists.id AND m.member = current_user));
CREATE POLICY members ON list_columns USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_columns.list_id AND m.member = current_user));
CREATE POLICY members ON list_companies USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_companies.list_id AND m.member = current_user));
CREATE POLICY not_hidden ON list_companies AS RESTRICTIVE USING (name IS DISTINCT FROM 'hidden');
CREATE POLICY members ON list_company_cells USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_company_cells.list_id AND m.member = current_user));
GRANT USAGE ON SCHEMA app TO regress_cellupsert_first_refused;
GRANT SELECT ON lists, list_columns, list_companies, list_members TO regress_cellupsert_first_refused;
GRANT SELECT, INSERT, UPDATE ON list_company_cells TO regress_cellupsert_first_refused;

-- The error of a call as 'SQLSTATE message', or 'no error' (then rolled back all the same).
CREATE FUNCTION pg_temp.error_of(f text, list uuid, cells jsonb) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT app.%I($1, $2)', f) USING list, cells;
    RAISE EXCEPTION USING ERRCODE = 'P0004', MESSAGE = 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ' ' || SQLERRM;
END $$;

CREATE TEMP TABLE refusals (n integer, kind text, element jsonb);
INSERT INTO refusals VALUES
    (1, 'not an object', '"x"'),
    (2, 'an unknown key', jsonb_build_object('row', :row1, 'col', :col1, 'value', 'v')),
    (3, 'no row', jsonb_build_object('col', :col1)),
    (4, 'a null col', jsonb_build_object('row', :row1, 'col', null)),
    (5, 'a row not a string', jsonb_build_object('row', 42, 'col', :col1)),
    (6, 'a row not a UUID', jsonb_build_object('row', 'not-a-uuid', 'col', :col1)),
    (7, 'a col outside the pattern', jsonb_build_object('row', :row1, 'col', '20000000-0000-0000-8000-000000000011')),
    (8, 'an if_match not a version', jsonb_build_object('row', :row1, 'col', :col1, 'if_match', 'nope')),
    (9, 'a column of another list', jsonb_build_object('row', :row1, 'col', :col2)),
    (10, 'a column nowhere', jsonb_build_object('row', :row1, 'col', :missing)),
    (11, 'a person column', jsonb_build_object('row', :row1, 'col', :person1)),
    (12, 'a row of another tenant''s list', jsonb_build_object('row', :row2, 'col', :col1)),
    (13, 'a row hidden by a policy', jsonb_build_object('row', :hidden, 'col', :col1));
CREATE TEMP TABLE functions (f text, accepted jsonb);
INSERT INTO functions VALUES
    ('cell_upsert_many', jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'ok')),
    ('cell_enrich_many', jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'ok')),
    ('cell_release_many', jsonb_build_object('row', :row1b, 'col', :col1));
GRANT SELECT ON refusals, functions TO regress_cellupsert_first_refused;

SET ROLE regress_cellupsert_first_refused;
-- Each kind alone at cells[1]: its own error.
CREATE TEMP TABLE alone AS
SELECT f, n, kind, pg_temp.error_of(f, :list1, jsonb_build_array(accepted, element, accepted)) AS error
FROM functions, refusals;
SELECT n, kind, error FROM alone WHERE f = 'cell_upsert_many' ORDER BY n;

-- Every ordered pair: the first one's error (pairs whose error is another are listed).
CREATE TEMP TABLE pairs AS
SELECT f, a.n AS first, b.n AS second,
       pg_temp.error_of(f, :list1, jsonb_build_array(accepted, a.element, accepted, b.element, accepted)) AS error
FROM functions, refusals a, refusals b
WHERE a.n <> b.n;
SELECT p.f, p.first, p.second, p.error AS got, al.error AS expected
FROM pairs p JOIN alone al ON al.f = p.f AND al.n = p.first
WHERE p.error IS DISTINCT FROM al.error
ORDER BY p.f, p.first, p.second;
SELECT f, count(*) AS pairs, count(*) FILTER (WHERE p.error = al.error) AS first_named
FROM pairs p JOIN alone al USING (f) WHERE al.n = p.first GROUP BY f ORDER BY f;

-- The issue's batch: another tenant's row at cells[1], an id that is not a UUID at cells[3].
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'a'),
    jsonb_build_object('row', :row2, 'col', :col1, 'val', 'b'),
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'c'),
    jsonb_build_object('row', 'not-a-uuid', 'col', :col1, 'val', 'd')));

-- Another tenant's list refuses every element: its error before a bad element at cells[1]
-- (a bad cells[0] is named first, as cell_upsert checks its ids before any lookup).
SELECT cell_upsert_many(:list2, jsonb_build_array(
    jsonb_build_object('row', :row2, 'col', :col2, 'val', 'a'),
    jsonb_build_object('row', 'not-a-uuid', 'col', :col2, 'val', 'b')));
SELECT cell_upsert_many(:list2, jsonb_build_array(
    jsonb_build_object('row', 'not-a-uuid', 'col', :col2, 'val', 'b'),
    jsonb_build_object('row', :row2, 'col', :col2, 'val', 'a')));

-- A stale if_match is no refusal by the checks: a bad element after it is the error (PT412
-- comes after every check's error, as the README says).
SELECT cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1, 'col', :col1, 'val', 'a', 'if_match', '00000000000000000000000000000000'),
    jsonb_build_object('row', 'not-a-uuid', 'col', :col1, 'val', 'b')));

-- Nothing was written by any of these calls.
SELECT count(*) AS cells FROM list_company_cells;
RESET ROLE;
SELECT count(*) AS cells FROM list_company_cells;

DROP OWNED BY regress_cellupsert_first_refused;
DROP ROLE regress_cellupsert_first_refused;
