// Discovery: the list tables of a schema, read from the catalogs in one pass and checked
// against their contract (core/list_tables_contract.h). The pass (inspect_list_tables)
// records what it finds; the functions raise its first fatal finding (discover_list_tables),
// cellupsert_check() reports every finding.
//
// The four relations may be tables, or simple views (one relation in FROM, plain columns)
// over the application's own tables with other names. The cells may carry list_id (the
// canonical shape) or not (the original API's shape); their unique key, the ON CONFLICT
// target, is found through views on the table underneath. The shape is distributed when the
// cells (the table under their view) are a Citus table: the functions then run the
// distributed set of statements (statement_list.h).
#pragma once

#include "../core/statement_sql.h"
#include "relations.h"

namespace cellupsert::pg {

// The list tables of a schema as the statements need them.
struct ListTables {
    Oid relids[kListTableCount];
    Oid base_relids[kListTableCount];       // the table underneath a view (the relation itself for a table)
    KeyColumns base_keys[kListTableCount];  // in base_relids; unused for the cells
    core::TablesShape shape;
    // list_columns' list_id references lists' id (references_by_key, relations.h): a column
    // found in a list means that the list exists.
    bool columns_reference_lists;
    // What lets cell_upsert's checks be read by key whoever calls (key_probes.h): lists,
    // list_columns and list_companies are heap tables (no view, no partitioned table), and
    // list_columns' subject is text compared by bytes (a deterministic collation).
    bool checks_readable_by_key;
};

// Whether the statements built for a and b name the same relations and columns.
inline bool operator==(const ListTables &a, const ListTables &b) {
    constexpr std::size_t fields = sizeof a.relids + sizeof a.base_relids + sizeof a.base_keys + sizeof a.shape +
                                   sizeof a.columns_reference_lists + sizeof a.checks_readable_by_key;
    static_assert(sizeof(ListTables) == (fields + alignof(ListTables) - 1) / alignof(ListTables) * alignof(ListTables),
                  "a new field of ListTables is compared here too");
    return memcmp(a.relids, b.relids, sizeof a.relids) == 0 &&
           memcmp(a.base_relids, b.base_relids, sizeof a.base_relids) == 0 &&
           memcmp(a.base_keys, b.base_keys, sizeof a.base_keys) == 0 && a.shape == b.shape &&
           a.columns_reference_lists == b.columns_reference_lists &&
           a.checks_readable_by_key == b.checks_readable_by_key;
}
inline bool operator!=(const ListTables &a, const ListTables &b) { return !(a == b); }

constexpr int kContractColumns = static_cast<int>(sizeof core::kColumns / sizeof core::kColumns[0]);

struct RelationFinding {
    Oid relid;         // InvalidOid: missing
    char kind;         // its relkind
    Oid base;          // the table under its simple views (relid for a table); InvalidOid if a view is not simple
    Oid definer_view;  // the first view down that is not security_invoker, or InvalidOid
};

struct ColumnFinding {
    AttrNumber attno;  // InvalidAttrNumber: missing (or its relation is)
    Oid type;
    const char *problem;  // why the functions cannot use its type, or nullptr
};

// What one pass found in the catalogs.
struct Inspection {
    RelationFinding relations[kListTableCount];
    ColumnFinding columns[kContractColumns];  // by index in core::kColumns
    int provenance_columns;                   // how many of source, edited_by, edited_at exist
    ListTables tables;                        // tables.shape.conflict_key_has_list_id: the key with list_id was found
    bool key_without_list_id;                 // the key without list_id was found (looked for when the other is not)
};

Inspection inspect_list_tables(Oid schema_oid);

// The finding of the contract's column name of table.
const ColumnFinding &column_finding(const Inspection &found, ListTable table, const char *name);

// Finds the list tables of the schema and their shape, and raises the first fatal finding:
// per relation, the relation missing (42P01), one of its required columns missing (42703)
// or of a type the functions cannot use (42804), a view that is not security_invoker
// (55000); then in the cells, provenance columns present in part (42703), an optional
// column's type (42804), no usable unique key (42P10).
ListTables discover_list_tables(Oid schema_oid, const char *schema);

}  // namespace cellupsert::pg
