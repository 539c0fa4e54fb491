-- cellupsert 1.3 -> 1.4: cell history. cell_history_record(), a trigger function the
-- canonical DDL attaches to the cells, records every write in the application's table
-- list_cell_history (cellupsert_list_tables--1.3--1.4.sql creates it); cell_history() reads
-- one cell's. cellupsert_distribute() distributes the history with the cells. Names are
-- qualified as in cellupsert--1.3.sql.
\echo Use "ALTER EXTENSION cellupsert UPDATE TO '1.4'" to load this file. \quit

-- The history's writer: AFTER INSERT and AFTER UPDATE FOR EACH STATEMENT on the cells, with
-- their transition tables; it inserts as the history table's owner (docs/history.md).
CREATE FUNCTION @extschema@.cell_history_record()
RETURNS trigger
AS 'MODULE_PATHNAME', 'cell_history_record'
LANGUAGE C VOLATILE SECURITY INVOKER PARALLEL UNSAFE;

ALTER FUNCTION @extschema@.cell_history_record() OWNER TO @extowner@;

COMMENT ON FUNCTION @extschema@.cell_history_record() IS
'Trigger (AFTER INSERT or UPDATE FOR EACH STATEMENT on the cells, with transition tables): records each cell written, and what it replaced, in list_cell_history.';

CREATE FUNCTION @extschema@.cell_history(list pg_catalog.uuid, "row" pg_catalog.uuid, col pg_catalog.uuid,
                                         "limit" pg_catalog.int4 DEFAULT 50)
RETURNS TABLE (id pg_catalog.int8, kind pg_catalog.text, edit_id pg_catalog.uuid, edited_by pg_catalog.text,
               edited_at pg_catalog.timestamptz, existed_before pg_catalog.bool, value_before pg_catalog.text,
               value_after pg_catalog.text, status_before pg_catalog.text, status_after pg_catalog.text,
               source_before pg_catalog.text, source_after pg_catalog.text)
AS 'MODULE_PATHNAME', 'cell_history'
LANGUAGE C STABLE CALLED ON NULL INPUT SECURITY INVOKER PARALLEL UNSAFE;

ALTER FUNCTION @extschema@.cell_history(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid, pg_catalog.int4)
    OWNER TO @extowner@;

COMMENT ON FUNCTION @extschema@.cell_history(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid, pg_catalog.int4) IS
'The history of one company cell, newest first, as the caller may read it, with cell_upsert''s checks.';

-- Going back: the value an edit replaced, written again as a person's edit (kind revert),
-- for one cell; for every cell of one call (kind undo), all or nothing. PT412 when a cell
-- was written again since the edit, unless force.
CREATE FUNCTION @extschema@.cell_revert(list pg_catalog.uuid, "row" pg_catalog.uuid, col pg_catalog.uuid,
                                        edit_id pg_catalog.uuid, force pg_catalog.bool DEFAULT false)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'cell_revert'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SECURITY INVOKER PARALLEL UNSAFE;

ALTER FUNCTION @extschema@.cell_revert(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid,
                                       pg_catalog.bool)
    OWNER TO @extowner@;

COMMENT ON FUNCTION @extschema@.cell_revert(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid,
                                            pg_catalog.bool) IS
'Writes again the value edit_id replaced in one company cell, as a manual edit recorded as revert; PT412 when the cell was written since, unless force.';

CREATE FUNCTION @extschema@.cell_undo(list pg_catalog.uuid, edit_id pg_catalog.uuid, force pg_catalog.bool DEFAULT false)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'cell_undo'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SECURITY INVOKER PARALLEL UNSAFE;

ALTER FUNCTION @extschema@.cell_undo(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.bool) OWNER TO @extowner@;

COMMENT ON FUNCTION @extschema@.cell_undo(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.bool) IS
'Writes again the values edit_id replaced in every cell it wrote, all or nothing, as manual edits recorded as undo; PT412 naming the first cell written since, unless force. Returns the cells written.';

-- The change feed of one list: its history after a cursor, each row with the cursor after it;
-- a row only once every transaction that started before its own has ended (history_feed.cpp).
CREATE FUNCTION @extschema@.cell_changes(list pg_catalog.uuid, after pg_catalog.text DEFAULT NULL,
                                         "limit" pg_catalog.int4 DEFAULT 500)
