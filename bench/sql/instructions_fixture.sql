-- bench/instructions.sh's part of either fixture, run after bench/sql/fixture.sql (:canonical
-- true) or bench/sql/shapes_fixture.sql (:canonical false): the batches, and the functions
-- that a single-user backend runs under callgrind. The original shape also gets the
-- :other_lists other lists that fixture.sql gives the canonical one (the same statements: the
-- tables of the lists, columns and rows have these columns in both shapes), so that the two
-- shapes differ by their shape only.
\if :canonical
\else
INSERT INTO bench.lists (id, name)
SELECT bench.id('11000000', i), 'other list ' || i FROM generate_series(1, :other_lists) i;
INSERT INTO bench.list_columns (list_id, id, subject)
SELECT bench.id('11000000', i), bench.id('23000000', 100 * i + c), 'company'
FROM generate_series(1, :other_lists) i, generate_series(1, 20) c;
INSERT INTO bench.list_companies (list_id, id)
SELECT bench.id('11000000', i), bench.id('33000000', 100 * i + r)
FROM generate_series(1, :other_lists) i, generate_series(1, 10) r;
\endif

-- The batches of cell_upsert_many: :batch_cells cells, :batch_cells / 10 rows spread over the
-- list and columns 1..10 of each (overwrite: the cells exist) or 11..20 (insert: they do not),
-- in row then column order; and their first 20 cells, for the warm-up.
CREATE TABLE bench.instr_batches AS
SELECT w.workload, s.size,
       jsonb_agg(jsonb_build_object('row', bench.id('30000000', 1 + i * :rows / (:batch_cells / 10)),
                                    'col', bench.id('20000000', w.first_column + c),
                                    'val', md5(i || '/' || c)) ORDER BY i, c) AS cells
FROM (VALUES ('overwrite', 1), ('insert', 11)) w(workload, first_column),
     (VALUES (20), (:batch_cells)) s(size), generate_series(0, :batch_cells / 10 - 1) i, generate_series(0, 9) c
WHERE 10 * i + c < s.size
GROUP BY w.workload, s.size;

