-- List tables created from the 1.0 DDL -> 1.1: edit provenance on the cells.
-- Unqualified names: run with search_path set to the extension's schema.
ALTER TABLE list_company_cells
    ADD COLUMN source    text NOT NULL DEFAULT 'enrichment' CHECK (source IN ('enrichment', 'manual')),
    ADD COLUMN edited_by text,
    ADD COLUMN edited_at timestamptz;
