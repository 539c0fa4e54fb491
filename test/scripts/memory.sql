-- Objects for test/scripts/memory.sh, in its own database: one list with 50 company columns,
-- a person column and 50 rows (2,500 cells), another list whose column is foreign to it,
-- the procedure that makes the calls, and the memory samples.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE SCHEMA app;
CREATE EXTENSION cellupsert SCHEMA app;
SET search_path = app;
\i sql/cellupsert_list_tables.sql

INSERT INTO lists (id) VALUES
    ('10000000-0000-4000-8000-000000000001'), ('10000000-0000-4000-8000-000000000002');
INSERT INTO list_columns (list_id, id, subject)
SELECT '10000000-0000-4000-8000-000000000001',
       format('20000000-0000-4000-8000-%s', lpad(i::text, 12, '0'))::uuid, 'company'
FROM generate_series(1, 50) i;
INSERT INTO list_columns (list_id, id, subject) VALUES
    ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000999', 'person'),
    ('10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000888', 'company');
INSERT INTO list_companies (list_id, id)
SELECT '10000000-0000-4000-8000-000000000001',
       format('30000000-0000-4000-8000-%s', lpad(i::text, 12, '0'))::uuid
FROM generate_series(1, 50) i;

CREATE SCHEMA memtest;
SET search_path = memtest;

