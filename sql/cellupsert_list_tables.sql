-- The canonical list tables used by cellupsert (as of 1.4), for the application's migrations.
-- Tables created from an earlier version: apply cellupsert_list_tables--A--B.sql in order.
-- Names are unqualified: run this with search_path set to the schema the extension is
-- installed in. Every key includes list_id, so the same schema can be distributed by
-- list_id (Citus) without change. Row-level security is enabled on every table and no
-- policy is created: access is the application's to grant. Install the extension in that
-- schema first: the cell table's manual-edit guard is its trigger function.
--
-- One DO block, so that the file applies whole or not at all however it is run: psql -f
-- without ON_ERROR_STOP (which goes on after an error), psql -1, or a migration tool sending
-- the file as one string. In a schema that already has one of the five tables it creates
-- nothing, enables nothing, and says so in a WARNING: enabling row-level security on an
-- application's existing tables that have no policies would hide every row.

DO $ddl$
DECLARE
    existing text;
    guarded boolean;
BEGIN
-- current_schema() is where the unqualified CREATEs below create: the first schema of
-- search_path that exists.
SELECT string_agg(c.relname, ', ' ORDER BY c.relname) INTO existing
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = pg_catalog.current_schema()
  AND c.relname IN ('lists', 'list_columns', 'list_companies', 'list_company_cells', 'list_cell_history');
IF existing IS NOT NULL THEN
    RAISE WARNING 'cellupsert_list_tables.sql created nothing: schema % already has %',
                  pg_catalog.quote_ident(pg_catalog.current_schema()), existing
        USING DETAIL = 'The file creates the list tables and the history only in a schema that has none of them;'
                       ' it created no table and enabled row-level security on none.',
              HINT = pg_catalog.format('To use cellupsert on the existing tables, see what they lack'
                                       ' with SELECT * FROM %I.cellupsert_check() and read docs/adoption.md.',
                                       pg_catalog.current_schema());
    RETURN;
END IF;

CREATE TABLE lists (
    id   uuid PRIMARY KEY,
    name text NOT NULL DEFAULT ''
);

CREATE TABLE list_columns (
    list_id       uuid NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    id            uuid NOT NULL,
    subject       text NOT NULL CHECK (subject IN ('company', 'person')),
    response_type text NOT NULL DEFAULT 'text',
    name          text NOT NULL DEFAULT '',
    PRIMARY KEY (list_id, id)
);

CREATE TABLE list_companies (
    list_id uuid NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    id      uuid NOT NULL,
    name    text NOT NULL DEFAULT '',
    PRIMARY KEY (list_id, id)
);

-- One cell per (column, row); the composite foreign keys make a dangling cell, or a cell
-- whose column and row belong to different lists, impossible for any writer.
CREATE TABLE list_company_cells (
    list_id        uuid NOT NULL,
    column_id      uuid NOT NULL,
    company_row_id uuid NOT NULL,
    value          text,
    status         text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'running', 'complete', 'error')),
    reasoning      text,
    error          text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- Provenance: cell_upsert and cell_upsert_many write 'manual', who (the JWT "sub" claim,
    -- else the role) and when; other writers keep the default.
    source         text NOT NULL DEFAULT 'enrichment' CHECK (source IN ('enrichment', 'manual')),
    edited_by      text,
    edited_at      timestamptz,
    PRIMARY KEY (list_id, column_id, company_row_id),
    FOREIGN KEY (list_id, column_id) REFERENCES list_columns (list_id, id) ON DELETE CASCADE,
    FOREIGN KEY (list_id, company_row_id) REFERENCES list_companies (list_id, id) ON DELETE CASCADE
);

-- The primary keys serve cell_upsert's lookups; this one serves the cascade from a row.
CREATE INDEX list_company_cells_row_idx ON list_company_cells (list_id, company_row_id);

