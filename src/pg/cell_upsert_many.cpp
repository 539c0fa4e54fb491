// cell_upsert_many(list uuid, cells jsonb) RETURNS integer
//
// cell_upsert for a batch, all or nothing: every element is read and checked, repeated
// (col, row) pairs are reduced to their last element, then one prepared statement checks
// and writes them all. When it writes fewer cells than it was given, a second query finds
// the first refused element and the error names it; the error undoes the partial write.
#include "batch_input.h"
#include "cell_checks.h"
#include "editor.h"
#include "errors.h"
#include "functions.h"
#include "statements.h"

namespace cellupsert::pg {
namespace {

// The cells to write, as the statements' array parameters, in primary-key order.
struct BatchArrays {
    int count;
    Datum rows;       // uuid[]
    Datum cols;       // uuid[]
    Datum values;     // text[]
    Datum positions;  // int4[]: each cell's element in the batch, for errors
};

BatchArrays to_arrays(const BatchInput &input, const uint32 *kept, int count) {
    Datum *rows = static_cast<Datum *>(palloc(sizeof(Datum) * count));
    Datum *cols = static_cast<Datum *>(palloc(sizeof(Datum) * count));
    Datum *values = static_cast<Datum *>(palloc(sizeof(Datum) * count));
    bool *value_nulls = static_cast<bool *>(palloc(sizeof(bool) * count));
    Datum *positions = static_cast<Datum *>(palloc(sizeof(Datum) * count));
    for (int k = 0; k < count; ++k) {
        const uint32 i = kept[k];
        rows[k] = PointerGetDatum(input.keys[i].row);
        cols[k] = PointerGetDatum(input.keys[i].column);
        values[k] = input.values[i];
        value_nulls[k] = input.value_nulls[i];
        positions[k] = Int32GetDatum(static_cast<int32>(i));
    }
    int dims[1] = {count};
    int lower_bounds[1] = {1};
    BatchArrays arrays;
    arrays.count = count;
    arrays.rows = PointerGetDatum(construct_array(rows, count, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
    arrays.cols = PointerGetDatum(construct_array(cols, count, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
    arrays.values = PointerGetDatum(construct_md_array(values, value_nulls, 1, dims, lower_bounds,
                                                       TEXTOID, -1, false, TYPALIGN_INT));
    arrays.positions = PointerGetDatum(construct_array(positions, count, INT4OID, sizeof(int32),
                                                       true, TYPALIGN_INT));
    pfree(rows);
    pfree(cols);
    pfree(values);
    pfree(value_nulls);
    pfree(positions);
    return arrays;
}

// After a write of fewer cells than given: raises the error of the first refused element.
// Returns when none is refused any more (a concurrent transaction created what was missing).
void raise_first_refused(Oid function_oid, Datum list, const BatchArrays &arrays) {
    Datum args[] = {list, arrays.rows, arrays.cols, arrays.positions};
    const int rc = SPI_execute_plan(statement_plan(function_oid, Statement::batch_find_failure),
                                    args, nullptr, false, 1);
    if (rc != SPI_OK_SELECT) elog(ERROR, "batch diagnosis returned %s", SPI_result_code_string(rc));
    if (SPI_processed == 0) return;
    HeapTuple tuple = SPI_tuptable->vals[0];
    TupleDesc desc = SPI_tuptable->tupdesc;
    bool is_null;
    const int position = DatumGetInt32(SPI_getbinval(tuple, desc, 1, &is_null));
    // Copies: the next query may release this tuple.
    pg_uuid_t *row = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
    pg_uuid_t *col = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
    *row = *DatumGetUUIDP(SPI_getbinval(tuple, desc, 2, &is_null));
    *col = *DatumGetUUIDP(SPI_getbinval(tuple, desc, 3, &is_null));
    raise_failed_check(function_oid, list, UUIDPGetDatum(row), UUIDPGetDatum(col), position);
}

}  // namespace

Datum cell_upsert_many_body(PG_FUNCTION_ARGS) {
    const Oid function_oid = fcinfo->flinfo->fn_oid;
    const Datum list = id_argument(fcinfo, 0, "list");
    if (PG_ARGISNULL(1)) raise_null_argument("cells");
    const BatchInput input = read_batch_input(PG_GETARG_JSONB_P(1));
    if (input.count == 0) PG_RETURN_INT32(0);

    uint32 *kept = static_cast<uint32 *>(palloc(sizeof(uint32) * input.count));
    const int count = static_cast<int>(core::keep_last_per_key(input.keys, input.count, kept));
    const BatchArrays arrays = to_arrays(input, kept, count);

    SPI_connect();
    Datum args[] = {list, arrays.rows, arrays.cols, arrays.values, (Datum)0};
    char nulls[] = {' ', ' ', ' ', ' ', ' '};
    // A second attempt only when the first lost a race with the creation of what it checks.
    for (int attempt = 1;; ++attempt) {
        SPIPlanPtr upsert = statement_plan(function_oid, Statement::batch_upsert);
        bind_editor(args[4], nulls[4]);
        const int rc = SPI_execute_plan(upsert, args, nulls, false, 0);
        if (rc != SPI_OK_INSERT) elog(ERROR, "batch upsert returned %s", SPI_result_code_string(rc));
        if (SPI_processed == static_cast<uint64>(count)) break;
        raise_first_refused(function_oid, list, arrays);
        if (attempt == 2) raise_concurrent_change(DatumGetUUIDP(list)->data);
    }
    SPI_finish();
    PG_RETURN_INT32(count);
}

}  // namespace cellupsert::pg
