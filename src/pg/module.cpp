// The extension's SQL-callable entry points: thin extern "C" wrappers over the C++ bodies.
#include "boundary.h"
#include "change_notify.h"
#include "functions.h"
#include "history.h"
#include "manual_guard.h"

extern "C" {

PG_MODULE_MAGIC;

void _PG_init(void) { cellupsert::pg::define_settings(); }

PG_FUNCTION_INFO_V1(cell_upsert);
Datum cell_upsert(PG_FUNCTION_ARGS) {
    return cellupsert::pg::guarded("cell_upsert", cellupsert::pg::cell_upsert_body, fcinfo);
}

PG_FUNCTION_INFO_V1(cell_upsert_many);
Datum cell_upsert_many(PG_FUNCTION_ARGS) {
    return cellupsert::pg::guarded("cell_upsert_many", cellupsert::pg::cell_upsert_many_body, fcinfo);
}

PG_FUNCTION_INFO_V1(cellupsert_check);
Datum cellupsert_check(PG_FUNCTION_ARGS) {
    return cellupsert::pg::guarded("cellupsert_check", cellupsert::pg::cellupsert_check_body, fcinfo);
}

PG_FUNCTION_INFO_V1(cell_version_of);
Datum cell_version_of(PG_FUNCTION_ARGS) {
    return cellupsert::pg::guarded("cell_version_of", cellupsert::pg::cell_version_of_body, fcinfo);
}

PG_FUNCTION_INFO_V1(cell_version);
Datum cell_version(PG_FUNCTION_ARGS) {
    return cellupsert::pg::guarded("cell_version", cellupsert::pg::cell_version_body, fcinfo);
}

PG_FUNCTION_INFO_V1(cell_release);
Datum cell_release(PG_FUNCTION_ARGS) {
    return cellupsert::pg::guarded("cell_release", cellupsert::pg::cell_release_body, fcinfo);
}

PG_FUNCTION_INFO_V1(cell_release_many);
Datum cell_release_many(PG_FUNCTION_ARGS) {
    return cellupsert::pg::guarded("cell_release_many", cellupsert::pg::cell_release_many_body, fcinfo);
}

PG_FUNCTION_INFO_V1(cell_enrich_many);
Datum cell_enrich_many(PG_FUNCTION_ARGS) {
    return cellupsert::pg::guarded("cell_enrich_many", cellupsert::pg::cell_enrich_many_body, fcinfo);
}

PG_FUNCTION_INFO_V1(cell_manual_guard);
Datum cell_manual_guard(PG_FUNCTION_ARGS) {
    return cellupsert::pg::guarded("cell_manual_guard", cellupsert::pg::cell_manual_guard_body, fcinfo);
}

PG_FUNCTION_INFO_V1(cell_history_record);
Datum cell_history_record(PG_FUNCTION_ARGS) {
    return cellupsert::pg::guarded("cell_history_record", cellupsert::pg::cell_history_record_body, fcinfo);
}

PG_FUNCTION_INFO_V1(cell_revert);
Datum cell_revert(PG_FUNCTION_ARGS) {
    return cellupsert::pg::guarded("cell_revert", cellupsert::pg::cell_revert_body, fcinfo);
}

PG_FUNCTION_INFO_V1(cell_undo);
Datum cell_undo(PG_FUNCTION_ARGS) {
    return cellupsert::pg::guarded("cell_undo", cellupsert::pg::cell_undo_body, fcinfo);
}

PG_FUNCTION_INFO_V1(cell_changes);
Datum cell_changes(PG_FUNCTION_ARGS) {
    return cellupsert::pg::guarded("cell_changes", cellupsert::pg::cell_changes_body, fcinfo);
}

PG_FUNCTION_INFO_V1(cell_history);
Datum cell_history(PG_FUNCTION_ARGS) {
    return cellupsert::pg::guarded("cell_history", cellupsert::pg::cell_history_body, fcinfo);
}

}  // extern "C"
