-- cellupsert 1.1: functions only. The list tables are the application's: create them
-- from cellupsert_list_tables.sql in the schema this extension is installed in.
\echo Use "CREATE EXTENSION cellupsert" to load this file. \quit

CREATE FUNCTION @extschema@.cell_upsert(list uuid, "row" uuid, col uuid, val text DEFAULT NULL)
RETURNS boolean
AS 'MODULE_PATHNAME', 'cell_upsert'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SECURITY INVOKER PARALLEL UNSAFE;

COMMENT ON FUNCTION @extschema@.cell_upsert(uuid, uuid, uuid, text) IS
'Manual edit of one company cell: checks that col and row belong to list, then sets value (NULL for '''' or NULL) and status complete; reasoning and error are kept.';

CREATE FUNCTION @extschema@.cell_upsert_many(list uuid, cells jsonb)
RETURNS integer
AS 'MODULE_PATHNAME', 'cell_upsert_many'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SECURITY INVOKER PARALLEL UNSAFE;

COMMENT ON FUNCTION @extschema@.cell_upsert_many(uuid, jsonb) IS
'Manual edit of many company cells of one list, all or nothing: cells is a JSON array of {"row", "col", "val"}; returns the number of cells written.';

-- Citus: distributes the list tables of this schema by list, co-located, and the functions
-- by their list argument, so that a call runs whole on the worker holding its list.
-- Idempotent: says, for each object, whether it distributed it or found it distributed.
CREATE FUNCTION @extschema@.distribute(shard_count integer DEFAULT NULL)
RETURNS TABLE (object text, action text)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    schema_name text;
    tables constant text[] := ARRAY['lists', 'list_columns', 'list_companies', 'list_company_cells'];
    functions constant text[] := ARRAY['cell_upsert(uuid,uuid,uuid,text)', 'cell_upsert_many(uuid,jsonb)'];
    item text;
    relation regclass;
    routine regprocedure;
BEGIN
    IF shard_count IS NOT NULL AND shard_count < 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('shard_count must be at least 1, not %s', shard_count);
    END IF;
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION USING ERRCODE = 'feature_not_supported',
            MESSAGE = 'distribute() needs Citus, which is not installed in this database',
            HINT = 'Install Citus on every node, run CREATE EXTENSION citus on the coordinator, then call distribute() there.';
    END IF;
    IF NOT citus_is_coordinator() THEN
        RAISE EXCEPTION USING ERRCODE = 'feature_not_supported',
            MESSAGE = 'distribute() runs on the Citus coordinator';
    END IF;

    SELECT n.nspname INTO schema_name
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'cellupsert';

    -- lists by id, then the others by list_id, co-located with lists: every key and foreign
    -- key of the canonical DDL includes the list.
    FOREACH item IN ARRAY tables LOOP
        relation := format('%I.%I', schema_name, item)::regclass;
        object := relation::text;
        IF EXISTS (SELECT FROM pg_dist_partition p WHERE p.logicalrelid = relation) THEN
            action := 'already distributed';
        ELSIF item = 'lists' THEN
            PERFORM create_distributed_table(relation, 'id', shard_count := shard_count);
            action := 'distributed by id';
        ELSE
            PERFORM create_distributed_table(relation, 'list_id',
                                             colocate_with := format('%I.lists', schema_name));
            action := 'distributed by list_id';
        END IF;
        RETURN NEXT;
    END LOOP;

    FOREACH item IN ARRAY functions LOOP
        routine := format('%I.%s', schema_name, item)::regprocedure;
        object := routine::text;
        IF EXISTS (SELECT FROM pg_dist_object d
                   WHERE d.classid = 'pg_proc'::regclass AND d.objid = routine
                     AND d.distribution_argument_index IS NOT NULL) THEN
            action := 'already distributed';
        ELSE
            PERFORM create_distributed_function(routine::text, 'list',
                                                colocate_with := format('%I.list_company_cells', schema_name));
            action := 'distributed by list';
        END IF;
        RETURN NEXT;
    END LOOP;
END
$function$;