-- The cell history (1.4, docs/history.md): one row per cell written, by any writer, with
-- what the write replaced. Written by the extension's trigger as this table's owner; the
-- application grants SELECT only; its owner deletes what it no longer keeps (docs/history.md).
CREATE TABLE list_cell_history (
    list_id        uuid NOT NULL,
    id             bigint GENERATED ALWAYS AS IDENTITY,
    column_id      uuid NOT NULL,
    company_row_id uuid NOT NULL,
    -- What wrote it: manual (cell_upsert, cell_upsert_many), enrichment (cell_enrich_many), release
    -- (cell_release, _many), revert, undo, or external (any other writer). No CHECK: only the trigger
    -- writes it, and PostgreSQL reads a CHECK anew in each statement (some 45,000 instructions).
    kind           text NOT NULL,
    edit_id        uuid,         -- one per call of the extension's functions; NULL for external
    edited_by      text,         -- the JWT "sub" claim, else the role
    edited_at      timestamptz NOT NULL DEFAULT now(),
    existed_before boolean NOT NULL,
    value_before   text,
    value_after    text,
    status_before  text,
    status_after   text,
    source_before  text,
    source_after   text,
    xact           xid8 NOT NULL DEFAULT pg_current_xact_id(),
    -- No foreign key: the history outlives the cells it tells of (an audit trail), and
    -- recording it locks no row of the lists, columns or rows, which a write of an existing
    -- cell does not lock either (a concurrent DELETE of them would deadlock with it).
    -- The key is in the feed's order (cell_changes): list, transaction, id.
    PRIMARY KEY (list_id, xact, id)
);
CREATE INDEX list_cell_history_cell_idx ON list_cell_history (list_id, column_id, company_row_id, id);
CREATE INDEX list_cell_history_edit_idx ON list_cell_history (list_id, edit_id);

-- Manual edits win (1.3): an update of a cell a person edited last is skipped unless it is
-- one of the extension's own manual edits, whoever the writer (docs/adoption.md). The guard
-- is the extension's trigger function: without the extension in this schema (tables created
-- before it) the tables are created all the same, and a WARNING says how to attach it later.
SELECT EXISTS (SELECT FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
               WHERE n.nspname = pg_catalog.current_schema() AND p.proname = 'cell_manual_guard'
                 AND p.pronargs = 0)
INTO guarded;
IF guarded THEN
    EXECUTE pg_catalog.format('CREATE TRIGGER list_company_cells_manual_guard BEFORE UPDATE ON list_company_cells'
                              ' FOR EACH ROW EXECUTE FUNCTION %I.cell_manual_guard()', pg_catalog.current_schema());
END IF;
-- The history's writer (1.4): AFTER each statement that inserts or updates cells.
IF guarded AND EXISTS (SELECT FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                       WHERE n.nspname = pg_catalog.current_schema() AND p.proname = 'cell_history_record'
                         AND p.pronargs = 0) THEN
    EXECUTE pg_catalog.format('CREATE TRIGGER list_company_cells_history_insert AFTER INSERT ON list_company_cells'
                              ' REFERENCING NEW TABLE AS new_cells FOR EACH STATEMENT EXECUTE FUNCTION %I.cell_history_record()',
                              pg_catalog.current_schema());
    EXECUTE pg_catalog.format('CREATE TRIGGER list_company_cells_history_update AFTER UPDATE ON list_company_cells'
                              ' REFERENCING OLD TABLE AS old_cells NEW TABLE AS new_cells'
                              ' FOR EACH STATEMENT EXECUTE FUNCTION %I.cell_history_record()', pg_catalog.current_schema());
ELSIF guarded THEN
    RAISE WARNING 'cellupsert_list_tables.sql created the list tables without the history''s triggers'
        USING DETAIL = pg_catalog.format('cellupsert in schema %I is older than 1.4, whose trigger function records the history.',
                                         pg_catalog.current_schema()),
              HINT = 'After ALTER EXTENSION cellupsert UPDATE, attach them with cellupsert_list_tables--1.3--1.4.sql.';
ELSE
    RAISE WARNING 'cellupsert_list_tables.sql created the list tables without the manual-edit guard and the history''s triggers'
        USING DETAIL = pg_catalog.format('cellupsert 1.4 or later is not installed in schema %I, and they are its trigger functions.',
                                         pg_catalog.current_schema()),
              HINT = 'After CREATE EXTENSION cellupsert in that schema, attach them with cellupsert_list_tables--1.2--1.3.sql'
                     ' and cellupsert_list_tables--1.3--1.4.sql.';
END IF;

ALTER TABLE lists ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_columns ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_company_cells ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_cell_history ENABLE ROW LEVEL SECURITY;
END
$ddl$;
