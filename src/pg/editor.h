// Who makes a manual edit, for the provenance columns.
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

// Binds the editor parameter of the write statements: the JWT's subject as the example policy
// set reads it (PostgREST's request.jwt.claims ->> 'sub', else PostGraphile's jwt.claims.sub;
// docs/postgrest.md), else the current role; NULL when the cell
// table has no provenance columns (record_provenance false). Bound by the statement context
// (statement_context.h) to the editor parameter of a write, once per statement, in C++: a
// subquery in the statement would cost every call a walk of its tree in plan revalidation.
void bind_editor(bool record_provenance, Datum &value, char &null);

// The editor as text: the JWT's subject (as bind_editor), else the current role.
Datum editor_name();

}  // namespace cellupsert::pg
