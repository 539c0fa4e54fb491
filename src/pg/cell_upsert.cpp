// cell_upsert(list uuid, "row" uuid, col uuid, val text DEFAULT NULL) RETURNS boolean
//
// The manual edit of one company cell: checks the ids, then one prepared statement checks
// that the column and the row belong to the list and upserts the cell, as the caller.
// Only when that statement writes nothing does a second query find out which check failed.
#include "errors.h"
#include "functions.h"
#include "statements.h"

namespace cellupsert::pg {
namespace {

enum Arg { kList, kRow, kCol, kVal };
constexpr const char *kIdParameters[] = {"list", "row", "col"};

// Argument i as an accepted id, or an error naming the parameter.
Datum id_argument(FunctionCallInfo fcinfo, int i) {
    if (PG_ARGISNULL(i)) raise_null_argument(kIdParameters[i]);
    const pg_uuid_t *id = PG_GETARG_UUID_P(i);
    const core::IdVerdict verdict = core::check_id(id->data);
    if (verdict != core::IdVerdict::accepted) raise_invalid_id(kIdParameters[i], id->data, verdict);
    return PG_GETARG_DATUM(i);
}

// NULL and '' are both stored as NULL; anything else byte for byte, without detoasting it here.
bool value_is_null(FunctionCallInfo fcinfo) {
    return PG_ARGISNULL(kVal) || toast_raw_datum_size(PG_GETARG_DATUM(kVal)) == VARHDRSZ;
}

const IdBytes &id_bytes(Datum id) { return DatumGetUUIDP(id)->data; }

bool processed_one_row(SPIPlanPtr plan, Datum *values, const char *nulls) {
    const int rc = SPI_execute_plan(plan, values, nulls, false, 0);
    if (rc != SPI_OK_INSERT)
        elog(ERROR, "cell upsert returned %s", SPI_result_code_string(rc));
    return SPI_processed == 1;
}

// After an upsert that wrote nothing: raises the error for the first check that fails, as
// the caller sees the tables now. Returns when every check passes, which means that a
// concurrent transaction created the list, column or row after the upsert's snapshot.
void raise_failed_check(SPIPlanPtr diagnose, Datum *values, const char *nulls) {
    const int rc = SPI_execute_plan(diagnose, values, nulls, false, 1);
    if (rc != SPI_OK_SELECT || SPI_processed != 1)
        elog(ERROR, "cell diagnosis returned %s", SPI_result_code_string(rc));
    HeapTuple tuple = SPI_tuptable->vals[0];
    TupleDesc desc = SPI_tuptable->tupdesc;
    bool is_null;

    if (!DatumGetBool(SPI_getbinval(tuple, desc, 1, &is_null)))
        raise_list_not_found(id_bytes(values[kList]));
    const Datum subject = SPI_getbinval(tuple, desc, 2, &is_null);
    if (is_null) raise_column_not_found(id_bytes(values[kList]), id_bytes(values[kCol]));
    const char *subject_text = TextDatumGetCString(subject);
    if (strcmp(subject_text, "company") != 0)
        raise_not_company_column(id_bytes(values[kCol]), subject_text);
    if (!DatumGetBool(SPI_getbinval(tuple, desc, 3, &is_null)))
        raise_row_not_found(id_bytes(values[kList]), id_bytes(values[kRow]));
}

}  // namespace

Datum cell_upsert_body(PG_FUNCTION_ARGS) {
    Datum values[4];
    char nulls[4] = {' ', ' ', ' ', ' '};
    for (int i = kList; i <= kCol; ++i) values[i] = id_argument(fcinfo, i);
    if (value_is_null(fcinfo)) {
        values[kVal] = (Datum)0;
        nulls[kVal] = 'n';
    } else {
        values[kVal] = PG_GETARG_DATUM(kVal);
    }

    SPI_connect();
    const CellPlans &plans = cell_plans(fcinfo->flinfo->fn_oid);
    // A second attempt only when the first lost a race with the creation of what it checks.
    for (int attempt = 1; !processed_one_row(plans.upsert, values, nulls); ++attempt) {
        raise_failed_check(plans.diagnose, values, nulls);
        if (attempt == 2) raise_concurrent_change(id_bytes(values[kList]));
    }
    SPI_finish();
    PG_RETURN_BOOL(true);
}

}  // namespace cellupsert::pg
