-- List tables 1.2 -> 1.3: the manual-edit guard on the cells. Run it after ALTER EXTENSION
-- cellupsert UPDATE (the trigger function is new in 1.3), with search_path set to the
-- extension's schema. CREATE OR REPLACE: a guard attached by hand before is replaced.
CREATE OR REPLACE TRIGGER list_company_cells_manual_guard BEFORE UPDATE ON list_company_cells
    FOR EACH ROW EXECUTE FUNCTION cell_manual_guard();
