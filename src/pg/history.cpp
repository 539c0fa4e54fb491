#include "history.h"

#include "cell_checks.h"
#include "errors.h"
#include "functions.h"
#include "statement_context.h"
#include "write_strategy.h"

extern "C" {
#include "catalog/namespace.h"
#include "funcapi.h"
}

namespace cellupsert::pg {
namespace {

// The history of (list, row, col) as the caller reads it: $1 list, $2 row, $3 col, $4 limit.
char *cell_history_text(const char *schema) {
    return psprintf(
        "SELECT h.id, h.kind, h.edit_id, h.edited_by, h.edited_at, h.existed_before, h.value_before, "
        "h.value_after, h.status_before, h.status_after, h.source_before, h.source_after FROM %s.%s h "
        "WHERE h.list_id OPERATOR(pg_catalog.=) $1 AND h.column_id OPERATOR(pg_catalog.=) $3 "
        "AND h.company_row_id OPERATOR(pg_catalog.=) $2 ORDER BY h.id DESC LIMIT $4",
        quote_identifier(schema), kHistoryTable);
}

}  // namespace

void require_history_table(const StatementContext &context) {
    if (!OidIsValid(get_relname_relid(kHistoryTable, get_namespace_oid(context.schema_name(), false))))
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                        errmsg("relation \"%s.%s\" does not exist", context.schema_name(), kHistoryTable),
                        errdetail("cellupsert keeps the cell history in that table when it exists."),
                        errhint("cellupsert_list_tables--1.3--1.4.sql creates it (docs/history.md).")));
}

Datum cell_history_body(PG_FUNCTION_ARGS) {
    const Datum list = id_argument(fcinfo, 0, "list");
    const Datum row = id_argument(fcinfo, 1, "row");
    const Datum col = id_argument(fcinfo, 2, "col");
    if (PG_ARGISNULL(3)) raise_null_argument("limit");
    const int32 limit = PG_GETARG_INT32(3);
    if (limit < 0) ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("\"limit\" must not be negative")));
    InitMaterializedSRF(fcinfo, 0);
    ReturnSetInfo *result = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);

    SPI_connect();
    // cell_upsert's checks and errors, as the caller sees the tables.
    StatementContext &context = StatementContext::for_call(fcinfo->flinfo->fn_oid);
    Version version;
    read_strategy(context).read_version(context, list, row, col, version);
    require_history_table(context);
    const Oid types[] = {UUIDOID, UUIDOID, UUIDOID, INT4OID};
    Datum args[] = {list, row, col, Int32GetDatum(limit)};
    const int rc = SPI_execute_with_args(cell_history_text(context.schema_name()), 4, const_cast<Oid *>(types), args,
                                         nullptr, true, 0);
    if (rc != SPI_OK_SELECT) elog(ERROR, "cell_history: SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
    for (uint64 i = 0; i < SPI_processed; ++i) tuplestore_puttuple(result->setResult, SPI_tuptable->vals[i]);
    SPI_finish();
    return (Datum)0;
}

}  // namespace cellupsert::pg
