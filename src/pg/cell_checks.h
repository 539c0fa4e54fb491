// The checks both SQL functions share: id arguments, and the diagnosis of a refused write.
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

// Argument i as an accepted id (not NULL, in the UUID pattern), or an error naming parameter.
Datum id_argument(FunctionCallInfo fcinfo, int i, const char *parameter);

// After a write that processed less than it should have: raises the error of the first
// check that fails for (list, row, col), as the caller sees the tables now, in the order
// list, column, column subject, row. Errors about the column and row name the batch element
// (or kNoElement). Returns when every check passes: a concurrent transaction created what
// was missing after the write's snapshot.
void raise_failed_check(Oid function_oid, Datum list, Datum row, Datum col, int element);

}  // namespace cellupsert::pg
