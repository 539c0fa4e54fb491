#include "batch_cells.h"

#include "../core/cell_version.h"

namespace cellupsert::pg {
namespace {

// The text[] of field for the cells indexes[0..count) (without indexes: from offset on);
// (Datum)0 when the batch has no such field.
Datum text_array(const BatchCells &cells, const TextField &field, const int *indexes, int offset, int count) {
    if (field.values == nullptr) return (Datum)0;
    Datum *values = static_cast<Datum *>(palloc(sizeof(Datum) * (count + 1)));
    bool *nulls = static_cast<bool *>(palloc(sizeof(bool) * (count + 1)));
    for (int n = 0; n < count; ++n) {
        const uint32 i = cells.kept[indexes == nullptr ? offset + n : indexes[n]];
        values[n] = field.values[i];
        nulls[n] = field.nulls[i];
    }
    int dims[1] = {count};
    int lower_bounds[1] = {1};
    const Datum array =
        PointerGetDatum(construct_md_array(values, nulls, 1, dims, lower_bounds, TEXTOID, -1, false, TYPALIGN_INT));
    pfree(values);
    pfree(nulls);
    return array;
}

// The arrays of the cells indexes[0..count) (without indexes: the cells from offset on), with
// positions[k] as their positions (without positions: k).
BatchArrays arrays_of(const BatchCells &cells, const int *indexes, const uint32 *positions, int offset, int count) {
    const BatchInput &input = *cells.input;
    Datum *rows = static_cast<Datum *>(palloc(sizeof(Datum) * (count + 1)));
    Datum *cols = static_cast<Datum *>(palloc(sizeof(Datum) * (count + 1)));
    Datum *values = static_cast<Datum *>(palloc(sizeof(Datum) * (count + 1)));
    bool *value_nulls = static_cast<bool *>(palloc(sizeof(bool) * (count + 1)));
    Datum *position_data = static_cast<Datum *>(palloc(sizeof(Datum) * (count + 1)));
    for (int n = 0; n < count; ++n) {
        const int k = indexes == nullptr ? offset + n : indexes[n];
        const uint32 i = cells.kept[k];
        rows[n] = PointerGetDatum(input.keys[i].row);
        cols[n] = PointerGetDatum(input.keys[i].column);
        values[n] = input.values[i];
        value_nulls[n] = input.value_nulls[i];
        position_data[n] = Int32GetDatum(static_cast<int32>(positions == nullptr ? k : positions[k]));
    }
    int dims[1] = {count};
    int lower_bounds[1] = {1};
    BatchArrays arrays;
    arrays.count = count;
    arrays.rows = PointerGetDatum(construct_array(rows, count, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
    arrays.cols = PointerGetDatum(construct_array(cols, count, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
    arrays.values = PointerGetDatum(
        construct_md_array(values, value_nulls, 1, dims, lower_bounds, TEXTOID, -1, false, TYPALIGN_INT));
    arrays.positions =
        PointerGetDatum(construct_array(position_data, count, INT4OID, sizeof(int32), true, TYPALIGN_INT));
    pfree(rows);
    pfree(cols);
    pfree(values);
    pfree(value_nulls);
    pfree(position_data);
    arrays.statuses = text_array(cells, input.status, indexes, offset, count);
    arrays.reasonings = text_array(cells, input.reasoning, indexes, offset, count);
    arrays.errors = text_array(cells, input.error, indexes, offset, count);
    return arrays;
}

}  // namespace

BatchCells batch_cells(const BatchInput &input) {
    BatchCells cells;
    cells.input = &input;
    cells.kept = static_cast<uint32 *>(palloc(sizeof(uint32) * input.count));
    cells.first = static_cast<uint32 *>(palloc(sizeof(uint32) * input.count));
    cells.count = static_cast<int>(core::keep_last_per_key(input.keys, input.count, cells.kept, cells.first));
    cells.arrays = nullptr;
    cells.memory = CurrentMemoryContext;
    cells.conditional = false;
    for (int k = 0; k < cells.count && input.if_match != nullptr; ++k)
        cells.conditional |= cell_condition(cells, k) != nullptr;
    return cells;
}

const BatchArrays &batch_arrays(const BatchCells &cells) {
    if (cells.arrays == nullptr) {
        const MemoryContext caller = MemoryContextSwitchTo(cells.memory);
        cells.arrays = static_cast<BatchArrays *>(palloc(sizeof(BatchArrays)));
        *cells.arrays = arrays_of(cells, nullptr, cells.first, 0, cells.count);
        MemoryContextSwitchTo(caller);
    }
    return *cells.arrays;
}

const char *cell_condition(const BatchCells &cells, int k) {
    return cells.input->if_match == nullptr ? nullptr : cells.input->if_match[cells.kept[k]];
}

BatchArrays batch_arrays_where(const BatchCells &cells, bool (*keep)(const char *condition)) {
    int *indexes = static_cast<int *>(palloc(sizeof(int) * (cells.count + 1)));
    int count = 0;
    for (int k = 0; k < cells.count; ++k)
        if (keep(cell_condition(cells, k))) indexes[count++] = k;
    const BatchArrays arrays = arrays_of(cells, indexes, nullptr, 0, count);
    pfree(indexes);
    return arrays;
}

int batch_part_end(const BatchCells &cells, int begin) {
    // What one cell holds in a sort or a hash table of the statement besides its value (its
    // ids, position and tuple headers, measured), against half of work_mem: the plan's other
    // nodes and the triggers' transition tables need room too.
    constexpr size_t kCellBytes = 300;
    constexpr int kLeastPartCells = 1000;
    const size_t budget = static_cast<size_t>(work_mem) * 1024 / 2;
    const BatchInput &input = *cells.input;
    size_t bytes = 0;
    int end = begin;
    while (end < cells.count && (bytes < budget || end - begin < kLeastPartCells)) {
        const uint32 i = cells.kept[end++];
        bytes += kCellBytes + (input.value_nulls[i] ? 0 : VARSIZE_ANY(DatumGetPointer(input.values[i])));
    }
    return end;
}

BatchArrays batch_part(const BatchCells &cells, int begin, int end) {
    if (begin == 0 && end == cells.count) return batch_arrays(cells);
    return arrays_of(cells, nullptr, cells.first, begin, end - begin);
}

bool has_condition(const char *condition) { return condition != nullptr; }

bool must_be_absent(const char *condition) {
    return condition != nullptr && strcmp(condition, core::kAbsentVersion) == 0;
}

bool may_exist(const char *condition) { return !must_be_absent(condition); }

Datum batch_distinct_ids(const BatchCells &cells, bool columns) {
    core::Id *ids = static_cast<core::Id *>(palloc(sizeof(core::Id) * cells.count));
    int n = 0;
    for (int k = 0; k < cells.count; ++k) {
        const core::CellKey &key = cells.input->keys[cells.kept[k]];
        const core::IdBytes &id = columns ? key.column : key.row;
        // The cells come sorted by (column, row): a column's repeats are adjacent.
        if (n > 0 && memcmp(ids[n - 1].bytes, id, core::kIdBytes) == 0) continue;
        memcpy(ids[n++].bytes, id, core::kIdBytes);
    }
    n = static_cast<int>(core::sort_unique_ids(ids, n));
    Datum *elements = static_cast<Datum *>(palloc(sizeof(Datum) * n));
    for (int i = 0; i < n; ++i) elements[i] = PointerGetDatum(ids[i].bytes);
    ArrayType *array = construct_array(elements, n, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR);
    pfree(elements);
    pfree(ids);
    return PointerGetDatum(array);
}

}  // namespace cellupsert::pg
