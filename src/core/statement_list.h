// The statements the functions run, one entry each: the only list of them. Included by
// statement_catalog.h only, which makes of it the kinds and their specs; through those,
// statement_sql.cpp gives each kind its text (a switch that must handle every kind:
// -Werror=switch) and src/pg/statement_context.cpp its parameter types, plans, identity and
// result. No include guard: it is included with a different STATEMENT() each time, as
// PostgreSQL's own lists are (rmgrlist.h, cmdtaglist.h).
//
// STATEMENT(kind, set, identity, list, result, writes, parameters...)
//   set         single_node, distributed (Citus, whose statements read or write one table
//               each), any (both), hand_over (the calls of delegation.h)
//   identity    caller; or table_owner: run as the owner of the base tables its text names
//               (one role), in owner mode (src/pg/owner_mode.h), built by key_share_lock_sql
//               or key_share_locks_sql
//   list        parameter: $1 is the list; literal: the list's id is written into the text
//               in place of $1, and the plan is kept per list (src/pg/list_plans.h)
//   result      processed (an INSERT: the rows written), updated (an UPDATE: the rows
//               written), one_row (a SELECT of exactly one row), rows (a SELECT of any number)
//   writes      nothing; manual_edit: the cells it writes are a person's edit, which the
//               manual-edit guard lets through (src/pg/manual_guard.h); enrichment: it writes
//               cells for a background job, and leaves those a person edited alone
//   parameters  $1, $2, ... in order, as Param (statement_catalog.h); an editor or now
//               parameter is bound by the statement context, not by the caller.
//
// The single-node set checks and writes in one statement (a join of the four tables), which
// Citus would plan on every call and refuses in a function distributed with force_delegation.
// The distributed set has single-table statements only, filtered by list_id = $1 (lists:
// id = $1) at the top of their WHERE clause, which Citus's fast-path planner routes to the
// list's shard; the checks run first, as the caller, then the write, which checks nothing.

// One entry per statement, its parameters on a line of their own where they do not fit.
// clang-format off

// $1 list, $2 row, $3 col, $4 val, $5 editor. Checks the list, the column (of the list,
// subject company) and the row (of the list), as the caller sees them, and upserts the
// cell: it processes one row, or none when a check fails.
STATEMENT(cell_upsert, single_node, caller, parameter, processed, manual_edit,
          Param::id, Param::id, Param::id, Param::text, Param::editor)
// $1 list, $2 row, $3 col: (list_found bool, column_subject text, row_found bool).
STATEMENT(cell_diagnose, single_node, caller, parameter, one_row, nothing, Param::id, Param::id, Param::id)
// $1 list, $2 rows, $3 cols, $4 vals, $5 editor: cell_upsert for every element, written in
// the arrays' order. The (col, row) pairs must be distinct.
STATEMENT(batch_upsert, single_node, caller, parameter, processed, manual_edit,
          Param::id, Param::ids, Param::ids, Param::texts, Param::editor)
// $1 list, $2 rows, $3 cols, $4 vals, $5 editor: the upsert of every element, in the
// arrays' order (the primary key's), reading no table: for a small batch whose checks and
// locks were read by key (src/pg/key_probes.h). The (col, row) pairs must be distinct.
STATEMENT(batch_write_checked, single_node, caller, parameter, processed, manual_edit,
          Param::id, Param::ids, Param::ids, Param::texts, Param::editor)
// $1 list, $2 row, $3 col: (list_found bool, column_subject text, row_found bool, version
// text): cell_diagnose, and the cell's version (core/cell_version.h), NULL when the caller
// sees no cell.
STATEMENT(cell_version_read, single_node, caller, parameter, one_row, nothing, Param::id, Param::id, Param::id)
// $1 list, $2 row, $3 col, $4 val, $5 editor: cell_upsert, but only when the cell does not
// exist (ON CONFLICT DO NOTHING): it processes one row, or none.
STATEMENT(cell_insert_if_absent, single_node, caller, parameter, processed, manual_edit,
          Param::id, Param::id, Param::id, Param::text, Param::editor)
// $1 list, $2 row, $3 col, $4 val, $5 editor, $6 if_match: the update of the cell, with
// cell_upsert's checks, only when its version is $6 (checked on the row as locked): it
// processes one row, or none.
STATEMENT(cell_update_if_match, single_node, caller, parameter, updated, manual_edit,
          Param::id, Param::id, Param::id, Param::text, Param::editor, Param::text)
