// The cells a batch writes: the last element of each (column, row) pair, in primary-key
// order, as the statements' array parameters.
#pragma once

#include "batch_input.h"

namespace cellupsert::pg {

// Cells of a batch as the statements' array parameters, in primary-key order.
struct BatchArrays {
    int count;
    Datum rows;       // uuid[]
    Datum cols;       // uuid[]
    Datum values;     // text[]
    Datum positions;  // int4[]: per cell, the first element of its pair (errors) or its index
    // An enrichment's (text[]); (Datum)0 for a person's edit.
    Datum statuses, reasonings, errors;
};

struct BatchCells {
    const BatchInput *input;
    int count;      // distinct (column, row) pairs
    uint32 *kept;   // the element written for each, in key order
    uint32 *first;  // the first element of each pair in the batch, for errors
    // Every cell's arrays (positions: first), made by batch_arrays on first use, in memory:
    // a batch written in parts never needs them but to explain an error.
    mutable BatchArrays *arrays;
    MemoryContext memory;
    // Some cell's written element has an if_match (the condition of its cell: as its value,
    // the last element of a pair decides).
    bool conditional;
};

BatchCells batch_cells(const BatchInput &input);

// Every cell of the batch as arrays; positions: first.
const BatchArrays &batch_arrays(const BatchCells &cells);

// The condition of cell k (its written element's if_match), or nullptr.
const char *cell_condition(const BatchCells &cells, int k);

// The cells k for which keep(condition of k) holds, as arrays whose positions are the
// cells' indexes k (not elements).
BatchArrays batch_arrays_where(const BatchCells &cells, bool (*keep)(const char *condition));

// A large batch is written in parts, each a statement of its own, in key order: the sorts
// and hash tables of one statement then fit in work_mem, and the foreign keys' checks and
// the triggers' transition tables of a part are done with before the next starts. The end
// of the part that starts at cell begin; cells.count when the rest fits.
int batch_part_end(const BatchCells &cells, int begin);
// The arrays of the cells [begin, end) (batch_arrays when that is all of them); positions:
// their first elements, as in batch_arrays.
BatchArrays batch_part(const BatchCells &cells, int begin, int end);

// Conditions (a cell's if_match, or nullptr) that select cells for batch_arrays_where.
bool has_condition(const char *condition);   // any if_match
bool must_be_absent(const char *condition);  // "absent"
bool may_exist(const char *condition);       // none, or a version

// The distinct ids of the columns (or rows) of the cells, as a uuid[] in uuid order.
Datum batch_distinct_ids(const BatchCells &cells, bool columns);

}  // namespace cellupsert::pg
