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
#include "delegation.h"
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

// Ids (uuid), sorted for in_set.
struct IdSet {
    int count;
    pg_uuid_t *ids;
};

int compare_ids(const void *a, const void *b) { return memcmp(a, b, UUID_LEN); }

// The ids among candidates (uuid[]) that statement finds in the list.
IdSet ids_found_by(Oid function_oid, Statement statement, Datum list, Datum candidates) {
    Datum args[] = {list, candidates};
    const int rc = execute_citus_read(function_oid, statement, args, 0);
    if (rc != SPI_OK_SELECT) elog(ERROR, "batch check returned %s", SPI_result_code_string(rc));
    IdSet set;
    set.count = static_cast<int>(SPI_processed);
    set.ids = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * (set.count + 1)));
    for (int i = 0; i < set.count; ++i) {
        bool is_null;
        set.ids[i] = *DatumGetUUIDP(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &is_null));
    }
    SPI_freetuptable(SPI_tuptable);
    qsort(set.ids, set.count, sizeof(pg_uuid_t), compare_ids);
    return set;
}

bool in_set(const IdSet &set, const void *id) {
    return bsearch(id, set.ids, set.count, sizeof(pg_uuid_t), compare_ids) != nullptr;
}

// On distributed tables: the checks of every element before the write, with one statement per
// table (the batch's distinct columns; its distinct rows), after the list's. Raises the error
// of the first refused element in input order, as cell_upsert would for it.
void check_distributed_batch(Oid function_oid, Datum list, const BatchInput &input, const uint32 *kept,
                             const uint32 *first, int count, Datum batch_columns, Datum batch_rows) {
    const IdSet columns = ids_found_by(function_oid, Statement::batch_company_columns, list, batch_columns);
    const IdSet rows = ids_found_by(function_oid, Statement::batch_visible_rows, list, batch_rows);
    int refused = -1;
    for (int k = 0; k < count; ++k) {
        const core::CellKey &key = input.keys[kept[k]];
        if ((refused < 0 || first[k] < first[refused]) && (!in_set(columns, key.column) || !in_set(rows, key.row)))
            refused = k;
    }
    if (refused < 0) return;
    const core::CellKey &key = input.keys[kept[refused]];
    pg_uuid_t *row = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
    pg_uuid_t *col = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
    memcpy(row->data, key.row, UUID_LEN);
    memcpy(col->data, key.column, UUID_LEN);
    // The error of the element's first check that fails now (the list's included).
    raise_failed_check(function_oid, list, UUIDPGetDatum(row), UUIDPGetDatum(col), static_cast<int>(first[refused]));
    raise_concurrent_change(DatumGetUUIDP(list)->data);  // accepted since the batch's checks
}

}  // namespace

Datum cell_upsert_many_body(PG_FUNCTION_ARGS) {
    const Oid function_oid = fcinfo->flinfo->fn_oid;
    const Datum list = id_argument(fcinfo, 0, "list");
    if (PG_ARGISNULL(1)) raise_null_argument("cells");
    const BatchInput input = read_batch_input(PG_GETARG_JSONB_P(1));
    if (input.count == 0) PG_RETURN_INT32(0);
    if (should_hand_over(function_oid)) {
        // Citus did not delegate this call (PostgREST's): it hands itself over (delegation.h).
        // The cells were read first, so that their errors come first, as on a single node;
        // the worker reads them again.
        SPI_connect();
        Datum args[] = {list, PG_GETARG_DATUM(1)};
        const int written = DatumGetInt32(hand_over(function_oid, Statement::batch_call, args, nullptr));
        SPI_finish();
        PG_RETURN_INT32(written);
    }

    uint32 *kept = static_cast<uint32 *>(palloc(sizeof(uint32) * input.count));
    uint32 *first = static_cast<uint32 *>(palloc(sizeof(uint32) * input.count));
    const int count = static_cast<int>(core::keep_last_per_key(input.keys, input.count, kept, first));
    const BatchArrays arrays = to_arrays(input, kept, first, count);

    SPI_connect();
    if (statements_distributed(function_oid)) {
        // Citus: the checks (the list's first, so that an unknown list is its own error),
        // the locks of batch_locks.h on what they accepted, then the write of the cells alone.
        const Datum columns = batch_distinct_ids(input, kept, count, true);
        const Datum rows = batch_distinct_ids(input, kept, count, false);
        raise_list_check(function_oid, list);
        check_distributed_batch(function_oid, list, input, kept, first, count, columns, rows);
        if (!lock_batch_ids(function_oid, list, columns, rows)) {
            // Deleted since the checks: the checks again, the rest being locked now, so that
            // the refusal is this function's error, not the foreign key's.
            raise_list_check(function_oid, list);
            check_distributed_batch(function_oid, list, input, kept, first, count, columns, rows);
        }
        Datum args[] = {list, arrays.rows, arrays.cols, arrays.values, (Datum)0};
        char nulls[] = {' ', ' ', ' ', ' ', ' '};
        SPIPlanPtr write = statement_plan(function_oid, Statement::batch_write);
        bind_editor(args[4], nulls[4]);
        const int rc = execute_plan(function_oid, write, args, nulls, InvalidSnapshot, 1);
        if (rc != SPI_OK_SELECT || SPI_processed != 1)
            elog(ERROR, "batch write returned %s", SPI_result_code_string(rc));
        // Fewer cells than given after the checks passed: a trigger skipped the others.
        bool is_null;
        const int written = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null));
        SPI_finish();
        PG_RETURN_INT32(written);
    }
    // The write's own errors first (missing tables or columns, a schema the caller cannot use).
    statement_plan(function_oid, Statement::batch_upsert);
    // The write's snapshot is kept for the diagnosis of a write that processed too little.
    // The locks are taken on what it sees; a row that a DELETE removed while the batch
    // waited for its lock is not in the snapshot the write then takes: its own checks refuse
    // the element, as for a row deleted before the call.
    Snapshot snapshot = RegisterSnapshot(GetTransactionSnapshot());
    if (!lock_batch_keys(function_oid, list, input, kept, count, snapshot)) {
        // A DELETE committed while the batch waited for a lock: a snapshot that sees it.
        UnregisterSnapshot(snapshot);
        snapshot = RegisterSnapshot(GetTransactionSnapshot());
    }
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
