-- bench/shapes.sh's timing functions, for the shape of bench/sql/shapes_fixture.sql
-- (:canonical true or false). The bare upserts differ between the shapes only by list_id:
-- the texts below are written once, with the markers /*list_id,*/ (a column of the insert
-- and of the conflict key) and /*list,*/ (its value), replaced by "list_id," and the list
-- for the canonical shape and by nothing for the original one, before the functions are
-- created. Both write what cell_upsert writes in both shapes: value, status 'complete',
-- updated_at, and the provenance (source 'manual', current_user as the editor, now()).
\if :canonical
\set list_id_column 'list_id,'
\set list_value 'list,'
\else
\set list_id_column ''
\set list_value ''
\endif

-- Single calls, in-server: A cell_upsert, C the bare INSERT ... ON CONFLICT, 0 the empty
-- loop (the same array fetches and nothing else), taking turns in blocks of `block` calls,
-- each block timed with clock_timestamp(); a method's figure is its median block.
-- workload: insert    each call writes a new cell (columns 11..20 are empty);
--           overwrite each call overwrites a cell (columns 1..10 are filled).
-- Every call goes to a cell of its own: cell s is row 1 + (s * 7919) mod rows; A takes the
-- even cells, C the odd ones. The caller rolls back, so that every run starts alike.
SELECT replace(replace($function$
CREATE FUNCTION bench.time_calls(workload text, calls_per_method int, block int)
RETURNS TABLE (method text, calls int, median_us float8, mean_us float8)
LANGUAGE plpgsql AS $$
DECLARE
    list constant uuid := bench.id('10000000', 1);
    val constant text := 'manual edit';
    row_count constant int := (SELECT count(*) FROM bench.list_companies r WHERE r.list_id = list);
    first_column constant int := CASE workload WHEN 'insert' THEN 11 ELSE 1 END;
    n constant int := least(calls_per_method, 10 * row_count / 2);  -- two cells per call of A and C
    blocks constant int := (n + block - 1) / block;
    row_ids uuid[];
    col_ids uuid[];
    block_us float8[] := array_fill(NULL::float8, ARRAY[3, blocks]);  -- per method, per block
    m int;       -- 1 empty loop, 2 A, 3 C
    first_call int;
    last_call int;
    ok boolean;
    started timestamptz;
BEGIN
    SELECT array_agg(bench.id('30000000', 1 + (s * 7919) % row_count) ORDER BY s),
           array_agg(bench.id('20000000', first_column + (s / row_count) % 10) ORDER BY s)
    INTO row_ids, col_ids
    FROM generate_series(0, 2 * n - 1) s;

    FOR b IN 0 .. blocks - 1 LOOP
        first_call := b * block;
        last_call := least(n, first_call + block) - 1;
        FOR turn IN 0 .. 2 LOOP
            m := 1 + (b + turn) % 3;
            started := clock_timestamp();
            IF m = 1 THEN
                FOR k IN first_call .. last_call LOOP
                    ok := row_ids[2 * k + 1] IS NOT NULL AND col_ids[2 * k + 1] IS NOT NULL;
                END LOOP;
            ELSIF m = 2 THEN
                FOR k IN first_call .. last_call LOOP
                    ok := bench.cell_upsert(list, row_ids[2 * k + 1], col_ids[2 * k + 1], val);
                END LOOP;
            ELSE
                FOR k IN first_call .. last_call LOOP
                    INSERT INTO bench.list_company_cells AS cell
                        (/*list_id,*/ column_id, company_row_id, value, status, source, edited_by, edited_at)
                    VALUES (/*list,*/ col_ids[2 * k + 2], row_ids[2 * k + 2], val, 'complete', 'manual', current_user, now())
                    ON CONFLICT (/*list_id,*/ column_id, company_row_id) DO UPDATE
                    SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
                        source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at;
                END LOOP;
            END IF;
            block_us[m][b + 1] := extract(epoch FROM clock_timestamp() - started) * 1e6
                                  / (last_call - first_call + 1);
        END LOOP;
    END LOOP;

    -- Each run must have written what its workload says, or its time means nothing.
    IF (SELECT count(*) FROM bench.list_company_cells c
        WHERE c.source = 'manual' AND c.edited_by = current_user) <> 2 * n THEN
        RAISE EXCEPTION '%: not every call wrote its cell with its provenance', workload;
    END IF;
    IF workload = 'insert' AND (SELECT count(*) FROM bench.list_company_cells c
            WHERE c.column_id = ANY (SELECT DISTINCT unnest(col_ids))) <> 2 * n THEN
        RAISE EXCEPTION 'insert: not every call inserted a cell';
    END IF;

    RETURN QUERY
    SELECT (ARRAY['0', 'A', 'C'])[i], n,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(block_us[i:i][:]) t),
           (SELECT sum(t * least(block, n - (o - 1) * block)) / n
            FROM unnest(block_us[i:i][:]) WITH ORDINALITY u(t, o))
    FROM generate_series(1, 3) i;
END $$
$function$, '/*list_id,*/', :'list_id_column'), '/*list,*/', :'list_value') \gexec

-- A batch, in-server: method 'many' one cell_upsert_many call with the first `size` cells
-- of the batch (an input of bench.batch_input), 'bare' the set-based INSERT ... SELECT ...
-- ON CONFLICT of the same cells with no validation. Returns the seconds of that statement.
SELECT replace(replace($function$
CREATE FUNCTION bench.time_batch(method text, size int) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
    list constant uuid := bench.id('10000000', 1);
    written int;
    started timestamptz;
    seconds float8;
BEGIN
    IF method = 'many' THEN
        started := clock_timestamp();
        SELECT bench.cell_upsert_many(list, i.cells) INTO written FROM bench.batch_input i WHERE i.size = time_batch.size;
        seconds := extract(epoch FROM clock_timestamp() - started);
    ELSE
        started := clock_timestamp();
        INSERT INTO bench.list_company_cells AS cell
            (/*list_id,*/ column_id, company_row_id, value, status, source, edited_by, edited_at)
        SELECT /*list,*/ b.col_id, b.row_id, b.val, 'complete', 'manual', current_user, now()
        FROM bench.batch_rows b WHERE b.n <= time_batch.size
        ON CONFLICT (/*list_id,*/ column_id, company_row_id) DO UPDATE
        SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
            source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at;
        seconds := extract(epoch FROM clock_timestamp() - started);
    END IF;
    IF (SELECT count(*) FROM bench.list_company_cells c
        WHERE c.source = 'manual' AND c.edited_by = current_user) <> size THEN
        RAISE EXCEPTION '%: not every cell of the batch was written with its provenance', method;
    END IF;
    RETURN seconds;
END $$
$function$, '/*list_id,*/', :'list_id_column'), '/*list,*/', :'list_value') \gexec
