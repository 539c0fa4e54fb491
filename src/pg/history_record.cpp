// cell_history_record(): the history's trigger (history.h). A statement that wrote one cell,
// the common case (cell_upsert, a single edit of any writer), is recorded by a VALUES insert
// of that cell's values as parameters; more cells by an INSERT … SELECT from the statement's
// transition tables. What the trigger learns of a cells table (its history table, the
// history's owner, Citus) is kept until the next invalidation of any relation or schema.
#include "change_notify.h"
#include "editor.h"
#include "history.h"
#include "history_statements.h"
#include "owner_mode.h"
#include "relations.h"
#include "statement_context.h"
#include "write_scope.h"

extern "C" {
#include "commands/trigger.h"
#include "executor/executor.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"
}

namespace cellupsert::pg {
namespace {

// The cells' columns a history row reads (history_statements.h), in the order they appear there.
constexpr int kCellColumns = 6;
constexpr const char *kCellColumnNames[kCellColumns] = {"list_id", "column_id", "company_row_id",
                                                        "value",   "status",    "source"};

// What the trigger knows of one cells table.
struct Recorder {
    Oid cells;
    Oid history;  // InvalidOid: no history kept for these cells
    Oid owner;
    bool citus;
    AttrNumber attnums[kCellColumns];  // 0 where the cells lack the column (source)
    SPIPlanPtr values_insert;          // made on the first single-cell statement
};
Recorder recorders[4];
int recorder_count = 0;
bool callbacks_registered = false;
// Set by any invalidation (a rename, a new or dropped history table, ALTER … OWNER, a Citus
// distribution): the recorders are forgotten at the next statement, never while one runs.
bool recorders_stale = false;

void forget_recorders() {
    for (int i = 0; i < recorder_count; ++i)
        if (recorders[i].values_insert != nullptr) SPI_freeplan(recorders[i].values_insert);
    recorder_count = 0;
    recorders_stale = false;
}
void on_relcache_invalidation(Datum, Oid) { recorders_stale = true; }
#if PG_VERSION_NUM >= 180000
void on_namespace_invalidation(Datum, SysCacheIdentifier, uint32) { recorders_stale = true; }
#else
void on_namespace_invalidation(Datum, int, uint32) { recorders_stale = true; }
#endif

char *qualified_history(const Recorder &recorder) {
    return psprintf("%s.%s", quote_identifier(get_namespace_name(get_rel_namespace(recorder.history))),
                    quote_identifier(get_rel_name(recorder.history)));
}

// The recorder of cells, looked up again after an invalidation; raises when the history
// table is not one the trigger may write.
Recorder &recorder_for(Relation cells) {
    if (recorders_stale) forget_recorders();
    for (int i = 0; i < recorder_count; ++i)
        if (recorders[i].cells == RelationGetRelid(cells)) return recorders[i];
    if (!callbacks_registered) {
        CacheRegisterRelcacheCallback(on_relcache_invalidation, (Datum)0);
        CacheRegisterSyscacheCallback(NAMESPACEOID, on_namespace_invalidation, (Datum)0);
        callbacks_registered = true;
    }
    Recorder recorder = {RelationGetRelid(cells),
                         get_relname_relid(kHistoryTable, RelationGetNamespace(cells)),
                         InvalidOid,
                         false,
                         {},
                         nullptr};
    if (OidIsValid(recorder.history)) {
        const char kind = get_rel_relkind(recorder.history);
        if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
            ereport(ERROR,
                    (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                     errmsg("\"%s.%s\" is not a table", get_namespace_name(RelationGetNamespace(cells)), kHistoryTable),
                     errdetail("cellupsert writes the cell history into a table of the cells' schema.")));
        // The owner writes the history of its own tables only: a table of another role (one
        // with CREATE on the schema) cannot make it write rows of its choosing.
        recorder.owner = relation_owner(recorder.history);
        if (cells->rd_rel->relowner != recorder.owner)
            ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                            errmsg("cell_history_record() records the cells of the owner of \"%s.%s\" only",
                                   get_namespace_name(RelationGetNamespace(cells)), kHistoryTable),
                            errdetail("\"%s\" belongs to another role.", RelationGetRelationName(cells))));
        recorder.citus = is_citus_table(recorder.history);
        for (int i = 0; i < kCellColumns; ++i) {
            const AttrNumber attnum = get_attnum(RelationGetRelid(cells), kCellColumnNames[i]);
            recorder.attnums[i] = attnum == InvalidAttrNumber ? 0 : attnum;
        }
    }
    if (recorder_count == static_cast<int>(sizeof recorders / sizeof recorders[0])) forget_recorders();
    recorders[recorder_count] = recorder;
    return recorders[recorder_count++];
}

