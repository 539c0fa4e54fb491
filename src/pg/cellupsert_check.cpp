// cellupsert_check() RETURNS TABLE (item text, ok boolean, detail text)
//
// One row for each thing the functions rely on in the list tables of the extension's
// schema, read with discovery.h as the functions read it: ok is false exactly for what
// stops them from working, and detail says what to do. Runs as the caller: the counts of
// ids outside the UUID pattern cover the rows the caller can see. During CREATE EXTENSION
// (which runs as a superuser for a trusted extension) it reads the catalogs only.
#include "check_triggers.h"
#include "discovery.h"
#include "functions.h"

extern "C" {
#include "access/relation.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "commands/extension.h"
#include "utils/rel.h"
#include "funcapi.h"
#include "utils/tuplestore.h"
}

namespace cellupsert::pg {
namespace {

// Tables of more rows than this (by their statistics) are sampled for ids outside the
// pattern, about kSampleRows of them.
constexpr double kSampleAbove = 1000000;
constexpr double kSampleRows = 100000;

// A column of the contract: missing (a problem when required), or its type.
void report_column(const Report &report, const Inspection &found, const core::ColumnContract &column) {
    const char *table = core::kListTableNames[column.table];
    const ColumnFinding &f = column_finding(found, column.table, column.name);
    const char *item = psprintf("column %s.%s", table, column.name);
    if (f.attno == InvalidAttrNumber) {
        if (column.presence == core::Presence::required)
            report.row(item, false,
                       psprintf("missing: ALTER TABLE %s.%s ADD COLUMN %s %s;", report.schema, table, column.name,
                                column.ddl));
        return;
    }
    report.row(item, f.problem == nullptr,
               f.problem == nullptr ? psprintf("type %s", format_type_be(f.type))
                                    : psprintf("type %s: %s", format_type_be(f.type), f.problem));
}

void report_cells_column(const Report &report, const Inspection &found, const char *name) {
    report_column(report, found, *core::find_column(kListCompanyCells, name));
}

bool attribute_has_default(Oid relid, AttrNumber attno) {
    HeapTuple tuple = SearchSysCache2(ATTNUM, ObjectIdGetDatum(relid), Int16GetDatum(attno));
    if (!HeapTupleIsValid(tuple)) return false;
    const bool has_default = ((Form_pg_attribute)GETSTRUCT(tuple))->atthasdef;
    ReleaseSysCache(tuple);
    return has_default;
}

// Every other column of the table under the cells must fill itself on insert (a default, an
// identity, a generated column, a default of the view), or every insert fails with 23502.
void check_unwritten_columns(const Report &report, Oid cells) {
    const Oid table = base_relation(cells, nullptr);
    if (!OidIsValid(table)) return;
    int view_columns = 0;  // the columns of the view, for a view
    if (get_rel_relkind(cells) == RELKIND_VIEW) {
        Relation view = relation_open(cells, AccessShareLock);
        view_columns = RelationGetNumberOfAttributes(view);
        relation_close(view, AccessShareLock);
    }
    Relation relation = relation_open(table, AccessShareLock);
    const TupleDesc desc = RelationGetDescr(relation);
    for (int i = 0; i < desc->natts; ++i) {
        const Form_pg_attribute column = TupleDescAttr(desc, i);
        if (column->attisdropped || !column->attnotnull || column->atthasdef || column->attidentity ||
            column->attgenerated)
            continue;
        // The view's column for it, if any: written by the functions, or with a default there.
        bool filled = false;
        for (AttrNumber v = 1; v <= view_columns && !filled; ++v) {
            AttrNumber mapped = v;
            if (base_relation(cells, &mapped) != table || mapped != column->attnum) continue;
            const char *name = get_attname(cells, v, true);
            filled = name != nullptr && (core::is_written(name) || attribute_has_default(cells, v));
        }
        if (view_columns == 0) filled = core::is_written(NameStr(column->attname));
        if (!filled)
            report.row(psprintf("column %s.%s", qualified_name(table), quote_identifier(NameStr(column->attname))),
                       false,
                       "NOT NULL without a default, and not written by the functions: every insert of a cell "
                       "fails (23502); give it a default (on the view, for a view)");
    }
    relation_close(relation, AccessShareLock);
}

// The columns of the conflict key of a shape, as a list.
const char *conflict_key_columns(bool with_list_id) {
    StringInfoData names;
    initStringInfo(&names);
    for (int i = with_list_id ? 0 : 1; i < core::kConflictKeyColumns; ++i)
        appendStringInfo(&names, "%s%s", names.len ? ", " : "", core::kConflictKey[i]);
    return names.data;
}

const char *relation_detail(Oid relid, Oid base) {
    const char kind = get_rel_relkind(relid);
    if (kind != RELKIND_VIEW) return kind == RELKIND_PARTITIONED_TABLE ? "partitioned table" : "table";
    if (!OidIsValid(base)) return "view, not a simple one: the functions cannot see the table under it";
    return psprintf("view over %s",
                    quote_qualified_identifier(get_namespace_name(get_rel_namespace(base)), get_rel_name(base)));
}

void check_row_level_security(const Report &report, const char *table, Oid base) {
    if (!OidIsValid(base)) return;
    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(base));
    if (!HeapTupleIsValid(tuple)) return;
    const bool enabled = ((Form_pg_class)GETSTRUCT(tuple))->relrowsecurity;
    ReleaseSysCache(tuple);
    const char *item = psprintf("row-level security %s", table);
    if (!enabled) {
        report.row(item, true, "disabled: every role with SELECT sees every row");
        return;
    }
    Datum arg = ObjectIdGetDatum(base);
    Oid argtype = OIDOID;
    SPI_execute_with_args(
        "SELECT pg_catalog.count(*) FROM pg_catalog.pg_policy WHERE polrelid OPERATOR(pg_catalog.=) $1", 1, &argtype,
        &arg, nullptr, true, 1);
    bool is_null;
    const int64 policies = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null));
    report.row(item, true,
               policies == 0 ? "enabled, no policy: only the owner and roles with BYPASSRLS see rows; create policies"
                             : psprintf("enabled, %lld %s", static_cast<long long>(policies),
                                        policies == 1 ? "policy" : "policies"));
}

