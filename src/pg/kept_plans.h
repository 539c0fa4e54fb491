// The generic plans the extension keeps (a small batch's statements, the list's lock, the
// plans kept per list) are built for any table size: with sequential scans disabled, so that
// a statement reads lists, columns and rows by their keys even while the tables are small (a
// plan built then would scan every list's columns for one, and be kept as the tables grow).
// Other statements (a large batch's joins, the single-cell statements) are planned as
// PostgreSQL would.
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

// Before executing plan: when it is a kept generic plan that PostgreSQL would build at this
// execution (its first, or the first after an invalidation), builds it now with
// enable_seqscan off. Only the planning sees the setting: the execution, and the triggers
// and functions it runs, see the session's. A plan rebuilt for another reason (another role
// under row-level security, another search_path on PostgreSQL 15 and 16) is built with the
// session's settings.
void build_kept_plan(SPIPlanPtr plan);

}  // namespace cellupsert::pg
