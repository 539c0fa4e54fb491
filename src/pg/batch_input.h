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

// What the checks refuse among the elements before a bad one: raise(before, arg), called with
// the elements read so far (before.count of them, at least one) just before the error of the
// next one is raised, raises the error of the first element the checks (cell_checks.h) refuse
// in before, if any, and returns otherwise. Only a bad batch pays for it.
struct EarlierRefusals {
    void (*raise)(const BatchInput &before, void *arg);
    void *arg;
};

// Raises 22023 (or 22004 for a null or missing id, 22P02 for an id that is not a UUID at
// all) naming the first bad element: a bad id, an unknown key, an if_match that is not a
// version; unless earlier raises first, for an earlier element that its checks refuse.
BatchInput read_batch_input(Jsonb *cells, BatchKind kind = BatchKind::manual_edit, const EarlierRefusals &earlier = {});

}  // namespace cellupsert::pg
