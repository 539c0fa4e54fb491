// The SQL text of every statement the functions run, built from the shape of the list
// tables. Pure C++ (no PostgreSQL header): the shapes are unit-tested one by one.
//
// Every relation, function and operator in the texts is schema-qualified, so that a
// caller's search_path cannot redirect any of it. Literals for status, subject and source
// are left untyped, so that PostgreSQL coerces them to the column's own type (text,
// varchar, a domain, an enum), where they are written and where subject is compared.
#pragma once

#include <string>
#include <string_view>

#include "id_rules.h"

namespace cellupsert::core {

// What the statements depend on in the list tables (found by src/pg/discovery.cpp).
struct TablesShape {
    // The canonical shape: the cells carry list_id (and so can be distributed by it). The
    // original API's shape has one cell per (column_id, company_row_id) and no list_id.
    bool cells_have_list_id = true;
    // The cells' unique key, the ON CONFLICT target: (list_id, column_id, company_row_id),
    // or (column_id, company_row_id).
    bool conflict_key_has_list_id = true;
    bool has_created_at = true;  // written on insert
    bool has_updated_at = true;  // written on insert and update
    bool has_provenance = false;  // source, edited_by, edited_at
    // The cells are a Citus distributed table (and carry list_id, in their conflict key too):
    // the functions then run the Citus set of statements below.
    bool distributed = false;
};

// Two sets of statements. The single-node set checks and writes in one statement (a join of
// the four tables), which Citus would plan on every call and refuses in a function distributed
// with force_delegation. The Citus set, for distributed tables (whose cells carry list_id, in
// their conflict key too), has single-table statements only: the reads filter by list_id = $1
// (lists: id = $1) at the top of their WHERE clause, which Citus's fast-path planner routes to
// the list's shard; the writes write list_id = $1, in a one-row INSERT ... VALUES (fast path)
// or an INSERT ... SELECT from the arrays alone. All of them pass Citus's check that a
// function distributed with force_delegation touches its own list only. The checks run
// first, as the caller, then the write, which checks nothing.
enum class StatementKind {
    // The single-node set.
    // $1 list, $2 row, $3 col (uuid), $4 val (text), $5 editor (text). Checks the list, the
    // column (of the list, subject company) and the row (of the list), as the caller sees
    // them, and upserts the cell: it processes one row, or none when a check fails.
    cell_upsert,
    // $1 list, $2 row, $3 col: one row (list_found bool, column_subject text, row_found bool).
    cell_diagnose,
    // $1 list, $2 rows uuid[], $3 cols uuid[], $4 vals text[], $5 editor: cell_upsert for
    // every element, written in the arrays' order. The (col, row) pairs must be distinct.
    batch_upsert,
    // $1 list, $2 rows uuid[], $3 cols uuid[], $4 positions int4[]: the refused element of
    // least position, as (position int4, row uuid, col uuid); no row if none.
    batch_find_failure,
    // $1 list, $2 cols uuid[], $3 rows uuid[]: one row (list_visible bool, cols uuid[],
    // rows uuid[]): whether the caller sees the list, and which of the given columns and
    // rows it sees in the list. Run as the caller, before the locks of src/pg/batch_locks.h
    // (key_share_lock_sql below).
    batch_visible_keys,

    // The Citus set.
    // $1 list: one row when the caller sees the list.
    list_check,
    // $1 list, $2 col: one row (subject text) when the caller sees the column in the list.
    column_check,
    // $1 list, $2 row: one row when the caller sees the row in the list.
    row_check,
    // $1 list, $2 row, $3 col, $4 val (text), $5 editor: the upsert of one cell (INSERT ...
    // VALUES ... ON CONFLICT), with no check: it processes one row (none if a trigger skipped it).
    cell_write,
    // $1 list, $2 cols uuid[]: the ids (uuid) of those the caller sees in the list whose
    // subject is company.
    batch_company_columns,
    // $1 list, $2 rows uuid[]: the ids (uuid) of those the caller sees in the list.
    batch_visible_rows,
    // $1 list, $2 rows uuid[], $3 cols uuid[], $4 vals text[], $5 editor: cell_write for every
    // element, in the arrays' order (INSERT ... SELECT from the arrays, no table read). One
    // row: the number of cells written (int4), without those a trigger skipped.
    batch_write,
    // The calls themselves, for a call that Citus did not delegate (PostgREST's, whose call
    // sits in a CTE): a plain call in FROM, which Citus delegates to the worker holding the
    // list, inside a transaction block too when the function has force_delegation.
    // $1 list, $2 row, $3 col, $4 val: one row (boolean), cell_upsert's result.
    cell_upsert_call,
    // $1 list, $2 cells jsonb: one row (integer), cell_upsert_many's result.
    batch_call,
};
constexpr int kStatementKinds = 14;

// The text of statement kind on the tables of quoted_schema (an SQL identifier, quoted as
// needed). In the reads of the Citus set (list_check, column_check, row_check,
// batch_company_columns, batch_visible_rows), list takes the place of $1: an id_literal, so
// that Citus, seeing a constant, prunes to the list's shard while planning and plans the
// query on a local shard directly; a parameter leaves pruning to execution, where the shard
// query is deparsed, parsed and planned again (Citus 13.2.2). Their $1 is then unused.
// May throw std::bad_alloc.
std::string statement_sql(StatementKind kind, const TablesShape &shape, std::string_view quoted_schema,
                          std::string_view list = "$1");

// A table the batch locks (src/pg/batch_locks.h): the table under the lists, list_columns or
// list_companies relation (under its views), with its own column names. Names are quoted
// as needed; the table's is schema-qualified.
struct LockTarget {
    std::string_view table;
    std::string_view list_column;  // empty for the lists, whose id is the list
    std::string_view id_column;
    bool only;  // ONLY, as PostgreSQL's foreign key checks read it (not for a partitioned table)
};

// The lock of a batch on target, run as the table's owner: $1 list, $2 ids uuid[] (unused
// for the lists). Locks FOR KEY SHARE, in id order, the list's row (id = $1), or the list's
// rows of target with these ids. It names the table alone, its columns, and operators of
// pg_catalog: no view, function, policy or default of anyone else runs in it. Each reads
// one table filtered by the list first, so it serves the Citus set too. May throw
// std::bad_alloc.
std::string key_share_lock_sql(const LockTarget &target);

// An id as an SQL constant: '<canonical text>'::pg_catalog.uuid. May throw std::bad_alloc.
std::string id_literal(const IdBytes &id);

}  // namespace cellupsert::core