// Whether a batch can lock the rows of the table under relid, as its owner (batch_locks.h).
void check_batch_lock(const Report &report, Oid relid, ListTable table) {
    const char *fix = nullptr;
    const char *problem = batch_lock_problem(relid, table, &fix);
    const Oid base = base_relation(relid, nullptr);
    report.row(psprintf("batch locks %s", kListTableNames[table]), problem == nullptr,
               problem != nullptr ? psprintf("%s: %s", problem, fix)
                                  : psprintf("on table %s, as its owner", qualified_name(base)));
}

// Ids of one relation outside the pattern, counted (or sampled on a large table).
void check_ids(const Report &report, Oid relid, const char *table) {
    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(base_relation(relid, nullptr)));
    double tuples = 0;
    if (HeapTupleIsValid(tuple)) {
        tuples = ((Form_pg_class)GETSTRUCT(tuple))->reltuples;
        ReleaseSysCache(tuple);
    }
    const bool sampled = tuples > kSampleAbove && get_rel_relkind(relid) != RELKIND_VIEW;
    const char *sql = psprintf(
        "SELECT pg_catalog.count(*) FROM %s.%s t%s WHERE t.id IS NOT NULL AND NOT "
        "(pg_catalog.lower(t.id::pg_catalog.text) OPERATOR(pg_catalog.~) '%s')",
        report.schema, table,
        sampled ? psprintf(" TABLESAMPLE pg_catalog.system (%f)", 100.0 * kSampleRows / tuples) : "",
        core::kIdPatternRegex);
    if (SPI_execute(sql, true, 0) != SPI_OK_SELECT) elog(ERROR, "id count failed");
    bool is_null;
    const int64 bad = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null));
    report.row(psprintf("ids of %s", table), bad == 0,
               bad == 0 ? (sampled ? "all in the UUID pattern (sampled)" : "all in the UUID pattern")
                        : psprintf("%s%lld outside the UUID pattern: the functions refuse them (version digit 1 to 8, "
                                   "variant digit 8, 9, a or b, or the nil or max UUID)",
                                   sampled ? "about " : "",
                                   static_cast<long long>(sampled ? bad * tuples / kSampleRows : bad)));
}

}  // namespace

