// The manual-edit guard: cell_manual_guard(), a trigger function the application attaches to
// its cell table (BEFORE UPDATE, FOR EACH ROW), so that a cell a person edited last (source
// = 'manual') keeps its value, status, reasoning and error against every other writer: an
// enrichment job's upsert, an ORM's, a plain UPDATE. Their update of such a cell is skipped
// (the row stays as it was; no error). Only the extension's own manual edits, the statements
// the catalogue marks so (core/statement_list.h), get through: the statement context runs
// them inside a write scope of a manual edit (write_scope.h), which no SQL can set.
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

Datum cell_manual_guard_body(PG_FUNCTION_ARGS);

}  // namespace cellupsert::pg
