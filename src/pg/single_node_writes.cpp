// The single-node strategy (write_strategy.h): write, then diagnose. One prepared statement
// checks that the column and the row belong to the list and writes, as the caller; only
// when it writes less than given does a second query find out which check failed, as the
// caller sees the tables now and as the write saw them (cell_checks.h).
#include "batch_locks.h"
#include "cell_checks.h"
#include "errors.h"
#include "key_probes.h"
#include "relations.h"
#include "write_strategy.h"

extern "C" {
#include "access/xact.h"
#include "utils/memutils.h"
}

namespace cellupsert::pg {
namespace {

// The findings for (list, row, col) as seen by snapshot (InvalidSnapshot: a new one, to see
// what the write could not); with version, the cell's version too (cell_version_read).
Findings find(StatementContext &context, Datum list, Datum row, Datum col, Snapshot snapshot,
              Version *version = nullptr) {
    Datum args[] = {list, row, col};
    context.run(version == nullptr ? Statement::cell_diagnose : Statement::cell_version_read, args, nullptr, snapshot,
                1);
    HeapTuple tuple = SPI_tuptable->vals[0];
    TupleDesc desc = SPI_tuptable->tupdesc;
    bool is_null;
    Findings f{false, nullptr, false};
    f.list_found = DatumGetBool(SPI_getbinval(tuple, desc, 1, &is_null));
    const Datum subject = SPI_getbinval(tuple, desc, 2, &is_null);
    if (!is_null) f.subject = TextDatumGetCString(subject);  // a NULL subject counts as no column
    f.row_found = DatumGetBool(SPI_getbinval(tuple, desc, 3, &is_null));
    if (version != nullptr) {
        const Datum value = SPI_getbinval(tuple, desc, 4, &is_null);
        copy_version(value, is_null, *version);
    }
    return f;
}

void raise_failed_check(StatementContext &context, Datum list, Datum row, Datum col, int element) {
    raise_first_failure(find(context, list, row, col, InvalidSnapshot), list, row, col, element);
}

void read_version(StatementContext &context, Datum list, Datum row, Datum col, Version &version) {
    raise_first_failure(find(context, list, row, col, InvalidSnapshot, &version), list, row, col, kNoElement);
}

// The write of cell_upsert: the upsert; with if_match, the insert of a cell that must be
// absent, or the update of a cell that must have that version.
Statement cell_write_kind(const CellEdit &edit) {
    if (edit.if_match == nullptr) return Statement::cell_upsert;
    return strcmp(edit.if_match, core::kAbsentVersion) == 0 ? Statement::cell_insert_if_absent
                                                            : Statement::cell_update_if_match;
}

// cell_upsert's checks read by key, then its write alone (key_probes.h): false when they
// may not be, or do not all pass, and the statement with the checks must run (and diagnose).
bool write_checked_by_key(StatementContext &context, const CellEdit &edit, bool *written) {
    if (edit.if_match != nullptr) return false;
    context.prepare(Statement::cell_write);  // its errors before any read
    if (!key_probes_apply(context.tables())) return false;
    // As SPI reads for a statement: what the transaction wrote so far, then a new snapshot.
    CommandCounterIncrement();
    if (!cell_keys_found(context.tables(), edit.list, edit.row, edit.col, GetTransactionSnapshot())) return false;
    Datum args[] = {edit.list, edit.row, edit.col, edit.value};
    const char nulls[] = {' ', ' ', ' ', edit.value_is_null ? 'n' : ' '};
    // Prepared again: the tables may have been renamed while the reads waited for a lock.
    context.check_tables_after_wait();
    *written = context.run(Statement::cell_write, args, nulls) == 1;  // not written: a trigger skipped it
    return true;
}

bool write_cell(StatementContext &context, const CellEdit &edit) {
    // Prepared first: preparing a write locks the cells, which must not wait between the
    // checks read by key and a fall back to this statement.
    const PreparedStatement write = context.prepare(cell_write_kind(edit));
    bool written_by_key;
    if (write_checked_by_key(context, edit, &written_by_key)) return written_by_key;
    // The write's snapshot is kept for the diagnosis of a write that processed nothing.
    Snapshot snapshot = RegisterSnapshot(GetTransactionSnapshot());
    Datum args[] = {edit.list, edit.row, edit.col, edit.value, edit.if_match_text};
    const char nulls[] = {' ', ' ', ' ', edit.value_is_null ? 'n' : ' ', ' '};
    const bool written = context.execute(write, args, nulls, snapshot) == 1;
    if (!written) {
        // The checks' errors first, as the caller sees the tables now; then a version that
        // is not if_match.
        if (edit.if_match == nullptr) {
            raise_failed_check(context, edit.list, edit.row, edit.col, kNoElement);
        } else {
            Version current;
            read_version(context, edit.list, edit.row, edit.col, current);
            raise_if_stale(edit.list, edit.row, edit.col, current, edit.if_match);
        }
        if (refused(find(context, edit.list, edit.row, edit.col, snapshot)))
            raise_concurrent_change(DatumGetUUIDP(edit.list)->data);
        // Every check passes, in both snapshots: a trigger of the application skipped the write.
    }
    UnregisterSnapshot(snapshot);
    return written;
}

// The first element (by the position of its first occurrence) refused as seen by snapshot
// (InvalidSnapshot: a new one), or false.
struct Refused {
    int position;
    Datum row, col;
};
bool find_first_refused(StatementContext &context, Datum list, const BatchArrays &cells, Snapshot snapshot,
                        Refused *refused) {
    Datum args[] = {list, cells.rows, cells.cols, cells.positions};
    if (context.run(Statement::batch_find_failure, args, nullptr, snapshot, 1) == 0) return false;
    HeapTuple tuple = SPI_tuptable->vals[0];
    TupleDesc desc = SPI_tuptable->tupdesc;
    bool is_null;
    refused->position = DatumGetInt32(SPI_getbinval(tuple, desc, 1, &is_null));
    // Copies: the next query may release this tuple.
    pg_uuid_t *row = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
    pg_uuid_t *col = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
    *row = *DatumGetUUIDP(SPI_getbinval(tuple, desc, 2, &is_null));
    *col = *DatumGetUUIDP(SPI_getbinval(tuple, desc, 3, &is_null));
    refused->row = UUIDPGetDatum(row);
    refused->col = UUIDPGetDatum(col);
    return true;
}

// The snapshot of a batch's write, registered, after the locks of batch_locks.h taken on what
// it sees. It is kept for the diagnosis of a write that processed too little. A row that a
// DELETE removed while the batch waited for its lock is not in the snapshot returned then (a
// new one): the write's own checks refuse the element, as for a row deleted before the call.
Snapshot locked_snapshot(StatementContext &context, Datum list, const BatchCells &cells) {
    context.size_batch(cells.count);  // for the locks and the statements after them
    Snapshot snapshot = RegisterSnapshot(GetTransactionSnapshot());
    if (lock_batch_keys(context, list, cells, snapshot)) return snapshot;
    UnregisterSnapshot(snapshot);
    return RegisterSnapshot(GetTransactionSnapshot());
}

// Raises the error of the first element refused as the caller sees the tables now; 40001
// when the element was refused meanwhile but is accepted now (a concurrent change). Returns
// when none is refused.
void raise_first_refused(StatementContext &context, Datum list, const BatchArrays &cells) {
    Refused refused;
    if (!find_first_refused(context, list, cells, InvalidSnapshot, &refused)) return;
    raise_failed_check(context, list, refused.row, refused.col, refused.position);
    raise_concurrent_change(DatumGetUUIDP(list)->data);  // accepted since the last look
}

// After a write, under write_snapshot, of fewer cells than given: raises the error of the
// first element refused now, else 40001 if the write's snapshot refused one; returns when
// none is refused in either, a trigger having skipped the others.
void explain_short_write(StatementContext &context, Datum list, const BatchArrays &cells, Snapshot write_snapshot) {
    raise_first_refused(context, list, cells);
    Refused refused;
    if (find_first_refused(context, list, cells, write_snapshot, &refused))
        raise_concurrent_change(DatumGetUUIDP(list)->data);
}

// Writes the cells part by part (batch_part_end): write_part(arrays of a part) returns how
// many it wrote; each part's arrays are freed after it.
template <typename WritePart>
int write_in_parts(const BatchCells &cells, WritePart write_part) {
    MemoryContext parts = AllocSetContextCreate(CurrentMemoryContext, "cellupsert batch part", ALLOCSET_DEFAULT_SIZES);
    int written = 0;
    for (int begin = 0, end; begin < cells.count; begin = end) {
        end = batch_part_end(cells, begin);
        const MemoryContext caller = MemoryContextSwitchTo(parts);
        const BatchArrays part = batch_part(cells, begin, end);
        MemoryContextSwitchTo(caller);
        written += write_part(part);
        MemoryContextReset(parts);
    }
    MemoryContextDelete(parts);
    return written;
}

bool release_cell(StatementContext &context, Datum list, Datum row, Datum col) {
    Datum args[] = {list, row, col};
    if (context.run(Statement::cell_release, args) == 1) return true;
    raise_failed_check(context, list, row, col, kNoElement);
    return false;
}

// As write_batch, with the enrichment's statement, which leaves a person's cells alone.
Enriched enrich_batch(StatementContext &context, const BatchEdit &edit) {
    const BatchCells cells = batch_cells(*edit.input);
    context.prepare(Statement::batch_enrich);
    Snapshot snapshot = locked_snapshot(context, edit.list, cells);
    const int written = write_in_parts(cells, [&](const BatchArrays &a) {
        Datum args[] = {edit.list, a.rows, a.cols, a.values, a.statuses, a.reasonings, a.errors};
        context.run(Statement::batch_enrich, args, nullptr, snapshot, 1);
        // An element the checks refused is the batch's error; what the write left of the
        // others was a person's cells (or a trigger's skips).
        if (result_int32(1) < a.count) explain_short_write(context, edit.list, batch_arrays(cells), snapshot);
        return result_int32(2);
    });
    UnregisterSnapshot(snapshot);
    return {written, cells.count - written};
}

// The checks of every element first (their errors name it), then the release.
int32 release_batch(StatementContext &context, const BatchEdit &edit) {
    const BatchCells cells = batch_cells(*edit.input);
    raise_first_refused(context, edit.list, batch_arrays(cells));
    const BatchArrays &all = batch_arrays(cells);
    Datum args[] = {edit.list, all.rows, all.cols};
    return static_cast<int32>(context.run(Statement::batch_release, args));
}

// Raises PT412 for the first element, in input order, of the cells given (positions: their
// indexes) whose version, its row locked, is not its if_match.
void raise_first_stale(StatementContext &context, Datum list, const BatchCells &cells, const BatchArrays &given) {
    Datum args[] = {list, given.rows, given.cols, given.positions};
    const uint64 found = context.run(Statement::batch_versions, args);
    int stale = -1;
    Version stale_version;
    for (uint64 i = 0; i < found; ++i) {
        bool is_null;
        const int k = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &is_null));
        const Datum value = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &is_null);
        Version current;
        copy_version(value, is_null, current);
        if (strcmp(current, cell_condition(cells, k)) == 0 || (stale >= 0 && cells.kept[stale] < cells.kept[k]))
            continue;
        stale = k;
        strlcpy(stale_version, current, sizeof stale_version);
    }
    if (stale < 0) return;
    const core::CellKey &key = cells.input->keys[cells.kept[stale]];
    raise_version_mismatch(DatumGetUUIDP(list)->data, key.row, key.column, stale_version, cell_condition(cells, stale),
                           static_cast<int>(cells.kept[stale]));
}

