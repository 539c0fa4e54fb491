// The distributed strategy (write_strategy.h), for list tables distributed with Citus: check,
// then write. Every statement reads or writes one table, filtered by the list, which Citus
// routes to the list's shard on its fast path; the checks name the list as a constant and
// their plans are kept per list (list_plans.h). The checks run first, as the caller sees the
// tables then, and the write checks nothing: a write that processes fewer cells than given
// after the checks passed was skipped by a trigger.
#include "batch_locks.h"
#include "cell_checks.h"
#include "errors.h"
#include "list_placement.h"
#include "relations.h"
#include "write_strategy.h"

extern "C" {
#include "utils/acl.h"
#include "utils/rls.h"
}

namespace cellupsert::pg {
namespace {

// Runs a check; returns whether it found its row, left in SPI_tuptable.
bool found_by(StatementContext &context, Statement check, Datum list, Datum id) {
    Datum args[] = {list, id};
    return context.run(check, args, nullptr, InvalidSnapshot, 1) == 1;
}

// The first of the checks, after the list's shards are held here (list_placement.h).
bool list_found(StatementContext &context, Datum list) {
    hold_list_placement(context, list);
    return found_by(context, Statement::list_check, list, (Datum)0);
}

// Raises 23503 when the caller does not see the list.
void raise_list_check(StatementContext &context, Datum list) {
    if (!list_found(context, list)) raise_list_not_found(DatumGetUUIDP(list)->data);
}

// One single-table statement per check, each run only while the earlier ones passed; raises
// the error of the first that fails.
void raise_failed_check(StatementContext &context, Datum list, Datum row, Datum col, int element) {
    Findings f{false, nullptr, false};
    f.list_found = list_found(context, list);
    if (f.list_found && found_by(context, Statement::column_check, list, col)) {
        bool is_null;
        const Datum subject = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null);
        if (!is_null) f.subject = TextDatumGetCString(subject);
    }
    f.row_found = f.subject != nullptr && found_by(context, Statement::row_check, list, row);
    raise_first_failure(f, list, row, col, element);
}

// The version of a cell whose checks passed: one statement, on the list's shard.
void written_version(StatementContext &context, Datum list, Datum row, Datum col, Version &version) {
    Datum args[] = {list, row, col};
    const bool found = context.run(Statement::cell_version_get, args, nullptr, InvalidSnapshot, 1) == 1;
    bool is_null = !found;
    const Datum value = found ? SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null) : (Datum)0;
    copy_version(value, is_null, version);
}

void read_version(StatementContext &context, Datum list, Datum row, Datum col, Version &version) {
    raise_failed_check(context, list, row, col, kNoElement);
    written_version(context, list, row, col, version);
}

// The write of cell_upsert: the upsert; with if_match, the insert of a cell that must be
// absent, or the update of a cell that must have that version.
Statement cell_write_kind(const CellEdit &edit) {
    if (edit.if_match == nullptr) return Statement::cell_write;
    return strcmp(edit.if_match, core::kAbsentVersion) == 0 ? Statement::cell_write_if_absent
                                                            : Statement::cell_write_if_match;
}

bool write_cell(StatementContext &context, const CellEdit &edit) {
    raise_failed_check(context, edit.list, edit.row, edit.col, kNoElement);
    Datum args[] = {edit.list, edit.row, edit.col, edit.value, edit.if_match_text};
    const char nulls[] = {' ', ' ', ' ', edit.value_is_null ? 'n' : ' ', ' '};
    // Where the call holds the list's shards, the upsert on the cells' shard (list_placement.h).
    // Elsewhere, for a list this backend used lately, the update of the cell first, whose plan Citus
    // keeps on the shard (per list), then the upsert when there was no cell; for another list,
    // the upsert alone, which costs what planning the update would. Not under row-level
    // security on the cells: Citus evaluates the policies' functions (current_setting(), the
    // JWT's claims) at each execution and plans the update again, as it does the upsert. Only
    // where nothing could tell the update from the upsert: the caller may insert cells (the
    // upsert needs it) and read their key (the update does), and no trigger of the
    // application's sees the difference.
    const Oid cells = context.tables().relids[kListCompanyCells];
    const bool overwrite_first = edit.if_match == nullptr && !context.holds_list_shards(edit.list) &&
                                 check_enable_rls(cells, InvalidOid, true) != RLS_ENABLED &&
                                 context.list_used_lately(edit.list) &&
                                 pg_class_aclcheck(cells, GetUserId(), ACL_INSERT) == ACLCHECK_OK &&
                                 caller_may_select(cells, core::kConflictKey, core::kConflictKeyColumns) &&
                                 context.cells_have_only_own_write_triggers();
    const bool written = (overwrite_first && context.run(Statement::cell_overwrite, args, nulls) == 1) ||
                         context.run(cell_write_kind(edit), args, nulls) == 1;
    if (!written && edit.if_match != nullptr) {
        Version current;
        read_version(context, edit.list, edit.row, edit.col, current);
        raise_if_stale(edit.list, edit.row, edit.col, current, edit.if_match);
    }
    // Nothing processed after the checks passed (and the version matched): a trigger of the
    // application skipped it.
    return written;
}

