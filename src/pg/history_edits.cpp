// cell_revert(list uuid, "row" uuid, col uuid, edit_id uuid, force boolean DEFAULT false) RETURNS boolean
// cell_undo(list uuid, edit_id uuid, force boolean DEFAULT false) RETURNS integer
//
// Going back through the history (history.h): the value an edit replaced is written again, as
// a person's edit (cell_upsert's rules: status complete, reasoning and error kept), recorded
// with the kind revert or undo. The cells are locked first, then their history read: a cell
// whose value or status is no longer what the edit wrote is PT412, and nothing is written,
// unless force. An undo goes
// back on every cell of one call, all or nothing; undoing an undo is a redo.
#include "batch_input.h"
#include "cell_checks.h"
#include "errors.h"
#include "functions.h"
#include "history.h"
#include "write_strategy.h"

extern "C" {
#include "catalog/namespace.h"
#include "utils/datum.h"
#include "utils/json.h"
}

namespace cellupsert::pg {
namespace {

constexpr char kUndoForce[] = "force";

const char *quoted_schema(const StatementContext &context) { return quote_identifier(context.schema_name()); }

Datum uuid_argument(FunctionCallInfo fcinfo, int i, const char *parameter) {
    if (PG_ARGISNULL(i)) raise_null_argument(parameter);
    return PG_GETARG_DATUM(i);
}

void run(const char *sql, int nargs, const Oid *types, Datum *values, bool read_only) {
    const int rc = SPI_execute_with_args(sql, nargs, const_cast<Oid *>(types), values, nullptr, read_only, 0);
    if (rc < 0) elog(ERROR, "cellupsert: SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
}

// The newest write of the cells of edit as rows of (col, row, existed_before, value_before,
// later writes, kind of the last, changed, exists): one per cell of the edit (of the one cell, for a
// revert), the cells locked first, in key order. A cell has changed when its value or status
// is no longer what the edit wrote (whatever was written in between).
void read_edit(const StatementContext &context, Datum list, Datum edit, Datum row, Datum col) {
    const char *schema = quoted_schema(context);
    const char *history = psprintf("%s.%s", schema, quote_identifier(kHistoryTable));
    const bool one = row != (Datum)0;
    const char *which =
        one ? "AND h.company_row_id OPERATOR(pg_catalog.=) $3 AND h.column_id OPERATOR(pg_catalog.=) $4" : "";
    const Oid types[] = {UUIDOID, UUIDOID, UUIDOID, UUIDOID};
    Datum values[] = {list, edit, row, col};
    run(psprintf("SELECT FROM %s.list_company_cells x WHERE x.list_id OPERATOR(pg_catalog.=) $1 AND EXISTS ("
                 "SELECT FROM %s h WHERE h.list_id OPERATOR(pg_catalog.=) $1 "
                 "AND h.edit_id OPERATOR(pg_catalog.=) $2 %s AND h.column_id OPERATOR(pg_catalog.=) x.column_id "
                 "AND h.company_row_id OPERATOR(pg_catalog.=) x.company_row_id) "
                 "ORDER BY x.column_id, x.company_row_id FOR UPDATE OF x",
                 schema, history, which),
        one ? 4 : 2, types, values, false);
    run(psprintf("SELECT e.column_id, e.company_row_id, e.existed_before, e.value_before, "
                 "(SELECT pg_catalog.count(*) FROM %s l WHERE l.list_id OPERATOR(pg_catalog.=) $1 "
                 "AND l.column_id OPERATOR(pg_catalog.=) e.column_id "
                 "AND l.company_row_id OPERATOR(pg_catalog.=) e.company_row_id AND l.id OPERATOR(pg_catalog.>) e.id), "
                 "(SELECT l.kind FROM %s l WHERE l.list_id OPERATOR(pg_catalog.=) $1 "
                 "AND l.column_id OPERATOR(pg_catalog.=) e.column_id "
                 "AND l.company_row_id OPERATOR(pg_catalog.=) e.company_row_id ORDER BY l.id DESC LIMIT 1), "
                 "NOT EXISTS (SELECT FROM %s.list_company_cells x WHERE x.list_id OPERATOR(pg_catalog.=) $1 "
                 "AND x.column_id OPERATOR(pg_catalog.=) e.column_id "
                 "AND x.company_row_id OPERATOR(pg_catalog.=) e.company_row_id "
                 "AND (x.value OPERATOR(pg_catalog.=) e.value_after OR (x.value IS NULL AND e.value_after IS NULL)) "
                 "AND x.status::pg_catalog.text OPERATOR(pg_catalog.=) e.status_after), "
                 "EXISTS (SELECT FROM %s.list_company_cells x WHERE x.list_id OPERATOR(pg_catalog.=) $1 "
                 "AND x.column_id OPERATOR(pg_catalog.=) e.column_id "
                 "AND x.company_row_id OPERATOR(pg_catalog.=) e.company_row_id) "
                 "FROM (SELECT DISTINCT ON (h.column_id, h.company_row_id) h.* FROM %s h "
                 "WHERE h.list_id OPERATOR(pg_catalog.=) $1 AND h.edit_id OPERATOR(pg_catalog.=) $2 %s "
                 "ORDER BY h.column_id, h.company_row_id, h.id DESC) e ORDER BY e.id",
                 history, history, schema, schema, history, which),
        one ? 4 : 2, types, values, false);
}

// PT412 for the first cell of the edit read (read_edit) that has changed since, unless force.
void raise_if_changed(Datum list, Datum edit, bool force, const char *force_argument) {
    if (force) return;
    for (uint64 i = 0; i < SPI_processed; ++i) {
        bool is_null;
        if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 7, &is_null))) continue;
        const int64 later = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 5, &is_null));
        const Datum col = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &is_null);
        const Datum row = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &is_null);
        const bool exists = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 8, &is_null));
        raise_changed_since_edit(DatumGetUUIDP(list)->data, DatumGetUUIDP(row)->data, DatumGetUUIDP(col)->data, edit,
                                 later, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 6), exists,
                                 force_argument);
    }
}

}  // namespace

