-- For bench/profile.sh: n calls of one method (0 the empty loop, A, B or C) on distinct cells,
-- as in bench.time_calls but one method per backend and untimed.
CREATE FUNCTION bench.run_calls(method text, workload text, n int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    list constant uuid := bench.id('10000000', 1);
    val constant text := 'manual edit';
    row_count constant int := (SELECT count(*) FROM bench.list_companies r WHERE r.list_id = list);
    first_column constant int := CASE workload WHEN 'insert' THEN 11 ELSE 1 END;
    row_ids uuid[];
    col_ids uuid[];
    row_id uuid;
    col_id uuid;
    ok boolean;
BEGIN
    SELECT array_agg(bench.id('30000000', 1 + (s * 7919) % row_count) ORDER BY s),
           array_agg(bench.id('20000000', first_column + (s / row_count) % 10) ORDER BY s)
    INTO row_ids, col_ids
    FROM generate_series(0, least(n, 10 * row_count) - 1) s;
    FOR k IN 1 .. least(n, 10 * row_count) LOOP
        row_id := row_ids[k];
        col_id := col_ids[k];
        IF method = 'A' THEN
            ok := bench.cell_upsert(list, row_id, col_id, val);
        ELSIF method = 'B' THEN
            ok := bench.cell_upsert_plpgsql(list, row_id, col_id, val);
        ELSIF method = 'C' THEN
            INSERT INTO bench.list_company_cells AS cell
                (list_id, column_id, company_row_id, value, status, source, edited_by, edited_at)
            VALUES (list, col_id, row_id, val, 'complete', 'manual', current_user, now())
            ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE
            SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
                source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at;
        ELSE
            ok := row_id IS NOT NULL AND col_id IS NOT NULL;
        END IF;
    END LOOP;
END $$;
