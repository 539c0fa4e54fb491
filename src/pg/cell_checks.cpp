#include "cell_checks.h"

#include "errors.h"
#include "statements.h"

namespace cellupsert::pg {
namespace {

const IdBytes &id_bytes(Datum id) { return DatumGetUUIDP(id)->data; }

// What the checks found for (list, row, col): the list, the column's subject (nullptr when
// the column is not one of the list's), the row.
struct Findings {
    bool list_found;
    const char *subject;
    bool row_found;
};

bool refused(const Findings &f) {
    return !f.list_found || f.subject == nullptr || strcmp(f.subject, "company") != 0 || !f.row_found;
}

// Raises the error of the first failed check, in the order list, column, subject, row.
void raise_first_failure(const Findings &f, Datum list, Datum row, Datum col, int element) {
    if (!f.list_found) raise_list_not_found(id_bytes(list));
    if (f.subject == nullptr) raise_column_not_found(id_bytes(list), id_bytes(col), element);
    if (strcmp(f.subject, "company") != 0) raise_not_company_column(id_bytes(col), f.subject, element);
    if (!f.row_found) raise_row_not_found(id_bytes(list), id_bytes(row), element);
}

// Runs a check of the Citus set; returns whether it found its row, left in SPI_tuptable.
bool found_by(Oid function_oid, Statement statement, Datum list, Datum id) {
    Datum values[] = {list, id};
    const int rc = execute_citus_read(function_oid, statement, values, 1);
    if (rc != SPI_OK_SELECT) elog(ERROR, "cell check returned %s", SPI_result_code_string(rc));
    return SPI_processed == 1;
}

// The findings as seen by snapshot (InvalidSnapshot: a new one, to see what the write could
// not): on a single node one diagnosis statement; on distributed tables one single-table
// statement per check, each run only while the earlier ones passed.
Findings find(Oid function_oid, Datum list, Datum row, Datum col, Snapshot snapshot) {
    Findings f{false, nullptr, false};
    bool is_null;
    if (statements_distributed(function_oid)) {
        f.list_found = found_by(function_oid, Statement::list_check, list, (Datum)0);
        if (f.list_found && found_by(function_oid, Statement::column_check, list, col)) {
            const Datum subject = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null);
            if (!is_null) f.subject = TextDatumGetCString(subject);
        }
        f.row_found = f.subject != nullptr && found_by(function_oid, Statement::row_check, list, row);
        return f;
    }
    Datum values[] = {list, row, col};
    const int rc = execute_statement(function_oid, Statement::cell_diagnose, values, nullptr,
                                     snapshot, 1);
    if (rc != SPI_OK_SELECT || SPI_processed != 1)
        elog(ERROR, "cell diagnosis returned %s", SPI_result_code_string(rc));
    HeapTuple tuple = SPI_tuptable->vals[0];
    TupleDesc desc = SPI_tuptable->tupdesc;
    f.list_found = DatumGetBool(SPI_getbinval(tuple, desc, 1, &is_null));
    const Datum subject = SPI_getbinval(tuple, desc, 2, &is_null);
    if (!is_null) f.subject = TextDatumGetCString(subject);  // a NULL subject counts as no column
    f.row_found = DatumGetBool(SPI_getbinval(tuple, desc, 3, &is_null));
    return f;
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
    raise_first_failure(find(function_oid, list, row, col, InvalidSnapshot), list, row, col, element);
}

void raise_list_check(Oid function_oid, Datum list) {
    if (!found_by(function_oid, Statement::list_check, list, (Datum)0)) raise_list_not_found(id_bytes(list));
}

bool cell_refused_in(Oid function_oid, Datum list, Datum row, Datum col, Snapshot snapshot) {
    return refused(find(function_oid, list, row, col, snapshot));
}

}  // namespace cellupsert::pg
