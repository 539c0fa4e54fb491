// cell_upsert_many(list uuid, cells jsonb) RETURNS integer
//
// cell_upsert for a batch, all or nothing: every element is read and checked, repeated
// (col, row) pairs are reduced to their last element, the batch's list, columns and rows are
// locked against a concurrent DELETE (batch_locks.h), then one prepared statement checks
// and writes them all. When it writes fewer cells than it was given, a second query finds
// the first refused element (in input order) and the error names it; the error undoes the
// partial write. Returns the number of cells written: fewer than the distinct pairs given
// only when a trigger of the application skipped some.
#include "batch_input.h"
#include "batch_locks.h"
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
    Datum positions;  // int4[]: the first element of each cell in the batch, for errors
};

BatchArrays to_arrays(const BatchInput &input, const uint32 *kept, const uint32 *first, int count) {
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
        positions[k] = Int32GetDatum(static_cast<int32>(first[k]));
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

// The first element (by the position of its first occurrence) refused as seen by snapshot
// (InvalidSnapshot: a new one), or false.
struct Refused {
    int position;
    Datum row, col;
};
bool find_first_refused(Oid function_oid, Datum list, const BatchArrays &arrays, Snapshot snapshot,
                        Refused *refused) {
    Datum args[] = {list, arrays.rows, arrays.cols, arrays.positions};
    const int rc = execute_statement(function_oid, Statement::batch_find_failure, args, nullptr,
                                     snapshot, 1);
    if (rc != SPI_OK_SELECT) elog(ERROR, "batch diagnosis returned %s", SPI_result_code_string(rc));
    if (SPI_processed == 0) return false;
    HeapTuple tuple = SPI_tuptable->vals[0];
    TupleDesc desc = SPI_tuptable->tupdesc;
    bool is_null;
    refused->position = DatumGetInt32(SPI_getbinval(tuple, desc, 1, &is_null));
    // Copies: the next query may release this tuple.
    pg_uuid_t *row = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
    pg_uuid_t *col = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
    *row = *DatumGetUUIDP(SPI_getbinval(tuple, desc, 2, &is_null));
    *col = *DatumGetUUIDP(SPI_getbinval(tuple, desc, 3, &is_null));
    refused->row = UUIDPGetDatum(row);
    refused->col = UUIDPGetDatum(col);
    return true;
}

// After a write, under write_snapshot, of fewer cells than given (cell_checks.h): raises the
// error of the first element refused now, else 40001 if the write's snapshot refused one;
// returns when none is refused in either, a trigger having skipped the others.
void explain_short_write(Oid function_oid, Datum list, const BatchArrays &arrays,
                         Snapshot write_snapshot) {
    Refused refused;
    if (find_first_refused(function_oid, list, arrays, InvalidSnapshot, &refused)) {
        raise_failed_check(function_oid, list, refused.row, refused.col, refused.position);
        raise_concurrent_change(DatumGetUUIDP(list)->data);  // accepted since the last look
    }
    if (find_first_refused(function_oid, list, arrays, write_snapshot, &refused))
        raise_concurrent_change(DatumGetUUIDP(list)->data);
}

}  // namespace

Datum cell_upsert_many_body(PG_FUNCTION_ARGS) {
    const Oid function_oid = fcinfo->flinfo->fn_oid;
    const Datum list = id_argument(fcinfo, 0, "list");
    if (PG_ARGISNULL(1)) raise_null_argument("cells");
    const BatchInput input = read_batch_input(PG_GETARG_JSONB_P(1));
    if (input.count == 0) PG_RETURN_INT32(0);

    uint32 *kept = static_cast<uint32 *>(palloc(sizeof(uint32) * input.count));
    uint32 *first = static_cast<uint32 *>(palloc(sizeof(uint32) * input.count));
    const int count = static_cast<int>(core::keep_last_per_key(input.keys, input.count, kept, first));
    const BatchArrays arrays = to_arrays(input, kept, first, count);

    SPI_connect();
    // The write's own errors first (missing tables or columns, a schema the caller cannot use).
    statement_plan(function_oid, Statement::batch_upsert);
    // The write's snapshot is kept for the diagnosis of a write that processed too little.
    // The locks are taken on what it sees: a row that a DELETE removed while the batch
    // waited for its lock is then refused by the write's foreign key check.
    Snapshot snapshot = RegisterSnapshot(GetTransactionSnapshot());
    lock_batch_keys(function_oid, list, input, kept, count, snapshot);
    Datum args[] = {list, arrays.rows, arrays.cols, arrays.values, (Datum)0};
    char nulls[] = {' ', ' ', ' ', ' ', ' '};
    // Again: the plan of the first call may have been dropped since, by a change of the tables.
    SPIPlanPtr upsert = statement_plan(function_oid, Statement::batch_upsert);
    bind_editor(args[4], nulls[4]);
    const int rc = execute_plan(function_oid, upsert, args, nulls, snapshot, 0);
    if (rc != SPI_OK_INSERT) elog(ERROR, "batch upsert returned %s", SPI_result_code_string(rc));
    const int written = static_cast<int>(SPI_processed);
    if (written < count) explain_short_write(function_oid, list, arrays, snapshot);
    UnregisterSnapshot(snapshot);
    SPI_finish();
    PG_RETURN_INT32(written);
}

}  // namespace cellupsert::pg
