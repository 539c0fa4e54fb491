-- cellupsert 1.1 -> 1.2: installable by a database owner (trusted), and admin functions named
-- after the extension: distribute() becomes cellupsert_distribute(), executable by its owner
-- only. The list tables do not change. Names are qualified as in cellupsert--1.2.sql.
\echo Use "ALTER EXTENSION cellupsert UPDATE TO '1.2'" to load this file. \quit

-- The functions belong to the role that runs the update (@extowner@), as after a fresh
-- install by that role.
ALTER FUNCTION @extschema@.cell_upsert(pg_catalog.uuid, pg_catalog.uuid, pg_catalog.uuid, pg_catalog.text)
    OWNER TO @extowner@;
ALTER FUNCTION @extschema@.cell_upsert_many(pg_catalog.uuid, pg_catalog.jsonb) OWNER TO @extowner@;

-- An application's own distribute() made the call ambiguous, its distribute(integer) made
-- CREATE EXTENSION fail.
DROP FUNCTION @extschema@.distribute(pg_catalog.int4);

-- Citus: distributes the list tables of this schema by list, co-located (lists by id, the
-- three others by list_id), and both functions by their list argument, co-located with the
-- cells and with force_delegation, so that a call runs whole on the worker that holds its
-- list, inside a transaction block too (PostgREST always opens one). Idempotent: says, for
-- each object, what it did or that it found it done. An admin function: named after the
-- extension, and not executable by PUBLIC.
CREATE FUNCTION @extschema@.cellupsert_distribute(shard_count pg_catalog.int4 DEFAULT NULL)
RETURNS TABLE (object pg_catalog.text, action pg_catalog.text)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    schema_name text;
    tables constant text[] := ARRAY['lists', 'list_columns', 'list_companies', 'list_company_cells'];
    functions constant text[] := ARRAY['cell_upsert(uuid,uuid,uuid,text)', 'cell_upsert_many(uuid,jsonb)'];
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
                PERFORM pg_catalog.create_distributed_table(relation, 'list_id', colocate_with := lists::text);
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

-- The owner first: the REVOKE then records the privileges as they stay (pg_init_privs), and
-- pg_dump writes none of them.
ALTER FUNCTION @extschema@.cellupsert_distribute(pg_catalog.int4) OWNER TO @extowner@;
REVOKE EXECUTE ON FUNCTION @extschema@.cellupsert_distribute(pg_catalog.int4) FROM PUBLIC;

COMMENT ON FUNCTION @extschema@.cellupsert_distribute(pg_catalog.int4) IS
'Citus: distributes the list tables by list, co-located, and the functions by their list argument with force_delegation; idempotent.';

-- What the functions rely on in the list tables, one row each: ok is false exactly for what
-- stops them, detail says what to do. An admin function, like cellupsert_distribute().
CREATE FUNCTION @extschema@.cellupsert_check()
RETURNS TABLE (item pg_catalog.text, ok pg_catalog.bool, detail pg_catalog.text)
AS 'MODULE_PATHNAME', 'cellupsert_check'
LANGUAGE C STABLE SECURITY INVOKER PARALLEL UNSAFE;
ALTER FUNCTION @extschema@.cellupsert_check() OWNER TO @extowner@;
REVOKE EXECUTE ON FUNCTION @extschema@.cellupsert_check() FROM PUBLIC;

COMMENT ON FUNCTION @extschema@.cellupsert_check() IS
'What cell_upsert and cell_upsert_many rely on in the list tables, one row each; ok is false for what stops them.';
