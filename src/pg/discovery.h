// Discovery: what the list tables of a schema look like, read from the catalogs.
//
// The four relations may be tables, or simple views (one relation in FROM, plain columns)
// over the application's own tables with other names. The cells may carry list_id (the
// canonical shape) or not (the original API's shape); their unique key, the ON CONFLICT
// target, is found through views on the table underneath. The shape is distributed when the
// cells (the table under their view) are a Citus table: the functions then run the Citus set
// of statements (statement_sql.h).
#pragma once

#include "../core/statement_sql.h"
#include "pg_headers.h"

namespace cellupsert::pg {

enum ListTable { kLists, kListColumns, kListCompanies, kListCompanyCells, kListTableCount };
extern const char *const kListTableNames[kListTableCount];

// The columns every shape needs, nullptr-terminated, per relation.
extern const char *const *const kRequiredColumns[kListTableCount];

// The columns of the table under lists, list_columns or list_companies (under its views) that
// hold the relation's list_id and id: a batch locks that table by them (batch_locks.h).
// InvalidAttrNumber where a view's column is not a plain column of the table (and list_id
// for the lists, whose id is the list).
struct KeyColumns {
    AttrNumber list_id;
    AttrNumber id;
};

// The list tables of a schema as the statements need them.
struct ListTables {
    Oid relids[kListTableCount];
    Oid base_relids[kListTableCount];  // the table underneath a view (the relation itself for a table)
    KeyColumns base_keys[kListTableCount];  // in base_relids; unused for the cells
    core::TablesShape shape;
};

// Finds the list tables of the schema and their shape. Raises 42P01 / 42703 naming the first
// missing relation or column, 42703 for provenance columns present in part, 42P10 when the
// cells have no usable unique key.
ListTables discover_list_tables(Oid schema_oid, const char *schema);

// Whether relid is a Citus table (in pg_dist_partition). False when Citus is not installed.
bool is_citus_table(Oid relid);

// Why a column of the list tables cannot have this type for the functions, or nullptr: ids
// are uuid; value and edited_by text or varchar; status, subject and source text, varchar, a
// domain over them, or an enum with the label the functions write or compare ('complete',
// 'company', 'manual'); timestamps timestamptz or timestamp.
const char *column_type_problem(const char *column, Oid type);

// The table a simple view stands for, following views over views (relid itself for a
// table); InvalidOid when the view is not simple. When attno is not null, *attno (a column
// of relid) becomes the column of that table, or InvalidAttrNumber if it is not a plain one.
Oid base_relation(Oid relid, AttrNumber *attno);

// Whether relid (a table, or a simple view over one) has a unique index that ON CONFLICT
// can use for exactly these columns: unique, immediate, valid, not partial, no expressions.
bool has_unique_key(Oid relid, const char *const *columns, int count);

// What gives the cells the conflict key of their shape: the CREATE UNIQUE INDEX on them (or
// on the table under their view), or, for a view that is not simple, to make it simple.
const char *conflict_key_fix(Oid cells_relid, bool with_list_id);

// The first view, from relid down through simple views, that is not security_invoker (its
// reads would run with its owner's privileges and row-level security, not the caller's);
// InvalidOid if none.
Oid view_without_security_invoker(Oid relid);

// The role that owns relid.
Oid relation_owner(Oid relid);

// Why a batch cannot lock the rows of the table under relid (the lists, list_columns or
// list_companies relation: table), or nullptr. A batch locks them as that table's owner
// (batch_locks.h): the table must be found under relid's simple views, with its list_id and
// id as plain columns, and its owner needs USAGE on its schema, SELECT and UPDATE on it.
// *fix then says what to do (a GRANT, or how to make the view simple); nullptr if none.
const char *batch_lock_problem(Oid relid, ListTable table, const char **fix);

// The relation's name, schema-qualified and quoted.
const char *qualified_name(Oid relid);

}  // namespace cellupsert::pg
