-- List tables 1.3 -> 1.4: the cell history (docs/history.md) and the triggers that write it.
-- Run it after ALTER EXTENSION cellupsert UPDATE (the trigger function is new in 1.4), with
-- search_path set to the extension's schema. On Citus, then call cellupsert_distribute()
-- again: it distributes the history with the cells.
CREATE TABLE IF NOT EXISTS list_cell_history (
    list_id        uuid NOT NULL,
    id             bigint GENERATED ALWAYS AS IDENTITY,
    column_id      uuid NOT NULL,
    company_row_id uuid NOT NULL,
    kind           text NOT NULL,  -- manual, enrichment, release, revert, undo or external
    edit_id        uuid,
    edited_by      text,
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
CREATE INDEX IF NOT EXISTS list_cell_history_cell_idx ON list_cell_history (list_id, column_id, company_row_id, id);
CREATE INDEX IF NOT EXISTS list_cell_history_edit_idx ON list_cell_history (list_id, edit_id);
ALTER TABLE list_cell_history ENABLE ROW LEVEL SECURITY;
CREATE OR REPLACE TRIGGER list_company_cells_history_insert AFTER INSERT ON list_company_cells
    REFERENCING NEW TABLE AS new_cells FOR EACH STATEMENT EXECUTE FUNCTION cell_history_record();
CREATE OR REPLACE TRIGGER list_company_cells_history_update AFTER UPDATE ON list_company_cells
    REFERENCING OLD TABLE AS old_cells NEW TABLE AS new_cells FOR EACH STATEMENT EXECUTE FUNCTION cell_history_record();
