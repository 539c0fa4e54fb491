#include "batch_locks.h"

#include "../core/cell_keys.h"
#include "statements.h"

extern "C" {
#include "access/xact.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/datum.h"
}

namespace cellupsert::pg {

Datum batch_distinct_ids(const BatchInput &input, const uint32 *kept, int count, bool columns) {
    core::Id *ids = static_cast<core::Id *>(palloc(sizeof(core::Id) * count));
    int n = 0;
    for (int k = 0; k < count; ++k) {
        const core::CellKey &key = input.keys[kept[k]];
        const core::IdBytes &id = columns ? key.column : key.row;
        // The cells come sorted by (column, row): a column's repeats are adjacent.
        if (n > 0 && memcmp(ids[n - 1].bytes, id, core::kIdBytes) == 0) continue;
        memcpy(ids[n++].bytes, id, core::kIdBytes);
    }
    n = static_cast<int>(core::sort_unique_ids(ids, n));
    Datum *elements = static_cast<Datum *>(palloc(sizeof(Datum) * n));
    for (int i = 0; i < n; ++i) elements[i] = PointerGetDatum(ids[i].bytes);
    ArrayType *array = construct_array(elements, n, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR);
    pfree(elements);
    pfree(ids);
    return PointerGetDatum(array);
}

namespace {

// Whether the caller holds SELECT on table, or on each of its columns (nullptr ends the
// list): then a query that reads only them raises no privilege error.
bool caller_may_read(ListTable table, const char *const *columns) {
    const Oid table_oid = list_table_oid(table);
    const Oid user = GetUserId();
    if (pg_class_aclcheck(table_oid, user, ACL_SELECT) == ACLCHECK_OK) return true;
    for (; *columns; ++columns) {
        const AttrNumber attnum = get_attnum(table_oid, *columns);
        if (attnum == InvalidAttrNumber ||
            pg_attribute_aclcheck(table_oid, attnum, user, ACL_SELECT) != ACLCHECK_OK)
            return false;
    }
    return true;
}

// The lock of a batch on the table under the relation of table (lists, list_columns or
// list_companies), run as that table's owner in owner mode (owner_mode.h), as ri_PerformCheck
// (ri_triggers.c) runs a foreign key check: the owner may lock its rows (the caller, with
// SELECT only, may not), and is not subject to its policies. It locks the table, not a view
// of the caller's relation: a view's body, functions and policies would run as the owner.
// The table is locked by its oid first, as the caller, and only then are the names in the
// statement's text checked (a rename of the table now waits for the batch; one committed
// before is seen here): in owner mode, the text is analysed again only against those
// names, under the same locks, with no invalidation taken in between. ids NULL for the
// lists. Returns the number of rows locked.
uint64 lock_as_owner(Oid function_oid, ListTable table, Datum list, Datum ids) {
    const Oid table_oid = lock_table_oid(table);
    if (OidIsValid(table_oid)) LockRelationOid(table_oid, RowShareLock);
    SPIPlanPtr plan = lock_plan(function_oid, table, table_oid);
    Datum args[] = {list, ids};
    const char nulls[] = {' ', ids == (Datum)0 ? 'n' : ' '};
    const int rc = execute_plan_as(function_oid, plan, args, nulls, relation_owner(table_oid));
    if (rc != SPI_OK_SELECT) elog(ERROR, "batch lock returned %s", SPI_result_code_string(rc));
    return SPI_processed;
}

uint64 array_length(Datum array) {
    const ArrayType *a = DatumGetArrayTypeP(array);
    return ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
}

// The columns batch_visible_keys reads.
constexpr const char *kListColumnsRead[] = {"id", nullptr};
constexpr const char *kKeyColumnsRead[] = {"list_id", "id", nullptr};

}  // namespace

bool lock_batch_keys(Oid function_oid, Datum list, const BatchInput &input, const uint32 *kept,
                     int count, Snapshot snapshot) {
    // A read-only transaction cannot lock rows; its write fails anyway (25006), with its own message.
    if (XactReadOnly) return true;
    SPIPlanPtr visible_keys = statement_plan(function_oid, Statement::batch_visible_keys);
    if (!caller_may_read(kLists, kListColumnsRead) ||
        !caller_may_read(kListColumns, kKeyColumnsRead) ||
        !caller_may_read(kListCompanies, kKeyColumnsRead))
        return true;

    Datum args[] = {list, batch_distinct_ids(input, kept, count, true),
                    batch_distinct_ids(input, kept, count, false)};
    const int rc = execute_plan(function_oid, visible_keys, args, nullptr, snapshot, 1);
    if (rc != SPI_OK_SELECT || SPI_processed != 1)
        elog(ERROR, "batch key lookup returned %s", SPI_result_code_string(rc));
    HeapTuple tuple = SPI_tuptable->vals[0];
    TupleDesc desc = SPI_tuptable->tupdesc;
    bool is_null;
    if (!DatumGetBool(SPI_getbinval(tuple, desc, 1, &is_null))) return true;
    // Copies: the next query may release this tuple.
    const Datum columns = datumCopy(SPI_getbinval(tuple, desc, 2, &is_null), false, -1);
    const Datum rows = datumCopy(SPI_getbinval(tuple, desc, 3, &is_null), false, -1);
    SPI_freetuptable(SPI_tuptable);

    return lock_batch_ids(function_oid, list, columns, rows);
}

bool lock_batch_ids(Oid function_oid, Datum list, Datum columns, Datum rows) {
    if (XactReadOnly) return true;
    // The order every batch locks in: list, columns by id, rows by id.
    bool all_locked = lock_as_owner(function_oid, kLists, list, (Datum)0) == 1;
    const uint64 column_count = array_length(columns);
    if (column_count > 0) all_locked &= lock_as_owner(function_oid, kListColumns, list, columns) == column_count;
    const uint64 row_count = array_length(rows);
    if (row_count > 0) all_locked &= lock_as_owner(function_oid, kListCompanies, list, rows) == row_count;
    return all_locked;
}

}  // namespace cellupsert::pg
