// The rows cellupsert_check() returns: (item, ok, detail), ok false exactly for what stops
// the functions from working.
#pragma once

#include "pg_headers.h"

extern "C" {
#include "funcapi.h"
#include "utils/tuplestore.h"
}

namespace cellupsert::pg {

struct Report {
    ReturnSetInfo *rsinfo;
    const char *schema;  // quoted
    void row(const char *item, bool ok, const char *detail) const {
        Datum values[3] = {CStringGetTextDatum(item), BoolGetDatum(ok), CStringGetTextDatum(detail)};
        bool nulls[3] = {false, false, false};
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
};

}  // namespace cellupsert::pg
