// The checks both SQL functions share: id arguments, and the diagnosis of a write that
// processed fewer cells than it was given.
//
// Such a write either had a cell refused, or had one skipped by a trigger of the
// application (a BEFORE trigger that returns NULL). The functions tell them apart with two
// diagnoses: a check that fails as the caller sees the tables now is the call's error; one
// that failed only in the write's own snapshot was a race with a concurrent transaction
// that created the list, column or row while the write ran (40001); none at all means a
// trigger skipped the write, which is no error.
//
// On distributed tables (Citus), where every statement reads or writes one table, the checks
// come first, as the caller sees the tables then, and the write checks nothing: a write that
// processes fewer cells than given after the checks passed was skipped by a trigger.
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

// Argument i as an accepted id (not NULL, in the UUID pattern), or an error naming parameter.
Datum id_argument(FunctionCallInfo fcinfo, int i, const char *parameter);

// Raises the error of the first check that fails for (list, row, col), as the caller sees
// the tables now, in the order list, column, column subject, row. Errors about the column
// and row name the batch element (or kNoElement). Returns when every check passes. On
// distributed tables (statements_distributed), the checks that come before the write.
void raise_failed_check(Oid function_oid, Datum list, Datum row, Datum col, int element);

// The first of those checks on distributed tables: raises 23503 when the caller does not see
// the list.
void raise_list_check(Oid function_oid, Datum list);

// Whether a check fails for (list, row, col) as seen by snapshot (single-node set only).
bool cell_refused_in(Oid function_oid, Datum list, Datum row, Datum col, Snapshot snapshot);

}  // namespace cellupsert::pg
