-- cellupsert 1.0 -> 1.1: cell_upsert_many. Provenance needs the list-table migration
-- cellupsert_list_tables--1.0--1.1.sql; without it the functions record none.
\echo Use "ALTER EXTENSION cellupsert UPDATE TO '1.1'" to load this file. \quit

CREATE FUNCTION @extschema@.cell_upsert_many(list uuid, cells jsonb)
RETURNS integer
AS 'MODULE_PATHNAME', 'cell_upsert_many'
LANGUAGE C VOLATILE CALLED ON NULL INPUT SECURITY INVOKER PARALLEL UNSAFE;

COMMENT ON FUNCTION @extschema@.cell_upsert_many(uuid, jsonb) IS
'Manual edit of many company cells of one list, all or nothing: cells is a JSON array of {"row", "col", "val"}; returns the number of cells written.';
