// cell_upsert(list uuid, "row" uuid, col uuid, val text DEFAULT NULL) RETURNS boolean
//
// The manual edit of one company cell: checks the ids, then one prepared statement checks
// that the column and the row belong to the list and upserts the cell, as the caller.
// Only when that statement writes nothing does a second query find out which check failed
// (cell_checks.h). Returns true, or false when a trigger of the application skipped the write.
#include "cell_checks.h"
#include "editor.h"
#include "errors.h"
#include "functions.h"
#include "statements.h"

namespace cellupsert::pg {
namespace {

enum Param { kList, kRow, kCol, kVal, kEditor };

// NULL and '' are both stored as NULL; anything else byte for byte, without detoasting it here.
bool value_is_null(FunctionCallInfo fcinfo) {
    return PG_ARGISNULL(kVal) || toast_raw_datum_size(PG_GETARG_DATUM(kVal)) == VARHDRSZ;
}

}  // namespace

Datum cell_upsert_body(PG_FUNCTION_ARGS) {
    const Oid function_oid = fcinfo->flinfo->fn_oid;
    Datum values[5];
    values[kList] = id_argument(fcinfo, kList, "list");
    values[kRow] = id_argument(fcinfo, kRow, "row");
    values[kCol] = id_argument(fcinfo, kCol, "col");
    const bool null_value = value_is_null(fcinfo);
    values[kVal] = null_value ? (Datum)0 : PG_GETARG_DATUM(kVal);
    char nulls[5] = {' ', ' ', ' ', null_value ? 'n' : ' ', ' '};

    SPI_connect();
    SPIPlanPtr upsert = statement_plan(function_oid, Statement::cell_upsert);
    bind_editor(values[kEditor], nulls[kEditor]);
    // The write's snapshot is kept for the diagnosis of a write that processed nothing.
    Snapshot snapshot = RegisterSnapshot(GetTransactionSnapshot());
    const int rc = execute_plan(function_oid, upsert, values, nulls, snapshot, 0);
    if (rc != SPI_OK_INSERT) elog(ERROR, "cell upsert returned %s", SPI_result_code_string(rc));
    const bool written = SPI_processed == 1;
    if (!written) {
        raise_failed_check(function_oid, values[kList], values[kRow], values[kCol], kNoElement);
        if (cell_refused_in(function_oid, values[kList], values[kRow], values[kCol], snapshot))
            raise_concurrent_change(DatumGetUUIDP(values[kList])->data);
        // Every check passes, in both snapshots: a trigger of the application skipped the write.
    }
    UnregisterSnapshot(snapshot);
    SPI_finish();
    PG_RETURN_BOOL(written);
}

}  // namespace cellupsert::pg
