// The checks both SQL functions share: id arguments, and the diagnosis of a write that
// processed fewer cells than it was given.
//
// Such a write either had a cell refused, or had one skipped by a trigger of the
// application (a BEFORE trigger that returns NULL). The functions tell them apart with two
// diagnoses: a check that fails as the caller sees the tables now is the call's error; one
// that failed only in the write's own snapshot was a race with a concurrent transaction
// that created the list, column or row while the write ran (40001); none at all means a
// trigger skipped the write, which is no error.
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

// Argument i as an accepted id (not NULL, in the UUID pattern), or an error naming parameter.
Datum id_argument(FunctionCallInfo fcinfo, int i, const char *parameter);

// Raises the error of the first check that fails for (list, row, col), as the caller sees
// the tables now, in the order list, column, column subject, row. Errors about the column
// and row name the batch element (or kNoElement). Returns when every check passes.
void raise_failed_check(Oid function_oid, Datum list, Datum row, Datum col, int element);

// Whether a check fails for (list, row, col) as seen by snapshot.
bool cell_refused_in(Oid function_oid, Datum list, Datum row, Datum col, Snapshot snapshot);

}  // namespace cellupsert::pg
