// The SQL text of every statement of the catalogue (statement_catalog.h), built from the
// shape of the list tables. Pure C++ (no PostgreSQL header): the shapes are unit-tested one
// by one.
//
// Every relation, function and operator in the texts is schema-qualified, so that a
// caller's search_path cannot redirect any of it. Literals for status, subject and source
// are left untyped, so that PostgreSQL coerces them to the column's own type (text,
// varchar, a domain, an enum), where they are written and where subject is compared.
#pragma once

#include <string>
#include <string_view>

#include "id_rules.h"
#include "statement_catalog.h"

namespace cellupsert::core {

// What the statements depend on in the list tables (found by src/pg/discovery.cpp).
struct TablesShape {
    // The canonical shape: the cells carry list_id (and so can be distributed by it). The
    // original API's shape has one cell per (column_id, company_row_id) and no list_id.
    bool cells_have_list_id = true;
    // The cells' unique key, the ON CONFLICT target: (list_id, column_id, company_row_id),
    // or (column_id, company_row_id).
    bool conflict_key_has_list_id = true;
    bool has_created_at = true;   // written on insert
    bool has_updated_at = true;   // written on insert and update
    bool has_provenance = false;  // source, edited_by, edited_at
    bool has_reasoning = true;    // read for the version (core/cell_version.h): NULL without it
    bool has_error = true;        // read for the version: NULL without it
    // The cells' status is an enum (or a domain over one): an enrichment's status, text, goes
    // through the type's input (no text converts to an enum on assignment).
    bool status_is_enum = false;
    // The cells are a Citus distributed table (and carry list_id, in their conflict key too):
    // the functions then run the distributed set of statements (statement_list.h).
    bool distributed = false;
};

// Whether two shapes give the same statements.
inline bool operator==(const TablesShape &a, const TablesShape &b) {
    static_assert(sizeof(TablesShape) == 9, "a new field of TablesShape is compared here too");
    return a.cells_have_list_id == b.cells_have_list_id && a.conflict_key_has_list_id == b.conflict_key_has_list_id &&
           a.has_created_at == b.has_created_at && a.has_updated_at == b.has_updated_at &&
           a.has_provenance == b.has_provenance && a.has_reasoning == b.has_reasoning && a.has_error == b.has_error &&
           a.status_is_enum == b.status_is_enum && a.distributed == b.distributed;
}
inline bool operator!=(const TablesShape &a, const TablesShape &b) { return !(a == b); }

// How a batch's statements read its ids in the list's tables: joined with the list's rows
// (the planner picks the join: right for a plan made for the batch at hand, and for large
// batches), or each id by its primary key (LATERAL, LIMIT 1: one kept plan fits small batches
// into lists of any size, where a generic join would read a whole list for a few ids).
enum class IdReads { join, by_key };

// The qualified names of a list's shards of the tables (Citus's shard_name()), named by the
// distributed set's reads in place of the tables on a worker that holds them
// (src/pg/shard_plans.h): plain statements on local tables, which Citus does not plan.
struct ShardNames {
    std::string_view lists, list_columns, list_companies, list_company_cells;
    // The shard of the table named name; empty for another name.
    std::string_view of(std::string_view name) const {
        if (name == "lists") return lists;
        if (name == "list_columns") return list_columns;
        if (name == "list_companies") return list_companies;
        if (name == "list_company_cells") return list_company_cells;
        return {};
    }
};

// The text of statement kind (of identity caller) on the tables of quoted_schema (an SQL
// identifier, quoted as needed). In the statements whose list is a literal (the reads of the
// distributed set), list takes the place of $1: an id_literal, so that Citus, seeing a
// constant, prunes to the list's shard while planning and plans the query on a local shard
// directly; a parameter leaves pruning to execution, where the shard query is deparsed,
// parsed and planned again (Citus 13.2.2). Their $1 is then unused. May throw
// std::bad_alloc, and std::logic_error for key_share_lock and key_share_locks (built by
// key_share_lock_sql and key_share_locks_sql).
// With shards, the tables are named by their shards' names.
std::string statement_sql(StatementKind kind, const TablesShape &shape, std::string_view quoted_schema,
                          std::string_view list = "$1", IdReads reads = IdReads::join,
                          const ShardNames *shards = nullptr);

// A table the batch locks (src/pg/batch_locks.h): the table under the lists, list_columns or
// list_companies relation (under its views), with its own column names. Names are quoted
// as needed; the table's is schema-qualified.
struct LockTarget {
    std::string_view table;
    std::string_view list_column;  // empty for the lists, whose id is the list
    std::string_view id_column;
    bool only;  // ONLY, as PostgreSQL's foreign key checks read it (not for a partitioned table)
    IdReads reads = IdReads::join;
    std::string_view ids = "$2";  // the parameter of the ids
};

// The text of key_share_lock (statement_list.h) on target, run as the table's owner. Locks
// FOR KEY SHARE, in id order, the list's row (id = $1), or the list's rows of target with
// these ids. It names the table alone, its columns, and operators (and, by key, unnest) of
// pg_catalog: no view, function, policy or default of anyone else runs in it. Each reads
// one table filtered by the list first, so it serves the Citus set too. May throw
// std::bad_alloc.
std::string key_share_lock_sql(const LockTarget &target);

// The text of key_share_locks (statement_list.h): the three locks of key_share_lock_sql in one
// statement, as one owner of the three tables, in the order of every batch: the list's row
// ($1), its columns ($2), its rows ($3). One row: the rows locked in each (int8). The ids
// parameters of columns and rows are set here. May throw std::bad_alloc.
std::string key_share_locks_sql(const LockTarget &lists, LockTarget columns, LockTarget rows);

// An id as an SQL constant: '<canonical text>'::pg_catalog.uuid. May throw std::bad_alloc.
std::string id_literal(const IdBytes &id);

}  // namespace cellupsert::core