RETURNS TABLE ("cursor" pg_catalog.text, id pg_catalog.int8, col pg_catalog.uuid, "row" pg_catalog.uuid,
               kind pg_catalog.text, edit_id pg_catalog.uuid, edited_by pg_catalog.text,
               edited_at pg_catalog.timestamptz, existed_before pg_catalog.bool, value_before pg_catalog.text,
               value_after pg_catalog.text, status_before pg_catalog.text, status_after pg_catalog.text,
               source_before pg_catalog.text, source_after pg_catalog.text)
AS 'MODULE_PATHNAME', 'cell_changes'
LANGUAGE C STABLE CALLED ON NULL INPUT SECURITY INVOKER PARALLEL UNSAFE;

ALTER FUNCTION @extschema@.cell_changes(pg_catalog.uuid, pg_catalog.text, pg_catalog.int4) OWNER TO @extowner@;

COMMENT ON FUNCTION @extschema@.cell_changes(pg_catalog.uuid, pg_catalog.text, pg_catalog.int4) IS
'The change feed of one list: its cell history after the cursor "after" (NULL: from the start), each change with the cursor that follows it; every committed change exactly once, in order.';

-- Retention: deletes the history written before now() - older_than, about batch_size rows
-- per transaction (a procedure: CALL it outside a transaction block), so that no single
-- transaction holds many rows or writes much WAL; writers only insert, and never wait for it.
-- An admin procedure, not executable by PUBLIC.
CREATE PROCEDURE @extschema@.cellupsert_prune_history(older_than pg_catalog.interval,
                                                      batch_size pg_catalog.int4 DEFAULT 10000)
LANGUAGE plpgsql SECURITY INVOKER
AS $procedure$
DECLARE
    schema_name pg_catalog.text;
    history pg_catalog.regclass;
    cutoff pg_catalog.timestamptz;
    deleted pg_catalog.int8;
    total pg_catalog.int8 := 0;
    by_key pg_catalog.bool;
    blocks pg_catalog.int8;
    step pg_catalog.int8;
    first_block pg_catalog.int8 := 0;
BEGIN
    IF older_than IS NULL OR older_than OPERATOR(pg_catalog.<) '0'::pg_catalog.interval
       OR batch_size IS NULL OR batch_size OPERATOR(pg_catalog.<) 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'cellupsert_prune_history() needs an interval of at least 0 and a batch_size of at least 1',
            DETAIL = pg_catalog.format('older_than %s, batch_size %s', coalesce(older_than::pg_catalog.text, 'NULL'),
                                       coalesce(batch_size::pg_catalog.text, 'NULL'));
    END IF;
    SELECT n.nspname INTO schema_name
    FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
    WHERE e.extname OPERATOR(pg_catalog.=) 'cellupsert';
    history := pg_catalog.to_regclass(pg_catalog.format('%I.list_cell_history', schema_name));
    IF history IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'undefined_table',
            MESSAGE = pg_catalog.format('relation "%s.list_cell_history" does not exist', schema_name);
    END IF;
    cutoff := pg_catalog.now() OPERATOR(pg_catalog.-) older_than;
    -- A plain table is walked once, in ranges of blocks of about batch_size rows (a TID range
    -- scan each): every old row is in a block that existed when the walk began, and no batch
    -- reads again what an earlier one deleted. A partitioned or Citus table has no such
    -- ranges: each batch there deletes up to batch_size old rows found by their key.
    by_key := (SELECT c.relkind OPERATOR(pg_catalog.<>) 'r' FROM pg_catalog.pg_class c
               WHERE c.oid OPERATOR(pg_catalog.=) history);
    IF NOT by_key AND pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        EXECUTE 'SELECT EXISTS (SELECT FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid OPERATOR(pg_catalog.=) $1)'
        INTO by_key USING history;
    END IF;
    IF NOT by_key THEN
        blocks := pg_catalog.pg_relation_size(history) OPERATOR(pg_catalog./)
                  pg_catalog.current_setting('block_size')::pg_catalog.int8;
        -- Rows a block, as ANALYZE last saw them; else about 40 (a history row of ~190 bytes).
        SELECT GREATEST(1, batch_size OPERATOR(pg_catalog./)
                   CASE WHEN c.relpages OPERATOR(pg_catalog.>) 0 AND c.reltuples OPERATOR(pg_catalog.>) 0
                        THEN GREATEST(1, c.reltuples OPERATOR(pg_catalog./) c.relpages) ELSE 40 END)::pg_catalog.int8
        INTO step FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) history;
        WHILE first_block OPERATOR(pg_catalog.<) blocks LOOP
            EXECUTE pg_catalog.format(
                'DELETE FROM %s h WHERE h.ctid OPERATOR(pg_catalog.>=) $1 AND h.ctid OPERATOR(pg_catalog.<) $2'
                ' AND h.edited_at OPERATOR(pg_catalog.<) $3', history)
            USING pg_catalog.format('(%s,0)', first_block)::pg_catalog.tid,
                  pg_catalog.format('(%s,0)', first_block OPERATOR(pg_catalog.+) step)::pg_catalog.tid, cutoff;
            GET DIAGNOSTICS deleted = ROW_COUNT;
            total := total OPERATOR(pg_catalog.+) deleted;
            COMMIT;
            first_block := first_block OPERATOR(pg_catalog.+) step;
        END LOOP;
    ELSE
        LOOP
            EXECUTE pg_catalog.format(
                'DELETE FROM %s h WHERE h.edited_at OPERATOR(pg_catalog.<) $1 AND EXISTS ('
                'SELECT FROM (SELECT d.list_id, d.xact, d.id FROM %s d WHERE d.edited_at OPERATOR(pg_catalog.<) $1 LIMIT $2) b'
                ' WHERE b.list_id OPERATOR(pg_catalog.=) h.list_id AND b.xact OPERATOR(pg_catalog.=) h.xact'
                ' AND b.id OPERATOR(pg_catalog.=) h.id)',
                history, history)
            USING cutoff, batch_size;
            GET DIAGNOSTICS deleted = ROW_COUNT;
            total := total OPERATOR(pg_catalog.+) deleted;
            COMMIT;
            EXIT WHEN deleted OPERATOR(pg_catalog.<) batch_size;
        END LOOP;
    END IF;
    RAISE NOTICE 'cellupsert_prune_history: % history rows deleted', total;
