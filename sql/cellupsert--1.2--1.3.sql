-- cellupsert 1.2 -> 1.3: cell versions and conditional writes. cell_upsert gains an if_match
-- argument (DEFAULT NULL: every existing call works as before); cell_version_of(),
-- cell_version(), cell_enrich_many(), cell_release(), cell_release_many() and the trigger function
-- cell_manual_guard() are new; cellupsert_distribute() distributes the new functions that
-- take a list too. The list tables do not change. Names are qualified as in cellupsert--1.3.sql.
\echo Use "ALTER EXTENSION cellupsert UPDATE TO '1.3'" to load this file. \quit

-- One cell_upsert, not two: a call with four arguments would be ambiguous between the old
-- function and the new one, whose if_match has a default. The new one gets the old one's
-- privileges. Those are recorded, as everything an extension script grants, as the
-- extension's initial privileges, which pg_dump does not write: the WARNING says what to
-- grant again after a restore into a fresh installation.
DO $upgrade$
DECLARE
    old_acl pg_catalog.aclitem[];
    statements pg_catalog.text := '';
    item record;
BEGIN
    SELECT p.proacl INTO old_acl FROM pg_catalog.pg_proc p
    WHERE p.oid OPERATOR(pg_catalog.=)
          '@extschema@.cell_upsert(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid, pg_catalog.text)'::pg_catalog.regprocedure;
    -- An application's function or view whose body names it (a wrapper with a SQL-standard
    -- body) would stop the DROP with a hint at CASCADE, which would drop the application's
    -- object: say what to do instead.
    IF EXISTS (SELECT FROM pg_catalog.pg_depend d
               WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
                 AND d.refobjid OPERATOR(pg_catalog.=)
                     '@extschema@.cell_upsert(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid, pg_catalog.text)'::pg_catalog.regprocedure
                 AND d.deptype OPERATOR(pg_catalog.=) 'n') THEN
        RAISE EXCEPTION USING ERRCODE = 'dependent_objects_still_exist',
            MESSAGE = 'cellupsert 1.3 replaces cell_upsert(uuid, uuid, uuid, text), on which objects of the application depend',
            DETAIL = (SELECT pg_catalog.string_agg(pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid), ', ')
                      FROM pg_catalog.pg_depend d
                      WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
                        AND d.refobjid OPERATOR(pg_catalog.=)
                            '@extschema@.cell_upsert(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid, pg_catalog.text)'::pg_catalog.regprocedure
                        AND d.deptype OPERATOR(pg_catalog.=) 'n'),
            HINT = 'In one transaction: drop them, ALTER EXTENSION cellupsert UPDATE, create them again.';
    END IF;
    DROP FUNCTION @extschema@.cell_upsert(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid, pg_catalog.text);
    CREATE FUNCTION @extschema@.cell_upsert(list pg_catalog.uuid, "row" pg_catalog.uuid, col pg_catalog.uuid,
                                            val pg_catalog.text DEFAULT NULL, if_match pg_catalog.text DEFAULT NULL)
    RETURNS pg_catalog.bool
    AS 'MODULE_PATHNAME', 'cell_upsert'
    LANGUAGE C VOLATILE CALLED ON NULL INPUT SECURITY INVOKER PARALLEL UNSAFE;

    ALTER FUNCTION @extschema@.cell_upsert(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid, pg_catalog.text,
                                           pg_catalog.text)
        OWNER TO @extowner@;

    COMMENT ON FUNCTION @extschema@.cell_upsert(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid, pg_catalog.text,
                                                pg_catalog.text) IS
    'Manual edit of one company cell: checks that col and row belong to list, then sets value (NULL for '''' or NULL) and status complete; reasoning and error are kept. With if_match, only while the cell has that version (cell_version), else PT412.';
    IF old_acl IS NOT NULL THEN
        EXECUTE 'REVOKE ALL ON FUNCTION @extschema@.cell_upsert(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid, '
                'pg_catalog.text, pg_catalog.text) FROM PUBLIC';
        FOR item IN
            SELECT a.grantee, a.is_grantable FROM pg_catalog.aclexplode(old_acl) a
            WHERE a.privilege_type OPERATOR(pg_catalog.=) 'EXECUTE'
        LOOP
            statements := statements OPERATOR(pg_catalog.||) pg_catalog.format(
                'GRANT EXECUTE ON FUNCTION @extschema@.cell_upsert(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid, '
                'pg_catalog.text, pg_catalog.text) TO %s%s; ',
                CASE WHEN item.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                     ELSE item.grantee::pg_catalog.regrole::pg_catalog.text END,
                CASE WHEN item.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
        END LOOP;
        EXECUTE statements;
        RAISE WARNING 'cellupsert 1.3: cell_upsert was replaced; its privileges were given to the new one'
            USING DETAIL = pg_catalog.format('pg_dump will not write them. After restoring a dump into a new '
                                             'database, run again: REVOKE ALL ON FUNCTION %s FROM PUBLIC; %s',
                                             '@extschema@.cell_upsert(uuid, uuid, uuid, text, text)', statements);
    END IF;
END
$upgrade$;
-- A cell's version: a token of its value, status, reasoning and error (SHA-256), the same on
-- every node; "absent" for a cell that does not exist. Any query may compute it for the
-- cells it reads (a grid, for a whole list).
CREATE FUNCTION @extschema@.cell_version_of(value pg_catalog.text, status pg_catalog.text,
                                            reasoning pg_catalog.text, error pg_catalog.text)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'cell_version_of'
LANGUAGE C IMMUTABLE CALLED ON NULL INPUT SECURITY INVOKER PARALLEL SAFE;

ALTER FUNCTION @extschema@.cell_version_of(pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text)
    OWNER TO @extowner@;

COMMENT ON FUNCTION @extschema@.cell_version_of(pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.text) IS
'The version of a cell of these value, status, reasoning and error: what cell_upsert''s if_match takes.';

CREATE FUNCTION @extschema@.cell_version(list pg_catalog.uuid, "row" pg_catalog.uuid, col pg_catalog.uuid)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'cell_version'
LANGUAGE C STABLE CALLED ON NULL INPUT SECURITY INVOKER PARALLEL UNSAFE;

ALTER FUNCTION @extschema@.cell_version(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid) OWNER TO @extowner@;

COMMENT ON FUNCTION @extschema@.cell_version(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid) IS
'The version of one company cell, with cell_upsert''s checks: what its if_match takes; absent when there is no cell.';

-- For background jobs: writes many cells of one list, all or nothing, with cell_upsert_many's
-- checks, but leaves the cells a person edited (source manual) as they are.
CREATE FUNCTION @extschema@.cell_enrich_many(list pg_catalog.uuid, cells pg_catalog.jsonb)
RETURNS pg_catalog.jsonb
AS 'MODULE_PATHNAME', 'cell_enrich_many'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SECURITY INVOKER PARALLEL UNSAFE;

ALTER FUNCTION @extschema@.cell_enrich_many(pg_catalog.uuid, pg_catalog.jsonb) OWNER TO @extowner@;

COMMENT ON FUNCTION @extschema@.cell_enrich_many(pg_catalog.uuid, pg_catalog.jsonb) IS
'Enrichment of many company cells of one list, all or nothing: cells is a JSON array of {"row", "col", "val", "status", "reasoning", "error"}; cells a person edited are kept; returns {"written": n, "kept": m}.';

-- Manual edits win: a trigger function the application attaches to its cell table, so that
-- an update by any other writer of a cell a person edited last (source = 'manual') is
-- skipped (docs/adoption.md); and the release of that mark.
CREATE FUNCTION @extschema@.cell_manual_guard()
RETURNS trigger
AS 'MODULE_PATHNAME', 'cell_manual_guard'
LANGUAGE C VOLATILE SECURITY INVOKER PARALLEL UNSAFE;

ALTER FUNCTION @extschema@.cell_manual_guard() OWNER TO @extowner@;

COMMENT ON FUNCTION @extschema@.cell_manual_guard() IS
'Trigger (BEFORE UPDATE FOR EACH ROW on the cells): skips the update of a cell whose source is manual, unless it is one of the extension''s own manual edits.';

CREATE FUNCTION @extschema@.cell_release(list pg_catalog.uuid, "row" pg_catalog.uuid, col pg_catalog.uuid)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'cell_release'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SECURITY INVOKER PARALLEL UNSAFE;

ALTER FUNCTION @extschema@.cell_release(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid) OWNER TO @extowner@;

COMMENT ON FUNCTION @extschema@.cell_release(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid) IS
'Releases the manual mark of one company cell (its source goes back to the default), with cell_upsert''s checks: the next enrichment may overwrite it.';

CREATE FUNCTION @extschema@.cell_release_many(list pg_catalog.uuid, cells pg_catalog.jsonb)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'cell_release_many'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SECURITY INVOKER PARALLEL UNSAFE;

ALTER FUNCTION @extschema@.cell_release_many(pg_catalog.uuid, pg_catalog.jsonb) OWNER TO @extowner@;

COMMENT ON FUNCTION @extschema@.cell_release_many(pg_catalog.uuid, pg_catalog.jsonb) IS
'cell_release for many company cells of one list, all or nothing: cells is a JSON array of {"row", "col"}; returns the number of cells released.';

-- cellupsert_distribute() distributes cell_upsert's new signature, cell_version, cell_release
-- and cell_enrich_many.
CREATE OR REPLACE FUNCTION @extschema@.cellupsert_distribute(shard_count pg_catalog.int4 DEFAULT NULL)
RETURNS TABLE (object pg_catalog.text, action pg_catalog.text)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    schema_name text;
    tables constant text[] := ARRAY['lists', 'list_columns', 'list_companies', 'list_company_cells'];
    functions constant text[] := ARRAY['cell_upsert(uuid,uuid,uuid,text,text)', 'cell_upsert_many(uuid,jsonb)',
                                       'cell_version(uuid,uuid,uuid)', 'cell_release(uuid,uuid,uuid)',
                                       'cell_enrich_many(uuid,jsonb)', 'cell_release_many(uuid,jsonb)'];
    item text;
    relation regclass;
    lists regclass;
    cells regclass;
    routine regprocedure;
    wanted_column text;
    method "char";
    dist_column text;
    colocation integer;
    lists_colocation integer;
    shards integer;
    unsafe_triggers text;
BEGIN
    IF shard_count IS NOT NULL AND shard_count < 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('shard_count must be at least 1, not %s', shard_count);
    END IF;
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION USING ERRCODE = 'feature_not_supported',
            MESSAGE = 'cellupsert_distribute() needs Citus, which is not installed in this database',
            HINT = 'Install Citus on every node, run CREATE EXTENSION citus on the coordinator, then call cellupsert_distribute() there.';
    END IF;
    IF NOT pg_catalog.citus_is_coordinator() THEN
        RAISE EXCEPTION USING ERRCODE = 'feature_not_supported',
            MESSAGE = 'cellupsert_distribute() runs on the Citus coordinator, not on a worker',
            HINT = 'Connect to the coordinator and call it there: it distributes the tables of every node.';
    END IF;

    SELECT n.nspname INTO schema_name
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'cellupsert';

    -- lists by id (hash), then the others by list_id, co-located with lists: every key and
    -- foreign key of the canonical DDL includes the list.
    FOREACH item IN ARRAY tables LOOP
        relation := format('%I.%I', schema_name, item)::regclass;
        object := relation::text;
        wanted_column := CASE WHEN item = 'lists' THEN 'id' ELSE 'list_id' END;
        SELECT p.partmethod, pg_catalog.column_to_column_name(p.logicalrelid, p.partkey), p.colocationid
        INTO method, dist_column, colocation
        FROM pg_dist_partition p WHERE p.logicalrelid = relation;
        IF NOT FOUND THEN
            IF item = 'lists' THEN
                PERFORM pg_catalog.create_distributed_table(relation, 'id', shard_count := shard_count);
            ELSE
                -- The cell table may carry the manual-edit guard (a trigger), which Citus
                -- distributes only with citus.enable_unsafe_triggers: set for this call only.
                unsafe_triggers := pg_catalog.current_setting('citus.enable_unsafe_triggers');
                PERFORM pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', true);
                PERFORM pg_catalog.create_distributed_table(relation, 'list_id', colocate_with := lists::text);
                PERFORM pg_catalog.set_config('citus.enable_unsafe_triggers', unsafe_triggers, true);
            END IF;
            action := format('distributed by %s', wanted_column);
        ELSIF method = 'h' AND dist_column = wanted_column
              AND (item = 'lists' OR colocation = lists_colocation) THEN
            action := 'already distributed';
        ELSE
            RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
                MESSAGE = format('%s is already a Citus table, but not distributed by %s%s', relation,
                                 wanted_column, CASE WHEN item = 'lists' THEN '' ELSE format(' co-located with %s', lists) END),
                HINT = format('Undo it with SELECT undistribute_table(%L), then call cellupsert_distribute() again.', relation);
        END IF;
        IF item = 'lists' THEN
            lists := relation;
            SELECT p.colocationid INTO lists_colocation FROM pg_dist_partition p WHERE p.logicalrelid = relation;
            SELECT count(*) INTO shards FROM pg_dist_shard s WHERE s.logicalrelid = relation;
            IF shard_count IS NOT NULL AND shards <> shard_count THEN
                RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
                    MESSAGE = format('%s is already distributed with %s shards, not %s', relation, shards, shard_count),
                    HINT = format('Change the shard count with SELECT alter_distributed_table(%L, shard_count := %s, cascade_to_colocated := true).',
                                  relation, shard_count);
            END IF;
        END IF;
        cells := relation;
        RETURN NEXT;
    END LOOP;

    FOREACH item IN ARRAY functions LOOP
        routine := format('%I.%s', schema_name, item)::regprocedure;
        object := routine::text;
        IF EXISTS (SELECT FROM pg_dist_object d
                   WHERE d.classid = 'pg_proc'::regclass AND d.objid = routine AND d.objsubid = 0
                     AND d.distribution_argument_index = 0 AND d.colocationid = lists_colocation
                     AND d.force_delegation) THEN
            action := 'already distributed';
        ELSE
            PERFORM pg_catalog.create_distributed_function(routine, 'list', colocate_with := cells::text,
                                                           force_delegation := true);
            action := 'distributed by list, with force_delegation';
        END IF;
        RETURN NEXT;
    END LOOP;
END
$function$;
