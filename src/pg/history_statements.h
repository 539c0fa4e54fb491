// The statements of the history's trigger (history_record.cpp): a history row's columns,
// the texts that insert rows, and the plans kept for them.
#pragma once

#include "pg_headers.h"

extern "C" {
#include "commands/trigger.h"
#include "utils/rel.h"
}

namespace cellupsert::pg {

// A history row's columns taken from the cells; then those of the call: kind, edit id,
// editor.
constexpr int kRowColumns = 10;
constexpr const char *kRowColumnNames[kRowColumns] = {"list_id",        "column_id",    "company_row_id",
                                                      "existed_before", "value_before", "status_before",
                                                      "source_before",  "value_after",  "status_after",
                                                      "source_after"};
constexpr Oid kRowColumnTypes[kRowColumns] = {UUIDOID, UUIDOID, UUIDOID, BOOLOID, TEXTOID,
                                              TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID};
constexpr Oid kRowColumnArrayTypes[kRowColumns] = {UUIDARRAYOID, UUIDARRAYOID, UUIDARRAYOID, BOOLARRAYOID,
                                                   TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
                                                   TEXTARRAYOID, TEXTARRAYOID};
constexpr int kCallColumns = 3;
constexpr Oid kCallTypes[kCallColumns] = {TEXTOID, UUIDOID, TEXTOID};
constexpr int kAllColumns = kRowColumns + kCallColumns;
// The types of a row's columns, then of the call's: a single-cell insert's parameters.
struct ColumnTypes {
    Oid types[kAllColumns];
};
constexpr ColumnTypes all_column_types() {
    ColumnTypes all{};
    for (int i = 0; i < kAllColumns; ++i)
        all.types[i] = i < kRowColumns ? kRowColumnTypes[i] : kCallTypes[i - kRowColumns];
    return all;
}
inline constexpr ColumnTypes kAllColumnTypes = all_column_types();

// The kept plan of text, prepared on its first use: few texts per backend.
SPIPlanPtr history_plan_for(const char *text, int nargs, const Oid *types);

// history: the history table, qualified and quoted; trigger, the trigger being fired (its
// transition tables' names); update: fired by an UPDATE.

// INSERT INTO history VALUES ($1 … the row columns, then the call's).
char *values_insert_text(const char *history);
// The same on a Citus shard of the history (history_shard), whose ids come from sequence.
char *shard_values_insert_text(const char *history_shard, Oid sequence);
// INSERT INTO history SELECT the rows from the transition tables ($1 … the call's).
char *select_insert_text(Relation cells, const char *history, const Trigger *trigger, bool update);
// On Citus the trigger fires on the cells' shard, and Citus would send an INSERT … SELECT
// from the transition tables to another backend, where they do not exist: the rows are read
// here first, as arrays (the read), then inserted from them ($1 … the call's, then the
// arrays).
char *read_arrays_text(Relation cells, const Trigger *trigger, bool update);
char *arrays_insert_text(const char *history);

}  // namespace cellupsert::pg
