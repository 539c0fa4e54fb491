#include "discovery.h"

#include "errors.h"

namespace cellupsert::pg {
namespace {

using core::ColumnContract;
using core::ColumnType;
using core::Presence;

bool is_string_type(Oid type) {
    const Oid base = getBaseType(type);
    return base == TEXTOID || base == VARCHAROID;
}

bool enum_has_label(Oid type, const char *label) {
    return SearchSysCacheExists2(ENUMTYPOIDNAME, ObjectIdGetDatum(type), CStringGetDatum(label));
}

// Why the functions cannot use a column of this type, or nullptr: ids are uuid; value and
// edited_by text or varchar; status, subject and source text, varchar, a domain over them,
// or an enum with the label the functions write or compare; timestamps timestamptz or
// timestamp.
const char *column_type_problem(const ColumnContract &column, Oid type) {
    bool usable = false;
    switch (column.type) {
        case ColumnType::id: usable = type == UUIDOID; break;
        case ColumnType::string: usable = is_string_type(type); break;
        case ColumnType::timestamp: usable = type == TIMESTAMPTZOID || type == TIMESTAMPOID; break;
        case ColumnType::label:
            if (!is_string_type(type) && type_is_enum(type) && !enum_has_label(type, column.label))
                return psprintf("its enum has no label '%s'", column.label);
            usable = is_string_type(type) || type_is_enum(type);
            break;
    }
    return usable ? nullptr : core::type_rule(column.type);
}

int index_of(const ColumnContract &column) { return static_cast<int>(&column - core::kColumns); }

bool exists(const ColumnFinding &column) { return column.attno != InvalidAttrNumber; }

void raise_if_fatal(const Inspection &found, const ColumnContract &column, const char *schema) {
    const ColumnFinding &f = found.columns[index_of(column)];
    const char *table = core::kListTableNames[column.table];
    if (!exists(f)) {
        if (column.presence == Presence::required) raise_missing_column(schema, table, column.name);
        return;
    }
    if (f.problem != nullptr) raise_column_type(schema, table, column.name, format_type_be(f.type), f.problem);
}

}  // namespace

const ColumnFinding &column_finding(const Inspection &found, ListTable table, const char *name) {
    return found.columns[index_of(*core::find_column(table, name))];
}

// ListTables::checks_readable_by_key.
bool checks_readable_by_key(const Inspection &found) {
    for (ListTable table : {kLists, kListColumns, kListCompanies}) {
        const RelationFinding &r = found.relations[table];
        if (!OidIsValid(r.relid) || r.base != r.relid || r.kind != RELKIND_RELATION) return false;
    }
    const ColumnFinding &subject = column_finding(found, kListColumns, core::kSubjectColumn);
    if (!exists(subject) || subject.type != TEXTOID) return false;
    Oid type, collation;
    int32 typmod;
    get_atttypetypmodcoll(found.relations[kListColumns].relid, subject.attno, &type, &typmod, &collation);
    return !OidIsValid(collation) || get_collation_isdeterministic(collation);
}

Inspection inspect_list_tables(Oid schema_oid) {
    Inspection found{};
    ListTables &tables = found.tables;
    for (int t = 0; t < kListTableCount; ++t) {
        RelationFinding &r = found.relations[t];
        r.relid = get_relname_relid(kListTableNames[t], schema_oid);
        if (!OidIsValid(r.relid)) continue;
        r.kind = get_rel_relkind(r.relid);
        r.base = base_relation(r.relid, nullptr);
        r.definer_view = view_without_security_invoker(r.relid);
        tables.relids[t] = r.relid;
        tables.base_relids[t] = r.base;
        tables.base_keys[t] = base_key_columns(r.relid, static_cast<ListTable>(t));
    }
    for (const ColumnContract &column : core::kColumns) {
        const Oid relid = found.relations[column.table].relid;
        ColumnFinding &f = found.columns[index_of(column)];
        f.attno = OidIsValid(relid) ? get_attnum(relid, column.name) : InvalidAttrNumber;
        if (!exists(f)) continue;
        f.type = get_atttype(relid, f.attno);
        f.problem = column_type_problem(column, f.type);
        if (column.presence == Presence::provenance) ++found.provenance_columns;
    }

    tables.checks_readable_by_key = checks_readable_by_key(found);
    tables.columns_reference_lists =
        references_by_key(tables.base_relids[kListColumns], tables.base_keys[kListColumns].list_id,
                          tables.base_relids[kLists], tables.base_keys[kLists].id);

    const Oid cells = tables.relids[kListCompanyCells];
    if (!OidIsValid(cells)) return found;
    core::TablesShape &shape = tables.shape;
    shape.cells_have_list_id = exists(column_finding(found, kListCompanyCells, core::kListIdColumn));
    shape.has_created_at = exists(column_finding(found, kListCompanyCells, "created_at"));
    shape.has_updated_at = exists(column_finding(found, kListCompanyCells, "updated_at"));
    shape.has_provenance = found.provenance_columns == 3;
    shape.has_reasoning = exists(column_finding(found, kListCompanyCells, "reasoning"));
    shape.has_error = exists(column_finding(found, kListCompanyCells, "error"));
    const ColumnFinding &status = column_finding(found, kListCompanyCells, "status");
    shape.status_is_enum = exists(status) && type_is_enum(getBaseType(status.type));
    shape.conflict_key_has_list_id = shape.cells_have_list_id && has_conflict_key(cells, true);
    found.key_without_list_id = !shape.conflict_key_has_list_id && has_conflict_key(cells, false);
    // The distributed set writes list_id and needs it in the conflict key (as Citus does).
    shape.distributed = shape.conflict_key_has_list_id && is_citus_table(tables.base_relids[kListCompanyCells]);
    return found;
}

ListTables discover_list_tables(Oid schema_oid, const char *schema) {
    const Inspection found = inspect_list_tables(schema_oid);
    for (int t = 0; t < kListTableCount; ++t) {
        const RelationFinding &r = found.relations[t];
        if (!OidIsValid(r.relid)) raise_missing_table(schema, kListTableNames[t]);
        for (const ColumnContract &column : core::kColumns)
            if (column.table == t && column.presence == Presence::required) raise_if_fatal(found, column, schema);
        if (OidIsValid(r.definer_view))
            raise_view_not_security_invoker(schema, kListTableNames[t], qualified_name(r.definer_view));
    }
    if (found.provenance_columns != 0 && found.provenance_columns != 3)
        for (const ColumnContract &column : core::kColumns)
            if (column.presence == Presence::provenance && !exists(found.columns[index_of(column)]))
                raise_missing_column(schema, kListTableNames[column.table], column.name);
    for (const ColumnContract &column : core::kColumns)
        if (column.presence != Presence::required) raise_if_fatal(found, column, schema);
    const core::TablesShape &shape = found.tables.shape;
    if (!shape.conflict_key_has_list_id && !found.key_without_list_id)
        raise_no_conflict_key(schema,
                              conflict_key_fix(found.tables.relids[kListCompanyCells], shape.cells_have_list_id));
    return found.tables;
}

}  // namespace cellupsert::pg