// A batch with if_match: the checks first (their errors come before PT412), then the
// versions, their rows locked; then the upsert of the cells that may exist, and the insert
// of those that must not, which writes each only while it is still absent.
int32 write_conditional_batch(StatementContext &context, Datum list, const BatchCells &cells) {
    raise_first_refused(context, list, batch_arrays(cells));
    raise_first_stale(context, list, cells, batch_arrays_where(cells, has_condition));
    Snapshot snapshot = RegisterSnapshot(GetTransactionSnapshot());
    const BatchArrays upserted = batch_arrays_where(cells, may_exist);
    int written = 0;
    if (upserted.count > 0) {
        Datum args[] = {list, upserted.rows, upserted.cols, upserted.values};
        const int upserts = static_cast<int>(context.run(Statement::batch_upsert, args, nullptr, snapshot));
        if (upserts < upserted.count) explain_short_write(context, list, batch_arrays(cells), snapshot);
        written += upserts;
    }
    const BatchArrays created = batch_arrays_where(cells, must_be_absent);
    if (created.count > 0) {
        Datum args[] = {list, created.rows, created.cols, created.values};
        const int inserts = static_cast<int>(context.run(Statement::batch_insert_if_absent, args, nullptr, snapshot));
        // One created meanwhile by another transaction: PT412 (else a trigger skipped it).
        if (inserts < created.count) raise_first_stale(context, list, cells, created);
        written += inserts;
    }
    UnregisterSnapshot(snapshot);
    return written;
}

