// The checks both SQL functions share: id arguments, and what the checks of one cell found.
//
// A write that processed fewer cells than it was given either had a cell refused, or had
// one skipped by a trigger of the application (a BEFORE trigger that returns NULL). The
// single-node strategy tells them apart with two diagnoses: a check that fails as the caller
// sees the tables now is the call's error; one that failed only in the write's own snapshot
// was a race with a concurrent transaction that created the list, column or row while the
// write ran (40001); none at all means a trigger skipped the write, which is no error. The
// distributed strategy checks first, as the caller sees the tables then, and its write
// checks nothing: fewer cells written after the checks passed were skipped by a trigger.
#pragma once

#include "../core/cell_version.h"
#include "pg_headers.h"

namespace cellupsert::pg {

// Argument i as an accepted id (not NULL, in the UUID pattern), or an error naming parameter.
Datum id_argument(FunctionCallInfo fcinfo, int i, const char *parameter);

// A cell's version (core/cell_version.h), NUL-terminated.
using Version = char[core::kVersionLength + 1];

// Argument i, an if_match: nullptr when NULL (or absent from an older SQL declaration),
// else the version it is (22023 when it is none).
const char *if_match_argument(FunctionCallInfo fcinfo, int i);

// Whether text is a version (32 lower-case hex digits, or kAbsentVersion).
bool is_version(const char *text);

// Raises PT412 when a conditional write's if_match is not the cell's version, current
// (nullptr: the cell does not exist, or the caller does not see it).
void raise_if_stale(Datum list, Datum row, Datum col, const char *current, const char *if_match);

// Copies a version datum (text) into version, kAbsentVersion for NULL.
void copy_version(Datum value, bool is_null, Version &version);

// What the checks found for (list, row, col): the list, the column's subject (nullptr when
// the column is not one of the list's, or its subject is NULL), the row.
struct Findings {
    bool list_found;
    const char *subject;
    bool row_found;
};

// Whether a check failed.
bool refused(const Findings &findings);

// Raises the error of the first failed check, in the order list, column, column subject,
// row. Errors about the column and row name the batch element (or kNoElement, errors.h).
// Returns when every check passed.
void raise_first_failure(const Findings &findings, Datum list, Datum row, Datum col, int element);

}  // namespace cellupsert::pg
