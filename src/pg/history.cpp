#include "history.h"

#include "cell_checks.h"
#include "editor.h"
#include "errors.h"
#include "functions.h"
#include "owner_mode.h"
#include "relations.h"
#include "statement_context.h"
#include "write_strategy.h"
#include "write_scope.h"

extern "C" {
#include "commands/trigger.h"
#include "funcapi.h"
#include "utils/tuplestore.h"
#include "utils/rel.h"
}

namespace cellupsert::pg {
namespace {

constexpr char kHistoryTable[] = "list_cell_history";

// The kept plans of the trigger's statements, by their text (which names the schema, the
// tables, the transition tables and what the cells have): few per backend.
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

// A column of the cells as text, or NULL where they lack it (source, without the provenance
// columns).
const char *cells_text(Relation cells, const char *alias, const char *column) {
    if (!OidIsValid(get_attnum(RelationGetRelid(cells), column))) return "NULL::pg_catalog.text";
    return psprintf("%s.%s::pg_catalog.text", alias, column);
}

// A history row's columns taken from the statement's transition tables; then those of the
// call: $1 kind, $2 edit id, $3 editor.
constexpr int kRowColumns = 10;
constexpr const char *kRowColumnNames[kRowColumns] = {"list_id",        "column_id",    "company_row_id",
                                                      "existed_before", "value_before", "status_before",
                                                      "source_before",  "value_after",  "status_after",
                                                      "source_after"};
constexpr Oid kRowColumnArrayTypes[kRowColumns] = {UUIDARRAYOID, UUIDARRAYOID, UUIDARRAYOID, BOOLARRAYOID,
                                                   TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
                                                   TEXTARRAYOID, TEXTARRAYOID};
constexpr Oid kCallTypes[] = {TEXTOID, UUIDOID, TEXTOID};

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

void append_insert_head(StringInfo sql, Oid history) {
    appendStringInfo(sql, "INSERT INTO %s.%s (", quote_identifier(get_namespace_name(get_rel_namespace(history))),
                     quote_identifier(get_rel_name(history)));
    for (const char *column : kRowColumnNames) appendStringInfo(sql, "%s, ", column);
    appendStringInfoString(sql, "kind, edit_id, edited_by) SELECT ");
}

// INSERT INTO the history SELECT the rows from the transition tables.
char *history_insert_text(Relation cells, Oid history, const Trigger *trigger, bool update) {
    const char *expressions[kRowColumns];
    row_expressions(cells, update, expressions);
    StringInfoData sql;
    initStringInfo(&sql);
    append_insert_head(&sql, history);
    for (const char *expression : expressions) appendStringInfo(&sql, "%s, ", expression);
    appendStringInfoString(&sql, "$1, $2, $3");
    append_from(&sql, trigger, update);
    return sql.data;
}

// On Citus the trigger fires on the cells' shard, and Citus would send an INSERT … SELECT
// from the transition tables to another backend, where they do not exist: the rows are read
// here first, as arrays (the read), then inserted from them ($4 … the arrays).
char *history_read_text(Relation cells, const Trigger *trigger, bool update) {
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

char *history_insert_from_arrays_text(Oid history) {
    StringInfoData sql;
    initStringInfo(&sql);
    append_insert_head(&sql, history);
    for (const char *column : kRowColumnNames) appendStringInfo(&sql, "u.%s, ", column);
    appendStringInfoString(&sql, "$1, $2, $3 FROM ROWS FROM (");
    for (int i = 0; i < kRowColumns; ++i) appendStringInfo(&sql, "%spg_catalog.unnest($%d)", i ? ", " : "", i + 4);
    appendStringInfoString(&sql, ") AS u (");
    for (int i = 0; i < kRowColumns; ++i) appendStringInfo(&sql, "%s%s", i ? ", " : "", kRowColumnNames[i]);
    appendStringInfoChar(&sql, ')');
    return sql.data;
}

[[noreturn]] void raise_wrong_firing() {
    ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                    errmsg("cell_history_record() must be fired AFTER INSERT or AFTER UPDATE FOR EACH STATEMENT"),
                    errhint("Attach it as cellupsert_list_tables.sql does: REFERENCING NEW TABLE AS new_cells "
                            "(and OLD TABLE AS old_cells for UPDATE).")));
}

// The history of (list, row, col) as the caller reads it: $1 list, $2 row, $3 col, $4 limit.
char *cell_history_text(const char *schema) {
    return psprintf(
        "SELECT h.id, h.kind, h.edit_id, h.edited_by, h.edited_at, h.existed_before, h.value_before, "
        "h.value_after, h.status_before, h.status_after, h.source_before, h.source_after FROM %s.%s h "
        "WHERE h.list_id OPERATOR(pg_catalog.=) $1 AND h.column_id OPERATOR(pg_catalog.=) $3 "
        "AND h.company_row_id OPERATOR(pg_catalog.=) $2 ORDER BY h.id DESC LIMIT $4",
        quote_identifier(schema), kHistoryTable);
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
    if (trigger->tg_newtable == nullptr || tuplestore_tuple_count(trigger->tg_newtable) == 0)
        return PointerGetDatum(nullptr);
    Relation cells = trigger->tg_relation;
    const Oid history = get_relname_relid(kHistoryTable, RelationGetNamespace(cells));
    if (!OidIsValid(history)) return PointerGetDatum(nullptr);  // no history kept here
    const char kind = get_rel_relkind(history);
    if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
        ereport(ERROR,
                (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                 errmsg("\"%s.%s\" is not a table", get_namespace_name(RelationGetNamespace(cells)), kHistoryTable),
                 errdetail("cellupsert writes the cell history into a table of the cells' schema.")));

    // The owner writes the history of its own tables only: a table of another role (one with
    // CREATE on the schema) cannot make it write rows of its choosing.
    const Oid owner = relation_owner(history);
    if (cells->rd_rel->relowner != owner)
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("cell_history_record() records the cells of the owner of \"%s.%s\" only",
                               get_namespace_name(RelationGetNamespace(cells)), kHistoryTable),
                        errdetail("\"%s\" belongs to another role.", RelationGetRelationName(cells))));

    // Who and what, as the caller: taken before the switch to the history's owner.
    const WriteKind write = running_write_kind();
    Datum values[] = {CStringGetTextDatum(write_kind_label(write)),
                      write == WriteKind::none ? (Datum)0 : running_edit_id(), editor_name()};
    const char nulls[] = {' ', write == WriteKind::none ? 'n' : ' ', ' '};

    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "cell_history_record: SPI_connect failed");
    if (SPI_register_trigger_data(trigger) != SPI_OK_TD_REGISTER)
        elog(ERROR, "cell_history_record: SPI_register_trigger_data failed");
    int rc;
    if (!is_citus_table(history)) {
        SPIPlanPtr plan = plan_for(history_insert_text(cells, history, trigger->tg_trigger, update), 3, kCallTypes);
        const OwnerMode mode = enter_owner_mode(owner);
        rc = SPI_execute_plan(plan, values, nulls, false, 0);
        leave_owner_mode(mode);
    } else {
        SPIPlanPtr read = plan_for(history_read_text(cells, trigger->tg_trigger, update), 0, nullptr);
        rc = SPI_execute_plan(read, nullptr, nullptr, true, 1);
        if (rc != SPI_OK_SELECT || SPI_processed != 1)
            elog(ERROR, "cell_history_record: reading the transition tables failed: %s", SPI_result_code_string(rc));
        Datum all_values[3 + kRowColumns];
        char all_nulls[3 + kRowColumns];
        Oid types[3 + kRowColumns];
        for (int i = 0; i < 3; ++i) {
            all_values[i] = values[i];
            all_nulls[i] = nulls[i];
            types[i] = kCallTypes[i];
        }
        for (int i = 0; i < kRowColumns; ++i) {
            bool is_null;
            all_values[3 + i] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 1, &is_null);
            all_nulls[3 + i] = is_null ? 'n' : ' ';
            types[3 + i] = kRowColumnArrayTypes[i];
        }
        SPIPlanPtr insert = plan_for(history_insert_from_arrays_text(history), 3 + kRowColumns, types);
        const OwnerMode mode = enter_owner_mode(owner);
        rc = SPI_execute_plan(insert, all_values, all_nulls, false, 0);
        leave_owner_mode(mode);
    }
    if (rc != SPI_OK_INSERT)
        elog(ERROR, "cell_history_record: SPI_execute_plan failed: %s", SPI_result_code_string(rc));

    SPI_finish();
    return PointerGetDatum(nullptr);
}