// The one tuple of a transition table, read through a read pointer of its own (the tables'
// other readers, the statement's other triggers, keep theirs).
void read_only_tuple(Tuplestorestate *store, TupleTableSlot *slot) {
    tuplestore_select_read_pointer(store, tuplestore_alloc_read_pointer(store, EXEC_FLAG_REWIND));
    tuplestore_rescan(store);
    if (!tuplestore_gettupleslot(store, true, false, slot)) elog(ERROR, "cell_history_record: no transition tuple");
    tuplestore_select_read_pointer(store, 0);
    slot_getallattrs(slot);
}

// A cell's column of slot as the history holds it: text, a uuid or NULL.
Datum cell_datum(const Recorder &recorder, TupleTableSlot *slot, int column, Oid history_type, bool *is_null) {
    const AttrNumber attnum = recorder.attnums[column];
    *is_null = attnum == 0 || slot->tts_isnull[attnum - 1];
    if (*is_null) return (Datum)0;
    const Datum value = slot->tts_values[attnum - 1];
    const Oid type = TupleDescAttr(slot->tts_tupleDescriptor, attnum - 1)->atttypid;
    if (type == history_type) return value;
    if (history_type != TEXTOID) elog(ERROR, "cell_history_record: \"%s\" is not a uuid", kCellColumnNames[column]);
    Oid output;
    bool varlena;
    getTypeOutputInfo(type, &output, &varlena);
    return CStringGetTextDatum(OidOutputFunctionCall(output, value));  // an enum's label, as ::text
}

// The history row of a statement that wrote one cell: the row columns' values, from the new
// tuple and, for an update, the old, read into the slots after and before (which hold what
// the values point to: a tuple read back from a spilled transition table, for one); false
// when the two are not the same cell.
bool single_cell_row(const Recorder &recorder, TriggerData *trigger, TupleTableSlot *after, TupleTableSlot *before,
                     Datum *values, char *nulls) {
    const bool update = before != nullptr;
    read_only_tuple(trigger->tg_newtable, after);
    if (update) read_only_tuple(trigger->tg_oldtable, before);
    // (cell columns: 0 list_id, 1 column_id, 2 company_row_id, 3 value, 4 status, 5 source)
    constexpr int kAfterColumns[] = {0, 1, 2, -1, -1, -1, -1, 3, 4, 5};
    constexpr int kBeforeColumns[] = {-1, -1, -1, -1, 3, 4, 5, -1, -1, -1};
    bool is_null;
    for (int i = 0; i < kRowColumns; ++i) {
        values[i] = (Datum)0;
        is_null = true;  // existed_before, set below; a before column of an insert
        if (kAfterColumns[i] >= 0)
            values[i] = cell_datum(recorder, after, kAfterColumns[i], kRowColumnTypes[i], &is_null);
        else if (kBeforeColumns[i] >= 0 && update)
            values[i] = cell_datum(recorder, before, kBeforeColumns[i], kRowColumnTypes[i], &is_null);
        nulls[i] = is_null ? 'n' : ' ';
    }
    values[3] = BoolGetDatum(update);  // existed_before
    nulls[3] = ' ';
    bool same = true;
    for (int column = 0; update && column < 3; ++column) {
        const Datum old_key = cell_datum(recorder, before, column, UUIDOID, &is_null);
        same = same && !is_null && datumIsEqual(old_key, values[column], false, UUID_LEN);
    }
    return same;
}

