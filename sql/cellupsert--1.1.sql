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
