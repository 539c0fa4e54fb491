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
};

enum class StatementKind {
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
    // The statements of src/pg/batch_locks.h, run before batch_upsert.
    // $1 list, $2 cols uuid[], $3 rows uuid[]: one row (list_visible bool, cols uuid[],
    // rows uuid[]): whether the caller sees the list, and which of the given columns and
    // rows it sees in the list. Run as the caller.
    batch_visible_keys,
    // $1 list: locks the list's row FOR KEY SHARE. Run as the table's owner.
    lock_list,
    // $1 list, $2 ids uuid[]: locks the list's columns with these ids FOR KEY SHARE, in id
    // order. Run as the table's owner.
    lock_columns,
    // $1 list, $2 ids uuid[]: the same for the list's company rows.
    lock_rows,
};
constexpr int kStatementKinds = 8;

// The text of statement kind on the tables of quoted_schema (an SQL identifier, quoted as
// needed). May throw std::bad_alloc.
std::string statement_sql(StatementKind kind, const TablesShape &shape, std::string_view quoted_schema);

}  // namespace cellupsert::core