[[noreturn]] void raise_wrong_firing() {
    ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                    errmsg("cell_history_record() must be fired AFTER INSERT or AFTER UPDATE FOR EACH STATEMENT"),
                    errhint("Attach it as cellupsert_list_tables.sql does: REFERENCING NEW TABLE AS new_cells "
                            "(and OLD TABLE AS old_cells for UPDATE).")));
}

// The hint of the lists a statement wrote (change_notify.h), from its new cells.
void notify_lists_written(const Trigger *trigger) {
    const char *sql = psprintf("SELECT DISTINCT n.list_id FROM %s n", quote_identifier(trigger->tgnewtable));
    if (SPI_execute(sql, true, 0) != SPI_OK_SELECT) elog(ERROR, "cell_history_record: reading the lists failed");
    for (uint64 i = 0; i < SPI_processed; ++i) {
        bool is_null;
        const Datum list = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &is_null);
        if (!is_null) notify_list_changed(list);
    }
}

// Runs plan as the history's owner.
int run_as_owner(const Recorder &recorder, SPIPlanPtr plan, Datum *values, const char *nulls) {
    const OwnerMode mode = enter_owner_mode(recorder.owner);
    const int rc = SPI_execute_plan(plan, values, nulls, false, 0);
    leave_owner_mode(mode);
    return rc;
}

}  // namespace

