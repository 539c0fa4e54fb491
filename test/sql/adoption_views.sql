-- An ORM's schema reached through views: the application's tables have other names and
-- camelCase columns (crm."ListCompanyCell"."companyRowId"), a text id that the ORM makes on
-- the client, timestamps without a default. The extension lives in an adapter schema of
-- simple security_invoker views named as it expects; the conflict key is found on the
-- table under the view, and the view gives the ids the ORM would have made a default.
\i test/fixtures/ids.sql
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS cellupsert CASCADE;
DROP SCHEMA IF EXISTS app, crm CASCADE;
RESET client_min_messages;
CREATE SCHEMA crm;
CREATE TABLE crm."List" (id uuid PRIMARY KEY, name text NOT NULL);
CREATE TABLE crm."ListColumn" (id uuid PRIMARY KEY, "listId" uuid NOT NULL REFERENCES crm."List" ON DELETE CASCADE,
                               subject varchar(16) NOT NULL, name text NOT NULL);
CREATE TABLE crm."ListCompany" (id uuid PRIMARY KEY, "listId" uuid NOT NULL REFERENCES crm."List" ON DELETE CASCADE,
                                name text NOT NULL);
CREATE TABLE crm."ListCompanyCell" (
    id             text PRIMARY KEY,
    "columnId"     uuid NOT NULL REFERENCES crm."ListColumn" ON DELETE CASCADE,
    "companyRowId" uuid NOT NULL REFERENCES crm."ListCompany" ON DELETE CASCADE,
    value          text,
    status         varchar(16) NOT NULL,
    reasoning      text,
    "createdAt"    timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt"    timestamp(3) NOT NULL
);
CREATE UNIQUE INDEX "ListCompanyCell_columnId_companyRowId_key" ON crm."ListCompanyCell" ("columnId", "companyRowId");

CREATE SCHEMA app;
CREATE VIEW app.lists WITH (security_invoker) AS SELECT id, name FROM crm."List";
CREATE VIEW app.list_columns WITH (security_invoker) AS
    SELECT "listId" AS list_id, id, subject, name FROM crm."ListColumn";
CREATE VIEW app.list_companies WITH (security_invoker) AS
    SELECT "listId" AS list_id, id, name FROM crm."ListCompany";
CREATE VIEW app.list_company_cells WITH (security_invoker) AS
    SELECT id, "columnId" AS column_id, "companyRowId" AS company_row_id, value, status, reasoning,
           "createdAt" AS created_at, "updatedAt" AS updated_at
    FROM crm."ListCompanyCell";
ALTER VIEW app.list_company_cells ALTER COLUMN id SET DEFAULT gen_random_uuid()::text;
CREATE EXTENSION cellupsert SCHEMA app;

INSERT INTO crm."List" VALUES (:list1, 'one'), (:list2, 'two');
INSERT INTO crm."ListColumn" VALUES (:col1, :list1, 'company', 'Employees'), (:person1, :list1, 'person', 'CEO'),
                                    (:col2, :list2, 'company', 'Website');
INSERT INTO crm."ListCompany" VALUES (:row1, :list1, 'Acme'), (:row1b, :list1, 'Globex'), (:row2, :list2, 'Initech');

-- Insert and overwrite through the views; the ORM's own row has its own id.
INSERT INTO crm."ListCompanyCell" (id, "columnId", "companyRowId", value, status, reasoning, "updatedAt")
VALUES ('ckorm0001', :col1, :row1, 'orm', 'error', 'kept', '2000-01-01');
SELECT app.cell_upsert(:list1, :row1, :col1, 'manual');
SELECT app.cell_upsert(:list1, :row1b, :col1, 'new');
SELECT app.cell_upsert_many(:list1, jsonb_build_array(
    jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'batch'),
    jsonb_build_object('row', :row1, 'col', :col1, 'val', '')));
SELECT id = 'ckorm0001' AS orm_id, length(id) AS id_length, "companyRowId" = :row1 AS row1, value, status, reasoning,
       "updatedAt" > '2000-01-01' AS updated
FROM crm."ListCompanyCell" ORDER BY row1 DESC;

-- cellupsert_check() sees the tables under the views.
\pset format unaligned
SELECT * FROM app.cellupsert_check() WHERE NOT ok OR item LIKE 'relation %' OR item = 'conflict key';
\pset format aligned

-- Without the view's default for the id the ORM makes on the client, every insert fails
-- with PostgreSQL's own 23502; cellupsert_check() names the column.
ALTER VIEW app.list_company_cells ALTER COLUMN id DROP DEFAULT;
\set VERBOSITY terse
SELECT app.cell_upsert(:list1, :row1b, :col1, 'x');
\set VERBOSITY default
\echo :SQLSTATE
SELECT * FROM app.cellupsert_check() WHERE NOT ok;
ALTER VIEW app.list_company_cells ALTER COLUMN id SET DEFAULT gen_random_uuid()::text;

-- A view that is not security_invoker would read with its owner's rights and row-level
-- security: refused (55000), and cellupsert_check() says which view.
ALTER VIEW app.list_columns SET (security_invoker = false);
SELECT app.cell_upsert(:list1, :row1, :col1, 'x');
\echo :SQLSTATE
SELECT * FROM app.cellupsert_check() WHERE NOT ok;
ALTER VIEW app.list_columns SET (security_invoker = true);

-- The checks and their errors are the same through the views.
SELECT app.cell_upsert(:list1, :row1, :col2, 'x');
SELECT app.cell_upsert(:list1, :row2, :col1, 'x');
SELECT app.cell_upsert(:list1, :row1, :person1, 'x');
SELECT app.cell_upsert(:missing, :row1, :col1, 'x');
SELECT count(*) AS cells FROM crm."ListCompanyCell";

-- Without the unique index under the view: 42P10, saying which index to create.
DROP INDEX crm."ListCompanyCell_columnId_companyRowId_key";
SELECT app.cell_upsert(:list1, :row1, :col1, 'x');
\echo :SQLSTATE
-- A partial one does not do either.
CREATE UNIQUE INDEX partial_key ON crm."ListCompanyCell" ("columnId", "companyRowId") WHERE value IS NOT NULL;
SELECT app.cell_upsert(:list1, :row1, :col1, 'x');
\echo :SQLSTATE
-- The right one, created in another session's way, is found by the next call.
CREATE UNIQUE INDEX right_key ON crm."ListCompanyCell" ("companyRowId", "columnId");
SELECT app.cell_upsert(:list1, :row1, :col1, 'found');
SELECT value FROM crm."ListCompanyCell" WHERE "companyRowId" = :row1;

-- A view that is not simple hides the table underneath: 42P10 as well.
DROP VIEW app.list_company_cells;
CREATE VIEW app.list_company_cells WITH (security_invoker) AS
    SELECT id, "columnId" AS column_id, "companyRowId" AS company_row_id, value, status, reasoning,
           "createdAt" AS created_at, "updatedAt" AS updated_at
    FROM crm."ListCompanyCell" UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE false;
SELECT app.cell_upsert(:list1, :row1, :col1, 'x');
\echo :SQLSTATE
SELECT * FROM app.cellupsert_check() WHERE NOT ok;

DROP EXTENSION cellupsert;
DROP SCHEMA app, crm CASCADE;
