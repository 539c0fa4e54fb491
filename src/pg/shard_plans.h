// The kept plans of the distributed set's statements on the list's shards themselves, on a
// worker that holds them: the reads (the checks, a cell's version), and the writes of one cell
// of a call that holds the shards here (list_placement.h). Plain statements on those local
// tables, with the list as $1, kept per group of co-located shards (the group of the lists'
// shard), for the groups this backend used last. Owned by the statement context
// (statement_context.h), which reads the list's placement at each call's first read and
// runs them through Citus (list_plans.h) where this node does not hold the list's shards.
//
// Why: Citus plans a read of a distributed table on the shard it prunes to, so that its plan
// can be kept per list only, and a backend that serves many lists plans its reads at nearly
// every call. A group of shards holds many lists, and its plans serve them all; they run
// without Citus's planner and executor. The caller's privileges, policies and triggers are
// the shards' own (Citus gives each shard the table's). A read that runs while a move of its
// shards ends reads the shards it started on; a write that follows it goes where the move put
// them, where the foreign keys hold: through Citus, which locks the shard's metadata against
// a move and writes where the shard is then, or on the shard itself by a call that holds that
// lock already.
#pragma once

#include "../core/statement_catalog.h"
#include "../core/statement_sql.h"
#include "pg_headers.h"

namespace cellupsert::pg {

class ShardPlans {
   public:
    // How many groups of shards a backend keeps plans for (the least recently used group
    // makes room): a worker holds 16 of the default 32 in a cluster of two.
    static constexpr int kGroups = 32;

    struct Group {
        int64 shard = 0;       // of lists
        uint64 last_used = 0;  // 0: free
        char *names[4] = {};   // qualified, in TopMemoryContext: lists, list_columns, list_companies, cells
        SPIPlanPtr plans[core::kStatementKinds] = {};
        // The history's shard (nullptr: the history is not co-located with the lists) and
        // the sequence of its ids (Citus gives the shard no default for them); the plan of
        // the history trigger's one-row insert there (history_record.cpp).
        char *history = nullptr;
        Oid history_sequence = InvalidOid;
        SPIPlanPtr history_insert = nullptr;
        Oid cells_shard = InvalidOid;  // the cells' shard's oid, once a trigger fired on it
        core::ShardNames shard_names() const { return {names[0], names[1], names[2], names[3]}; }
    };

    // The group of shard, marked as used last; nullptr when none is kept.
    Group *find(int64 shard);
    // A group for shard with these names (copied; history may be nullptr), marked as used
    // last: a free one, else the one used least recently, whose plans are freed. shard must
    // not be kept already.
    Group *take(int64 shard, const char *const names[4], const char *history, Oid history_sequence);
    // Frees every kept plan and name (the tables' names or shape changed).
    void forget();

   private:
    void free_group(Group &group);

    Group groups_[kGroups];
    uint64 clock_ = 0;
};

}  // namespace cellupsert::pg