bool release_cell(StatementContext &context, Datum list, Datum row, Datum col) {
    raise_failed_check(context, list, row, col, kNoElement);
    Datum args[] = {list, row, col};
    return context.run(Statement::cell_release_write, args) == 1;
}

// Ids (uuid), sorted for in_set.
struct IdSet {
    int count;
    pg_uuid_t *ids;
};

int compare_ids(const void *a, const void *b) { return memcmp(a, b, UUID_LEN); }

// The ids among candidates (uuid[]) that check finds in the list.
IdSet ids_found_by(StatementContext &context, Statement check, Datum list, Datum candidates) {
    Datum args[] = {list, candidates};
    IdSet set;
    set.count = static_cast<int>(context.run(check, args));
    set.ids = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * (set.count + 1)));
    for (int i = 0; i < set.count; ++i) {
        bool is_null;
        set.ids[i] = *DatumGetUUIDP(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &is_null));
    }
    SPI_freetuptable(SPI_tuptable);
    qsort(set.ids, set.count, sizeof(pg_uuid_t), compare_ids);
    return set;
}

bool in_set(const IdSet &set, const void *id) {
    return bsearch(id, set.ids, set.count, sizeof(pg_uuid_t), compare_ids) != nullptr;
}

// The checks of every cell before the write, the list's first (so that an unknown list is
// its own error), then one statement per table (the batch's distinct columns; its distinct
// rows). Raises the error of the first refused element in input order, as cell_upsert would
// for it.
void check_batch(StatementContext &context, Datum list, const BatchCells &cells, Datum columns, Datum rows) {
    raise_list_check(context, list);
    const IdSet found_columns = ids_found_by(context, Statement::batch_company_columns, list, columns);
    const IdSet found_rows = ids_found_by(context, Statement::batch_visible_rows, list, rows);
    int refused = -1;
    for (int k = 0; k < cells.count; ++k) {
        const core::CellKey &key = cells.input->keys[cells.kept[k]];
        if ((refused < 0 || cells.first[k] < cells.first[refused]) &&
            (!in_set(found_columns, key.column) || !in_set(found_rows, key.row)))
            refused = k;
    }
    if (refused < 0) return;
    const core::CellKey &key = cells.input->keys[cells.kept[refused]];
    pg_uuid_t *row = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
    pg_uuid_t *col = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
    memcpy(row->data, key.row, UUID_LEN);
    memcpy(col->data, key.column, UUID_LEN);
    // The error of the element's first check that fails now (the list's included).
    raise_failed_check(context, list, UUIDPGetDatum(row), UUIDPGetDatum(col), static_cast<int>(cells.first[refused]));
    raise_concurrent_change(DatumGetUUIDP(list)->data);  // accepted since the batch's checks
}

// The checks of a batch, then the locks of batch_locks.h on what they accepted. Something
// deleted since the checks: the checks again, the rest being locked now, so that the refusal
// is this function's error, not the foreign key's.
void check_and_lock(StatementContext &context, Datum list, const BatchCells &cells, Datum columns, Datum rows) {
    check_batch(context, list, cells, columns, rows);
    if (!lock_batch_ids(context, list, columns, rows)) check_batch(context, list, cells, columns, rows);
}

// Runs batch_write or batch_write_if_absent (write) on cells; returns the cells written.
int32 write_cells(StatementContext &context, Statement write, Datum list, const BatchArrays &cells) {
    Datum args[] = {list, cells.rows, cells.cols, cells.values};
    context.run(write, args, nullptr, InvalidSnapshot, 1);
    return result_int32(1);
}

// The checks, the locks, then the enrichment's write, which leaves a person's cells alone.
Enriched enrich_batch(StatementContext &context, const BatchEdit &edit) {
    const BatchCells cells = batch_cells(*edit.input);
    const Datum columns = batch_distinct_ids(cells, true);
    const Datum rows = batch_distinct_ids(cells, false);
    check_and_lock(context, edit.list, cells, columns, rows);
    const BatchArrays &a = batch_arrays(cells);
    Datum args[] = {edit.list, a.rows, a.cols, a.values, a.statuses, a.reasonings, a.errors};
    context.run(Statement::batch_enrich_write, args, nullptr, InvalidSnapshot, 1);
    const int32 written = result_int32(1);
    return {written, cells.count - written};
}

