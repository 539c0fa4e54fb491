#include "list_plans.h"

namespace cellupsert::pg {

void ListPlans::free_plans(int slot) {
    for (SPIPlanPtr &plan : plans_[slot]) {
        if (plan) SPI_freeplan(plan);
        plan = nullptr;
    }
}

SPIPlanPtr ListPlans::find(const pg_uuid_t &list, core::StatementKind kind) {
    const int slot = recent_lists_.find(list.data);
    return slot < 0 ? nullptr : plans_[slot][static_cast<int>(kind)];
}

void ListPlans::keep(const pg_uuid_t &list, core::StatementKind kind, SPIPlanPtr plan) {
    int slot = recent_lists_.find(list.data);
    if (slot < 0) {
        slot = recent_lists_.take(list.data);
        free_plans(slot);  // of the list that held the slot, if any
    }
    SPIPlanPtr &kept = plans_[slot][static_cast<int>(kind)];
    if (kept) SPI_freeplan(kept);
    kept = plan;
}

bool ListPlans::used(const pg_uuid_t &list) {
    if (recent_lists_.find(list.data) >= 0) return true;
    free_plans(recent_lists_.take(list.data));  // of the list that held the slot, if any
    return false;
}

void ListPlans::forget() {
    for (int slot = 0; slot < kLists; ++slot) free_plans(slot);
    recent_lists_.clear();
}

}  // namespace cellupsert::pg