Datum cell_history_record_body(PG_FUNCTION_ARGS) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("cell_history_record() is a trigger function")));
    TriggerData *trigger = reinterpret_cast<TriggerData *>(fcinfo->context);
    const bool update = TRIGGER_FIRED_BY_UPDATE(trigger->tg_event);
    if (!TRIGGER_FIRED_AFTER(trigger->tg_event) || TRIGGER_FIRED_FOR_ROW(trigger->tg_event) ||
        !(update || TRIGGER_FIRED_BY_INSERT(trigger->tg_event)) || trigger->tg_trigger->tgnewtable == nullptr ||
        (update && trigger->tg_trigger->tgoldtable == nullptr))
        raise_wrong_firing();

    // A statement that wrote no row through this event (an upsert that only updated, for the
    // INSERT trigger): nothing to record, and nothing to pay for.
    const int64 cells_written = trigger->tg_newtable == nullptr ? 0 : tuplestore_tuple_count(trigger->tg_newtable);
    if (cells_written == 0) return PointerGetDatum(nullptr);
    Recorder &recorder = recorder_for(trigger->tg_relation);
    if (!OidIsValid(recorder.history)) return PointerGetDatum(nullptr);  // no history kept here

    // Who and what, as the caller: taken before the switch to the history's owner.
    const WriteKind write = running_write_kind();
    Datum values[kAllColumns];
    char nulls[kAllColumns];
    values[kRowColumns] = CStringGetTextDatum(write_kind_label(write));
    values[kRowColumns + 1] = write == WriteKind::none ? (Datum)0 : running_edit_id();
    values[kRowColumns + 2] = editor_name();
    nulls[kRowColumns] = nulls[kRowColumns + 2] = ' ';
    nulls[kRowColumns + 1] = write == WriteKind::none ? 'n' : ' ';

    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "cell_history_record: SPI_connect failed");
    int rc;
    TupleDesc descriptor = RelationGetDescr(trigger->tg_relation);
    TupleTableSlot *after = nullptr;
    TupleTableSlot *before = nullptr;
    if (cells_written == 1 && (!update || tuplestore_tuple_count(trigger->tg_oldtable) == 1)) {
        after = MakeSingleTupleTableSlot(descriptor, &TTSOpsMinimalTuple);
        if (update) before = MakeSingleTupleTableSlot(descriptor, &TTSOpsMinimalTuple);
    }
    const bool single = after != nullptr && single_cell_row(recorder, trigger, after, before, values, nulls);
    // On Citus, in a call that holds the list's shards (list_placement.h), on the history's
    // shard itself, as the call wrote the cell: Citus would deparse, parse and plan the insert.
    SPIPlanPtr shard_insert =
        single && recorder.citus && write != WriteKind::none
            ? StatementContext::backend().history_shard_insert(values[0], trigger->tg_relation, recorder.history,
                                                               shard_values_insert_text, kAllColumns,
                                                               kAllColumnTypes.types)
            : nullptr;
    if (shard_insert != nullptr) {
        rc = run_as_owner(recorder, shard_insert, values, nulls);
        if (rc == SPI_OK_INSERT && notify_changes_enabled()) notify_list_changed(values[0]);
    } else if (single) {
        if (recorder.values_insert == nullptr) {
            SPIPlanPtr plan = SPI_prepare(values_insert_text(qualified_history(recorder)), kAllColumns,
                                          const_cast<Oid *>(kAllColumnTypes.types));
            if (plan == nullptr) elog(ERROR, "cell_history_record: SPI_prepare failed");
            SPI_keepplan(plan);
            recorder.values_insert = plan;
        }
        rc = run_as_owner(recorder, recorder.values_insert, values, nulls);
        if (rc == SPI_OK_INSERT && notify_changes_enabled()) notify_list_changed(values[0]);
    } else {
        if (SPI_register_trigger_data(trigger) != SPI_OK_TD_REGISTER)
            elog(ERROR, "cell_history_record: SPI_register_trigger_data failed");
        Relation cells = trigger->tg_relation;
        if (!recorder.citus) {
            SPIPlanPtr plan =
                history_plan_for(select_insert_text(cells, qualified_history(recorder), trigger->tg_trigger, update),
                                 kCallColumns, kCallTypes);
            rc = run_as_owner(recorder, plan, values + kRowColumns, nulls + kRowColumns);
        } else {
            SPIPlanPtr read = history_plan_for(read_arrays_text(cells, trigger->tg_trigger, update), 0, nullptr);
            rc = SPI_execute_plan(read, nullptr, nullptr, true, 1);
            if (rc != SPI_OK_SELECT || SPI_processed != 1)
                elog(ERROR, "cell_history_record: reading the transition tables failed: %s",
                     SPI_result_code_string(rc));
            // The call's columns first here ($1 … $3), then the arrays.
            Datum arguments[kAllColumns];
            char argument_nulls[kAllColumns];
            Oid types[kAllColumns];
            for (int i = 0; i < kCallColumns; ++i) {
                arguments[i] = values[kRowColumns + i];
                argument_nulls[i] = nulls[kRowColumns + i];
                types[i] = kCallTypes[i];
            }
            for (int i = 0; i < kRowColumns; ++i) {
                bool is_null;
                arguments[kCallColumns + i] =
                    SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 1, &is_null);
                argument_nulls[kCallColumns + i] = is_null ? 'n' : ' ';
                types[kCallColumns + i] = kRowColumnArrayTypes[i];
            }
            SPIPlanPtr insert = history_plan_for(arrays_insert_text(qualified_history(recorder)), kAllColumns, types);
            rc = run_as_owner(recorder, insert, arguments, argument_nulls);
        }
    }
    if (rc != SPI_OK_INSERT)
        elog(ERROR, "cell_history_record: SPI_execute_plan failed: %s", SPI_result_code_string(rc));
    if (!single && notify_changes_enabled()) notify_lists_written(trigger->tg_trigger);
    if (after != nullptr) ExecDropSingleTupleTableSlot(after);
    if (before != nullptr) ExecDropSingleTupleTableSlot(before);
    SPI_finish();
    return PointerGetDatum(nullptr);
}

}  // namespace cellupsert::pg
