// The locks a batch takes before it writes, so that it cannot deadlock with a DELETE of its
// list, of one of its columns or of one of its rows.
//
// The write locks every existing cell it overwrites as it goes, and takes the key-share
// locks of its foreign keys (on the column and row of each new cell) only in the checks at
// the end of its statement. A DELETE locks the row (column, list) it deletes first, then
// its cascade waits for the cells the batch holds, while the batch's check waits for the
// DELETE: 40P01. The same happens with existing cells only, when the cascade deletes a
// row's cells in another order than the batch writes them.
//
// So before it writes, the batch takes the key-share locks itself: on its list, then its
// distinct columns by id, then its distinct rows by id, and holds them until it commits.
// A DELETE of one of them either finds it locked and waits for the batch, or holds it
// first and the batch waits for the DELETE at that lock, holding no cell: no cycle.
#pragma once

#include "batch_cells.h"
#include "statement_context.h"

namespace cellupsert::pg {

// Locks the list, columns and rows of the cells that the caller sees in snapshot (the
// write's: what is locked is what the write will read). Only what the caller sees is
// locked: as the caller, one query finds which of them it sees (nothing when it cannot see
// the list, or lacks the SELECT privilege that query needs: then the write fails anyway and
// there is nothing to protect); then, in the table under each relation (under its views),
// as that table's owner in owner mode (StatementContext::lock_as_owner), as PostgreSQL's own
// foreign key checks do, a SELECT ... FOR KEY SHARE locks them in id order (a caller needs
// UPDATE for FOR KEY SHARE; it has SELECT only). Raises 55000 when a table cannot be locked
// so (batch_lock_problem, discovery.h). These are the locks the write's foreign key checks
// would take, on rows the caller may reference.
//
// Call it before the write. It may wait for a concurrent DELETE; what such a DELETE removed
// is skipped, and it returns false: the write must then look with a new snapshot, where its
// own checks refuse the batch (with snapshot, they would pass, and the foreign keys refuse
// it with their own message). True otherwise.
bool lock_batch_keys(StatementContext &context, Datum list, const BatchCells &cells, Snapshot snapshot);

// The locks of lock_batch_keys, on ids the caller was found to see (uuid[] in uuid order):
// the list, then these columns, then these rows, each as its table's owner. Nothing in a
// read-only transaction. On distributed tables (Citus) each lock statement reads one table,
// filtered by the list. Returns false when one of them was gone (a DELETE that committed
// while the lock waited, or since the caller looked); true otherwise.
bool lock_batch_ids(StatementContext &context, Datum list, Datum columns, Datum rows);

}  // namespace cellupsert::pg
