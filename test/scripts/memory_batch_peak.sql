-- Objects for test/scripts/memory_batch_peak.sh, in its own database: two lists of 100
-- company columns by :cells / 100 rows, one for cell_upsert_many and one for the bare
-- statement, each with a batch of all its cells as input (the same size: the ids differ
-- only in their list digit), a small list for warm-ups, and the sampler.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE SCHEMA app;
CREATE EXTENSION cellupsert SCHEMA app;
SET search_path = app;
\i sql/cellupsert_list_tables.sql

CREATE SCHEMA memtest;
-- List n's ids: lists 1 (the function), 2 (the bare statement), 3 (warm-ups).
CREATE FUNCTION memtest.list_id(n int) RETURNS uuid IMMUTABLE LANGUAGE sql AS
    $$ SELECT format('10000000-0000-4000-8000-00000000000%s', n)::uuid $$;
CREATE FUNCTION memtest.col_id(n int, c int) RETURNS uuid IMMUTABLE LANGUAGE sql AS
    $$ SELECT format('20000000-0000-4000-8000-%s%s', n, lpad(c::text, 11, '0'))::uuid $$;
CREATE FUNCTION memtest.row_id(n int, r int) RETURNS uuid IMMUTABLE LANGUAGE sql AS
    $$ SELECT format('30000000-0000-4000-8000-%s%s', n, lpad(r::text, 11, '0'))::uuid $$;

CREATE TABLE memtest.input (list_id uuid PRIMARY KEY, cells jsonb NOT NULL);
INSERT INTO lists (id) SELECT memtest.list_id(n) FROM generate_series(1, 3) n;
INSERT INTO list_columns (list_id, id, subject)
SELECT memtest.list_id(n), memtest.col_id(n, c), 'company'
FROM generate_series(1, 3) n, generate_series(1, CASE WHEN n = 3 THEN 1 ELSE 100 END) c;
INSERT INTO list_companies (list_id, id)
SELECT memtest.list_id(n), memtest.row_id(n, r)
FROM generate_series(1, 3) n, generate_series(1, CASE WHEN n = 3 THEN 3 ELSE :cells / 100 END) r;
-- Row by row, each cell with a value of its own of 10 to 20 characters.
INSERT INTO memtest.input
SELECT memtest.list_id(n), jsonb_agg(jsonb_build_object(
           'row', memtest.row_id(n, r), 'col', memtest.col_id(n, c),
           'val', format('value %s/%s', r, c)) ORDER BY r, c)
FROM generate_series(1, 3) n,
     LATERAL generate_series(1, CASE WHEN n = 3 THEN 3 ELSE :cells / 100 END) r,
     LATERAL generate_series(1, CASE WHEN n = 3 THEN 1 ELSE 100 END) c
GROUP BY n;
ANALYZE;

-- The bare set-based statement: the same cells and columns written, no check at all.
CREATE FUNCTION memtest.bare_upsert(list uuid) RETURNS bigint LANGUAGE sql AS $$
    WITH written AS (
        INSERT INTO app.list_company_cells AS cell
            (list_id, column_id, company_row_id, value, status, source, edited_by, edited_at)
        SELECT list, (e ->> 'col')::uuid, (e ->> 'row')::uuid, nullif(e ->> 'val', ''), 'complete',
               'manual', current_user, now()
        FROM memtest.input i, jsonb_array_elements(i.cells) e
        WHERE i.list_id = list
        ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE
        SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
            source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at
        RETURNING 1)
    SELECT count(*) FROM written $$;

-- The memory of a backend of this server, from /proc/PID/status (the server's processes run
-- as one user: readable), in kB: RssAnon (private memory), VmRSS (resident, including the
-- pages of shared buffers it has touched) and VmHWM (the kernel's peak of VmRSS).
CREATE FUNCTION memtest.status(pid int, OUT rss_anon bigint, OUT vm_rss bigint, OUT vm_hwm bigint)
LANGUAGE sql AS $$
    SELECT m[3]::bigint, m[2]::bigint, m[1]::bigint
    FROM regexp_match(pg_read_file(format('/proc/%s/status', pid)),
                      'VmHWM:\s+(\d+) kB.*VmRSS:\s+(\d+) kB.*RssAnon:\s+(\d+) kB') m $$;

-- One row per measured statement.
CREATE TABLE memtest.peaks (
    label          text PRIMARY KEY,
    samples        int NOT NULL,
    rss_anon_kb    bigint NOT NULL,  -- before the statement
    rss_anon_peak  bigint NOT NULL,  -- the highest sample during it
    rss_anon_after bigint NOT NULL,
    vm_rss_kb      bigint NOT NULL,
    vm_hwm_after   bigint NOT NULL
);

-- Run by the sampling session, which holds advisory locks 1 and 3. Waits for the measured
-- backend to queue for lock 1 (it holds lock 2 until its statement is done, then queues for
-- lock 3), takes the figures before, lets it go, reads its status (pausing 1 ms between
-- reads) until lock 2 is free, takes the figures after and lets it end.
CREATE FUNCTION memtest.watch(label text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    target int;
    p memtest.peaks;
    s record;
    waited int := 0;
BEGIN
    LOOP
        SELECT l.pid INTO target FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.objid = 1 AND NOT l.granted;
        EXIT WHEN target IS NOT NULL;
        waited := waited + 1;
        IF waited > 6000 THEN RAISE EXCEPTION 'no backend came to be measured'; END IF;
        PERFORM pg_sleep(0.01);
    END LOOP;
    s := memtest.status(target);
    p := (label, 0, s.rss_anon, s.rss_anon, 0, s.vm_rss, 0);
    PERFORM pg_advisory_unlock(1);
    WHILE NOT pg_try_advisory_lock(2) LOOP
        s := memtest.status(target);
        p.samples := p.samples + 1;
        p.rss_anon_peak := greatest(p.rss_anon_peak, s.rss_anon);
        IF p.samples > 600000 THEN RAISE EXCEPTION 'the measured statement did not end'; END IF;
        PERFORM pg_sleep(0.001);
    END LOOP;
    s := memtest.status(target);
    p.rss_anon_after := s.rss_anon;
    p.vm_hwm_after := s.vm_hwm;
    INSERT INTO memtest.peaks SELECT p.*;
    PERFORM pg_advisory_unlock(2), pg_advisory_unlock(3);
END $$;
