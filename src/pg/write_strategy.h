// How a call writes, behind one interface: three strategies, chosen per call.
//
// - single-node (single_node_writes.cpp): write, then diagnose. One statement checks and
//   writes; only when it writes less than given does a diagnosis find out why, as the caller
//   sees the tables now and in the write's own snapshot (cell_checks.h).
// - distributed (distributed_writes.cpp), on tables distributed with Citus: check, then
//   write. Single-table statements, the checks first (their plans kept per list), then the
//   write, which checks nothing.
// - hand-over (delegation.h): a call that Citus did not delegate runs itself again as a plain
//   call, which Citus delegates to the worker holding the list.
//
// The entry files (cell_upsert.cpp, cell_upsert_many.cpp) read the arguments, connect to SPI,
// get the statement context, dispatch to write_strategy(context) and finish SPI.
#pragma once

#include "batch_input.h"
#include "cell_checks.h"
#include "statement_context.h"

namespace cellupsert::pg {

// cell_upsert's arguments, checked.
struct CellEdit {
    Datum list, row, col;
    Datum value;           // text, or (Datum)0 when value_is_null
    bool value_is_null;    // NULL or ''
    const char *if_match;  // the version the cell must have (core/cell_version.h); nullptr: none
    Datum if_match_text;   // if_match as text, or (Datum)0
};

// cell_upsert_many's arguments, checked, with at least one cell.
struct BatchEdit {
    Datum list;
    Datum cells;              // the jsonb as given
    const BatchInput *input;  // cells, read
};

// What an enrichment did: the cells written, and those kept because a person edited them
// (or a trigger of the application skipped them).
struct Enriched {
    int32 written;
    int32 kept;
};

struct WriteStrategy {
    // Writes the cell; returns false when a trigger of the application skipped the write.
    // With if_match, writes only while the cell's version is if_match (checked on the row
    // as locked; "absent": while there is no cell), else raises PT412.
    bool (*write_cell)(StatementContext &context, const CellEdit &edit);
    // Writes the batch, all or nothing; returns the cells written (fewer than the distinct
    // pairs given only when a trigger of the application skipped some).
    int32 (*write_batch)(StatementContext &context, const BatchEdit &edit);
    // The version of the cell, after cell_upsert's checks (their errors), as the caller sees
    // it: kAbsentVersion when it sees no cell.
    void (*read_version)(StatementContext &context, Datum list, Datum row, Datum col, Version &version);
    // The version of a cell write_cell has just written (for PostgREST's ETag): its checks
    // passed, so on Citus one statement on the list's shard.
    void (*written_version)(StatementContext &context, Datum list, Datum row, Datum col, Version &version);
    // Releases the cell's manual mark (manual_guard.h), after cell_upsert's checks; returns
    // false when it had none (or there is no cell).
    bool (*release_cell)(StatementContext &context, Datum list, Datum row, Datum col);
    // Writes an enrichment's batch (cell_enrich_many), all or nothing, but for the cells a
    // person edited, which it leaves as they are.
    Enriched (*enrich_batch)(StatementContext &context, const BatchEdit &edit);
    // Releases the manual marks of a batch's cells (cell_release_many), all or nothing: the
    // checks of every element first; returns the cells that had one.
    int32 (*release_batch)(StatementContext &context, const BatchEdit &edit);
    // Raises the error of the batch's first element (in input order) that the checks refuse,
    // writes nothing; returns when none is refused. For a batch with a bad element, on the
    // elements before it (read_batch_argument). nullptr in a strategy that has none (the
    // hand-over: its reads are the distributed strategy's, read_strategy).
    void (*raise_first_refused)(StatementContext &context, const BatchEdit &edit) = nullptr;
};

extern const WriteStrategy kSingleNodeWrites;
extern const WriteStrategy kDistributedWrites;
extern const WriteStrategy kHandOver;

// The strategy of a call: hand-over when should_hand_over (delegation.h), else distributed
// or single-node by the tables' shape.
const WriteStrategy &write_strategy(const StatementContext &context);

// The strategy of a read (cell_version): distributed or single-node; a read is not handed over.
const WriteStrategy &read_strategy(const StatementContext &context);

// read_batch_input of argument 1 (the cells) of a batch function whose list is argument 0
// (already checked: list): before raising the error of a bad element, it raises that of an
// earlier element the checks refuse, as the write would (read_strategy's raise_first_refused),
// so that the error names the first refused element in input order, whatever refuses it.
BatchInput read_batch_argument(FunctionCallInfo fcinfo, Datum list, BatchKind kind, WriteKind write_kind);

}  // namespace cellupsert::pg
