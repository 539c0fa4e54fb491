#include "list_placement.h"

#include "delegation.h"
#include "errors.h"
#include "owner_mode.h"
#include "relations.h"

extern "C" {
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "storage/lockdefs.h"
#include "storage/proc.h"
#include "utils/lsyscache.h"
}

namespace cellupsert::pg {
namespace {

#if PG_VERSION_NUM >= 170000
LocalTransactionId current_lxid() { return MyProc->vxid.lxid; }
#else
LocalTransactionId current_lxid() { return MyProc->lxid; }
#endif

// The list whose shards this backend holds, and the (sub)transaction that took the lock: a
// call in the same one needs no other (a rolled back subtransaction releases its locks).
LocalTransactionId held_in = InvalidLocalTransactionId;
SubTransactionId held_in_subtransaction = InvalidSubTransactionId;
pg_uuid_t held_list;
int64 held_shard;
bool held_alone;

// Citus's pg_catalog.lock_shard_metadata(lock_mode int4, shard_ids int8[]), called directly
// (no statement text), as the owner of lists in owner mode (owner_mode.h): Citus lets a
// table's owner only take it. The lock its executor takes before a write, and a move to
// block writes; released at the transaction's end.
void lock_shard_metadata(StatementContext &context, int64 shard) {
    Oid argument_types[] = {INT4OID, INT8ARRAYOID};
    const Oid function =
        LookupFuncName(list_make2(makeString(pstrdup("pg_catalog")), makeString(pstrdup("lock_shard_metadata"))), 2,
                       argument_types, false);
    Datum shard_datum = Int64GetDatum(shard);
    ArrayType *shards = construct_array(&shard_datum, 1, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
    const OwnerMode mode = enter_owner_mode(relation_owner(context.tables().base_relids[kLists]));
    OidFunctionCall2(function, Int32GetDatum(ShareLock), PointerGetDatum(shards));
    leave_owner_mode(mode);
}

}  // namespace

ListPlacement list_placement_of(StatementContext &context, Datum list, Snapshot snapshot) {
    context.run(Statement::list_placement, &list, nullptr, snapshot, 1);
    bool shard_null, here_null, alone_null;
    const Datum shard = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &shard_null);
    const Datum here = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &here_null);
    const Datum alone = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &alone_null);
    if (shard_null || here_null || alone_null) raise_internal("list_placement", "no shard for the list");
    return {DatumGetInt64(shard), DatumGetBool(here), DatumGetBool(alone)};
}

bool holds_list_placement(Datum list) {
    return held_in == current_lxid() && held_in_subtransaction == GetCurrentSubTransactionId() &&
           memcmp(held_list.data, DatumGetUUIDP(list)->data, UUID_LEN) == 0;
}

bool holds_only_placement(Datum list) { return holds_list_placement(list) && held_alone; }

void hold_list_placement(StatementContext &context, Datum list) {
    if (!serves_a_delegated_call()) return;
    const pg_uuid_t *id = DatumGetUUIDP(list);
    if (holds_list_placement(list)) {
        context.remember_placement(list, held_shard, true);
        return;
    }
    const ListPlacement sent = list_placement_of(context, list, GetLatestSnapshot());
    if (!sent.here) raise_list_not_here(id->data);
    const int64 shard = sent.shard;
    lock_shard_metadata(context, shard);
    // Read again after the wait, with the latest snapshot whatever the isolation level (as a
    // foreign key check reads): where a move that held the lock left the shards. A split or
    // an isolation of the tenant gives the list another shard: moved too.
    const ListPlacement now = list_placement_of(context, list, GetLatestSnapshot());
    if (now.shard != shard || !now.here) raise_list_moved(id->data);
    context.remember_placement(list, now.shard, true);
    held_in = current_lxid();
    held_in_subtransaction = GetCurrentSubTransactionId();
    held_list = *id;
    held_shard = now.shard;
    held_alone = now.alone;
}

}  // namespace cellupsert::pg