-- One sample of this backend's memory: the sum of its memory contexts, and its resident set
-- from /proc/self/status: VmRSS, and its parts RssAnon (the backend's private memory) and
-- RssShmem (the pages of shared buffers it has touched so far).
CREATE TABLE samples (
    n             serial PRIMARY KEY,
    label         text NOT NULL,
    calls         bigint NOT NULL,
    context_bytes bigint NOT NULL,
    vm_rss_kb     bigint NOT NULL,
    rss_anon_kb   bigint NOT NULL,
    rss_shmem_kb  bigint NOT NULL,
    taken_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE FUNCTION proc_status_kb(field text) RETURNS bigint
LANGUAGE sql AS $$
    SELECT (regexp_match(pg_catalog.pg_read_file('/proc/self/status'), field || ':\s+(\d+) kB'))[1]::bigint
$$;

CREATE PROCEDURE sample(label text, calls bigint)
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO memtest.samples (label, calls, context_bytes, vm_rss_kb, rss_anon_kb, rss_shmem_kb)
    SELECT label, calls, (SELECT sum(total_bytes) FROM pg_backend_memory_contexts),
           memtest.proc_status_kb('VmRSS'), memtest.proc_status_kb('RssAnon'),
           memtest.proc_status_kb('RssShmem');
END $$;

-- Makes calls in one transaction per pass over the 2,500 cells, which then deletes the cells
-- so that the next pass inserts again. With refused_only false, each cell gets an insert, an
-- overwrite, a clear and a refused call (10,000 calls a transaction); with refused_only true,
-- one refused call (2,500 a transaction). The refused calls rotate over six causes, each
-- caught in its own subtransaction. When label is not NULL, samples each transaction after
-- its first cell and before its commit.
CREATE PROCEDURE run(calls bigint, refused_only boolean, label text)
LANGUAGE plpgsql AS $$
DECLARE
    list constant uuid := '10000000-0000-4000-8000-000000000001';
    other_list_col constant uuid := '20000000-0000-4000-8000-000000000888';
    person_col constant uuid := '20000000-0000-4000-8000-000000000999';
    missing constant uuid := '90000000-0000-4000-8000-000000000099';
    bad_version constant uuid := '90000000-0000-0000-8000-000000000099';
    cols uuid[];
    rows_ uuid[];
    done bigint := 0;
    refused bigint := 0;
    expected_refused bigint;
    c uuid;
    r uuid;
    k int;
BEGIN
    SELECT array_agg(id ORDER BY id) INTO cols FROM app.list_columns
    WHERE list_id = list AND subject = 'company';
    SELECT array_agg(id ORDER BY id) INTO rows_ FROM app.list_companies WHERE list_id = list;

    WHILE done < calls LOOP
        FOR i IN 1 .. 2500 LOOP
            EXIT WHEN done >= calls;
            c := cols[1 + (i - 1) % 50];
            r := rows_[1 + (i - 1) / 50];
            FOR kind IN CASE WHEN refused_only THEN 4 ELSE 1 END .. 4 LOOP
                IF refused_only THEN
                    k := done % 6;
                ELSE
                    k := (done / 4) % 6;
                END IF;
                CASE kind
                WHEN 1 THEN PERFORM app.cell_upsert(list, r, c, 'inserted ' || i);
                WHEN 2 THEN PERFORM app.cell_upsert(list, r, c, repeat('overwritten ', 1 + i % 20));
                WHEN 3 THEN PERFORM app.cell_upsert(list, r, c, CASE WHEN i % 2 = 0 THEN '' END);
                ELSE
                    BEGIN
                        CASE k
                        WHEN 0 THEN PERFORM app.cell_upsert(list, r, other_list_col, 'x');
                        WHEN 1 THEN PERFORM app.cell_upsert(list, missing, c, 'x');
                        WHEN 2 THEN PERFORM app.cell_upsert(list, r, person_col, 'x');
                        WHEN 3 THEN PERFORM app.cell_upsert(missing, r, c, 'x');
                        WHEN 4 THEN PERFORM app.cell_upsert(list, bad_version, c, 'x');
                        ELSE PERFORM app.cell_upsert(list, r, NULL, 'x');
                        END CASE;
                        RAISE EXCEPTION 'refused call % of kind % was accepted', done, k;
                    EXCEPTION
                        WHEN foreign_key_violation OR invalid_parameter_value
                             OR null_value_not_allowed THEN
                            refused := refused + 1;
                    END;
                END CASE;
                done := done + 1;
            END LOOP;
            IF i = 1 AND label IS NOT NULL THEN
                CALL memtest.sample(label || ' start', done);
            END IF;
        END LOOP;
        IF label IS NOT NULL THEN CALL memtest.sample(label || ' end', done); END IF;
        DELETE FROM app.list_company_cells;
        COMMIT;
    END LOOP;
    -- Every refused call was refused, every other call wrote.
    expected_refused := CASE WHEN refused_only THEN done ELSE done / 4 END;
    IF refused <> expected_refused THEN
        RAISE EXCEPTION '% refused calls out of %', refused, done;
    END IF;
END $$;

-- Makes batch calls of cell_upsert_many, a transaction per pass over the 2,500 cells in 50
-- batches of a row each (50 cells), which then deletes the cells. With refused_only false,
-- each row gets 4 batches (200 a transaction): an insert, an overwrite (its first 10 cells
-- repeated at the end, so 60 elements, the last value winning), a clear (null, "" and
-- omitted val in turn) and a refused batch: the overwrite with one bad element, at a
-- position that moves. With refused_only true, 200 refused batches of 3 elements a
-- transaction. The refused batches rotate over ten causes, from the JSON checks to the
-- lookups of the write statement, each caught in its own subtransaction. When label is
-- not NULL, samples each transaction after its first row and before its commit.
CREATE PROCEDURE run_batches(batches bigint, refused_only boolean, label text)
LANGUAGE plpgsql AS $$
DECLARE
    list constant uuid := '10000000-0000-4000-8000-000000000001';
    missing constant uuid := '90000000-0000-4000-8000-000000000099';
    -- The bad elements, by cause; the first four reach the write statement.
    bad constant jsonb[] := ARRAY[
        '{"row": "30000000-0000-4000-8000-000000000001", "col": "20000000-0000-4000-8000-000000000888", "val": "other list''s column"}',
        '{"row": "90000000-0000-4000-8000-000000000099", "col": "20000000-0000-4000-8000-000000000001", "val": "missing row"}',
        '{"row": "30000000-0000-4000-8000-000000000001", "col": "20000000-0000-4000-8000-000000000999", "val": "person column"}',
        NULL,  -- the whole batch sent to a missing list
        '{"row": "30000000-0000-0000-8000-000000000001", "col": "20000000-0000-4000-8000-000000000001"}',
        '{"row": null, "col": "20000000-0000-4000-8000-000000000001"}',
        '{"row": "30000000-0000-4000-8000-000000000001", "col": 42}',
        '{"row": "30000000-0000-4000-8000-000000000001", "col": "20000000-0000-4000-8000-000000000001", "value": "x"}',
        '{"row": "30000000-0000-4000-8000-0000000000001", "col": "20000000-0000-4000-8000-000000000001"}',
        '"not an object"']::jsonb[];
    inserts jsonb[];
    overwrites jsonb[];
    clears jsonb[];
    refused jsonb[];  -- 50 rows x 10 causes, or 10 small batches
    refused_lists uuid[];
    done bigint := 0;
    refused_count bigint := 0;
    expected_refused bigint;
    n int;
    kind int;
BEGIN
    -- The batches, built once: batch r holds the cells of row r, column by column.
    WITH cells AS (
        SELECT r, c,
               jsonb_build_object('row', format('30000000-0000-4000-8000-%s', lpad(r::text, 12, '0')),
                                  'col', format('20000000-0000-4000-8000-%s', lpad(c::text, 12, '0'))) AS cell
        FROM generate_series(1, 50) r, generate_series(1, 50) c),
    rows_ AS (
        SELECT r,
               jsonb_agg(cell || jsonb_build_object('val', 'inserted ' || r || '/' || c) ORDER BY c) AS ins,
               jsonb_agg(cell || jsonb_build_object('val', repeat('overwritten ', 1 + c % 20)) ORDER BY c)
                 || jsonb_agg(cell || '{"val": "last"}' ORDER BY c) FILTER (WHERE c <= 10) AS ovw,
               jsonb_agg(CASE c % 3 WHEN 0 THEN cell || '{"val": null}' WHEN 1 THEN cell || '{"val": ""}'
                                    ELSE cell END ORDER BY c) AS clr
        FROM cells GROUP BY r)
    SELECT array_agg(ins ORDER BY r), array_agg(ovw ORDER BY r), array_agg(clr ORDER BY r)
    INTO inserts, overwrites, clears FROM rows_;

    IF refused_only THEN
        SELECT array_agg(CASE WHEN k = 3 THEN b ELSE jsonb_set(b, ARRAY[(k % 3)::text], bad[k + 1]) END ORDER BY k),
               array_agg(CASE WHEN k = 3 THEN missing ELSE list END ORDER BY k)
        INTO refused, refused_lists
        FROM (SELECT k, jsonb_path_query_array(inserts[1 + k], '$[0 to 2]') AS b
              FROM generate_series(0, 9) k) s;
    ELSE
        SELECT array_agg(CASE WHEN k = 3 THEN overwrites[r]
                              ELSE jsonb_set(overwrites[r], ARRAY[((r * 37 + k * 13) % 60)::text], bad[k + 1]) END
                         ORDER BY r, k),
               array_agg(CASE WHEN k = 3 THEN missing ELSE list END ORDER BY r, k)
        INTO refused, refused_lists
        FROM generate_series(1, 50) r, generate_series(0, 9) k;
    END IF;

    WHILE done < batches LOOP
        FOR r IN 1 .. 50 LOOP
            FOR k IN 1 .. 4 LOOP
                EXIT WHEN done >= batches;
                kind := CASE WHEN refused_only THEN 4 ELSE k END;
                CASE kind
                WHEN 1 THEN n := app.cell_upsert_many(list, inserts[r]);
                WHEN 2 THEN n := app.cell_upsert_many(list, overwrites[r]);
                WHEN 3 THEN n := app.cell_upsert_many(list, clears[r]);
                ELSE
                    -- Each pass moves on to the next causes.
                    n := CASE WHEN refused_only THEN done % 10 ELSE ((r - 1) * 10 + done / 200) % 500 END;
                    BEGIN
                        PERFORM app.cell_upsert_many(refused_lists[n + 1], refused[n + 1]);
                        RAISE EXCEPTION 'refused batch % (%) was accepted', done, n;
                    EXCEPTION
                        WHEN foreign_key_violation OR invalid_parameter_value
                             OR null_value_not_allowed OR invalid_text_representation THEN
                            refused_count := refused_count + 1;
                    END;
                    n := 50;
                END CASE;
                IF n <> 50 THEN
                    RAISE EXCEPTION 'batch % of kind % wrote % cells, not 50', done, kind, n;
                END IF;
                done := done + 1;
            END LOOP;
            IF r = 1 AND label IS NOT NULL THEN
                CALL memtest.sample(label || ' start', done);
            END IF;
        END LOOP;
        IF label IS NOT NULL THEN CALL memtest.sample(label || ' end', done); END IF;
        DELETE FROM app.list_company_cells;
        COMMIT;
    END LOOP;
    expected_refused := CASE WHEN refused_only THEN done ELSE done / 4 END;
    IF refused_count <> expected_refused THEN
        RAISE EXCEPTION '% refused batches out of %', refused_count, done;
    END IF;
END $$;
