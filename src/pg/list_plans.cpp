#include "list_plans.h"

namespace cellupsert::pg {
namespace {

struct ListPlans {
    pg_uuid_t list;
    uint64 last_used;  // 0: the slot is free
    SPIPlanPtr plans[core::kStatementKinds];
};
ListPlans slots[kListPlanLists];
uint64 use_counter = 0;

void free_slot(ListPlans &slot) {
    for (SPIPlanPtr &plan : slot.plans) {
        if (plan) SPI_freeplan(plan);
        plan = nullptr;
    }
    slot.last_used = 0;
}

ListPlans *slot_of(const pg_uuid_t &list) {
    for (ListPlans &slot : slots)
        if (slot.last_used != 0 && memcmp(slot.list.data, list.data, UUID_LEN) == 0) return &slot;
    return nullptr;
}

}  // namespace

SPIPlanPtr find_list_plan(const pg_uuid_t &list, Statement statement) {
    ListPlans *slot = slot_of(list);
    if (slot == nullptr) return nullptr;
    slot->last_used = ++use_counter;
    return slot->plans[static_cast<int>(statement)];
}

void keep_list_plan(const pg_uuid_t &list, Statement statement, SPIPlanPtr plan) {
    ListPlans *slot = slot_of(list);
    if (slot == nullptr) {
        slot = &slots[0];
        for (ListPlans &candidate : slots)
            if (candidate.last_used < slot->last_used) slot = &candidate;
        free_slot(*slot);
        slot->list = list;
    }
    slot->last_used = ++use_counter;
    SPIPlanPtr &kept = slot->plans[static_cast<int>(statement)];
    if (kept) SPI_freeplan(kept);
    kept = plan;
}

void forget_list_plans() {
    for (ListPlans &slot : slots) free_slot(slot);
}

}  // namespace cellupsert::pg
