-- The floor: the same cells by a bare set-based upsert, no validation, the same columns written.
DO $$
DECLARE started timestamptz := clock_timestamp();
BEGIN
    INSERT INTO list_company_cells AS cell
        (list_id, column_id, company_row_id, value, status, created_at, updated_at, source, edited_by, edited_at)
    SELECT '10000000-0000-4000-8000-000000000001', col_id, row_id, val, 'complete', now(), now(),
           'manual', current_user, now()
    FROM batch_rows
    ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE
    SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
        source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at;
    RAISE NOTICE 'seconds=%', extract(epoch FROM clock_timestamp() - started);
END $$;
