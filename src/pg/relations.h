// What the catalogs say about one relation of the list tables: the table under its simple
// views, its unique keys, its owner and what that owner may do, whether Citus distributes it.
#pragma once

#include "../core/list_tables_contract.h"
#include "pg_headers.h"

namespace cellupsert::pg {

using core::kListColumns;
using core::kListCompanies;
using core::kListCompanyCells;
using core::kLists;
using core::kListTableCount;
using core::kListTableNames;
using core::ListTable;

// The table a simple view stands for, following views over views (relid itself for a
// table); InvalidOid when the view is not simple. When attno is not null, *attno (a column
// of relid) becomes the column of that table, or InvalidAttrNumber if it is not a plain one.
Oid base_relation(Oid relid, AttrNumber *attno);

// The columns of the table under lists, list_columns or list_companies (under its views) that
// hold the relation's list_id and id: a batch locks that table by them (batch_locks.h).
// InvalidAttrNumber where a view's column is not a plain column of the table (and list_id
// for the lists, whose id is the list).
struct KeyColumns {
    AttrNumber list_id;
    AttrNumber id;
};
KeyColumns base_key_columns(Oid relid, ListTable table);

// Whether relid's column references referenced's referenced_column by a validated foreign key
// that is not deferrable, on that column alone: a row that a snapshot sees in relid has its
// referenced row visible to the same snapshot (the key's actions run in the transaction that
// deletes the referenced row).
bool references_by_key(Oid relid, AttrNumber column, Oid referenced, AttrNumber referenced_column);

// The first view, from relid down through simple views, that is not security_invoker (its
// reads would run with its owner's privileges and row-level security, not the caller's);
// InvalidOid if none.
Oid view_without_security_invoker(Oid relid);

// Whether relid (a table, or a simple view over one) has a unique index that ON CONFLICT
// can use for exactly these columns: unique, immediate, valid, not partial, no expressions.
bool has_unique_key(Oid relid, const char *const *columns, int count);

// Whether the cells have the conflict key (core::kConflictKey) of their shape: with list_id,
// or without it.
bool has_conflict_key(Oid cells_relid, bool with_list_id);

// What gives the cells the conflict key of their shape: the CREATE UNIQUE INDEX on them (or
// on the table under their view), or, for a view that is not simple, to make it simple.
const char *conflict_key_fix(Oid cells_relid, bool with_list_id);

// Whether relid is a Citus table (in pg_dist_partition). False when Citus is not installed.
bool is_citus_table(Oid relid);

// The role that owns relid.
Oid relation_owner(Oid relid);

// Whether relid has no enabled trigger on INSERT or UPDATE but internal ones (foreign keys)
// and the extension's own, in schema (the manual-edit guard, the history): then an update of
// a cell does what the upsert's DO UPDATE does for every trigger. A BEFORE INSERT trigger
// sees, and may change or refuse, the row the upsert writes on a conflict; an UPDATE
// statement trigger would fire for a new cell too.
bool only_own_write_triggers(Oid relid, Oid schema);
// Whether a column of relid is an identity or has a volatile default (nextval(), a random
// id): Citus gives a shard no such default, and fills it in before it sends a write there.
bool has_volatile_defaults(Oid relid);

// Whether the current user holds SELECT on relid, or on each of its columns[0..count): then a
// query that reads those columns raises no privilege error.
bool caller_may_select(Oid relid, const char *const *columns, int count);

// Why a batch cannot lock the rows of the table under relid (the lists, list_columns or
// list_companies relation: table), or nullptr. A batch locks them as that table's owner
// (batch_locks.h): the table must be found under relid's simple views, with its list_id and
// id as plain columns, and its owner needs USAGE on its schema, SELECT and UPDATE on it.
// *fix then says what to do (a GRANT, or how to make the view simple); nullptr if none.
const char *batch_lock_problem(Oid relid, ListTable table, const char **fix);

// The relation's name, schema-qualified and quoted.
const char *qualified_name(Oid relid);

}  // namespace cellupsert::pg
