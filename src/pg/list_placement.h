// Citus: a call that Citus delegated to this node inside a transaction block holds its list's
// shards here until the transaction ends, or fails with 40001 when they moved away.
//
// Why: inside a transaction block, Citus lets a delegated call run statements on local shards
// only (one that needs another node fails with XX000 "cannot execute a distributed query from
// a query on a shard", or with 08006 when this node cannot log in there). A shard move blocks
// writes to the list's shards (an ExclusiveLock on their metadata) and, when it ends, places
// them on the other node: a call that waited for it would then fail so, after its checks.
// Taking first the lock Citus's executor takes before a write (a ShareLock on the shard's
// metadata), the call either holds the shards here, and a move waits for its transaction, or
// sees where a move that it waited for left them.
#pragma once

#include "statement_context.h"

namespace cellupsert::pg {

// Where the list's shards are (the list_placement statement, under snapshot); its result
// left in SPI_tuptable. Raises an internal error when Citus gives no shard.
struct ListPlacement {
    int64 shard;  // of lists; its co-located shards move with it
    bool here;    // this node holds it
};
ListPlacement list_placement_of(StatementContext &context, Datum list, Snapshot snapshot);

// Before a call's first statement on the list's tables. Nothing outside a transaction block
// or where this node is not serving another Citus node's call (Citus then runs statements on
// other nodes too). Raises 40001 when the list's shards are not here.
void hold_list_placement(StatementContext &context, Datum list);

}  // namespace cellupsert::pg
