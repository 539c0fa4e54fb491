#include "history_statements.h"

extern "C" {
#include "utils/memutils.h"
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

// A column of the cells as text, or NULL where they lack it (source, without the provenance
// columns).
const char *cells_text(Relation cells, const char *alias, const char *column) {
    if (!OidIsValid(get_attnum(RelationGetRelid(cells), column))) return "NULL::pg_catalog.text";
    return psprintf("%s.%s::pg_catalog.text", alias, column);
}

// The values of the row columns for the new cells n, joined to their old rows o for an update
// (none where the update gave the cell another key: recorded as created there).
void row_expressions(Relation cells, bool update, const char *(&out)[kRowColumns]) {
    const char *absent = "NULL::pg_catalog.text";
    out[0] = "n.list_id";
    out[1] = "n.column_id";
    out[2] = "n.company_row_id";
    out[3] = update ? "o.list_id IS NOT NULL" : "false";
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
                         " LEFT JOIN %s o ON o.list_id OPERATOR(pg_catalog.=) n.list_id"
                         " AND o.column_id OPERATOR(pg_catalog.=) n.column_id"
                         " AND o.company_row_id OPERATOR(pg_catalog.=) n.company_row_id",
                         quote_identifier(trigger->tgoldtable));
}

void append_insert_head(StringInfo sql, const char *history) {
    appendStringInfo(sql, "INSERT INTO %s (", history);
    for (const char *column : kRowColumnNames) appendStringInfo(sql, "%s, ", column);
    appendStringInfoString(sql, "kind, edit_id, edited_by) ");
}

}  // namespace

SPIPlanPtr history_plan_for(const char *text, int nargs, const Oid *types) {
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

char *values_insert_text(const char *history) {
    StringInfoData sql;
    initStringInfo(&sql);
    append_insert_head(&sql, history);
    appendStringInfoString(&sql, "VALUES (");
    for (int i = 0; i < kAllColumns; ++i) appendStringInfo(&sql, "%s$%d", i ? ", " : "", i + 1);
    appendStringInfoChar(&sql, ')');
    return sql.data;
}

char *shard_values_insert_text(const char *history_shard, Oid sequence) {
    StringInfoData sql;
    initStringInfo(&sql);
    appendStringInfo(&sql, "INSERT INTO %s (", history_shard);
    for (const char *column : kRowColumnNames) appendStringInfo(&sql, "%s, ", column);
    appendStringInfoString(&sql, "kind, edit_id, edited_by, id) VALUES (");
    for (int i = 0; i < kAllColumns; ++i) appendStringInfo(&sql, "$%d, ", i + 1);
    appendStringInfo(&sql, "pg_catalog.nextval(%u::pg_catalog.oid::pg_catalog.regclass))", sequence);
    return sql.data;
}

char *select_insert_text(Relation cells, const char *history, const Trigger *trigger, bool update) {
    const char *expressions[kRowColumns];
    row_expressions(cells, update, expressions);
    StringInfoData sql;
    initStringInfo(&sql);
    append_insert_head(&sql, history);
    appendStringInfoString(&sql, "SELECT ");
    for (const char *expression : expressions) appendStringInfo(&sql, "%s, ", expression);
    appendStringInfoString(&sql, "$1, $2, $3");
    append_from(&sql, trigger, update);
    return sql.data;
}

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

char *arrays_insert_text(const char *history) {
    StringInfoData sql;
    initStringInfo(&sql);
    append_insert_head(&sql, history);
    appendStringInfoString(&sql, "SELECT ");
    for (const char *column : kRowColumnNames) appendStringInfo(&sql, "u.%s, ", column);
    appendStringInfoString(&sql, "$1, $2, $3 FROM ROWS FROM (");
    for (int i = 0; i < kRowColumns; ++i) appendStringInfo(&sql, "%spg_catalog.unnest($%d)", i ? ", " : "", i + 4);
    appendStringInfoString(&sql, ") AS u (");
    for (int i = 0; i < kRowColumns; ++i) appendStringInfo(&sql, "%s%s", i ? ", " : "", kRowColumnNames[i]);
    appendStringInfoChar(&sql, ')');
    return sql.data;
}

}  // namespace cellupsert::pg
