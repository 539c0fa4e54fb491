-- B: the PL/pgSQL function a PostgREST user would write for the same endpoint, with the
-- same checks, order, errors and SQLSTATEs as cell_upsert: the ids, then separate lookups
-- of the list, the column (and its subject) and the row, then the upsert.
-- bench/sql/check_reference.sql checks that it answers every case as cell_upsert does.

-- Only on the failure path: the error for an id outside the endpoint's pattern.
CREATE FUNCTION bench.raise_invalid_id(parameter text, id uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    version_digit constant text := substr(id::text, 15, 1);
BEGIN
    RAISE EXCEPTION 'invalid id for parameter "%": %', parameter, id
        USING ERRCODE = 'invalid_parameter_value',
              DETAIL = CASE WHEN version_digit BETWEEN '1' AND '8'
                            THEN format('Its variant digit is "%s".', substr(id::text, 20, 1))
                            ELSE format('Its version digit is "%s".', version_digit) END,
              HINT = 'Ids are UUIDs with a version digit from 1 to 8 and a variant digit of '
                     '8, 9, a or b, or the nil or max UUID.';
END $$;

CREATE FUNCTION bench.cell_upsert_plpgsql(list uuid, "row" uuid, col uuid, val text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT SECURITY INVOKER AS $$
DECLARE
    -- The endpoint's pattern (uuid::text is lower case).
    id_pattern constant text := '^([0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'
                                '|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$';
    not_visible constant text := 'It does not exist or is not visible to the current role.';
    column_subject text;
BEGIN
    IF list IS NULL THEN
        RAISE EXCEPTION 'parameter "list" must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF list::text !~ id_pattern THEN PERFORM bench.raise_invalid_id('list', list); END IF;
    IF "row" IS NULL THEN
        RAISE EXCEPTION 'parameter "row" must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF "row"::text !~ id_pattern THEN PERFORM bench.raise_invalid_id('row', "row"); END IF;
    IF col IS NULL THEN
        RAISE EXCEPTION 'parameter "col" must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF col::text !~ id_pattern THEN PERFORM bench.raise_invalid_id('col', col); END IF;

    PERFORM FROM bench.lists l WHERE l.id = list;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'list % does not exist', list
            USING ERRCODE = 'foreign_key_violation', DETAIL = not_visible;
    END IF;

    SELECT c.subject INTO column_subject FROM bench.list_columns c
    WHERE c.list_id = list AND c.id = col;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'column % does not exist in list %', col, list
            USING ERRCODE = 'foreign_key_violation', DETAIL = not_visible,
                  HINT = 'Take column ids from the list''s own columns.';
    END IF;
    IF column_subject <> 'company' THEN
        RAISE EXCEPTION 'column % is not a company column', col
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('Its subject is "%s"; cellupsert reads and writes company cells only.',
                                  column_subject);
    END IF;

    PERFORM FROM bench.list_companies r WHERE r.list_id = list AND r.id = "row";
    IF NOT FOUND THEN
        RAISE EXCEPTION 'row % does not exist in list %', "row", list
            USING ERRCODE = 'foreign_key_violation', DETAIL = not_visible,
                  HINT = 'Take row ids from the list''s own company rows.';
    END IF;

    -- Provenance: the editor is the JWT's "sub" claim (set by PostgREST), else the role.
    INSERT INTO bench.list_company_cells AS cell
        (list_id, column_id, company_row_id, value, status, source, edited_by, edited_at)
    VALUES (list, col, "row", NULLIF(val, ''), 'complete', 'manual',
            coalesce(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub',
                     current_user),
            now())
    ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE
    SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
        source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at;
    RETURN true;
END $$;
