// cellupsert_check()'s rows about the extension's triggers on the table under the cells:
// the manual-edit guard (manual_guard.h) and the history (history.h). Neither stops the
// functions (ok is true unless the history cannot be written), but each says what is
// missing and how to attach it.
#pragma once

#include "check_report.h"

namespace cellupsert::pg {

// cells_table: the base table under the cells; schema_oid: the extension's schema.
void report_manual_guard(const Report &report, Oid cells_table, Oid schema_oid);
void report_history(const Report &report, Oid cells_table, Oid schema_oid);

}  // namespace cellupsert::pg
