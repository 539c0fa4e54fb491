#include "cell_checks.h"

#include "errors.h"
#include "statements.h"

namespace cellupsert::pg {
namespace {

const IdBytes &id_bytes(Datum id) { return DatumGetUUIDP(id)->data; }

}  // namespace

Datum id_argument(FunctionCallInfo fcinfo, int i, const char *parameter) {
    if (PG_ARGISNULL(i)) raise_null_argument(parameter);
    const pg_uuid_t *id = PG_GETARG_UUID_P(i);
    const core::IdVerdict verdict = core::check_id(id->data);
    if (verdict != core::IdVerdict::accepted) raise_invalid_id(parameter, id->data, verdict);
    return PG_GETARG_DATUM(i);
}

void raise_failed_check(Oid function_oid, Datum list, Datum row, Datum col, int element) {
    Datum values[] = {list, row, col};
    // A fresh snapshot (read_only false), to see what the write could not.
    const int rc = SPI_execute_plan(statement_plan(function_oid, Statement::cell_diagnose),
                                    values, nullptr, false, 1);
    if (rc != SPI_OK_SELECT || SPI_processed != 1)
        elog(ERROR, "cell diagnosis returned %s", SPI_result_code_string(rc));
    HeapTuple tuple = SPI_tuptable->vals[0];
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

}  // namespace cellupsert::pg
