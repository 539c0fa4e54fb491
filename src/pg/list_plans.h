// The kept plans of the statements whose list is a literal (the distributed set's reads,
// statement_list.h), per list: for the lists used last in this backend, each read's plan
// with the list's id as a constant. Owned by the statement context (statement_context.h).
//
// Why per list: with the list as a constant, Citus prunes to the list's shard when it plans,
// and when that shard is local it plans the query on the shard itself, into the plan; a kept
// plan then runs with no planning at all. With the list as a parameter, Citus 13.2.2 prunes
// at each execution and deparses, parses and plans the shard query again, and keeps each of
// those plans until the backend ends (citusdata/citus#8783). A shard move invalidates the
// plans of its table (Citus invalidates the table's relcache), so they are planned again.
#pragma once

#include "../core/recent_ids.h"
#include "../core/statement_catalog.h"
#include "pg_headers.h"

namespace cellupsert::pg {

class ListPlans {
   public:
    // How many lists' plans a backend keeps (the least recently used list makes room): about
    // 30 kB per plan, 3 plans per list that cell_upsert used (5 for cell_upsert_many), so
    // about 1.5 MB at most for single calls.
    static constexpr int kLists = core::RecentIds::kSlots;

    // The kept plan of kind for list, or nullptr; marks the list as used last.
    SPIPlanPtr find(const pg_uuid_t &list, core::StatementKind kind);

    // Keeps plan (from SPI_keepplan) as kind's for list. To make room for a new list, frees
    // the plans of the list used least recently.
    void keep(const pg_uuid_t &list, core::StatementKind kind, SPIPlanPtr plan);

    // Whether list is one of the lists used last, before; marks it as used last (making room
    // for it as keep does).
    bool used(const pg_uuid_t &list);

    // Frees every kept plan of every list (the tables' names or shape changed).
    void forget();

   private:
    void free_plans(int slot);

    core::RecentIds recent_lists_;
    SPIPlanPtr plans_[kLists][core::kStatementKinds] = {};  // by slot of recent_lists_
};

}  // namespace cellupsert::pg
