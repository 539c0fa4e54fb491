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

-- Citus: distributes the list tables of this schema by list, co-located, and the functions
-- by their list argument, so that a call runs whole on the worker holding its list.
-- Idempotent: says, for each object, whether it distributed it or found it distributed.
-- An admin function: named after the extension, and not executable by PUBLIC.
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
    routine regprocedure;
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
    IF NOT citus_is_coordinator() THEN
        RAISE EXCEPTION USING ERRCODE = 'feature_not_supported',
            MESSAGE = 'cellupsert_distribute() runs on the Citus coordinator';
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

-- The owner first: the REVOKE then records the privileges as they stay (pg_init_privs), and
-- pg_dump writes none of them.
ALTER FUNCTION @extschema@.cellupsert_distribute(pg_catalog.int4) OWNER TO @extowner@;
REVOKE EXECUTE ON FUNCTION @extschema@.cellupsert_distribute(pg_catalog.int4) FROM PUBLIC;

COMMENT ON FUNCTION @extschema@.cellupsert_distribute(pg_catalog.int4) IS
'Citus: distributes the list tables by list and the functions by their list argument; idempotent.';

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
