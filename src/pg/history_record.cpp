// cell_history_record(): the history's trigger (history.h). A statement that wrote one cell,
// the common case (cell_upsert, a single edit of any writer), is recorded by a VALUES insert
// of that cell's values as parameters; more cells by an INSERT … SELECT from the statement's
// transition tables. What the trigger learns of a cells table (its history table, the
// history's owner, Citus) is kept until the next invalidation of any relation or schema.
#include "editor.h"
#include "history.h"
#include "owner_mode.h"
#include "relations.h"
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

// The kept plans of the INSERT … SELECT statements, by their text (which names the schema,
// the tables, the transition tables and what the cells have): few per backend.
struct KeptPlan {
    char *text;
    SPIPlanPtr plan;
};
KeptPlan kept_plans[4];
int next_slot = 0;

SPIPlanPtr plan_for(const char *text, int nargs, const Oid *types) {
    for (const KeptPlan &kept : kept_plans)
        if (kept.text != nullptr && strcmp(kept.text, text) == 0) return kept.plan;
    SPIPlanPtr plan = SPI_prepare(text, nargs, const_cast<Oid *>(types));
    if (plan == nullptr) elog(ERROR, "cell_history_record: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
    SPI_keepplan(plan);
    KeptPlan &slot = kept_plans[next_slot];
    next_slot = (next_slot + 1) % static_cast<int>(sizeof kept_plans / sizeof kept_plans[0]);
    if (slot.plan != nullptr) SPI_freeplan(slot.plan);
    if (slot.text != nullptr) pfree(slot.text);
    slot = {MemoryContextStrdup(TopMemoryContext, text), plan};
    return plan;
}

// A history row's columns taken from the cells; then those of the call: kind, edit id,
// editor.
constexpr int kRowColumns = 10;
constexpr const char *kRowColumnNames[kRowColumns] = {"list_id",        "column_id",    "company_row_id",
                                                      "existed_before", "value_before", "status_before",
                                                      "source_before",  "value_after",  "status_after",
                                                      "source_after"};
constexpr Oid kRowColumnTypes[kRowColumns] = {UUIDOID, UUIDOID, UUIDOID, BOOLOID, TEXTOID,
                                              TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID};
constexpr Oid kRowColumnArrayTypes[kRowColumns] = {UUIDARRAYOID, UUIDARRAYOID, UUIDARRAYOID, BOOLARRAYOID,
                                                   TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
                                                   TEXTARRAYOID, TEXTARRAYOID};
constexpr int kCallColumns = 3;
constexpr Oid kCallTypes[kCallColumns] = {TEXTOID, UUIDOID, TEXTOID};
constexpr int kAllColumns = kRowColumns + kCallColumns;

// The cells' columns a history row reads, in the order of their first appearance above.
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
    Recorder recorder = {RelationGetRelid(cells), get_relname_relid(kHistoryTable, RelationGetNamespace(cells)),
                         InvalidOid, false, {}, nullptr};
    if (OidIsValid(recorder.history)) {
        const char kind = get_rel_relkind(recorder.history);
        if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
            ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                            errmsg("\"%s.%s\" is not a table", get_namespace_name(RelationGetNamespace(cells)),
                                   kHistoryTable),
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

// A column of the cells as text, or NULL where they lack it (source, without the provenance
// columns).
const char *cells_text(Relation cells, const char *alias, const char *column) {
    if (!OidIsValid(get_attnum(RelationGetRelid(cells), column))) return "NULL::pg_catalog.text";
    return psprintf("%s.%s::pg_catalog.text", alias, column);
}

// The values of the row columns for the new cells n, joined to their old rows o for an update.
void row_expressions(Relation cells, bool update, const char *(&out)[kRowColumns]) {
    const char *absent = "NULL::pg_catalog.text";
    out[0] = "n.list_id";
    out[1] = "n.column_id";
    out[2] = "n.company_row_id";
    out[3] = update ? "true" : "false";
    out[4] = update ? "o.value::pg_catalog.text" : absent;
    out[5] = update ? cells_text(cells, "o", "status") : absent;
    out[6] = update ? cells_text(cells, "o", "source") : absent;
    out[7] = "n.value::pg_catalog.text";
    out[8] = cells_text(cells, "n", "status");
    out[9] = cells_text(cells, "n", "source");
}

void append_from(StringInfo sql, const Trigger *trigger, bool update) {
    appendStringInfo(sql, " FROM %s n", quote_identifier(trigger->tgnewtable));
    if (update)
        appendStringInfo(sql,
                         " JOIN %s o ON o.list_id OPERATOR(pg_catalog.=) n.list_id"
                         " AND o.column_id OPERATOR(pg_catalog.=) n.column_id"
                         " AND o.company_row_id OPERATOR(pg_catalog.=) n.company_row_id",
                         quote_identifier(trigger->tgoldtable));
}

void append_insert_head(StringInfo sql, const Recorder &recorder) {
    appendStringInfo(sql, "INSERT INTO %s (", qualified_history(recorder));
    for (const char *column : kRowColumnNames) appendStringInfo(sql, "%s, ", column);
    appendStringInfoString(sql, "kind, edit_id, edited_by) ");
}

// INSERT INTO the history VALUES ($1 … the row columns, then the call's).
char *values_insert_text(const Recorder &recorder) {
    StringInfoData sql;
    initStringInfo(&sql);
    append_insert_head(&sql, recorder);
    appendStringInfoString(&sql, "VALUES (");
    for (int i = 0; i < kAllColumns; ++i) appendStringInfo(&sql, "%s$%d", i ? ", " : "", i + 1);
    appendStringInfoChar(&sql, ')');
    return sql.data;
}

// INSERT INTO the history SELECT the rows from the transition tables ($1 … the call's).
char *select_insert_text(Relation cells, const Recorder &recorder, const Trigger *trigger, bool update) {
    const char *expressions[kRowColumns];
    row_expressions(cells, update, expressions);
    StringInfoData sql;
    initStringInfo(&sql);
    append_insert_head(&sql, recorder);
    appendStringInfoString(&sql, "SELECT ");
    for (const char *expression : expressions) appendStringInfo(&sql, "%s, ", expression);
    appendStringInfoString(&sql, "$1, $2, $3");
    append_from(&sql, trigger, update);
    return sql.data;
}

// On Citus the trigger fires on the cells' shard, and Citus would send an INSERT … SELECT
// from the transition tables to another backend, where they do not exist: the rows are read
// here first, as arrays (the read), then inserted from them ($4 … the arrays).
char *read_arrays_text(Relation cells, const Trigger *trigger, bool update) {
    const char *expressions[kRowColumns];
    row_expressions(cells, update, expressions);
    StringInfoData sql;
    initStringInfo(&sql);
    appendStringInfoString(&sql, "SELECT ");
    for (int i = 0; i < kRowColumns; ++i)
        appendStringInfo(&sql, "%spg_catalog.array_agg(%s)", i ? ", " : "", expressions[i]);
    append_from(&sql, trigger, update);
    return sql.data;
}

char *arrays_insert_text(const Recorder &recorder) {
    StringInfoData sql;
    initStringInfo(&sql);
    append_insert_head(&sql, recorder);
    appendStringInfoString(&sql, "SELECT ");
    for (const char *column : kRowColumnNames) appendStringInfo(&sql, "u.%s, ", column);
    appendStringInfoString(&sql, "$1, $2, $3 FROM ROWS FROM (");
    for (int i = 0; i < kRowColumns; ++i) appendStringInfo(&sql, "%spg_catalog.unnest($%d)", i ? ", " : "", i + 4);
    appendStringInfoString(&sql, ") AS u (");
    for (int i = 0; i < kRowColumns; ++i) appendStringInfo(&sql, "%s%s", i ? ", " : "", kRowColumnNames[i]);
    appendStringInfoChar(&sql, ')');
    return sql.data;
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
    bool is_null = true;
    for (int i = 0; i < kRowColumns; ++i) {
        values[i] = (Datum)0;
        if (kAfterColumns[i] >= 0)
            values[i] = cell_datum(recorder, after, kAfterColumns[i], kRowColumnTypes[i], &is_null);
        else if (kBeforeColumns[i] >= 0)
            is_null = true;  // no old row: an insert
        if (kBeforeColumns[i] >= 0 && update)
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
    if (after != nullptr && single_cell_row(recorder, trigger, after, before, values, nulls)) {
        if (recorder.values_insert == nullptr) {
            Oid types[kAllColumns];
            for (int i = 0; i < kAllColumns; ++i)
                types[i] = i < kRowColumns ? kRowColumnTypes[i] : kCallTypes[i - kRowColumns];
            SPIPlanPtr plan = SPI_prepare(values_insert_text(recorder), kAllColumns, types);
            if (plan == nullptr) elog(ERROR, "cell_history_record: SPI_prepare failed");
            SPI_keepplan(plan);
            recorder.values_insert = plan;
        }
        rc = run_as_owner(recorder, recorder.values_insert, values, nulls);
    } else {
        if (SPI_register_trigger_data(trigger) != SPI_OK_TD_REGISTER)
            elog(ERROR, "cell_history_record: SPI_register_trigger_data failed");
        Relation cells = trigger->tg_relation;
        if (!recorder.citus) {
            SPIPlanPtr plan = plan_for(select_insert_text(cells, recorder, trigger->tg_trigger, update), kCallColumns,
                                       kCallTypes);
            rc = run_as_owner(recorder, plan, values + kRowColumns, nulls + kRowColumns);
        } else {
            SPIPlanPtr read = plan_for(read_arrays_text(cells, trigger->tg_trigger, update), 0, nullptr);
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
            SPIPlanPtr insert = plan_for(arrays_insert_text(recorder), kAllColumns, types);
            rc = run_as_owner(recorder, insert, arguments, argument_nulls);
        }
    }
    if (rc != SPI_OK_INSERT)
        elog(ERROR, "cell_history_record: SPI_execute_plan failed: %s", SPI_result_code_string(rc));
    if (after != nullptr) ExecDropSingleTupleTableSlot(after);
    if (before != nullptr) ExecDropSingleTupleTableSlot(before);
    SPI_finish();
    return PointerGetDatum(nullptr);
}

}  // namespace cellupsert::pg
