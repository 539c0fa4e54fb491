#include "statement_text.h"

#include <string>

extern "C" {
#include "catalog/pg_class.h"
}

namespace cellupsert::pg {
namespace {

// A palloc'd copy of built, allocated without raising while the std::string lives.
char *palloc_copy(const std::string &built) {
    char *copy = static_cast<char *>(palloc_extended(built.size() + 1, MCXT_ALLOC_NO_OOM));
    if (copy != nullptr) memcpy(copy, built.c_str(), built.size() + 1);
    return copy;
}

char *checked(char *copy) {
    if (copy == nullptr) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
    return copy;
}

}  // namespace

char *statement_text(core::StatementKind kind, const core::TablesShape &shape, const char *schema,
                     const pg_uuid_t *list, core::IdReads reads, const core::ShardNames *shards) {
    char *sql;
    {
        const std::string built =
            list == nullptr ? core::statement_sql(kind, shape, schema, "$1", reads, shards)
                            : core::statement_sql(kind, shape, schema, core::id_literal(list->data), reads, shards);
        sql = palloc_copy(built);
    }
    return checked(sql);
}

namespace {

// The lock of key_share_lock on the table under the relation of table, by its names now.
core::LockTarget lock_target(const ListTables &tables, ListTable table, core::IdReads reads) {
    const Oid relid = tables.base_relids[table];
    const KeyColumns &keys = tables.base_keys[table];
    const char *list_column = table == kLists ? "" : quote_identifier(get_attname(relid, keys.list_id, false));
    return {qualified_name(relid), list_column, quote_identifier(get_attname(relid, keys.id, false)),
            get_rel_relkind(relid) != RELKIND_PARTITIONED_TABLE, reads};
}

}  // namespace

char *lock_text(const ListTables &tables, ListTable table, core::IdReads reads) {
    const core::LockTarget target = lock_target(tables, table, reads);
    char *sql;
    {
        const std::string built = core::key_share_lock_sql(target);
        sql = palloc_copy(built);
    }
    return checked(sql);
}

char *locks_text(const ListTables &tables, core::IdReads reads) {
    const core::LockTarget lists = lock_target(tables, kLists, core::IdReads::join);
    const core::LockTarget columns = lock_target(tables, kListColumns, reads);
    const core::LockTarget rows = lock_target(tables, kListCompanies, reads);
    char *sql;
    {
        const std::string built = core::key_share_locks_sql(lists, columns, rows);
        sql = palloc_copy(built);
    }
    return checked(sql);
}

}  // namespace cellupsert::pg
