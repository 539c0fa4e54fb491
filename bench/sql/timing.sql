-- In-server timing: calls in a loop inside this backend (no client round trip). The methods
-- take turns in blocks of a few calls, each block timed with clock_timestamp(), so that a
-- burst of load on a shared machine hits all of them alike; the median block is the figure.
-- The caller rolls the transaction back, so that every run starts from the same table.
--
-- method:   A cell_upsert, B the PL/pgSQL reference, C the bare upsert (writing the same
--           provenance, with current_user as the editor), 0 the empty loop
--           (the same argument fetches and nothing else, subtracted by the report).
-- workload: insert    each call writes a new cell (columns 11..20 are empty);
--           overwrite each call overwrites a cell (columns 1..10 are filled);
--           guarded   overwrite, each call inside an exception block (a subtransaction);
--           refused   each call names the foreign list's column, inside an exception block.
-- Every call of the run goes to its own cell: cell s is row 1 + (s * 7919) mod rows, so
-- consecutive calls hit rows spread over the table, and A, B and C take every third cell.
CREATE FUNCTION bench.time_calls(workload text, calls_per_method int, block int)
RETURNS TABLE (method text, calls int, median_us float8, mean_us float8)
LANGUAGE plpgsql AS $$
DECLARE
    list constant uuid := bench.id('10000000', 1);
    val constant text := 'manual edit';
    guarded constant boolean := workload IN ('guarded', 'refused');
    row_count constant int := (SELECT count(*) FROM bench.list_companies r WHERE r.list_id = list);
    first_column constant int := CASE workload WHEN 'insert' THEN 11 ELSE 1 END;
    -- Distinct cells: three per call of each method.
    n constant int := least(calls_per_method, 10 * row_count / 3);
    blocks constant int := (n + block - 1) / block;
    row_ids uuid[];
    col_ids uuid[];
    block_us float8[] := array_fill(NULL::float8, ARRAY[4, blocks]);  -- per method, per block
    m int;       -- 1 empty loop, 2 A, 3 B, 4 C
    first_call int;
    last_call int;
    ok boolean;
    errors int[] := ARRAY[0, 0, 0, 0];
    errors_expected constant int[] := CASE workload WHEN 'refused' THEN ARRAY[0, n, n, n]
                                                    ELSE ARRAY[0, 0, 0, 0] END;
    started timestamptz;
BEGIN
    SELECT array_agg(bench.id('30000000', 1 + (s * 7919) % row_count) ORDER BY s),
           array_agg(CASE WHEN workload = 'refused' THEN bench.id('21000000', 1)
                          ELSE bench.id('20000000', first_column + (s / row_count) % 10) END
                     ORDER BY s)
    INTO row_ids, col_ids
    FROM generate_series(0, 3 * n - 1) s;

    FOR b IN 0 .. blocks - 1 LOOP
        first_call := b * block;
        last_call := least(n, first_call + block) - 1;
        FOR turn IN 0 .. 3 LOOP
            m := 1 + (b + turn) % 4;
            started := clock_timestamp();
            IF m = 1 THEN
                FOR k IN first_call .. last_call LOOP
                    ok := row_ids[3 * k + 1] IS NOT NULL AND col_ids[3 * k + 1] IS NOT NULL;
                END LOOP;
            ELSIF m = 2 AND NOT guarded THEN
                FOR k IN first_call .. last_call LOOP
                    ok := bench.cell_upsert(list, row_ids[3 * k + 1], col_ids[3 * k + 1], val);
                END LOOP;
            ELSIF m = 3 AND NOT guarded THEN
                FOR k IN first_call .. last_call LOOP
                    ok := bench.cell_upsert_plpgsql(list, row_ids[3 * k + 2], col_ids[3 * k + 2], val);
                END LOOP;
            ELSIF m = 4 AND NOT guarded THEN
                FOR k IN first_call .. last_call LOOP
                    INSERT INTO bench.list_company_cells AS cell
                        (list_id, column_id, company_row_id, value, status, source, edited_by, edited_at)
                    VALUES (list, col_ids[3 * k + 3], row_ids[3 * k + 3], val, 'complete', 'manual', current_user, now())
                    ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE
                    SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
                        source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at;
                END LOOP;
            ELSIF m = 2 THEN
                FOR k IN first_call .. last_call LOOP
                    BEGIN
                        ok := bench.cell_upsert(list, row_ids[3 * k + 1], col_ids[3 * k + 1], val);
                    EXCEPTION WHEN OTHERS THEN
                        errors[m] := errors[m] + 1;
                    END;
                END LOOP;
            ELSIF m = 3 THEN
                FOR k IN first_call .. last_call LOOP
                    BEGIN
                        ok := bench.cell_upsert_plpgsql(list, row_ids[3 * k + 2], col_ids[3 * k + 2], val);
                    EXCEPTION WHEN OTHERS THEN
                        errors[m] := errors[m] + 1;
                    END;
                END LOOP;
            ELSE
                FOR k IN first_call .. last_call LOOP
                    BEGIN
                        INSERT INTO bench.list_company_cells AS cell
                            (list_id, column_id, company_row_id, value, status, source, edited_by, edited_at)
                        VALUES (list, col_ids[3 * k + 3], row_ids[3 * k + 3], val, 'complete', 'manual', current_user, now())
                        ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE
                        SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
                            source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at;
                    EXCEPTION WHEN OTHERS THEN
                        errors[m] := errors[m] + 1;
                    END;
                END LOOP;
            END IF;
            block_us[m][b + 1] := extract(epoch FROM clock_timestamp() - started) * 1e6
                                  / (last_call - first_call + 1);
        END LOOP;
    END LOOP;

    -- Each run must have done what its workload says, or its time means nothing.
    IF errors <> errors_expected THEN
        RAISE EXCEPTION '%: calls that failed (empty, A, B, C): %', workload, errors;
    END IF;
    IF workload = 'insert' AND (SELECT count(*) FROM bench.list_company_cells c
            WHERE c.list_id = list AND c.column_id = ANY (SELECT DISTINCT unnest(col_ids))) <> 3 * n THEN
        RAISE EXCEPTION 'insert: not every call inserted a cell';
    END IF;

    RETURN QUERY
    SELECT (ARRAY['0', 'A', 'B', 'C'])[i], n,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(block_us[i:i][:]) t),
           -- blocks have equal sizes but the last: weigh them by their calls
           (SELECT sum(t * least(block, n - (o - 1) * block)) / n
            FROM unnest(block_us[i:i][:]) WITH ORDINALITY u(t, o))
    FROM generate_series(1, 4) i;
END $$;
