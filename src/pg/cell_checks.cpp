#include "cell_checks.h"

#include "errors.h"
#include "statements.h"

namespace cellupsert::pg {
namespace {

const IdBytes &id_bytes(Datum id) { return DatumGetUUIDP(id)->data; }

// The diagnosis row (list_found bool, column_subject text, row_found bool) of (list, row,
// col) as seen by snapshot (InvalidSnapshot: a new one, to see what the write could not).
HeapTuple diagnose(Oid function_oid, Datum list, Datum row, Datum col, Snapshot snapshot) {
    Datum values[] = {list, row, col};
    const int rc = execute_statement(function_oid, Statement::cell_diagnose, values, nullptr,
                                     snapshot, 1);
    if (rc != SPI_OK_SELECT || SPI_processed != 1)
        elog(ERROR, "cell diagnosis returned %s", SPI_result_code_string(rc));
    return SPI_tuptable->vals[0];
}

}  // namespace

Datum id_argument(FunctionCallInfo fcinfo, int i, const char *parameter) {
    if (PG_ARGISNULL(i)) raise_null_argument(parameter);
    const pg_uuid_t *id = PG_GETARG_UUID_P(i);
    const core::IdVerdict verdict = core::check_id(id->data);
    if (verdict != core::IdVerdict::accepted) raise_invalid_id(parameter, id->data, verdict);
    return PG_GETARG_DATUM(i);
}

void raise_failed_check(Oid function_oid, Datum list, Datum row, Datum col, int element) {
    HeapTuple tuple = diagnose(function_oid, list, row, col, InvalidSnapshot);
    TupleDesc desc = SPI_tuptable->tupdesc;
    bool is_null;

    if (!DatumGetBool(SPI_getbinval(tuple, desc, 1, &is_null))) raise_list_not_found(id_bytes(list));
    const Datum subject = SPI_getbinval(tuple, desc, 2, &is_null);
    if (is_null) raise_column_not_found(id_bytes(list), id_bytes(col), element);
    const char *subject_text = TextDatumGetCString(subject);
    if (strcmp(subject_text, "company") != 0)
        raise_not_company_column(id_bytes(col), subject_text, element);
    if (!DatumGetBool(SPI_getbinval(tuple, desc, 3, &is_null)))
        raise_row_not_found(id_bytes(list), id_bytes(row), element);
}

bool cell_refused_in(Oid function_oid, Datum list, Datum row, Datum col, Snapshot snapshot) {
    HeapTuple tuple = diagnose(function_oid, list, row, col, snapshot);
    TupleDesc desc = SPI_tuptable->tupdesc;
    bool list_null, subject_null, row_null;
    const bool list_found = DatumGetBool(SPI_getbinval(tuple, desc, 1, &list_null));
    const Datum subject = SPI_getbinval(tuple, desc, 2, &subject_null);
    const bool row_found = DatumGetBool(SPI_getbinval(tuple, desc, 3, &row_null));
    return !list_found || subject_null || strcmp(TextDatumGetCString(subject), "company") != 0 ||
           !row_found;
}

}  // namespace cellupsert::pg
