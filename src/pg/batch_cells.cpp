#include "batch_cells.h"

namespace cellupsert::pg {

BatchCells batch_cells(const BatchInput &input) {
    BatchCells cells;
    cells.input = &input;
    cells.kept = static_cast<uint32 *>(palloc(sizeof(uint32) * input.count));
    cells.first = static_cast<uint32 *>(palloc(sizeof(uint32) * input.count));
    const int count = static_cast<int>(core::keep_last_per_key(input.keys, input.count, cells.kept, cells.first));
    cells.count = count;

    Datum *rows = static_cast<Datum *>(palloc(sizeof(Datum) * count));
    Datum *cols = static_cast<Datum *>(palloc(sizeof(Datum) * count));
    Datum *values = static_cast<Datum *>(palloc(sizeof(Datum) * count));
    bool *value_nulls = static_cast<bool *>(palloc(sizeof(bool) * count));
    Datum *positions = static_cast<Datum *>(palloc(sizeof(Datum) * count));
    for (int k = 0; k < count; ++k) {
        const uint32 i = cells.kept[k];
        rows[k] = PointerGetDatum(input.keys[i].row);
        cols[k] = PointerGetDatum(input.keys[i].column);
        values[k] = input.values[i];
        value_nulls[k] = input.value_nulls[i];
        positions[k] = Int32GetDatum(static_cast<int32>(cells.first[k]));
    }
    int dims[1] = {count};
    int lower_bounds[1] = {1};
    cells.rows = PointerGetDatum(construct_array(rows, count, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
    cells.cols = PointerGetDatum(construct_array(cols, count, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
    cells.values = PointerGetDatum(
        construct_md_array(values, value_nulls, 1, dims, lower_bounds, TEXTOID, -1, false, TYPALIGN_INT));
    cells.positions = PointerGetDatum(construct_array(positions, count, INT4OID, sizeof(int32), true, TYPALIGN_INT));
    pfree(rows);
    pfree(cols);
    pfree(values);
    pfree(value_nulls);
    pfree(positions);
    return cells;
}

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
