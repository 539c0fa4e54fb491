// cell_upsert_many(list uuid, cells jsonb) RETURNS integer
//
// cell_upsert for a batch, all or nothing: every element is read and checked, repeated
// (col, row) pairs are reduced to their last element (batch_cells.h), then the strategy of
// the list tables (write_strategy.h) locks the batch's list, columns and rows against a
// concurrent DELETE (batch_locks.h) and checks and writes them all; an error names the
// first refused element in input order and undoes any partial write. Returns the number of
// cells written: fewer than the distinct pairs given only when a trigger of the application
// skipped some.
#include "batch_input.h"
#include "cell_checks.h"
#include "errors.h"
#include "functions.h"
#include "http_headers.h"
#include "write_strategy.h"

namespace cellupsert::pg {

Datum cell_upsert_many_body(PG_FUNCTION_ARGS) {
    const Datum list = id_argument(fcinfo, 0, "list");
    refuse_if_match_header("cell_upsert_many");
    if (PG_ARGISNULL(1)) raise_null_argument("cells");
    const BatchInput input = read_batch_argument(fcinfo, list, BatchKind::manual_edit, WriteKind::manual);
    if (input.count == 0) PG_RETURN_INT32(0);

    SPI_connect();
    StatementContext &context = StatementContext::for_call(fcinfo->flinfo->fn_oid, WriteKind::manual);
    const int32 written = write_strategy(context).write_batch(context, {list, PG_GETARG_DATUM(1), &input});
    SPI_finish();
    PG_RETURN_INT32(written);
}

}  // namespace cellupsert::pg
