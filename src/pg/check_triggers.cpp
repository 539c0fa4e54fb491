#include "check_triggers.h"

#include "history.h"
#include "relations.h"

extern "C" {
#include "utils/lsyscache.h"
}

namespace cellupsert::pg {
namespace {

// The enabled triggers on table that run the extension's function, by name: their count,
// and their names in order, comma separated.
struct Attached {
    uint64 count;
    const char *names;
};
Attached attached_triggers(Oid table, Oid schema_oid, const char *function) {
    const Oid types[] = {OIDOID, OIDOID, TEXTOID};
    Datum args[] = {ObjectIdGetDatum(table), ObjectIdGetDatum(schema_oid), CStringGetTextDatum(function)};
    const int rc = SPI_execute_with_args(
        "SELECT pg_catalog.count(*), pg_catalog.string_agg(t.tgname::pg_catalog.text, ', ' ORDER BY t.tgname) "
        "FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) t.tgfoid "
        "WHERE t.tgrelid OPERATOR(pg_catalog.=) $1 AND NOT t.tgisinternal "
        "AND t.tgenabled OPERATOR(pg_catalog.<>) 'D' AND p.pronamespace OPERATOR(pg_catalog.=) $2 "
        "AND p.proname OPERATOR(pg_catalog.=) $3::pg_catalog.name",
        3, const_cast<Oid *>(types), args, nullptr, true, 1);
    if (rc != SPI_OK_SELECT || SPI_processed != 1)
        elog(ERROR, "cellupsert_check: reading the triggers failed: %s", SPI_result_code_string(rc));
    bool is_null;
    const uint64 count = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null));
    return {count, count == 0 ? "" : SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2)};
}

}  // namespace

// Without the guard any other writer may overwrite a person's edit.
void report_manual_guard(const Report &report, Oid cells_table, Oid schema_oid) {
    if (!OidIsValid(cells_table)) return;
    const Attached guard = attached_triggers(cells_table, schema_oid, "cell_manual_guard");
    report.row("manual-edit guard", true,
               guard.count > 0 ? psprintf("attached: trigger %s", guard.names)
                               : psprintf("not attached: any other writer may overwrite a person's edit; attach it to "
                                          "%s with cellupsert_list_tables--1.2--1.3.sql (docs/adoption.md)",
                                          qualified_name(cells_table)));
}

// The history is kept when its table is next to the cells and its two triggers are on them;
// the trigger refuses to write a history of another owner than the cells' (42501).
void report_history(const Report &report, Oid cells_table, Oid schema_oid) {
    if (!OidIsValid(cells_table)) return;
    const Oid history = get_relname_relid(kHistoryTable, get_rel_namespace(cells_table));
    const Attached recording = attached_triggers(cells_table, schema_oid, "cell_history_record");
    const char *place = get_namespace_name(get_rel_namespace(cells_table));
    if (OidIsValid(history) && relation_owner(history) != relation_owner(cells_table))
        report.row("history", false,
                   psprintf("%s.%s belongs to another role than %s: every write of the cells fails with 42501; "
                            "give both the same owner",
                            quote_identifier(place), kHistoryTable, qualified_name(cells_table)));
    else if (OidIsValid(history) && recording.count == 2)
        report.row("history", true,
                   psprintf("kept in %s.%s: triggers %s", quote_identifier(place), kHistoryTable, recording.names));
    else if (OidIsValid(history))
        report.row("history", true,
                   psprintf("not recorded: %s.%s exists, but %s of its two triggers is on %s; attach them with "
                            "cellupsert_list_tables--1.3--1.4.sql (docs/history.md)",
                            quote_identifier(place), kHistoryTable, recording.count == 0 ? "neither" : "only one",
                            qualified_name(cells_table)));
    else if (recording.count > 0)
        report.row("history", true,
                   psprintf("not kept: %s has the history's triggers (%s), but there is no %s.%s; they record "
                            "nothing and make PostgreSQL keep every row a statement writes: create the table or drop "
                            "them",
                            qualified_name(cells_table), recording.names, quote_identifier(place), kHistoryTable));
    else
        report.row("history", true,
                   psprintf("not kept: no %s.%s; cellupsert_list_tables--1.3--1.4.sql creates it and attaches its "
                            "triggers (docs/history.md)",
                            quote_identifier(place), kHistoryTable));
}

}  // namespace cellupsert::pg
