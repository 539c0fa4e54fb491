#include "manual_guard.h"

#include "../core/list_tables_contract.h"
#include "write_scope.h"

extern "C" {
#include "commands/trigger.h"
#include "utils/rel.h"
}

namespace cellupsert::pg {

Datum cell_manual_guard_body(PG_FUNCTION_ARGS) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("cell_manual_guard() is a trigger function")));
    const TriggerData *trigger = reinterpret_cast<TriggerData *>(fcinfo->context);
    if (!TRIGGER_FIRED_BEFORE(trigger->tg_event) || !TRIGGER_FIRED_FOR_ROW(trigger->tg_event) ||
        !TRIGGER_FIRED_BY_UPDATE(trigger->tg_event))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("cell_manual_guard() must be fired BEFORE UPDATE FOR EACH ROW")));
    if (manual_edit_running()) return PointerGetDatum(trigger->tg_newtuple);
    const TupleDesc desc = RelationGetDescr(trigger->tg_relation);
    const int source = SPI_fnumber(desc, "source");
    if (source <= 0)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("cell_manual_guard() needs the column \"source\" in relation \"%s\"",
                               RelationGetRelationName(trigger->tg_relation)),
                        errhint("Add the provenance columns (cellupsert_list_tables--1.0--1.1.sql).")));
    const char *old_source = SPI_getvalue(trigger->tg_trigtuple, desc, source);
    const bool manual = old_source != nullptr && strcmp(old_source, core::kManualSource) == 0;
    // NULL skips this row's update, as any BEFORE trigger may.
    return manual ? PointerGetDatum(nullptr) : PointerGetDatum(trigger->tg_newtuple);
}

}  // namespace cellupsert::pg
