// Citus: a call that another Citus node delegated to this node holds its list's shards here
// until its transaction ends, or fails with 40001 when they moved away; holding them, it
// writes the list's cells on their shard itself.
//
// Why: a shard move blocks writes to the list's shards (an ExclusiveLock on their metadata)
// and, when it ends, places them on the other node. A delegated call that waited for it
// would then fail, inside a transaction block (Citus lets a delegated call run statements on
// local shards only: XX000 "cannot execute a distributed query from a query on a shard", or
// 08006 when this node cannot log in there), and, worse, in autocommit, Citus ran its
// statements on the shards the move left, which its cleanup then drops: the write was
// acknowledged and lost (test/scripts/citus_faults.sh, its autocommit client). Taking first
// the lock Citus's executor takes before a write (a ShareLock on the shard's metadata), the
// call either holds the shards here, and a move waits for its transaction, or sees where a
// move that it waited for left them, and fails before it read or wrote anything.
//
// Holding them, the call writes a cell on the cells' shard directly (core::writes_one_cell,
// with the plans of shard_plans.h), as Citus's local execution would, whose deparsing,
// parsing and planning of the write at each call (each one under row-level security, whose
// policies' functions Citus evaluates first) costs more than the rest of the call. Only where
// Citus would run it in this backend (local execution on) on the shard's one placement; the
// node that delegated the call keeps the transaction's bookkeeping, and what it sends next in
// the transaction runs in this backend too. A write taken by a move's logical replication is
// one on the shard, whoever wrote it.
#pragma once

#include "statement_context.h"

namespace cellupsert::pg {

// Where the list's shards are (the list_placement statement, under snapshot); its result
// left in SPI_tuptable. Raises an internal error when Citus gives no shard.
struct ListPlacement {
    int64 shard;  // of lists; its co-located shards move with it
    bool here;    // this node holds it
    bool alone;   // that is its only placement
};
ListPlacement list_placement_of(StatementContext &context, Datum list, Snapshot snapshot);

// Before a call's first statement on the list's tables, where this node serves a call that
// another Citus node delegated (serves_a_delegated_call, delegation.h; elsewhere, nothing):
// says what it found to context (remember_placement). Raises 40001 when the list's shards
// are not here.
void hold_list_placement(StatementContext &context, Datum list);
// Whether this (sub)transaction holds list's shards here (hold_list_placement); and also
// that they have no other placement, so that a write on them is the write of the list.
bool holds_list_placement(Datum list);
bool holds_only_placement(Datum list);

}  // namespace cellupsert::pg
