-- An application's database as the dump test needs it: the extension in schema "app" next to
-- the canonical list tables, plus what an application adds and pg_dump must keep: a member
-- table, policies (permissive, restrictive, per role), FORCE ROW LEVEL SECURITY, grants on
-- tables and on the extension's function, a column with a default, a comment, and data.
-- Expects the roles regress_lifecycle_member and regress_lifecycle_outsider.
CREATE SCHEMA app;
CREATE EXTENSION cellupsert SCHEMA app;
SET search_path = app;
\i sql/cellupsert_list_tables.sql

ALTER TABLE list_company_cells ADD COLUMN assigned_to name NOT NULL DEFAULT current_user;
COMMENT ON TABLE lists IS 'company lists of the application';

CREATE TABLE list_members (
    list_id uuid NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    member  name NOT NULL,
    PRIMARY KEY (list_id, member)
);
CREATE POLICY members ON lists USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = lists.id AND m.member = current_user));
CREATE POLICY members ON list_columns USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_columns.list_id AND m.member = current_user));
CREATE POLICY members ON list_companies USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_companies.list_id AND m.member = current_user));
CREATE POLICY members ON list_company_cells TO regress_lifecycle_member USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_company_cells.list_id AND m.member = current_user));
CREATE POLICY not_in_error ON list_company_cells AS RESTRICTIVE FOR UPDATE USING (status <> 'error');
ALTER TABLE lists FORCE ROW LEVEL SECURITY;
ALTER TABLE list_company_cells FORCE ROW LEVEL SECURITY;

GRANT USAGE ON SCHEMA app TO regress_lifecycle_member, regress_lifecycle_outsider;
GRANT SELECT ON lists, list_columns, list_companies, list_members TO regress_lifecycle_member;
GRANT SELECT, INSERT, UPDATE ON list_company_cells TO regress_lifecycle_member;
GRANT SELECT ON lists TO regress_lifecycle_outsider;
-- Only members may call the function: pg_dump writes this as an ACL on the extension's member.
REVOKE EXECUTE ON FUNCTION app.cell_upsert(uuid, uuid, uuid, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.cell_upsert(uuid, uuid, uuid, text, text) TO regress_lifecycle_member;

-- Three lists of three company columns, one person column and twenty rows; the member
-- belongs to lists 1 and 2. Ids follow the UUID pattern cell_upsert accepts.
CREATE FUNCTION pg_temp.id(kind int, n int) RETURNS uuid LANGUAGE sql
    RETURN format('%s0000000-0000-4000-8000-%s', kind, lpad(n::text, 12, '0'))::uuid;
INSERT INTO lists (id, name) SELECT pg_temp.id(1, l), 'list ' || l FROM generate_series(1, 3) l;
INSERT INTO list_columns (list_id, id, subject, response_type, name)
SELECT pg_temp.id(1, l), pg_temp.id(2, l * 100 + c), CASE WHEN c = 4 THEN 'person' ELSE 'company' END,
       CASE WHEN c = 2 THEN 'number' ELSE 'text' END, 'column ' || c
FROM generate_series(1, 3) l, generate_series(1, 4) c;
INSERT INTO list_companies (list_id, id, name)
SELECT pg_temp.id(1, l), pg_temp.id(3, l * 1000 + r), 'company ' || r
FROM generate_series(1, 3) l, generate_series(1, 20) r;
INSERT INTO list_company_cells (list_id, column_id, company_row_id, value, status, reasoning, error)
SELECT pg_temp.id(1, l), pg_temp.id(2, l * 100 + c), pg_temp.id(3, l * 1000 + r),
       CASE WHEN r % 5 <> 0 THEN format('value %s/%s/%s', l, c, r) END,
       (ARRAY['pending', 'running', 'complete', 'error'])[1 + r % 4],
       CASE WHEN r % 3 = 0 THEN 'found on the website' END,
       CASE WHEN r % 4 = 3 THEN 'timeout' END
FROM generate_series(1, 3) l, generate_series(1, 3) c, generate_series(1, 20) r
WHERE (l + c + r) % 7 <> 0;
INSERT INTO list_members (list_id, member)
VALUES (pg_temp.id(1, 1), 'regress_lifecycle_member'), (pg_temp.id(1, 2), 'regress_lifecycle_member');

-- Edits through the extension, by a member: new cells and overwrites (of no cell in error,
-- which the restrictive policy protects).
SET ROLE regress_lifecycle_member;
SELECT count(*) FILTER (WHERE app.cell_upsert(pg_temp.id(1, l), pg_temp.id(3, l * 1000 + r),
                                              pg_temp.id(2, l * 100 + 1), 'edited ' || r))
FROM generate_series(1, 2) l, generate_series(2, 20, 2) r \gset
RESET ROLE;
