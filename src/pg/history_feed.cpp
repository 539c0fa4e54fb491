// cell_changes(list uuid, after text DEFAULT NULL, "limit" integer DEFAULT 500)
//
// The change feed of one list: its history rows (history.h) after a cursor, in the order of
// their transactions' ids (pg_current_xact_id(), recorded in each row as xact) and, within a
// transaction, of their ids, each with the cursor that follows it ("<xact>:<id>").
//
// A row is delivered only when its transaction id is below the xmin of the call's snapshot:
// every transaction that started before it has ended, committed or not, so no row can appear
// later before it in that order. A poller that passes each call the last cursor it received
// gets every committed change exactly once, with no gap, also when transactions commit out of
// the order they started in; a long transaction delays the rows after it, and loses none.
#include "cell_checks.h"
#include "errors.h"
#include "functions.h"
#include "history.h"
#include "statement_context.h"

extern "C" {
#include "funcapi.h"
#include "utils/tuplestore.h"
#include "utils/xid8.h"
}

namespace cellupsert::pg {
namespace {

struct Cursor {
    uint64 xact;
    int64 id;
};

// "<xact>:<id>", two decimal integers; NULL: before everything.
Cursor cursor_argument(FunctionCallInfo fcinfo, int i) {
    if (PG_ARGISNULL(i)) return {0, 0};
    const char *given = TextDatumGetCString(PG_GETARG_DATUM(i));
    unsigned long long xact;
    long long id;
    int end = 0;
    if (sscanf(given, "%llu:%lld%n", &xact, &id, &end) != 2 || given[end] != '\0' || id < 0 || given[0] == '-')
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("invalid cursor: \"%s\"", given),
                        errhint("Pass the cursor of the last change received, as it came, or NULL to start.")));
    return {static_cast<uint64>(xact), static_cast<int64>(id)};
}

}  // namespace

Datum cell_changes_body(PG_FUNCTION_ARGS) {
    const Datum list = id_argument(fcinfo, 0, "list");
    const Cursor after = cursor_argument(fcinfo, 1);
    if (PG_ARGISNULL(2)) raise_null_argument("limit");
    const int32 limit = PG_GETARG_INT32(2);
    if (limit < 0) ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("\"limit\" must not be negative")));
    InitMaterializedSRF(fcinfo, 0);
    ReturnSetInfo *result = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);

    SPI_connect();
    StatementContext &context = StatementContext::for_call(fcinfo->flinfo->fn_oid);
    const char *schema = quote_identifier(context.schema_name());
    const Oid list_type[] = {UUIDOID};
    Datum list_value[] = {list};
    if (SPI_execute_with_args(psprintf("SELECT FROM %s.lists l WHERE l.id OPERATOR(pg_catalog.=) $1", schema), 1,
                              const_cast<Oid *>(list_type), list_value, nullptr, true, 0) != SPI_OK_SELECT)
        elog(ERROR, "cell_changes: reading the list failed");
    if (SPI_processed == 0) raise_list_not_found(DatumGetUUIDP(list)->data);
    require_history_table(context);

    const Oid types[] = {UUIDOID, XID8OID, INT8OID, INT4OID};
    Datum args[] = {list, FullTransactionIdGetDatum(FullTransactionIdFromU64(after.xact)), Int64GetDatum(after.id),
                    Int32GetDatum(limit)};
    const char *sql = psprintf(
        "SELECT h.xact::pg_catalog.text OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) h.id::pg_catalog.text, "
        "h.id, h.column_id, h.company_row_id, h.kind, h.edit_id, h.edited_by, h.edited_at, h.existed_before, "
        "h.value_before, h.value_after, h.status_before, h.status_after, h.source_before, h.source_after "
        "FROM %s.%s h WHERE h.list_id OPERATOR(pg_catalog.=) $1 "
        "AND (h.xact OPERATOR(pg_catalog.>) $2 OR (h.xact OPERATOR(pg_catalog.=) $2 AND h.id OPERATOR(pg_catalog.>) $3)) "
        "AND h.xact OPERATOR(pg_catalog.<) pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot()) "
        "ORDER BY h.xact, h.id LIMIT $4",
        schema, kHistoryTable);
    const int rc = SPI_execute_with_args(sql, 4, const_cast<Oid *>(types), args, nullptr, true, 0);
    if (rc != SPI_OK_SELECT) elog(ERROR, "cell_changes: SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
    for (uint64 i = 0; i < SPI_processed; ++i) tuplestore_puttuple(result->setResult, SPI_tuptable->vals[i]);
    SPI_finish();
    return (Datum)0;
}

}  // namespace cellupsert::pg
