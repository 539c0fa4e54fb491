// cell_upsert's checks read by key, in C: the list, its company column and its row, each by
// its table's primary key index, as the caller's statement would read them, without the
// statement's join (whose executor start-up costs a third of the bare upsert). Only where
// nothing but the tables' contents decides what the caller sees (key_probes_apply); then
// the write is cell_write, which checks nothing itself (the foreign keys still hold).
#pragma once

#include "discovery.h"

namespace cellupsert::pg {

// Whether the checks may be read by key for the caller: the tables allow it
// (ListTables::checks_readable_by_key: heap tables, a text subject compared by bytes), none
// is a Citus table or under row-level security for the caller, who may read the columns the
// checks read (else the statement raises 42501), and the transaction is not serializable
// (the statement's scans take the predicate locks).
bool key_probes_apply(const ListTables &tables);

// Whether the list exists, col is one of its company columns and row one of its rows, as
// snapshot sees them. The list's row is not read when list_columns references lists
// (ListTables::columns_reference_lists): the column found is enough.
bool cell_keys_found(const ListTables &tables, Datum list, Datum row, Datum col, Snapshot snapshot);

// A batch's checks and locks (batch_locks.h) read by key: the list's row, then its company
// columns and its rows with these ids (uuid[], sorted), in that order, each found as snapshot
// sees it and its latest version locked FOR KEY SHARE, as the lock statements do. Whether
// every one was found and locked: when not, nothing is wrong yet, and the statements with
// the checks run (and diagnose). May wait for the locks; 40001 under a transaction
// snapshot when a row changed since it.
bool batch_keys_locked(const ListTables &tables, Datum list, Datum columns, Datum rows, Snapshot snapshot);

}  // namespace cellupsert::pg
