// cell_release_many(list uuid, cells jsonb) RETURNS integer
//
// cell_release for many cells of one list, all or nothing: cells is a JSON array of
// {"row", "col"}; every element is checked first (cell_upsert_many's errors, naming the
// element), then the manual marks of those cells are released. Returns the number of cells
// that had one. Needs the provenance columns.
#include "batch_input.h"
#include "cell_checks.h"
#include "errors.h"
#include "functions.h"
#include "http_headers.h"
#include "write_strategy.h"

namespace cellupsert::pg {

Datum cell_release_many_body(PG_FUNCTION_ARGS) {
    const Datum list = id_argument(fcinfo, 0, "list");
    refuse_if_match_header("cell_release_many");
    if (PG_ARGISNULL(1)) raise_null_argument("cells");
    const BatchInput input = read_batch_argument(fcinfo, list, BatchKind::release, WriteKind::release);
    if (input.count == 0) PG_RETURN_INT32(0);
    SPI_connect();
    StatementContext &context = StatementContext::for_call(fcinfo->flinfo->fn_oid, WriteKind::release);
    if (!context.shape().has_provenance)
        raise_missing_column(context.schema_name(), kListTableNames[kListCompanyCells], "source");
    const int32 released = write_strategy(context).release_batch(context, {list, PG_GETARG_DATUM(1), &input});
    SPI_finish();
    PG_RETURN_INT32(released);
}

}  // namespace cellupsert::pg
