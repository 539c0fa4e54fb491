-- List tables 1.2 -> 1.3: the manual-edit guard on the cells. Run it after ALTER EXTENSION
-- cellupsert UPDATE (the trigger function is new in 1.3), or after CREATE EXTENSION for
-- tables created before it, with search_path set to the extension's schema. CREATE OR
-- REPLACE: a guard attached by hand before is replaced. A cell table without the column
-- source (no manual mark to guard), or a view (adopted tables: attach it to the table
-- underneath), gets none, and a WARNING says so. On Citus, run it with SET
-- citus.enable_unsafe_triggers = on.
DO $guard$
DECLARE
    cells regclass := 'list_company_cells'::regclass;
BEGIN
    IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = cells) NOT IN ('r', 'p') THEN
        RAISE WARNING 'attached no manual-edit guard: % is not a table', cells
            USING HINT = 'Attach cell_manual_guard() BEFORE UPDATE FOR EACH ROW to the table under it (docs/adoption.md).';
    ELSIF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a
                      WHERE a.attrelid = cells AND a.attname = 'source' AND NOT a.attisdropped) THEN
        RAISE WARNING 'attached no manual-edit guard: % has no column source', cells
            USING HINT = 'Add the provenance columns first (cellupsert_list_tables--1.0--1.1.sql).';
    ELSE
        CREATE OR REPLACE TRIGGER list_company_cells_manual_guard BEFORE UPDATE ON list_company_cells
            FOR EACH ROW EXECUTE FUNCTION cell_manual_guard();
    END IF;
END
$guard$;
