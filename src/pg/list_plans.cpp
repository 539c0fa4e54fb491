#include "list_plans.h"

namespace cellupsert::pg {
namespace {

core::RecentIds recent_lists;
SPIPlanPtr plans[kListPlanLists][core::kStatementKinds];  // by slot of recent_lists

void free_plans(int slot) {
    for (SPIPlanPtr &plan : plans[slot]) {
        if (plan) SPI_freeplan(plan);
        plan = nullptr;
    }
}

}  // namespace

SPIPlanPtr find_list_plan(const pg_uuid_t &list, Statement statement) {
    const int slot = recent_lists.find(list.data);
    return slot < 0 ? nullptr : plans[slot][static_cast<int>(statement)];
}

void keep_list_plan(const pg_uuid_t &list, Statement statement, SPIPlanPtr plan) {
    int slot = recent_lists.find(list.data);
    if (slot < 0) {
        slot = recent_lists.take(list.data);
        free_plans(slot);  // of the list that held the slot, if any
    }
    SPIPlanPtr &kept = plans[slot][static_cast<int>(statement)];
    if (kept) SPI_freeplan(kept);
    kept = plan;
}

void forget_list_plans() {
    for (int slot = 0; slot < kListPlanLists; ++slot) free_plans(slot);
    recent_lists.clear();
}

}  // namespace cellupsert::pg
