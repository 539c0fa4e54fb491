// Every error the extension raises: SQLSTATE, message, detail and hint in one place.
//
// Errors about one element of a cell_upsert_many batch take its position (from 0, as in the
// JSON array) and prefix the message with "cells[N]: "; kNoElement leaves it out.
#pragma once

#include <string_view>

#include "../core/id_rules.h"
#include "batch_input.h"
#include "pg_headers.h"

namespace cellupsert::pg {

using core::IdBytes;
constexpr int kNoElement = -1;

[[noreturn]] void raise_internal(const char *function_name, const char *what);

// Arguments.
[[noreturn]] void raise_null_argument(const char *parameter, int element = kNoElement);
[[noreturn]] void raise_invalid_id(const char *parameter, const IdBytes &id, core::IdVerdict verdict,
                                   int element = kNoElement);

// The elements of a batch, as JSON.
[[noreturn]] void raise_not_an_array();
[[noreturn]] void raise_not_an_object(int element);
[[noreturn]] void raise_unknown_key(int element, std::string_view key, BatchKind kind);
[[noreturn]] void raise_not_a_string(int element, const char *key);
[[noreturn]] void raise_malformed_id(int element, std::string_view text);

// Lookups. The messages are the same whether an id does not exist or is hidden from the
// caller by row-level security, so that they reveal nothing about other tenants.
[[noreturn]] void raise_list_not_found(const IdBytes &list);
[[noreturn]] void raise_column_not_found(const IdBytes &list, const IdBytes &column, int element);
[[noreturn]] void raise_not_company_column(const IdBytes &column, const char *subject, int element);
[[noreturn]] void raise_row_not_found(const IdBytes &list, const IdBytes &row, int element);
[[noreturn]] void raise_concurrent_change(const IdBytes &list);
// Citus: the list's shards moved to another node while a call waited for them; not on the
// node that runs a call another node sent (list_placement.h). Both 40001.
[[noreturn]] void raise_list_moved(const IdBytes &list);
[[noreturn]] void raise_list_not_here(const IdBytes &list);

// Conditional writes (if_match, core/cell_version.h).
[[noreturn]] void raise_invalid_if_match(const char *if_match, int element = kNoElement);
[[noreturn]] void raise_invalid_if_match_header(const char *header);
[[noreturn]] void raise_if_match_disagrees(const char *argument, const char *header);
[[noreturn]] void raise_if_match_header_refused(const char *function);
// PT412 (PostgREST: 412 Precondition Failed): the cell's version is current, not if_match.
[[noreturn]] void raise_version_mismatch(const IdBytes &list, const IdBytes &row, const IdBytes &col,
                                         const char *current, const char *if_match, int element = kNoElement);
[[noreturn]] void raise_tables_changed(const char *schema);

// History (history.h): an edit id that wrote none of the cells asked for (row and col
// nullptr: none of the list's); PT412 for a cell written again since that edit.
[[noreturn]] void raise_edit_not_found(Datum list, Datum edit_id, const IdBytes *row, const IdBytes *col);
[[noreturn]] void raise_changed_since_edit(const IdBytes &list, const IdBytes &row, const IdBytes &col, Datum edit_id,
                                           int64 later_writes, const char *last_kind, bool cell_exists,
                                           const char *force_argument);

// The application's list tables, checked before planning.
[[noreturn]] void raise_missing_table(const char *schema, const char *table);
[[noreturn]] void raise_missing_column(const char *schema, const char *table, const char *column);
[[noreturn]] void raise_column_type(const char *schema, const char *table, const char *column, const char *type,
                                    const char *problem);
[[noreturn]] void raise_view_not_security_invoker(const char *schema, const char *table, const char *view);
[[noreturn]] void raise_no_conflict_key(const char *schema, const char *index_ddl);
// A batch cannot lock the rows of the table under relation (batch_lock_problem, discovery.h).
[[noreturn]] void raise_batch_lock_problem(const char *relation, const char *problem, const char *fix);

// The SQLSTATEs of a statement whose text no longer leads to the tables it was prepared for
// (a schema or table renamed or replaced).
bool is_name_error(int sqlerrcode);

// Citus: an error as a client should get it, without what only names the cluster's inside
// (errors raised on a shard, or relayed or worded by Citus on the node the client called):
// the list tables' names instead of their shards' (core/shard_names.h); no context line
// naming a node; a connection to a node refused or lost (08xxx) said without its role, host
// and port; Citus's XX000 for a call per row of a query on a distributed table as 0A000.
void hide_cluster_internals(ErrorData *error);

// Removes from an error's context the line that SPI adds for plan: its text is the
// extension's, not the caller's (and names the tables under the caller's views).
void remove_statement_context(ErrorData *error, SPIPlanPtr plan);

}  // namespace cellupsert::pg
