// The C++/PostgreSQL boundary: every SQL-callable body runs through guarded().
//
// A body may ereport (PostgreSQL longjmps out through guarded's frame, which holds no
// object with a destructor), and it may throw (the exception is caught here and becomes
// an ereport only after the catch block has ended, so no C++ frame is skipped).
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

Datum guarded(const char *function_name, PGFunction body, FunctionCallInfo fcinfo);

}  // namespace cellupsert::pg