// $1 list, $2 row, $3 col: the release of the cell's manual mark (source back to its
// default), with cell_upsert's checks, when it has one: it processes one row, or none.
STATEMENT(cell_release, single_node, caller, parameter, updated, manual_edit, Param::id, Param::id, Param::id)
// $1 list, $2 rows, $3 cols: the release of these cells' manual marks (cell_release for every
// element), with no check (cell_release_many checks first): the cells released.
STATEMENT(batch_release, any, caller, parameter, updated, manual_edit, Param::id, Param::ids, Param::ids)
// $1 list, $2 rows, $3 cols, $4 vals, $5 editor: batch_upsert, but of cells that must not
// exist (ON CONFLICT DO NOTHING): it processes those still absent.
STATEMENT(batch_insert_if_absent, single_node, caller, parameter, processed, manual_edit,
          Param::id, Param::ids, Param::ids, Param::texts, Param::editor)
// $1 list, $2 rows, $3 cols, $4 vals, $5 statuses, $6 reasonings, $7 errors (text[]): the
// enrichment of every cell, with cell_upsert's checks, in the arrays' order; a cell a person
// edited (source manual) is left alone. One row (accepted int4, written int4): the elements
// the checks accepted, and the cells written.
STATEMENT(batch_enrich, single_node, caller, parameter, one_row, enrichment,
          Param::id, Param::ids, Param::ids, Param::texts, Param::texts, Param::texts, Param::texts)
// $1 list, $2 rows, $3 cols, $4 indexes (int4[]): (index int4, version text) for each
// element, the version of its cell (NULL where the caller sees none), whose row it locks FOR
// UPDATE, in the arrays' order (the primary key's).
STATEMENT(batch_versions, single_node, caller, parameter, rows, nothing, Param::id, Param::ids, Param::ids, Param::positions)
// $1 list, $2 rows, $3 cols, $4 positions: the refused element of least position, as
// (position int4, row uuid, col uuid); no row if none.
STATEMENT(batch_find_failure, single_node, caller, parameter, rows, nothing,
          Param::id, Param::ids, Param::ids, Param::positions)
// $1 list, $2 cols, $3 rows: (list_visible bool, cols uuid[], rows uuid[]): whether the
// caller sees the list, and which of the given columns and rows it sees in the list. Run as
// the caller, before the locks of src/pg/batch_locks.h.
STATEMENT(batch_visible_keys, single_node, caller, parameter, one_row, nothing, Param::id, Param::ids, Param::ids)

// $1 list: one row (shard int8, here bool, alone bool): the shard of lists that holds the
// list, whether it has a placement on this node, and whether it has only one (Citus's
// catalogs; src/pg/list_placement.h).
STATEMENT(list_placement, distributed, caller, parameter, one_row, nothing, Param::id)
// $1 list: one row (lists text, list_columns text, list_companies text, list_company_cells
// text, history text, history_sequence oid): the names of the list's shards of the tables
// (Citus's shard_name(), qualified even in public); the list's shard of the history table
// and the sequence of its ids, where the history is hash-distributed co-located with the
// lists (else NULL, NULL).
STATEMENT(list_shard_names, distributed, caller, parameter, one_row, nothing, Param::id)
// $1 list: one row when the caller sees the list.
STATEMENT(list_check, distributed, caller, literal, rows, nothing, Param::id)
// $1 list, $2 col: one row (subject text) when the caller sees the column in the list.
STATEMENT(column_check, distributed, caller, literal, rows, nothing, Param::id, Param::id)
// $1 list, $2 row: one row when the caller sees the row in the list.
STATEMENT(row_check, distributed, caller, literal, rows, nothing, Param::id, Param::id)
// $1 list, $2 row, $3 col, $4 val, $5 editor: the upsert of one cell (INSERT ... VALUES ...
// ON CONFLICT), with no check: it processes one row (none if a trigger skipped it). On a
// single node, after cell_upsert's checks read by key (src/pg/key_probes.h).
STATEMENT(cell_write, any, caller, parameter, processed, manual_edit,
          Param::id, Param::id, Param::id, Param::text, Param::editor)
// $1 list, $2 row, $3 col, $4 val, $5 editor, $6 now: the update of the cell as cell_write
// would update it, with no check: one row, or none when the cell does not exist (or a
// trigger skipped it). Tried before cell_write: with the list a literal and now() a
// parameter, Citus keeps its plan on the local shard, where it plans cell_write's INSERT
// (and deparses it) at every execution.
STATEMENT(cell_overwrite, distributed, caller, literal, updated, manual_edit,
          Param::id, Param::id, Param::id, Param::text, Param::editor, Param::now)