-- n single calls on distinct cells, as bench.run_calls of bench/sql/profile.sql: method
-- 'call' calls cell_upsert, 'empty' runs the same loop without it; 'if_match' calls it with
-- each cell's current version (cellupsert 1.3 on), read before the loop, as 'empty_versions'
-- reads them and runs the empty loop. 'bare' is the bare upsert of the same cell as a
-- person's edit, no checks; 'bare_history' the same upsert and its history row written by
-- hand in one statement (cellupsert 1.4 on, a history table without the trigger): the old
-- cell read and locked, the upsert, the history row from both.
CREATE FUNCTION bench.instr_calls(method text, workload text, n int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    list constant uuid := bench.id('10000000', 1);
    val constant text := 'manual edit';
    row_count constant int := (SELECT count(*) FROM bench.list_companies r WHERE r.list_id = list);
    first_column constant int := CASE workload WHEN 'insert' THEN 11 ELSE 1 END;
    row_ids uuid[];
    col_ids uuid[];
    versions text[];
    edit constant uuid := '00000000-0000-4000-8000-0000000000ed';  -- one call's, made once
    ok boolean;
BEGIN
    IF n > 10 * row_count THEN
        RAISE EXCEPTION 'at most % calls: one cell each', 10 * row_count;
    END IF;
    SELECT array_agg(bench.id('30000000', 1 + (s * 7919) % row_count) ORDER BY s),
           array_agg(bench.id('20000000', first_column + (s / row_count) % 10) ORDER BY s)
    INTO row_ids, col_ids
    FROM generate_series(0, n - 1) s;
    IF method IN ('if_match', 'empty_versions') THEN
        SELECT array_agg(coalesce((SELECT bench.cell_version_of(x.value, x.status::text, x.reasoning, x.error)
                                   FROM bench.list_company_cells x
                                   WHERE x.column_id = col_ids[k] AND x.company_row_id = row_ids[k]), 'absent') ORDER BY k)
        INTO versions FROM generate_series(1, n) k;
    END IF;
    FOR k IN 1 .. n LOOP
        IF method = 'call' THEN
            ok := bench.cell_upsert(list, row_ids[k], col_ids[k], val);
        ELSIF method = 'if_match' THEN
            ok := bench.cell_upsert(list, row_ids[k], col_ids[k], val, versions[k]);
        ELSIF method = 'plpgsql' THEN
            ok := bench.cell_upsert_plpgsql(list, row_ids[k], col_ids[k], val);
        ELSIF method = 'bare' THEN
            INSERT INTO bench.list_company_cells AS c
                (list_id, column_id, company_row_id, value, status, source, edited_by, edited_at)
            VALUES (list, col_ids[k], row_ids[k], val, 'complete', 'manual', current_user, now())
            ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE
            SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
                source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at;
            ok := FOUND;
        ELSIF method = 'bare_history' THEN
            WITH old AS (
                SELECT x.value, x.status, x.source FROM bench.list_company_cells x
                WHERE x.list_id = list AND x.column_id = col_ids[k] AND x.company_row_id = row_ids[k] FOR UPDATE),
            up AS (
                INSERT INTO bench.list_company_cells AS c
                    (list_id, column_id, company_row_id, value, status, source, edited_by, edited_at)
                VALUES (list, col_ids[k], row_ids[k], val, 'complete', 'manual', current_user, now())
                ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE
                SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
                    source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at
                RETURNING c.value, c.status, c.source)
            INSERT INTO bench.list_cell_history
                (list_id, column_id, company_row_id, kind, edit_id, edited_by, existed_before,
                 value_before, status_before, source_before, value_after, status_after, source_after)
            SELECT list, col_ids[k], row_ids[k], 'manual', edit, current_user, old.status IS NOT NULL,
                   old.value, old.status, old.source, up.value, up.status, up.source
            FROM up LEFT JOIN old ON true;
            ok := FOUND;
        ELSE
            ok := row_ids[k] IS NOT NULL AND col_ids[k] IS NOT NULL;
        END IF;
        IF NOT ok THEN RAISE EXCEPTION 'call % wrote nothing', k; END IF;
    END LOOP;
END $$;

-- One batch of `size` cells: method 'call' is cell_upsert_many, 'empty' reads (and
-- decompresses) the same input without it; 'bare' and 'bare_history' as in instr_calls, set
-- based.
CREATE FUNCTION bench.instr_batch(method text, workload text, size int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    list constant uuid := bench.id('10000000', 1);
    edit constant uuid := '00000000-0000-4000-8000-0000000000ed';
    cells constant jsonb := (SELECT b.cells FROM bench.instr_batches b
                             WHERE b.workload = instr_batch.workload AND b.size = instr_batch.size);
    written int;
BEGIN
    IF method = 'call' THEN
        written := bench.cell_upsert_many(list, cells);
    ELSIF method = 'bare' THEN
        INSERT INTO bench.list_company_cells AS c
            (list_id, column_id, company_row_id, value, status, source, edited_by, edited_at)
        SELECT list, (e->>'col')::uuid, (e->>'row')::uuid, e->>'val', 'complete', 'manual', current_user, now()
        FROM jsonb_array_elements(cells) e
        ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE
        SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
            source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at;
        GET DIAGNOSTICS written = ROW_COUNT;
    ELSIF method = 'bare_history' THEN
        WITH input AS (
            SELECT (e->>'col')::uuid AS column_id, (e->>'row')::uuid AS company_row_id, e->>'val' AS val
            FROM jsonb_array_elements(cells) e),
        old AS (
            SELECT x.column_id, x.company_row_id, x.value, x.status, x.source
            FROM bench.list_company_cells x JOIN input i USING (column_id, company_row_id)
            WHERE x.list_id = list FOR UPDATE OF x),
        up AS (
            INSERT INTO bench.list_company_cells AS c
                (list_id, column_id, company_row_id, value, status, source, edited_by, edited_at)
            SELECT list, i.column_id, i.company_row_id, i.val, 'complete', 'manual', current_user, now() FROM input i
            ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE
            SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
                source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at
            RETURNING c.column_id, c.company_row_id, c.value, c.status, c.source)
        INSERT INTO bench.list_cell_history
            (list_id, column_id, company_row_id, kind, edit_id, edited_by, existed_before,
             value_before, status_before, source_before, value_after, status_after, source_after)
        SELECT list, up.column_id, up.company_row_id, 'manual', edit, current_user, old.status IS NOT NULL,
               old.value, old.status, old.source, up.value, up.status, up.source
        FROM up LEFT JOIN old USING (column_id, company_row_id);
        GET DIAGNOSTICS written = ROW_COUNT;
    ELSE
        written := jsonb_array_length(cells);
    END IF;
    IF written IS DISTINCT FROM size THEN
        RAISE EXCEPTION '% of % cells written', written, size;
    END IF;
END $$;

VACUUM ANALYZE bench.lists, bench.list_columns, bench.list_companies, bench.list_company_cells,
               bench.instr_batches;

-- An enrichment of the overwrite batch's cells (cellupsert 1.3 on), a tenth of them marked as
-- a person's first: method 'call' is cell_enrich_many, 'bare' the set-based upsert of the
-- same cells from the same JSON with the predicate a job needs without it, 'empty' marks the
-- cells and reads the input only. Each writes all but the person's cells.
CREATE FUNCTION bench.instr_enrich(method text, size int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    list constant uuid := bench.id('10000000', 1);
    cells constant jsonb := (SELECT b.cells FROM bench.instr_batches b
                             WHERE b.workload = 'overwrite' AND b.size = instr_enrich.size);
    written int;
BEGIN
    UPDATE bench.list_company_cells x SET source = 'manual'
    FROM (SELECT (t.e->>'row')::uuid AS row_id, (t.e->>'col')::uuid AS col_id
          FROM jsonb_array_elements(cells) WITH ORDINALITY AS t(e, n) WHERE t.n % 10 = 1) m
    WHERE x.list_id = list AND x.company_row_id = m.row_id AND x.column_id = m.col_id;
    IF method = 'call' THEN
        written := (bench.cell_enrich_many(list, cells)->>'written')::int;
    ELSIF method = 'bare' THEN
        INSERT INTO bench.list_company_cells AS c (list_id, column_id, company_row_id, value, status)
        SELECT list, (e->>'col')::uuid, (e->>'row')::uuid, e->>'val', 'complete' FROM jsonb_array_elements(cells) e
        ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE
        SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
        WHERE c.source <> 'manual';
        GET DIAGNOSTICS written = ROW_COUNT;
    ELSE
        written := jsonb_array_length(cells) - (jsonb_array_length(cells) + 9) / 10;
    END IF;
    IF written <> size - (size + 9) / 10 THEN
        RAISE EXCEPTION '% of % cells written', written, size;
    END IF;
END $$;

-- Small batches (the speed issue): `calls` batches of `size` distinct cells each, the cells
-- of the columns 1..10 row by row (overwrite: they exist), built before the loop. Method
-- 'call' is cell_upsert_many, 'bare' the set-based upsert of the same cells as a person's
-- edit, 'single' one cell_upsert per cell, 'empty' the loop alone.
CREATE FUNCTION bench.instr_sizes(method text, size int, calls int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    list constant uuid := bench.id('10000000', 1);
    row_count constant int := (SELECT count(*) FROM bench.list_companies r WHERE r.list_id = list);
    batches jsonb[];
    b jsonb;
    n int;
BEGIN
    IF size * calls > 10 * row_count THEN
        RAISE EXCEPTION 'at most % cells: distinct ones', 10 * row_count;
    END IF;
    SELECT array_agg(x.cells ORDER BY x.k) INTO batches FROM (
        SELECT k, jsonb_agg(jsonb_build_object('row', bench.id('30000000', 1 + (k * size + i) % row_count),
                                               'col', bench.id('20000000', 1 + (k * size + i) / row_count),
                                               'val', 'edit ' || k) ORDER BY i) AS cells
        FROM generate_series(0, calls - 1) k, generate_series(0, size - 1) i GROUP BY k) x;
    FOR k IN 1 .. calls LOOP
        b := batches[k];
        IF method = 'call' THEN
            n := bench.cell_upsert_many(list, b);
        ELSIF method = 'bare' THEN
            INSERT INTO bench.list_company_cells AS c
                (list_id, column_id, company_row_id, value, status, source, edited_by, edited_at)
            SELECT list, (e->>'col')::uuid, (e->>'row')::uuid, e->>'val', 'complete', 'manual', current_user, now()
            FROM jsonb_array_elements(b) e
            ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE
            SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
                source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at;
            GET DIAGNOSTICS n = ROW_COUNT;
        ELSIF method = 'single' THEN
            n := 0;
            FOR i IN 0 .. size - 1 LOOP
                IF bench.cell_upsert(list, (b->i->>'row')::uuid, (b->i->>'col')::uuid, b->i->>'val') THEN
                    n := n + 1;
                END IF;
            END LOOP;
        ELSE
            n := jsonb_array_length(b);
        END IF;
        IF n <> size THEN RAISE EXCEPTION 'batch %: % of % cells written', k, n, size; END IF;
    END LOOP;
END $$;
