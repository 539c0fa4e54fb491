// The SQL the functions run, and its SPI plans, prepared once per backend and kept.
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

// Parameters of both plans: $1 list, $2 row, $3 col (uuid), and for the upsert $4 val (text).
struct CellPlans {
    // Checks the list, the column (of the list, subject company) and the row (of the list),
    // as the caller sees them, and upserts the cell, in one statement: it processes one row,
    // or none when a check fails.
    SPIPlanPtr upsert;
    // Run only after the upsert processed nothing: one row (list_found bool,
    // column_subject text, row_found bool) telling which check failed.
    SPIPlanPtr diagnose;
};

// The plans for the list tables in the schema of the calling function. The first call in a
// backend (or after the extension was re-created) checks that the tables and columns exist
// and prepares the plans. Call it between SPI_connect and SPI_finish.
const CellPlans &cell_plans(Oid function_oid);

}  // namespace cellupsert::pg