Datum cell_revert_body(PG_FUNCTION_ARGS) {
    CellEdit edit;
    edit.list = id_argument(fcinfo, 0, "list");
    edit.row = id_argument(fcinfo, 1, "row");
    edit.col = id_argument(fcinfo, 2, "col");
    const Datum edit_id = uuid_argument(fcinfo, 3, "edit_id");
    if (PG_ARGISNULL(4)) raise_null_argument("force");
    const bool force = PG_GETARG_BOOL(4);
    edit.if_match = nullptr;
    edit.if_match_text = (Datum)0;

    SPI_connect();
    StatementContext &context = StatementContext::for_call(fcinfo->flinfo->fn_oid, WriteKind::revert);
    Version version;
    read_strategy(context).read_version(context, edit.list, edit.row, edit.col, version);  // the checks
    require_history_table(context);
    read_edit(context, edit.list, edit_id, edit.row, edit.col);
    if (SPI_processed == 0)
        raise_edit_not_found(edit.list, edit_id, &DatumGetUUIDP(edit.row)->data, &DatumGetUUIDP(edit.col)->data);
    raise_if_changed(edit.list, edit_id, force, "force");
    // The value the edit replaced (none, for an edit that created the cell: NULL).
    bool is_null;
    const Datum before = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &is_null);
    edit.value_is_null = is_null || toast_raw_datum_size(before) == VARHDRSZ;
    edit.value = edit.value_is_null ? (Datum)0 : datumCopy(before, false, -1);
    const bool written = write_strategy(context).write_cell(context, edit);
    SPI_finish();
    PG_RETURN_BOOL(written);
}

Datum cell_undo_body(PG_FUNCTION_ARGS) {
    const Datum list = id_argument(fcinfo, 0, "list");
    const Datum edit_id = uuid_argument(fcinfo, 1, "edit_id");
    if (PG_ARGISNULL(2)) raise_null_argument(kUndoForce);
    const bool force = PG_GETARG_BOOL(2);

    SPI_connect();
    StatementContext &context = StatementContext::for_call(fcinfo->flinfo->fn_oid, WriteKind::undo);
    // The list first, as cell_upsert_many checks it: another tenant's is not found.
    const Oid list_type[] = {UUIDOID};
    Datum list_value[] = {list};
    run(psprintf("SELECT FROM %s.lists l WHERE l.id OPERATOR(pg_catalog.=) $1", quoted_schema(context)), 1, list_type,
        list_value, true);
    if (SPI_processed == 0) raise_list_not_found(DatumGetUUIDP(list)->data);
    require_history_table(context);
    read_edit(context, list, edit_id, (Datum)0, (Datum)0);
    if (SPI_processed == 0) raise_edit_not_found(list, edit_id, nullptr, nullptr);
    raise_if_changed(list, edit_id, force, kUndoForce);
    // The cells as a batch of their values before the edit, through cell_upsert_many's checks
    // and write.
    StringInfoData json;
    initStringInfo(&json);
    appendStringInfoChar(&json, '[');
    for (uint64 i = 0; i < SPI_processed; ++i) {
        const char *value = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 4);
        appendStringInfo(&json, "%s{\"col\": \"%s\", \"row\": \"%s\", \"val\": ", i ? ", " : "",
                         SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1),
                         SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2));
        if (value == nullptr)
            appendStringInfoString(&json, "null");
        else
            escape_json(&json, value);
        appendStringInfoChar(&json, '}');
    }
    appendStringInfoChar(&json, ']');
    const Datum cells = DirectFunctionCall1(jsonb_in, CStringGetDatum(json.data));
    const BatchInput input = read_batch_input(DatumGetJsonbP(cells));
    const int32 written = write_strategy(context).write_batch(context, {list, cells, &input});
    SPI_finish();
    PG_RETURN_INT32(written);
}

}  // namespace cellupsert::pg
