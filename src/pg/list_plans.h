// The kept plans of the Citus reads (statement_sql.h), per list: for the lists used last in
// this backend, each read's plan with the list's id as a constant.
//
// Why per list: with the list as a constant, Citus prunes to the list's shard when it plans,
// and when that shard is local it plans the query on the shard itself, into the plan; a kept
// plan then runs with no planning at all. With the list as a parameter, Citus 13.2.2 prunes
// at each execution and deparses, parses and plans the shard query again, and keeps each of
// those plans until the backend ends (citusdata/citus#8783). A shard move invalidates the
// plans of its table (Citus invalidates the table's relcache), so they are planned again.
#pragma once

#include "../core/recent_ids.h"
#include "statements.h"

namespace cellupsert::pg {

// How many lists' plans a backend keeps (the least recently used list makes room): about
// 30 kB per plan, 3 plans per list that cell_upsert used (5 for cell_upsert_many), so about
// 1.5 MB at most for single calls.
constexpr int kListPlanLists = core::RecentIds::kSlots;

// The kept plan of statement for list, or nullptr; marks the list as used last.
SPIPlanPtr find_list_plan(const pg_uuid_t &list, Statement statement);

// Keeps plan (from SPI_keepplan) as statement's for list. To make room for a new list, frees
// the plans of the list used least recently.
void keep_list_plan(const pg_uuid_t &list, Statement statement, SPIPlanPtr plan);

// Frees every kept plan of every list (the tables' names or shape changed).
void forget_list_plans();

}  // namespace cellupsert::pg