// $1 list, $2 row, $3 col: one row (version text) when the caller sees the cell.
STATEMENT(cell_version_get, distributed, caller, literal, rows, nothing, Param::id, Param::id, Param::id)
// $1 list, $2 row, $3 col, $4 val, $5 editor: cell_write, only when the cell does not exist
// (ON CONFLICT DO NOTHING): it processes one row, or none.
STATEMENT(cell_write_if_absent, distributed, caller, parameter, processed, manual_edit,
          Param::id, Param::id, Param::id, Param::text, Param::editor)
// $1 list, $2 row, $3 col, $4 val, $5 editor, $6 if_match: the update of the cell, with no
// check, only when its version is $6 (checked on the row as locked): one row, or none.
STATEMENT(cell_write_if_match, distributed, caller, parameter, updated, manual_edit,
          Param::id, Param::id, Param::id, Param::text, Param::editor, Param::text)
// $1 list, $2 row, $3 col: cell_release, with no check: one row, or none.
STATEMENT(cell_release_write, distributed, caller, parameter, updated, manual_edit, Param::id, Param::id, Param::id)
// $1 list, $2 rows, $3 cols, $4 vals, $5 statuses, $6 reasonings, $7 errors: batch_enrich
// with no check (INSERT ... SELECT from the arrays). One row: the cells written (int4).
STATEMENT(batch_enrich_write, distributed, caller, parameter, one_row, enrichment,
          Param::id, Param::ids, Param::ids, Param::texts, Param::texts, Param::texts, Param::texts)
// $1 list, $2 cols, $3 rows: (column_id, company_row_id, version) of the cells of these
// columns and rows the caller sees in the list, locked FOR UPDATE in key order.
STATEMENT(batch_versions_get, distributed, caller, parameter, rows, nothing, Param::id, Param::ids, Param::ids)
// $1 list, $2 rows, $3 cols, $4 vals, $5 editor: batch_write of cells that must not exist
// (ON CONFLICT DO NOTHING). One row: the number of cells written (int4).
STATEMENT(batch_write_if_absent, distributed, caller, parameter, one_row, manual_edit,
          Param::id, Param::ids, Param::ids, Param::texts, Param::editor)
// $1 list, $2 cols: the ids (uuid) of those the caller sees in the list whose subject is
// company.
STATEMENT(batch_company_columns, distributed, caller, literal, rows, nothing, Param::id, Param::ids)
// $1 list, $2 rows: the ids (uuid) of those the caller sees in the list.
STATEMENT(batch_visible_rows, distributed, caller, literal, rows, nothing, Param::id, Param::ids)
// $1 list, $2 rows, $3 cols, $4 vals, $5 editor: cell_write for every element, in the
// arrays' order (INSERT ... SELECT from the arrays, no table read). One row: the number of
// cells written (int4), without those a trigger skipped.
STATEMENT(batch_write, distributed, caller, parameter, one_row, manual_edit,
          Param::id, Param::ids, Param::ids, Param::texts, Param::editor)

// $1 list, $2 ids: locks FOR KEY SHARE, in id order, the list's row of the lists (id = $1,
// $2 unused), or the list's rows of list_columns or list_companies with these ids, in the
// table under the relation (src/pg/batch_locks.h).
STATEMENT(key_share_lock, any, table_owner, parameter, rows, nothing, Param::id, Param::ids)
// $1 list, $2 columns, $3 rows: key_share_lock on the three tables in one statement, when one
// role owns them; one row, the rows locked in each (int8).
STATEMENT(key_share_locks, single_node, table_owner, parameter, one_row, nothing, Param::id, Param::ids, Param::ids)

// The calls themselves, for a call that Citus did not delegate (PostgREST's, whose call sits
// in a CTE): a plain call in FROM, which Citus delegates to the worker holding the list,
// inside a transaction block too when the function has force_delegation.
// $1 list, $2 row, $3 col, $4 val, $5 if_match: cell_upsert's result (boolean).
STATEMENT(cell_upsert_call, hand_over, caller, parameter, one_row, nothing,
          Param::id, Param::id, Param::id, Param::text, Param::text)
// $1 list, $2 row, $3 col: cell_release's result (boolean).
STATEMENT(cell_release_call, hand_over, caller, parameter, one_row, nothing, Param::id, Param::id, Param::id)
// $1 list, $2 cells: cell_enrich_many's result (jsonb).
STATEMENT(batch_enrich_call, hand_over, caller, parameter, one_row, nothing, Param::id, Param::cells)
// $1 list, $2 cells: cell_release_many's result (integer).
STATEMENT(batch_release_call, hand_over, caller, parameter, one_row, nothing, Param::id, Param::cells)
// $1 list, $2 cells: cell_upsert_many's result (integer).
STATEMENT(batch_call, hand_over, caller, parameter, one_row, nothing, Param::id, Param::cells)
// clang-format on
