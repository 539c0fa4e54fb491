// The cells argument of cell_upsert_many, a JSON array of {"row", "col", "val", "if_match"}
// objects, of cell_enrich_many, {"row", "col", "val", "status", "reasoning", "error"}, or of
// cell_release_many, {"row", "col"}:
// read and checked element by element before anything is written.
#pragma once

#include "../core/cell_keys.h"
#include "pg_headers.h"

namespace cellupsert::pg {

enum class BatchKind { manual_edit, enrichment, release };

// A text of each element, or NULL.
struct TextField {
    Datum *values;  // nullptr when the batch has no such field
    bool *nulls;
};

struct BatchInput {
    int count;
    core::CellKey *keys;  // the ids of element i
    Datum *values;        // its val as text, or (Datum)0 where value_nulls[i]
    bool *value_nulls;    // val null, omitted or ""
    // Its if_match (a version, core/cell_version.h), or nullptr; nullptr for every element
    // (if_match itself nullptr) when no element has one.
    const char **if_match;
    // An enrichment's: its status ("complete" when omitted or null), its reasoning and
    // error (NULL when omitted, null or "").
    TextField status, reasoning, error;
};

// Raises 22023 (or 22004 for a null or missing id, 22P02 for an id that is not a UUID at
// all) naming the first bad element: a bad id, an unknown key, an if_match that is not a
// version.
BatchInput read_batch_input(Jsonb *cells, BatchKind kind = BatchKind::manual_edit);

}  // namespace cellupsert::pg
