// The manual-edit guard: cell_manual_guard(), a trigger function the application attaches to
// its cell table (BEFORE UPDATE, FOR EACH ROW), so that a cell a person edited last (source
// = 'manual') keeps its value, status, reasoning and error against every other writer: an
// enrichment job's upsert, an ORM's, a plain UPDATE. Their update of such a cell is skipped
// (the row stays as it was; no error). Only the extension's own manual edits, the statements
// the catalogue marks so (core/statement_list.h), get through: the statement context runs
// them inside manual_edit_begin() / manual_edit_end(), a flag of this backend that no SQL can
// set. Code of the application that runs inside such a statement (its triggers on the cells)
// runs inside it too.
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

// Marks the statements that follow as the extension's manual edits; returns what to restore.
bool manual_edit_begin();
void manual_edit_end(bool previous);

Datum cell_manual_guard_body(PG_FUNCTION_ARGS);

}  // namespace cellupsert::pg