// A small batch's checks and locks read by key, then its write alone (key_probes.h): false
// when they may not be, or do not all pass, and the statements with the checks must run
// (their locks are taken again; the checks diagnose).
bool write_checked_by_key(StatementContext &context, Datum list, const BatchCells &cells, int32 *written) {
    if (cells.conditional || XactReadOnly || static_cast<uint64>(cells.count) > StatementContext::kByKeyBatchCells)
        return false;
    context.prepare(Statement::batch_write_checked);  // its errors before any lock
    if (!key_probes_apply(context.tables())) return false;
    // Tables whose owner could not lock them take the statements, which say so (55000), as
    // the same batch would under row-level security.
    const char *fix;
    for (ListTable table : {kLists, kListColumns, kListCompanies})
        if (batch_lock_problem(context.tables().relids[table], table, &fix) != nullptr) return false;
    // As SPI reads for a statement: what the transaction wrote so far, then a new snapshot.
    CommandCounterIncrement();
    if (!batch_keys_locked(context.tables(), list, batch_distinct_ids(cells, true), batch_distinct_ids(cells, false),
                           GetTransactionSnapshot()))
        return false;
    const BatchArrays &all = batch_arrays(cells);
    Datum args[] = {list, all.rows, all.cols, all.values};
    // Prepared again: the tables may have been renamed while the batch waited for a lock.
    context.check_tables_after_wait();
    *written = static_cast<int32>(context.run(Statement::batch_write_checked, args));  // fewer: a trigger skipped some
    return true;
}

