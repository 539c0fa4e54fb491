-- Checks that B (bench.cell_upsert_plpgsql) answers every case as A (cell_upsert) does: the
-- same SQLSTATE, message, detail and hint, or the same cell written. Each call is rolled back.
CREATE FUNCTION pg_temp.outcome(method text, list uuid, "row" uuid, col uuid, val text, claims text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    ok boolean;
    cell text;
    state text; message text; detail text; hint text;
BEGIN
    PERFORM set_config('request.jwt.claims', coalesce(claims, ''), true);
    IF method = 'A' THEN
        ok := bench.cell_upsert(list, "row", col, val);
    ELSE
        ok := bench.cell_upsert_plpgsql(list, "row", col, val);
    END IF;
    SELECT format('%s value=%s status=%s reasoning=%s error=%s source=%s edited_by=%s edited now=%s updated now=%s',
                  ok, c.value, c.status, c.reasoning, c.error, c.source, c.edited_by,
                  c.edited_at = now(), c.updated_at = now())
    INTO cell FROM bench.list_company_cells c
    WHERE (c.list_id, c.column_id, c.company_row_id) = (list, col, "row");
    RAISE EXCEPTION USING ERRCODE = 'P0999', MESSAGE = cell;   -- undoes the write
EXCEPTION
    WHEN SQLSTATE 'P0999' THEN
        GET STACKED DIAGNOSTICS message = MESSAGE_TEXT;
        RETURN message;
    WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                                detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
        RETURN format('%s %s | %s | %s', state, message, detail, hint);
END $$;

CREATE TEMP TABLE reference_cases AS
SELECT * FROM (VALUES
    ('insert',             bench.id('10000000', 1), bench.id('30000000', 1), bench.id('20000000', 11), 'new', NULL),
    ('jwt sub',            bench.id('10000000', 1), bench.id('30000000', 1), bench.id('20000000', 11), 'new', '{"sub": "alice"}'),
    ('jwt without sub',    bench.id('10000000', 1), bench.id('30000000', 1), bench.id('20000000', 1), 'new', '{"role": "web"}'),
    ('overwrite',          bench.id('10000000', 1), bench.id('30000000', 1), bench.id('20000000', 1), 'manual', NULL),
    ('empty value',        bench.id('10000000', 1), bench.id('30000000', 1), bench.id('20000000', 1), '', NULL),
    ('null value',         bench.id('10000000', 1), bench.id('30000000', 1), bench.id('20000000', 1), NULL, NULL),
    ('null list',          NULL, bench.id('30000000', 1), bench.id('20000000', 1), 'x', NULL),
    ('null row',           bench.id('10000000', 1), NULL, bench.id('20000000', 1), 'x', NULL),
    ('null col',           bench.id('10000000', 1), bench.id('30000000', 1), NULL, 'x', NULL),
    ('bad version',        '10000000-0000-0000-8000-100000000001', NULL, NULL, 'x', NULL),
    ('bad variant',        bench.id('10000000', 1), bench.id('30000000', 1), '20000000-0000-4000-c000-100000000001', 'x', NULL),
    ('nil list',           '00000000-0000-0000-0000-000000000000', bench.id('30000000', 1), bench.id('20000000', 1), 'x', NULL),
    ('missing list',       bench.id('19999999', 1), bench.id('30000000', 1), bench.id('20000000', 1), 'x', NULL),
    ('person column',      bench.id('10000000', 1), bench.id('39999999', 1), bench.id('22000000', 1), 'x', NULL),
    ('foreign column',     bench.id('10000000', 1), bench.id('30000000', 1), bench.id('21000000', 1), 'x', NULL),
    ('missing column',     bench.id('10000000', 1), bench.id('30000000', 1), bench.id('29999999', 1), 'x', NULL),
    ('foreign row',        bench.id('10000000', 1), bench.id('31000000', 1), bench.id('20000000', 1), 'x', NULL),
    ('missing row',        bench.id('10000000', 1), bench.id('39999999', 1), bench.id('20000000', 1), 'x', NULL)
) AS c(name, list, "row", col, val, claims);

CREATE TEMP TABLE reference_outcomes AS
SELECT name, pg_temp.outcome('A', list, "row", col, val, claims) AS a,
             pg_temp.outcome('B', list, "row", col, val, claims) AS b
FROM reference_cases;

DO $$
DECLARE
    mismatch record;
BEGIN
    FOR mismatch IN SELECT * FROM reference_outcomes WHERE a IS DISTINCT FROM b LOOP
        RAISE WARNING 'case "%": A: %, B: %', mismatch.name, mismatch.a, mismatch.b;
    END LOOP;
    IF FOUND THEN
        RAISE EXCEPTION 'the PL/pgSQL reference does not answer as cell_upsert';
    END IF;
END $$;
\pset tuples_only on
SELECT format('reference check: B answers as A in all %s cases', count(*)) FROM reference_outcomes;
\pset tuples_only off
DROP TABLE reference_cases, reference_outcomes;
