// Every error the extension raises: SQLSTATE, message, detail and hint in one place.
#pragma once

#include "../core/id_rules.h"
#include "pg_headers.h"

namespace cellupsert::pg {

using core::IdBytes;

[[noreturn]] void raise_internal(const char *function_name, const char *what);

// Arguments.
[[noreturn]] void raise_null_argument(const char *parameter);
[[noreturn]] void raise_invalid_id(const char *parameter, const IdBytes &id, core::IdVerdict verdict);

// Lookups. The messages are the same whether an id does not exist or is hidden from the
// caller by row-level security, so that they reveal nothing about other tenants.
[[noreturn]] void raise_list_not_found(const IdBytes &list);
[[noreturn]] void raise_column_not_found(const IdBytes &list, const IdBytes &column);
[[noreturn]] void raise_not_company_column(const IdBytes &column, const char *subject);
[[noreturn]] void raise_row_not_found(const IdBytes &list, const IdBytes &row);
[[noreturn]] void raise_concurrent_change(const IdBytes &list);

// The application's list tables, checked once per backend before planning.
[[noreturn]] void raise_missing_table(const char *schema, const char *table);
[[noreturn]] void raise_missing_column(const char *schema, const char *table, const char *column);

}  // namespace cellupsert::pg
