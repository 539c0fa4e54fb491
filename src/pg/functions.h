// Bodies of the SQL functions, called through guarded() by module.cpp.
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

Datum cell_upsert_body(PG_FUNCTION_ARGS);
Datum cell_upsert_many_body(PG_FUNCTION_ARGS);
Datum cellupsert_check_body(PG_FUNCTION_ARGS);
Datum cell_version_of_body(PG_FUNCTION_ARGS);
Datum cell_version_body(PG_FUNCTION_ARGS);
Datum cell_release_body(PG_FUNCTION_ARGS);
Datum cell_release_many_body(PG_FUNCTION_ARGS);
Datum cell_enrich_many_body(PG_FUNCTION_ARGS);
Datum cell_revert_body(PG_FUNCTION_ARGS);
Datum cell_undo_body(PG_FUNCTION_ARGS);
Datum cell_changes_body(PG_FUNCTION_ARGS);

}  // namespace cellupsert::pg
