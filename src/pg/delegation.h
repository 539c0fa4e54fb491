// Citus: a call that runs on the node where the client sent it, because Citus did not
// delegate it, hands itself over to the worker that holds its list (kHandOver,
// write_strategy.h).
//
// Citus delegates "SELECT cell_upsert(...)" (and, with force_delegation, inside a transaction
// block too), but not a call inside a larger query: PostgREST's calls sit in a CTE over
// json_to_record. Such a call would run its statements from the coordinator, one network
// round trip each. Instead it runs the plain call "SELECT r FROM cell_upsert($1, ...) AS r"
// through SPI (cell_upsert_call, batch_call: statement_list.h), which Citus delegates: one
// round trip, and the statements run on the worker.
#pragma once

#include "statement_context.h"

namespace cellupsert::pg {

// Whether this call should hand itself over: the list tables are distributed, the call did
// not come from another Citus node (a delegated call does, as a "citus_internal" backend),
// and it is not itself a hand-over that Citus ran here rather than delegate.
bool should_hand_over(const StatementContext &context);

// Whether this backend serves another Citus node (its connection's application_name).
bool from_another_citus_node();
// Whether this backend runs a call that another Citus node delegated to it: from another
// node, the statement it runs reading no table (SELECT fn(…), SELECT r FROM fn(…) r). A
// call per row of a query on a shard reads that shard: Citus sent the query as a read,
// which each node commits on its own.
bool serves_a_delegated_call();

}  // namespace cellupsert::pg
