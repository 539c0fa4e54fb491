// cell_enrich_many(list uuid, cells jsonb) RETURNS jsonb
//
// The write of a background job (an enrichment) to cells of one list: cells is a JSON array
// of {"row", "col", "val", "status", "reasoning", "error"}, with cell_upsert_many's checks,
// errors and all-or-nothing rule (a status the column's type does not take is the type's own
// error). A cell a person edited (source manual) is left exactly as it is: the statement's
// own condition, as the manual-edit guard would (manual_guard.h). Returns
// {"written": n, "kept": m}: the cells written, and those kept because a person had edited
// them (or a trigger of the application skipped them). Needs reasoning and error in the cells.
#include "batch_input.h"
#include "cell_checks.h"
#include "errors.h"
#include "functions.h"
#include "http_headers.h"
#include "write_strategy.h"

namespace cellupsert::pg {

Datum cell_enrich_many_body(PG_FUNCTION_ARGS) {
    const Datum list = id_argument(fcinfo, 0, "list");
    refuse_if_match_header("cell_enrich_many");
    if (PG_ARGISNULL(1)) raise_null_argument("cells");
    const BatchInput input = read_batch_argument(fcinfo, list, BatchKind::enrichment, WriteKind::enrichment);
    Enriched enriched{0, 0};
    if (input.count > 0) {
        SPI_connect();
        StatementContext &context = StatementContext::for_call(fcinfo->flinfo->fn_oid, WriteKind::enrichment);
        const char *cells = kListTableNames[kListCompanyCells];
        if (!context.shape().has_reasoning) raise_missing_column(context.schema_name(), cells, "reasoning");
        if (!context.shape().has_error) raise_missing_column(context.schema_name(), cells, "error");
        enriched = write_strategy(context).enrich_batch(context, {list, PG_GETARG_DATUM(1), &input});
        SPI_finish();
    }
    const char *result = psprintf("{\"written\": %d, \"kept\": %d}", enriched.written, enriched.kept);
    PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(result)));
}

}  // namespace cellupsert::pg
