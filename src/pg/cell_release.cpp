// cell_release(list uuid, "row" uuid, col uuid) RETURNS boolean
//
// Releases a cell's manual mark: the cell keeps its value, its source goes back to the
// column's default, and the next enrichment may overwrite it (manual_guard.h). With
// cell_upsert's checks and errors; true when the cell had the mark, false otherwise (no
// mark, or no cell). Needs the provenance columns.
#include "cell_checks.h"
#include "errors.h"
#include "functions.h"
#include "http_headers.h"
#include "write_strategy.h"

namespace cellupsert::pg {

Datum cell_release_body(PG_FUNCTION_ARGS) {
    const Datum list = id_argument(fcinfo, 0, "list");
    refuse_if_match_header("cell_release");
    const Datum row = id_argument(fcinfo, 1, "row");
    const Datum col = id_argument(fcinfo, 2, "col");
    SPI_connect();
    StatementContext &context = StatementContext::for_call(fcinfo->flinfo->fn_oid, WriteKind::release);
    if (!context.shape().has_provenance)
        raise_missing_column(context.schema_name(), core::kListTableNames[kListCompanyCells], "source");
    const bool released = write_strategy(context).release_cell(context, list, row, col);
    SPI_finish();
    PG_RETURN_BOOL(released);
}

}  // namespace cellupsert::pg