int32 write_batch(StatementContext &context, const BatchEdit &edit) {
    const BatchCells cells = batch_cells(*edit.input);
    // The write's own errors first (a schema the caller cannot use), before any lock.
    context.prepare(Statement::batch_upsert);
    int32 written_by_key;
    if (write_checked_by_key(context, edit.list, cells, &written_by_key)) return written_by_key;
    Snapshot snapshot = locked_snapshot(context, edit.list, cells);
    if (cells.conditional) {
        UnregisterSnapshot(snapshot);
        return write_conditional_batch(context, edit.list, cells);
    }
    const int written = write_in_parts(cells, [&](const BatchArrays &part) {
        Datum args[] = {edit.list, part.rows, part.cols, part.values};
        // Prepared again: the tables may have changed while the batch waited for its locks.
        const int part_written = static_cast<int>(context.run(Statement::batch_upsert, args, nullptr, snapshot));
        if (part_written < part.count) explain_short_write(context, edit.list, batch_arrays(cells), snapshot);
        return part_written;
    });
    UnregisterSnapshot(snapshot);
    return written;
}

void raise_first_refused_of(StatementContext &context, const BatchEdit &edit) {
    raise_first_refused(context, edit.list, batch_arrays(batch_cells(*edit.input)));
}

}  // namespace

const WriteStrategy kSingleNodeWrites = {write_cell,   write_batch,  read_version,  read_version,
                                         release_cell, enrich_batch, release_batch, raise_first_refused_of};

}  // namespace cellupsert::pg
