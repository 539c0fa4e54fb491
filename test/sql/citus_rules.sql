-- Rules that keep the schema and the statements distributable with Citus, checked on one node:
-- if a later change breaks one, this test fails before anyone tries a cluster.
\i test/fixtures/ids.sql
\i test/fixtures/lists.sql

-- Every primary key, unique key and unique index includes the distribution column (list_id;
-- id for lists), and so does each side of every foreign key. No row means no violation.
WITH tables (relation, dist_column) AS (VALUES
    ('app.lists'::regclass, 'id'), ('app.list_columns'::regclass, 'list_id'),
    ('app.list_companies'::regclass, 'list_id'), ('app.list_company_cells'::regclass, 'list_id')),
keys AS (
    SELECT t.relation, c.conname AS key, c.conkey AS columns
    FROM tables t JOIN pg_constraint c ON c.conrelid = t.relation AND c.contype IN ('p', 'u', 'f')
    UNION ALL
    SELECT t.relation, i.indexrelid::regclass::text, i.indkey::int2[]
    FROM tables t JOIN pg_index i ON i.indrelid = t.relation AND i.indisunique
    UNION ALL
    SELECT r.relation, c.conname || ' (referenced side)', c.confkey
    FROM tables t JOIN pg_constraint c ON c.conrelid = t.relation AND c.contype = 'f'
    JOIN tables r ON r.relation = c.confrelid)
SELECT k.relation, k.key
FROM keys k JOIN tables t USING (relation)
WHERE NOT (SELECT a.attnum FROM pg_attribute a
           WHERE a.attrelid = k.relation AND a.attname = t.dist_column) = ANY (k.columns);

-- The keys that were checked, for the record.
SELECT c.conrelid::regclass AS relation, c.contype, pg_get_constraintdef(c.oid) AS definition
FROM pg_constraint c
WHERE c.connamespace = 'app'::regnamespace AND c.contype IN ('p', 'u', 'f')
ORDER BY 1, 2, 3;

-- Citus refuses non-immutable expressions in ON CONFLICT DO UPDATE SET: the SET clauses of
-- every write statement, in every shape, are checked by the unit tests
-- (StatementSql.EveryUpdateSetsExcludedColumnsOnly). They can no longer be read from an
-- error's context: an error raised inside a statement of the functions carries no line with
-- its text (docs/security.md), only the lines of the application's own code, here a trigger.
CREATE FUNCTION refuse_write() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'refused on purpose'; END $$;
CREATE TRIGGER refuse_write BEFORE INSERT ON list_company_cells
FOR EACH ROW EXECUTE FUNCTION refuse_write();
CREATE FUNCTION context_of(call text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE context text;
BEGIN
    EXECUTE call;
    RETURN 'no error';
EXCEPTION WHEN raise_exception THEN
    GET STACKED DIAGNOSTICS context = PG_EXCEPTION_CONTEXT;
    RETURN context;
END $$;
SELECT f AS function, context_of(c) AS context
FROM (VALUES ('cell_upsert', format('SELECT app.cell_upsert(%L, %L, %L, %L)', :list1, :row1, :col1, 'x')),
             ('cell_upsert_many', format('SELECT app.cell_upsert_many(%L, %L)', :list1,
                                         jsonb_build_array(jsonb_build_object('row', :row1, 'col', :col1)))))
     AS calls (f, c)
ORDER BY 1;
DROP TRIGGER refuse_write ON list_company_cells;

-- cellupsert_distribute() without Citus: refused clearly, after checking its argument.
SELECT cellupsert_distribute();
\echo :SQLSTATE
SELECT cellupsert_distribute(16);
\echo :SQLSTATE
SELECT cellupsert_distribute(0);
\echo :SQLSTATE
SELECT p.oid::regprocedure, pg_get_function_result(p.oid) AS result, p.prosecdef
FROM pg_proc p WHERE p.proname = 'cellupsert_distribute' AND p.pronamespace = 'app'::regnamespace;
