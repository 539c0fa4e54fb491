#include "batch_locks.h"

#include "../core/cell_keys.h"
#include "statements.h"

extern "C" {
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "utils/acl.h"
#include "utils/datum.h"
}

namespace cellupsert::pg {
namespace {

}  // namespace

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

Oid owner_of(ListTable table) {
    const Oid table_oid = list_table_oid(table);
    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(table_oid));
    if (!HeapTupleIsValid(tuple)) elog(ERROR, "cache lookup failed for relation %u", table_oid);
    const Oid owner = reinterpret_cast<Form_pg_class>(GETSTRUCT(tuple))->relowner;
    ReleaseSysCache(tuple);
    return owner;
}

// Runs a lock statement as the owner of its table, as ri_PerformCheck (ri_triggers.c) runs
// a foreign key check: SECURITY_LOCAL_USERID_CHANGE (no SET ROLE meanwhile) and
// SECURITY_NOFORCE_RLS (the owner is not subject to the table's policies, even forced
// ones: the caller's own query chose the ids). The statement runs no code of the
// application: no policy, no trigger, operators of pg_catalog only. If it raises (a lock
// wait cancelled, a serialization failure), the abort of the (sub)transaction restores the
// user id, as after a failed foreign key check. Returns the number of rows locked.
uint64 lock_as_owner(Oid function_oid, Statement statement, ListTable table, Datum *args) {
    SPIPlanPtr plan = statement_plan(function_oid, statement);
    Oid saved_user;
    int saved_context;
    GetUserIdAndSecContext(&saved_user, &saved_context);
    SetUserIdAndSecContext(owner_of(table), saved_context | SECURITY_LOCAL_USERID_CHANGE |
                                                SECURITY_NOFORCE_RLS);
    const int rc = execute_plan(function_oid, plan, args, nullptr, InvalidSnapshot, 0);
    SetUserIdAndSecContext(saved_user, saved_context);
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
    Datum list_args[] = {list};
    bool all_locked = lock_as_owner(function_oid, Statement::lock_list, kLists, list_args) == 1;
    const uint64 column_count = array_length(columns);
    if (column_count > 0) {
        Datum column_args[] = {list, columns};
        all_locked &= lock_as_owner(function_oid, Statement::lock_columns, kListColumns, column_args) == column_count;
    }
    const uint64 row_count = array_length(rows);
    if (row_count > 0) {
        Datum row_args[] = {list, rows};
        all_locked &= lock_as_owner(function_oid, Statement::lock_rows, kListCompanies, row_args) == row_count;
    }
    return all_locked;
}

}  // namespace cellupsert::pg
