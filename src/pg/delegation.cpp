#include "delegation.h"

namespace cellupsert::pg {
namespace {

// Citus names the connections it opens to other nodes so (connection_management.h).
constexpr char kCitusInternalPrefix[] = "citus_internal gpid=";

// Set while a hand-over runs: if Citus runs the call here instead of delegating it (the
// list's shard is local, or the function is not distributed), that call does the work.
bool handing_over = false;

bool from_another_citus_node() {
    const char *name = GetConfigOption("application_name", true, false);
    return name != nullptr && strncmp(name, kCitusInternalPrefix, sizeof kCitusInternalPrefix - 1) == 0;
}

}  // namespace

bool should_hand_over(Oid function_oid) {
    return !handing_over && statements_distributed(function_oid) && !from_another_citus_node();
}

Datum hand_over(Oid function_oid, Statement call, Datum *values, const char *nulls) {
    SPIPlanPtr plan = statement_plan(function_oid, call);
    volatile int rc = 0;  // set under PG_TRY, read after it
    handing_over = true;
    PG_TRY();
    {
        rc = execute_plan(function_oid, plan, values, nulls, InvalidSnapshot, 1);
    }
    PG_FINALLY();
    {
        handing_over = false;
    }
    PG_END_TRY();
    if (rc != SPI_OK_SELECT || SPI_processed != 1)
        elog(ERROR, "handed-over call returned %s", SPI_result_code_string(rc));
    bool is_null;
    const Datum result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null);
    if (is_null) elog(ERROR, "handed-over call returned NULL");
    return result;
}

}  // namespace cellupsert::pg
