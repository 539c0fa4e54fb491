// The texts of the catalogue's statements (core/statement_sql.h) as SPI takes them: palloc'd
// in the current memory context. The std::string core builds lives only while it is copied,
// with an allocation that does not raise, so that no C++ object is alive when PostgreSQL may
// longjmp.
#pragma once

#include "discovery.h"

namespace cellupsert::pg {

// The text of kind on the tables of schema (quoted) in shape; list (a literal) in place of
// $1 when given; reads: how a batch's ids are read (core/statement_sql.h); shards: named in
// place of the tables, when given.
char *statement_text(core::StatementKind kind, const core::TablesShape &shape, const char *schema,
                     const pg_uuid_t *list, core::IdReads reads = core::IdReads::join,
                     const core::ShardNames *shards = nullptr);

// The text of key_share_lock on the table under the relation of table, by the names that
// table and its columns have now.
char *lock_text(const ListTables &tables, ListTable table, core::IdReads reads = core::IdReads::join);
// The text of key_share_locks on the tables under lists, list_columns and list_companies.
char *locks_text(const ListTables &tables, core::IdReads reads);

}  // namespace cellupsert::pg
