#include "shard_plans.h"

extern "C" {
#include "utils/memutils.h"
}

namespace cellupsert::pg {

void ShardPlans::free_group(Group &group) {
    for (SPIPlanPtr &plan : group.plans) {
        if (plan) SPI_freeplan(plan);
        plan = nullptr;
    }
    for (char *&name : group.names) {
        if (name) pfree(name);
        name = nullptr;
    }
    if (group.history_insert) SPI_freeplan(group.history_insert);
    group.history_insert = nullptr;
    if (group.history) pfree(group.history);
    group.history = nullptr;
    group.history_sequence = InvalidOid;
    group.cells_shard = InvalidOid;
    group.last_used = 0;
}

ShardPlans::Group *ShardPlans::find(int64 shard) {
    for (Group &group : groups_)
        if (group.last_used != 0 && group.shard == shard) {
            group.last_used = ++clock_;
            return &group;
        }
    return nullptr;
}

ShardPlans::Group *ShardPlans::take(int64 shard, const char *const names[4], const char *history,
                                    Oid history_sequence) {
    Group *taken = &groups_[0];
    for (Group &group : groups_)
        if (group.last_used < taken->last_used) taken = &group;  // a free one (0) first
    free_group(*taken);
    for (int t = 0; t < 4; ++t) taken->names[t] = MemoryContextStrdup(TopMemoryContext, names[t]);
    if (history != nullptr && OidIsValid(history_sequence)) {
        taken->history = MemoryContextStrdup(TopMemoryContext, history);
        taken->history_sequence = history_sequence;
    }
    taken->shard = shard;
    taken->last_used = ++clock_;
    return taken;
}

void ShardPlans::forget() {
    for (Group &group : groups_) free_group(group);
}

}  // namespace cellupsert::pg
