\set QUIET on
\pset footer off
\pset null '(null)'
SET client_min_messages = warning;
CREATE EXTENSION cellupsert;               -- into public, next to the application's tables
\i sql/cellupsert_list_tables.sql

-- Two tenants; a list is visible to its members (the example policy set of docs/adoption.md).
CREATE ROLE alice; CREATE ROLE bob;
CREATE TABLE list_members (list_id uuid REFERENCES lists ON DELETE CASCADE, member name,
                           PRIMARY KEY (list_id, member));
CREATE POLICY members ON lists USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = lists.id AND m.member = current_user));
CREATE POLICY members ON list_columns USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_columns.list_id AND m.member = current_user));
CREATE POLICY members ON list_companies USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_companies.list_id AND m.member = current_user));
CREATE POLICY members ON list_company_cells USING (
    EXISTS (SELECT FROM list_members m WHERE m.list_id = list_company_cells.list_id AND m.member = current_user));
GRANT SELECT ON lists, list_columns, list_companies, list_members TO alice, bob;
GRANT SELECT, INSERT, UPDATE ON list_company_cells TO alice, bob;

INSERT INTO lists VALUES ('a1a1a1a1-0000-4000-8000-000000000001', 'Alice''s leads'),
                         ('b0b0b0b0-0000-4000-8000-000000000001', 'Bob''s leads');
INSERT INTO list_members VALUES ('a1a1a1a1-0000-4000-8000-000000000001', 'alice'),
                                ('b0b0b0b0-0000-4000-8000-000000000001', 'bob');
INSERT INTO list_columns (list_id, id, subject, name) VALUES
    ('a1a1a1a1-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-00000000000a', 'company', 'Website'),
    ('b0b0b0b0-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-00000000000b', 'company', 'Website');
INSERT INTO list_companies (list_id, id, name) VALUES
    ('a1a1a1a1-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-00000000000a', 'Acme'),
    ('b0b0b0b0-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-00000000000b', 'Initech');
-- An enrichment job already wrote Bob's cell, and failed half way.
INSERT INTO list_company_cells (list_id, column_id, company_row_id, value, status, reasoning, error)
VALUES ('b0b0b0b0-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-00000000000b',
        'e0000000-0000-4000-8000-00000000000b', 'initech.example', 'error', 'from the web', 'rate limited');
RESET client_min_messages;

\set show 'SELECT l.name AS list, r.name AS company, c.value, c.status, c.reasoning, c.error FROM list_company_cells c JOIN lists l ON l.id = c.list_id JOIN list_companies r ON (r.list_id, r.id) = (c.list_id, c.company_row_id) ORDER BY 1, 2;'
\echo '== the cells, before'
:show
SET ROLE alice;
\echo '== alice inserts a cell in her list'
\echo 'SELECT cell_upsert(list, row, col, ''acme.example'');'
SELECT cell_upsert('a1a1a1a1-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-00000000000a', 'c0000000-0000-4000-8000-00000000000a', 'acme.example');
RESET ROLE;
:show
SET ROLE alice;
\echo '== alice overwrites it'
SELECT cell_upsert('a1a1a1a1-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-00000000000a', 'c0000000-0000-4000-8000-00000000000a', 'acme.com');
RESET ROLE;
:show
SET ROLE alice;
\echo '== alice clears it (an empty string is stored as NULL)'
SELECT cell_upsert('a1a1a1a1-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-00000000000a', 'c0000000-0000-4000-8000-00000000000a', '');
RESET ROLE;
:show
SET ROLE alice;
\echo '== alice uses a column of another list in her own list: refused, nothing written'
SELECT cell_upsert('a1a1a1a1-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-00000000000a', 'c0000000-0000-4000-8000-00000000000b', 'x');
RESET ROLE;
:show
SET ROLE alice;
\echo '== alice tries to overwrite Bob''s cell: his list does not exist for her, nothing written'
SELECT cell_upsert('b0b0b0b0-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-00000000000b', 'c0000000-0000-4000-8000-00000000000b', 'hacked');
RESET ROLE;
:show
SET ROLE bob;
\echo '== bob overwrites his own cell: status becomes complete, reasoning and error stay'
SELECT cell_upsert('b0b0b0b0-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-00000000000b', 'c0000000-0000-4000-8000-00000000000b', 'initech.com');
RESET ROLE;
:show
