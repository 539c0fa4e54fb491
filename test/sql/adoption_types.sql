-- Column types the application chose: status and subject as varchar, a domain over text or
-- an enum; value as varchar; provenance source as an enum. The literals the functions
-- write take the column's type; nothing is forced to text.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql
CREATE DOMAIN cell_status AS varchar(16) CHECK (VALUE IN ('pending', 'running', 'complete', 'error'));
CREATE TYPE cell_source AS ENUM ('enrichment', 'manual');
CREATE TYPE column_subject AS ENUM ('company', 'person');
ALTER TABLE list_company_cells DROP CONSTRAINT list_company_cells_status_check,
    DROP CONSTRAINT list_company_cells_source_check,
    ALTER COLUMN status TYPE cell_status, ALTER COLUMN value TYPE varchar(20),
    ALTER COLUMN source DROP DEFAULT,
    ALTER COLUMN source TYPE cell_source USING source::cell_source,
    ALTER COLUMN source SET DEFAULT 'enrichment',
    ALTER COLUMN edited_by TYPE varchar(64);
ALTER TABLE list_columns DROP CONSTRAINT list_columns_subject_check,
    ALTER COLUMN subject TYPE column_subject USING subject::column_subject;
SELECT cell_upsert(:list1, :row1, :col1, 'twenty characters!!!');
SELECT cell_upsert_many(:list1, jsonb_build_array(jsonb_build_object('row', :row1b, 'col', :col1, 'val', 'b')));
SELECT value, pg_typeof(value), status, pg_typeof(status), source, pg_typeof(source), edited_by = current_user AS edited_by
FROM list_company_cells ORDER BY company_row_id;
-- The person column is still refused by its enum label.
SELECT cell_upsert(:list1, :row1, :person1, 'x');
-- A value longer than the column takes: PostgreSQL's own 22001, nothing written (no
-- coercion means no truncation either).
SELECT cell_upsert(:list1, :row1, :col1, 'twenty-one characters');
\echo :SQLSTATE
SELECT value FROM list_company_cells WHERE company_row_id = :row1;

-- An enum status without the label 'complete': PostgreSQL's own 22P02 naming the label.
CREATE TYPE odd_status AS ENUM ('todo', 'done');
ALTER TABLE list_company_cells ALTER COLUMN status DROP DEFAULT,
    ALTER COLUMN status TYPE odd_status USING 'done';
SELECT cell_upsert(:list1, :row1, :col1, 'x');
\echo :SQLSTATE
