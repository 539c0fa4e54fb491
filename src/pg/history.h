// Cell history: the application's table list_cell_history, next to the cells, holds one row
// per cell written, with what the write replaced (docs/history.md). The rows are written by
// cell_history_record(), a trigger function the canonical DDL attaches to the cells AFTER
// INSERT and AFTER UPDATE, FOR EACH STATEMENT, with their transition tables: the rows as the
// statement really replaced them, under any concurrency, from any writer. A write of the
// extension's functions records its call's kind and edit id (write_scope.h); any other
// writer's, the kind external. The rows are inserted as the history table's owner, in owner
// mode (owner_mode.h): the callers need no privilege on it but to read it, and cannot forge it.
// Without the history table in the cells' schema the trigger records nothing.
#pragma once

#include "../core/list_tables_contract.h"
#include "pg_headers.h"

namespace cellupsert::pg {

class StatementContext;

inline constexpr const char *kHistoryTable = core::kHistoryTableName;

// The history table of the context's schema; 42P01 when there is none (the functions that
// read it or go back need it; the writes record nothing without it).
void require_history_table(const StatementContext &context);

// cell_history_record(): the trigger (history_record.cpp).
Datum cell_history_record_body(PG_FUNCTION_ARGS);

// cell_history(list, "row", col, "limit"): the history of one cell, newest first, as the
// caller may read it, with cell_upsert's checks.
Datum cell_history_body(PG_FUNCTION_ARGS);

}  // namespace cellupsert::pg