END
$procedure$;

ALTER PROCEDURE @extschema@.cellupsert_prune_history(pg_catalog.interval, pg_catalog.int4) OWNER TO @extowner@;
REVOKE EXECUTE ON PROCEDURE @extschema@.cellupsert_prune_history(pg_catalog.interval, pg_catalog.int4) FROM PUBLIC;

COMMENT ON PROCEDURE @extschema@.cellupsert_prune_history(pg_catalog.interval, pg_catalog.int4) IS
'Retention: deletes the cell history written before now() - older_than, about batch_size rows per transaction; CALL it outside a transaction block, as the history''s owner.';

-- Citus: distributes the list tables of this schema by list, co-located (lists by id, the
-- three others by list_id), and the functions by their list argument, co-located with the
-- cells and with force_delegation, so that a call runs whole on the worker that holds its
-- list, inside a transaction block too (PostgREST always opens one). Idempotent: says, for
-- each object, what it did or that it found it done. An admin function: named after the
-- extension, and not executable by PUBLIC.
CREATE OR REPLACE FUNCTION @extschema@.cellupsert_distribute(shard_count pg_catalog.int4 DEFAULT NULL)
RETURNS TABLE (object pg_catalog.text, action pg_catalog.text)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    schema_name text;
    tables text[] := ARRAY['lists', 'list_columns', 'list_companies', 'list_company_cells'];
    functions constant text[] := ARRAY['cell_upsert(uuid,uuid,uuid,text,text)', 'cell_upsert_many(uuid,jsonb)',
                                       'cell_version(uuid,uuid,uuid)', 'cell_release(uuid,uuid,uuid)',
                                       'cell_enrich_many(uuid,jsonb)', 'cell_release_many(uuid,jsonb)',
                                       'cell_history(uuid,uuid,uuid,integer)', 'cell_revert(uuid,uuid,uuid,uuid,boolean)',
                                       'cell_undo(uuid,uuid,boolean)', 'cell_changes(uuid,text,integer)'];
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
    -- The cell history (1.4), where the application keeps one: by list_id, with the cells.
    IF to_regclass(format('%I.list_cell_history', schema_name)) IS NOT NULL THEN
        tables := tables || 'list_cell_history'::text;
    END IF;

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

