// Citus names the shard of a table, and each constraint and index on that shard, after the
// table's with "_<shard id>" appended ("list_company_cells_102112",
// "list_company_cells_list_id_column_id_fkey_102112"). PostgreSQL's errors raised on a shard
// name those; the functions give the client the table's own names, as on a single node.
// Pure C++ (no PostgreSQL header), no allocation, no exception.
#pragma once

#include <cstddef>

namespace cellupsert::core {

// Rewrites text (NUL-terminated) in place: every double-quoted name that is one of tables
// followed by "_<digits>" loses that suffix, and so does every other double-quoted name that
// ends with one of those suffixes (its constraints and indexes). Returns whether it changed.
bool strip_shard_suffixes(char *text, const char *const *tables, int table_count) noexcept;

// The same for a bare name (an error's table or constraint field), with the suffixes found in
// the quoted names of reference (the error's message and detail) or in name itself.
bool strip_shard_suffix(char *name, const char *reference, const char *const *tables, int table_count) noexcept;

}  // namespace cellupsert::core
