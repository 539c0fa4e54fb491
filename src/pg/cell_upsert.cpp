// cell_upsert(list uuid, "row" uuid, col uuid, val text DEFAULT NULL, if_match text DEFAULT NULL)
// RETURNS boolean
//
// The manual edit of one company cell: checks the ids, then writes with the strategy of the
// list tables (write_strategy.h), which checks that the column and the row belong to the
// list, as the caller; with if_match (or PostgREST's If-Match header: http_headers.h), only
// while the cell's version is if_match (PT412 otherwise). Returns true, or false when a
// trigger of the application skipped the write.
#include "cell_checks.h"
#include "functions.h"
#include "http_headers.h"
#include "write_strategy.h"

namespace cellupsert::pg {
namespace {

enum Param { kList, kRow, kCol, kVal, kIfMatch };

// NULL and '' are both stored as NULL; anything else byte for byte, without detoasting it here.
bool value_is_null(FunctionCallInfo fcinfo) {
    return PG_ARGISNULL(kVal) || toast_raw_datum_size(PG_GETARG_DATUM(kVal)) == VARHDRSZ;
}

}  // namespace

Datum cell_upsert_body(PG_FUNCTION_ARGS) {
    CellEdit edit;
    edit.list = id_argument(fcinfo, kList, "list");
    edit.row = id_argument(fcinfo, kRow, "row");
    edit.col = id_argument(fcinfo, kCol, "col");
    edit.value_is_null = value_is_null(fcinfo);
    edit.value = edit.value_is_null ? (Datum)0 : PG_GETARG_DATUM(kVal);
    edit.if_match = if_match_with_header(if_match_argument(fcinfo, kIfMatch));
    edit.if_match_text = edit.if_match == nullptr ? (Datum)0 : CStringGetTextDatum(edit.if_match);

    SPI_connect();
    StatementContext &context = StatementContext::for_call(fcinfo->flinfo->fn_oid, WriteKind::manual);
    const WriteStrategy &strategy = write_strategy(context);
    const bool written = strategy.write_cell(context, edit);
    // Through PostgREST, the new version as the response's ETag (by the outermost call only,
    // not by a hand-over that Citus ran here).
    if (written && in_http_request() && !context.handing_over) {
        Version version;
        strategy.written_version(context, edit.list, edit.row, edit.col, version);
        set_etag(version);
    }
    SPI_finish();
    PG_RETURN_BOOL(written);
}

}  // namespace cellupsert::pg
