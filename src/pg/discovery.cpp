#include "discovery.h"

#include "errors.h"

extern "C" {
#include "access/htup_details.h"
#include "access/relation.h"
#include "catalog/pg_index.h"
#include "nodes/parsenodes.h"
#include "parser/parsetree.h"
#include "rewrite/rewriteHandler.h"
#include "utils/rel.h"
}

namespace cellupsert::pg {

const char *const kListTableNames[kListTableCount] = {"lists", "list_columns", "list_companies",
                                                      "list_company_cells"};

namespace {

const char *const kListsColumns[] = {"id", nullptr};
const char *const kListColumnsColumns[] = {"list_id", "id", "subject", nullptr};
const char *const kListCompaniesColumns[] = {"list_id", "id", nullptr};
const char *const kCellsColumns[] = {"column_id", "company_row_id", "status", "value", nullptr};
const char *const kProvenanceColumns[] = {"source", "edited_by", "edited_at"};
const char *const kKeyWithListId[] = {"list_id", "column_id", "company_row_id"};
const char *const kKeyWithoutListId[] = {"column_id", "company_row_id"};

bool has_column(Oid relid, const char *column) { return get_attnum(relid, column) != InvalidAttrNumber; }

// The relation and column a simple view's column stands for, one level down; false if the
// view is not simple.
bool view_column_source(Oid view_relid, AttrNumber *attno, Oid *relid) {
    Relation view = relation_open(view_relid, AccessShareLock);
    const Query *query = get_view_query(view);
    bool simple = list_length(query->jointree->fromlist) == 1 &&
                  IsA(linitial(query->jointree->fromlist), RangeTblRef);
    if (simple) {
        const RangeTblEntry *rte =
            rt_fetch(castNode(RangeTblRef, linitial(query->jointree->fromlist))->rtindex, query->rtable);
        simple = rte->rtekind == RTE_RELATION;
        if (simple) *relid = rte->relid;
        if (simple && attno != nullptr && *attno != InvalidAttrNumber) {
            const TargetEntry *entry = get_tle_by_resno(query->targetList, *attno);
            const bool plain = entry != nullptr && IsA(entry->expr, Var);
            *attno = plain ? castNode(Var, entry->expr)->varattno : InvalidAttrNumber;
        }
    }
    relation_close(view, AccessShareLock);
    return simple;
}

}  // namespace

const char *const *const kRequiredColumns[kListTableCount] = {kListsColumns, kListColumnsColumns,
                                                              kListCompaniesColumns, kCellsColumns};

Oid base_relation(Oid relid, AttrNumber *attno) {
    // A view over itself cannot exist; the bound only guards against the unexpected.
    for (int depth = 0; depth < 32; ++depth) {
        if (get_rel_relkind(relid) != RELKIND_VIEW) return relid;
        if (!view_column_source(relid, attno, &relid)) return InvalidOid;
    }
    return InvalidOid;
}

bool has_unique_key(Oid relid, const char *const *columns, int count) {
    AttrNumber attnos[INDEX_MAX_KEYS];
    Oid table = InvalidOid;
    for (int i = 0; i < count; ++i) {
        attnos[i] = get_attnum(relid, columns[i]);
        const Oid base = base_relation(relid, &attnos[i]);
        if (base == InvalidOid || attnos[i] <= 0 || (i > 0 && base != table)) return false;
        table = base;
    }
    Relation relation = relation_open(table, AccessShareLock);
    List *indexes = RelationGetIndexList(relation);
    relation_close(relation, AccessShareLock);
    bool found = false;
    ListCell *cell;
    foreach (cell, indexes) {
        HeapTuple tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(cell)));
        if (!HeapTupleIsValid(tuple)) continue;
        const Form_pg_index index = (Form_pg_index)GETSTRUCT(tuple);
        bool usable = index->indisunique && index->indimmediate && index->indisvalid &&
                      index->indnkeyatts == count && heap_attisnull(tuple, Anum_pg_index_indpred, nullptr) &&
                      heap_attisnull(tuple, Anum_pg_index_indexprs, nullptr);
        for (int k = 0; usable && k < count; ++k) {
            bool listed = false;
            for (int i = 0; i < count; ++i) listed |= index->indkey.values[k] == attnos[i];
            usable = listed;
        }
        ReleaseSysCache(tuple);
        if ((found = usable)) break;
    }
    list_free(indexes);
    return found;
}

ListTables discover_list_tables(Oid schema_oid, const char *schema) {
    ListTables tables;
    for (int t = 0; t < kListTableCount; ++t) {
        tables.relids[t] = get_relname_relid(kListTableNames[t], schema_oid);
        if (!OidIsValid(tables.relids[t])) raise_missing_table(schema, kListTableNames[t]);
        for (const char *const *column = kRequiredColumns[t]; *column; ++column)
            if (!has_column(tables.relids[t], *column))
                raise_missing_column(schema, kListTableNames[t], *column);
        tables.base_relids[t] = base_relation(tables.relids[t], nullptr);
    }
    const Oid cells = tables.relids[kListCompanyCells];
    core::TablesShape &shape = tables.shape;
    shape.cells_have_list_id = has_column(cells, "list_id");
    shape.has_created_at = has_column(cells, "created_at");
    shape.has_updated_at = has_column(cells, "updated_at");

    int provenance_columns = 0;
    for (const char *column : kProvenanceColumns) provenance_columns += has_column(cells, column);
    if (provenance_columns != 0 && provenance_columns != 3)
        for (const char *column : kProvenanceColumns)
            if (!has_column(cells, column)) raise_missing_column(schema, "list_company_cells", column);
    shape.has_provenance = provenance_columns == 3;

    shape.conflict_key_has_list_id = shape.cells_have_list_id && has_unique_key(cells, kKeyWithListId, 3);
    if (!shape.conflict_key_has_list_id && !has_unique_key(cells, kKeyWithoutListId, 2))
        raise_no_conflict_key(schema, shape.cells_have_list_id);
    return tables;
}

}  // namespace cellupsert::pg
