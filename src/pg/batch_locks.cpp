#include "batch_locks.h"

#include "relations.h"

extern "C" {
#include "access/xact.h"
#include "utils/acl.h"
#include "utils/datum.h"
#include "utils/rls.h"
}

namespace cellupsert::pg {
namespace {

// Whether the caller sees every row of the lists, columns and rows: each is a table (no view
// between, which may show fewer rows) to which no row-level security policy applies for the
// caller (none enabled, its owner, BYPASSRLS).
bool caller_sees_every_row(const ListTables &tables) {
    for (ListTable table : {kLists, kListColumns, kListCompanies})
        if (tables.relids[table] != tables.base_relids[table] ||
            check_enable_rls(tables.relids[table], InvalidOid, true) == RLS_ENABLED)
            return false;
    return true;
}

}  // namespace

// The columns batch_visible_keys reads: the id, and the list_id but for the lists.
constexpr const char *kKeysRead[] = {core::kIdColumn, core::kListIdColumn};
constexpr const char *kListsRead[] = {core::kIdColumn};

bool lock_batch_keys(StatementContext &context, Datum list, const BatchCells &cells, Snapshot snapshot) {
    // A read-only transaction cannot lock rows; its write fails anyway (25006), with its own message.
    if (XactReadOnly) return true;
    const ListTables &tables = context.tables();
    for (ListTable table : {kLists, kListColumns, kListCompanies})
        if (!caller_may_select(tables.relids[table], table == kLists ? kListsRead : kKeysRead, table == kLists ? 1 : 2))
            return true;
    // Every row visible: the batch's ids locked as they are (an id that does not exist locks
    // nothing, as one the caller cannot see would not be locked), without reading them first.
    if (caller_sees_every_row(tables))
        return lock_batch_ids(context, list, batch_distinct_ids(cells, true), batch_distinct_ids(cells, false));
    const PreparedStatement visible_keys = context.prepare(Statement::batch_visible_keys);

    Datum args[] = {list, batch_distinct_ids(cells, true), batch_distinct_ids(cells, false)};
    context.execute(visible_keys, args, nullptr, snapshot, 1);
    HeapTuple tuple = SPI_tuptable->vals[0];
    TupleDesc desc = SPI_tuptable->tupdesc;
    bool is_null;
    if (!DatumGetBool(SPI_getbinval(tuple, desc, 1, &is_null))) return true;
    // Copies: the next query may release this tuple.
    const Datum columns = datumCopy(SPI_getbinval(tuple, desc, 2, &is_null), false, -1);
    const Datum rows = datumCopy(SPI_getbinval(tuple, desc, 3, &is_null), false, -1);
    SPI_freetuptable(SPI_tuptable);

    return lock_batch_ids(context, list, columns, rows);
}

bool lock_batch_ids(StatementContext &context, Datum list, Datum columns, Datum rows) {
    if (XactReadOnly) return true;
    // The order every batch locks in: list, columns by id, rows by id.
    return context.lock_keys_as_owner(list, columns, rows);
}

}  // namespace cellupsert::pg