Datum cell_history_body(PG_FUNCTION_ARGS) {
    const Datum list = id_argument(fcinfo, 0, "list");
    const Datum row = id_argument(fcinfo, 1, "row");
    const Datum col = id_argument(fcinfo, 2, "col");
    if (PG_ARGISNULL(3)) raise_null_argument("limit");
    const int32 limit = PG_GETARG_INT32(3);
    if (limit < 0) ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("\"limit\" must not be negative")));
    InitMaterializedSRF(fcinfo, 0);
    ReturnSetInfo *result = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);

    SPI_connect();
    // cell_upsert's checks and errors, as the caller sees the tables.
    StatementContext &context = StatementContext::for_call(fcinfo->flinfo->fn_oid);
    Version version;
    read_strategy(context).read_version(context, list, row, col, version);
    if (!OidIsValid(get_relname_relid(kHistoryTable, get_func_namespace(fcinfo->flinfo->fn_oid))))
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                        errmsg("relation \"%s.%s\" does not exist", context.schema_name(), kHistoryTable),
                        errdetail("cellupsert keeps the cell history in that table when it exists."),
                        errhint("cellupsert_list_tables--1.3--1.4.sql creates it (docs/history.md).")));
    const Oid types[] = {UUIDOID, UUIDOID, UUIDOID, INT4OID};
    Datum args[] = {list, row, col, Int32GetDatum(limit)};
    const int rc = SPI_execute_with_args(cell_history_text(context.schema_name()), 4, const_cast<Oid *>(types), args,
                                         nullptr, true, 0);
    if (rc != SPI_OK_SELECT) elog(ERROR, "cell_history: SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
    for (uint64 i = 0; i < SPI_processed; ++i) tuplestore_puttuple(result->setResult, SPI_tuptable->vals[i]);
    SPI_finish();
    return (Datum)0;
}

}  // namespace cellupsert::pg