Datum cellupsert_check_body(PG_FUNCTION_ARGS) {
    InitMaterializedSRF(fcinfo, 0);
    const Oid schema_oid = get_func_namespace(fcinfo->flinfo->fn_oid);
    const char *schema_name = get_namespace_name(schema_oid);
    const Report report{reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo), quote_identifier(schema_name)};
    SPI_connect();

    const Inspection found = inspect_list_tables(schema_oid);
    Oid relids[kListTableCount], bases[kListTableCount];
    bool all_found = true;
    for (int t = 0; t < kListTableCount; ++t) {
        const char *table = kListTableNames[t];
        const RelationFinding &r = found.relations[t];
        relids[t] = r.relid;
        bases[t] = r.base;
        const char *item = psprintf("relation %s", table);
        if (!OidIsValid(r.relid)) {
            all_found = false;
            report.row(item, false,
                       psprintf("missing: create %s.%s as cellupsert_list_tables.sql does, or a view of that name "
                                "over the application's table (docs/adoption.md)",
                                report.schema, table));
            continue;
        }
        const bool simple = r.kind != RELKIND_VIEW || OidIsValid(r.base);
        if (r.kind != RELKIND_RELATION && r.kind != RELKIND_PARTITIONED_TABLE && r.kind != RELKIND_VIEW)
            report.row(item, false, "must be a table or a view");
        else if (OidIsValid(r.definer_view))
            report.row(item, false,
                       psprintf("view %s is not security_invoker: through it the functions would read and write "
                                "with its owner's rights; ALTER VIEW %s SET (security_invoker = true);",
                                qualified_name(r.definer_view), qualified_name(r.definer_view)));
        else
            // Only the cells need the table under their view, for the unique key.
            report.row(item, simple || t != kListCompanyCells, relation_detail(r.relid, r.base));
        for (const core::ColumnContract &column : core::kColumns)
            if (column.table == t && column.presence == core::Presence::required) report_column(report, found, column);
    }

    const Oid cells = relids[kListCompanyCells];
    if (OidIsValid(cells)) {
        const core::TablesShape &shape = found.tables.shape;
        const bool list_id = shape.cells_have_list_id;
        report_cells_column(report, found, core::kListIdColumn);
        report.row("shape", true,
                   list_id ? "canonical: the cells carry list_id"
                           : "original API: the cells have no list_id; the database cannot keep another writer from "
                             "pairing a column and a row of different lists (docs/adoption.md)");
        for (const core::ColumnContract &column : core::kColumns)
            if (column.presence == core::Presence::optional && strcmp(column.name, core::kListIdColumn) != 0)
                report_column(report, found, column);

        const bool key3 = shape.conflict_key_has_list_id, key2 = found.key_without_list_id;
        report.row("conflict key", key3 || key2,
                   key3 || key2 ? psprintf("unique index on (%s)", conflict_key_columns(key3))
                                : psprintf("none usable (unique, not deferrable, not partial, on plain columns): %s",
                                           conflict_key_fix(cells, list_id)));
        check_unwritten_columns(report, cells);

        const int provenance = found.provenance_columns;
        report.row("provenance", provenance == 0 || provenance == 3,
                   provenance == 3   ? "source, edited_by, edited_at: manual edits are marked"
                   : provenance == 0 ? "no provenance columns: manual edits are not marked "
                                       "(cellupsert_list_tables--1.0--1.1.sql adds them to a table; under a view, "
                                       "add them to the table and to the view)"
                                     : "some of source, edited_by, edited_at are missing: add all three or none");
        for (const core::ColumnContract &column : core::kColumns)
            if (column.presence == core::Presence::provenance) report_column(report, found, column);
        if (provenance == 3) report_manual_guard(report, bases[kListCompanyCells], schema_oid);
        report_history(report, bases[kListCompanyCells], schema_oid);
    }

    for (int t = 0; t < kListTableCount; ++t)
        if (OidIsValid(relids[t])) check_row_level_security(report, kListTableNames[t], bases[t]);
    for (int t = 0; t < kListCompanyCells; ++t)
        if (OidIsValid(relids[t])) check_batch_lock(report, relids[t], static_cast<ListTable>(t));
    // Counting ids reads the application's relations, which may be views running its code.
    // The install script of a trusted extension runs as a superuser: it reads the catalogs
    // only, and leaves the counts to the caller's own call.
    if (all_found && !creating_extension)
        for (int t = 0; t < kListCompanyCells; ++t)
            if (column_finding(found, static_cast<ListTable>(t), core::kIdColumn).attno != InvalidAttrNumber)
                check_ids(report, relids[t], kListTableNames[t]);

    SPI_finish();
    return (Datum)0;
}

}  // namespace cellupsert::pg