// The checks of every element first, then the release, one statement on the list's shard.
int32 release_batch(StatementContext &context, const BatchEdit &edit) {
    const BatchCells cells = batch_cells(*edit.input);
    check_batch(context, edit.list, cells, batch_distinct_ids(cells, true), batch_distinct_ids(cells, false));
    const BatchArrays &all = batch_arrays(cells);
    Datum args[] = {edit.list, all.rows, all.cols};
    return static_cast<int32>(context.run(Statement::batch_release, args));
}

int compare_keys(const void *a, const void *b) { return memcmp(a, b, sizeof(core::CellKey)); }

// Raises PT412 for the first element, in input order, of the cells whose condition passes
// filter and is not their version, read with their rows locked (the cells of the batch's
// columns and rows, in key order).
void raise_first_stale(StatementContext &context, Datum list, const BatchCells &cells, Datum columns, Datum rows,
                       bool (*filter)(const char *condition)) {
    Datum args[] = {list, columns, rows};
    const int found = static_cast<int>(context.run(Statement::batch_versions_get, args));
    // Their keys in key order, as the statement returns them, and their versions.
    core::CellKey *keys = static_cast<core::CellKey *>(palloc(sizeof(core::CellKey) * (found + 1)));
    Version *versions = static_cast<Version *>(palloc(sizeof(Version) * (found + 1)));
    for (int i = 0; i < found; ++i) {
        bool is_null;
        const HeapTuple tuple = SPI_tuptable->vals[i];
        memcpy(keys[i].column, DatumGetUUIDP(SPI_getbinval(tuple, SPI_tuptable->tupdesc, 1, &is_null))->data, UUID_LEN);
        memcpy(keys[i].row, DatumGetUUIDP(SPI_getbinval(tuple, SPI_tuptable->tupdesc, 2, &is_null))->data, UUID_LEN);
        copy_version(SPI_getbinval(tuple, SPI_tuptable->tupdesc, 3, &is_null), is_null, versions[i]);
    }
    int stale = -1;
    const char *stale_version = nullptr;
    for (int k = 0; k < cells.count; ++k) {
        const char *condition = cell_condition(cells, k);
        if (condition == nullptr || !filter(condition)) continue;
        const core::CellKey &key = cells.input->keys[cells.kept[k]];
        const void *at = bsearch(&key, keys, found, sizeof(core::CellKey), compare_keys);
        const char *current =
            at == nullptr ? core::kAbsentVersion : versions[static_cast<const core::CellKey *>(at) - keys];
        if (strcmp(current, condition) == 0 || (stale >= 0 && cells.kept[stale] < cells.kept[k])) continue;
        stale = k;
        stale_version = current;
    }
    if (stale < 0) return;
    const core::CellKey &key = cells.input->keys[cells.kept[stale]];
    raise_version_mismatch(DatumGetUUIDP(list)->data, key.row, key.column, stale_version, cell_condition(cells, stale),
                           static_cast<int>(cells.kept[stale]));
}

// The checks, the locks of batch_locks.h on what they accepted, then the write of the cells
// alone. With if_match: after the locks, the versions, their rows locked; then the write of
// the cells that may exist, and the insert of those that must not, which writes each only
// while it is still absent.
int32 write_batch(StatementContext &context, const BatchEdit &edit) {
    const BatchCells cells = batch_cells(*edit.input);
    const Datum columns = batch_distinct_ids(cells, true);
    const Datum rows = batch_distinct_ids(cells, false);
    check_and_lock(context, edit.list, cells, columns, rows);
    // Fewer cells than given after the checks passed: a trigger skipped the others.
    if (!cells.conditional) return write_cells(context, Statement::batch_write, edit.list, batch_arrays(cells));
    raise_first_stale(context, edit.list, cells, columns, rows, has_condition);
    int32 written = 0;
    const BatchArrays upserted = batch_arrays_where(cells, may_exist);
    if (upserted.count > 0) written += write_cells(context, Statement::batch_write, edit.list, upserted);
    const BatchArrays created = batch_arrays_where(cells, must_be_absent);
    if (created.count > 0) {
        const int32 inserts = write_cells(context, Statement::batch_write_if_absent, edit.list, created);
        // One created meanwhile by another transaction: PT412 (else a trigger skipped it).
        if (inserts < created.count) raise_first_stale(context, edit.list, cells, columns, rows, must_be_absent);
        written += inserts;
    }
    return written;
}

// The checks of the elements before a bad one (read_batch_argument): the error of the first
// they refuse.
void raise_first_refused(StatementContext &context, const BatchEdit &edit) {
    const BatchCells cells = batch_cells(*edit.input);
    check_batch(context, edit.list, cells, batch_distinct_ids(cells, true), batch_distinct_ids(cells, false));
}

}  // namespace

const WriteStrategy kDistributedWrites = {write_cell,   write_batch,  read_version,  written_version,
                                          release_cell, enrich_batch, release_batch, raise_first_refused};

}  // namespace cellupsert::pg
