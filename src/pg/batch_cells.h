// The cells a batch writes: the last element of each (column, row) pair, in primary-key
// order, as the statements' array parameters.
#pragma once

#include "batch_input.h"

namespace cellupsert::pg {

struct BatchCells {
    const BatchInput *input;
    int count;        // distinct (column, row) pairs
    uint32 *kept;     // the element written for each, in key order
    uint32 *first;    // the first element of each pair in the batch, for errors
    Datum rows;       // uuid[]
    Datum cols;       // uuid[]
    Datum values;     // text[]
    Datum positions;  // int4[]: first, for the statements
};

BatchCells batch_cells(const BatchInput &input);

// The distinct ids of the columns (or rows) of the cells, as a uuid[] in uuid order.
Datum batch_distinct_ids(const BatchCells &cells, bool columns);

}  // namespace cellupsert::pg
