#include "relations.h"

extern "C" {
#include "access/htup_details.h"
#include "access/genam.h"
#include "access/relation.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_namespace_d.h"
#include "commands/extension.h"
#include "catalog/pg_index.h"
#include "catalog/pg_trigger.h"
#include "commands/trigger.h"
#include "nodes/parsenodes.h"
#include "optimizer/optimizer.h"
#include "parser/parsetree.h"
#include "rewrite/rewriteHandler.h"
#include "utils/acl.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
}

namespace cellupsert::pg {
namespace {

// The relation and column a simple view's column stands for, one level down; false if the
// view is not simple.
bool view_column_source(Oid view_relid, AttrNumber *attno, Oid *relid) {
    Relation view = relation_open(view_relid, AccessShareLock);
    const Query *query = get_view_query(view);
    bool simple = list_length(query->jointree->fromlist) == 1 && IsA(linitial(query->jointree->fromlist), RangeTblRef);
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

AclResult schema_usage_aclcheck(Oid schema, Oid role) {
#if PG_VERSION_NUM >= 160000
    return object_aclcheck(NamespaceRelationId, schema, role, ACL_USAGE);
#else
    return pg_namespace_aclcheck(schema, role, ACL_USAGE);
#endif
}

// The column of the table under relid that a column of relid stands for (InvalidAttrNumber if
// none, or not a plain one).
AttrNumber base_column(Oid relid, const char *column) {
    AttrNumber attno = get_attnum(relid, column);
    if (attno == InvalidAttrNumber || !OidIsValid(base_relation(relid, &attno)) || attno <= 0) return InvalidAttrNumber;
    return attno;
}

}  // namespace

KeyColumns base_key_columns(Oid relid, ListTable table) {
    KeyColumns keys{InvalidAttrNumber, InvalidAttrNumber};
    if (table == kListCompanyCells) return keys;
    if (table != kLists) keys.list_id = base_column(relid, core::kListIdColumn);
    keys.id = base_column(relid, core::kIdColumn);
    return keys;
}

namespace {

// Whether a constraint's key (conkey or confkey) is the one column attno.
bool key_is_column(HeapTuple tuple, TupleDesc descriptor, int attribute, AttrNumber attno) {
    bool is_null;
    const Datum key = heap_getattr(tuple, attribute, descriptor, &is_null);
    if (is_null) return false;
    ArrayType *array = DatumGetArrayTypeP(key);
    return ARR_NDIM(array) == 1 && ARR_DIMS(array)[0] == 1 && !ARR_HASNULL(array) &&
           reinterpret_cast<int16 *>(ARR_DATA_PTR(array))[0] == attno;
}

}  // namespace

bool references_by_key(Oid relid, AttrNumber column, Oid referenced, AttrNumber referenced_column) {
    if (!OidIsValid(relid) || !OidIsValid(referenced) || column == InvalidAttrNumber ||
        referenced_column == InvalidAttrNumber)
        return false;
    Relation constraints = table_open(ConstraintRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_constraint_conrelid, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
    SysScanDesc scan = systable_beginscan(constraints, ConstraintRelidTypidNameIndexId, true, nullptr, 1, &key);
    bool found = false;
    for (HeapTuple tuple; !found && HeapTupleIsValid(tuple = systable_getnext(scan));) {
        const Form_pg_constraint constraint = reinterpret_cast<Form_pg_constraint>(GETSTRUCT(tuple));
        found = constraint->contype == CONSTRAINT_FOREIGN && constraint->confrelid == referenced &&
                constraint->convalidated && !constraint->condeferrable &&
                key_is_column(tuple, RelationGetDescr(constraints), Anum_pg_constraint_conkey, column) &&
                key_is_column(tuple, RelationGetDescr(constraints), Anum_pg_constraint_confkey, referenced_column);
    }
    systable_endscan(scan);
    table_close(constraints, AccessShareLock);
    return found;
}

bool is_citus_table(Oid relid) {
    if (!OidIsValid(relid) || !OidIsValid(get_extension_oid("citus", true))) return false;
    const Oid catalog = get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE);
    if (!OidIsValid(catalog)) return false;
    const AttrNumber logicalrelid = get_attnum(catalog, "logicalrelid");
    if (logicalrelid == InvalidAttrNumber) return false;
    // Read directly, not with SPI: discovery may run between a statement and the caller's
    // look at its SPI results.
    Relation relation = table_open(catalog, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, logicalrelid, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
    SysScanDesc scan = systable_beginscan(relation, InvalidOid, false, nullptr, 1, &key);
    const bool found = HeapTupleIsValid(systable_getnext(scan));
    systable_endscan(scan);
    table_close(relation, AccessShareLock);
    return found;
}

Oid view_without_security_invoker(Oid relid) {
    for (int depth = 0; depth < 32 && OidIsValid(relid) && get_rel_relkind(relid) == RELKIND_VIEW; ++depth) {
        Relation view = relation_open(relid, AccessShareLock);
        const bool invoker = RelationHasSecurityInvoker(view);
        relation_close(view, AccessShareLock);
        if (!invoker) return relid;
        Oid next = InvalidOid;
        if (!view_column_source(relid, nullptr, &next)) break;
        relid = next;
    }
    return InvalidOid;
}

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
        bool usable = index->indisunique && index->indimmediate && index->indisvalid && index->indnkeyatts == count &&
                      heap_attisnull(tuple, Anum_pg_index_indpred, nullptr) &&
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

bool only_own_write_triggers(Oid relid, Oid schema) {
    Relation relation = relation_open(relid, AccessShareLock);
    bool own = true;
    const TriggerDesc *triggers = relation->trigdesc;
    for (int i = 0; triggers != nullptr && i < triggers->numtriggers && own; ++i) {
        const Trigger &trigger = triggers->triggers[i];
        if (trigger.tgisinternal || trigger.tgenabled == TRIGGER_DISABLED ||
            !(TRIGGER_FOR_INSERT(trigger.tgtype) || TRIGGER_FOR_UPDATE(trigger.tgtype)))
            continue;
        const char *function = get_func_name(trigger.tgfoid);
        own = function != nullptr && get_func_namespace(trigger.tgfoid) == schema &&
              (strcmp(function, "cell_manual_guard") == 0 || strcmp(function, "cell_history_record") == 0);
    }
    relation_close(relation, AccessShareLock);
    return own;
}

bool has_volatile_defaults(Oid relid) {
    Relation relation = relation_open(relid, AccessShareLock);
    const TupleDesc descriptor = RelationGetDescr(relation);
    bool found = false;
    for (int i = 0; i < descriptor->natts && !found; ++i) {
        const Form_pg_attribute attribute = TupleDescAttr(descriptor, i);
        if (attribute->attisdropped) continue;
        Node *expression =
            attribute->atthasdef && attribute->attgenerated == '\0' ? build_column_default(relation, i + 1) : nullptr;
        found = attribute->attidentity != '\0' || (expression != nullptr && contain_volatile_functions(expression));
    }
    relation_close(relation, AccessShareLock);
    return found;
}

bool caller_may_select(Oid relid, const char *const *columns, int count) {
    const Oid user = GetUserId();
    if (pg_class_aclcheck(relid, user, ACL_SELECT) == ACLCHECK_OK) return true;
    for (int i = 0; i < count; ++i) {
        const AttrNumber attnum = get_attnum(relid, columns[i]);
        if (attnum == InvalidAttrNumber || pg_attribute_aclcheck(relid, attnum, user, ACL_SELECT) != ACLCHECK_OK)
            return false;
    }
    return true;
}

Oid relation_owner(Oid relid) {
    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tuple)) elog(ERROR, "cache lookup failed for relation %u", relid);
    const Oid owner = reinterpret_cast<Form_pg_class>(GETSTRUCT(tuple))->relowner;
    ReleaseSysCache(tuple);
    return owner;
}

const char *batch_lock_problem(Oid relid, ListTable table, const char **fix) {
    const Oid base = base_relation(relid, nullptr);
    const KeyColumns keys = base_key_columns(relid, table);
    const char kind = OidIsValid(base) ? get_rel_relkind(base) : '\0';
    if ((kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE) || keys.id == InvalidAttrNumber ||
        (table != kLists && keys.list_id == InvalidAttrNumber)) {
        *fix = psprintf("Make %s a table, or a simple view (one table in FROM) whose %s of that table.",
                        qualified_name(relid),
                        table == kLists ? "id is a plain column" : "list_id and id are plain columns");
        return "a batch cannot find the table under it, whose rows it locks";
    }
    const Oid owner = relation_owner(base);
    const char *owner_name = quote_identifier(GetUserNameFromId(owner, false));
    const char *table_name = qualified_name(base);
    const Oid schema = get_rel_namespace(base);
    bool may_select = pg_class_aclcheck(base, owner, ACL_SELECT) == ACLCHECK_OK;
    if (!may_select) {
        may_select = pg_attribute_aclcheck(base, keys.id, owner, ACL_SELECT) == ACLCHECK_OK &&
                     (table == kLists || pg_attribute_aclcheck(base, keys.list_id, owner, ACL_SELECT) == ACLCHECK_OK);
    }
    const bool may_update = pg_class_aclcheck(base, owner, ACL_UPDATE) == ACLCHECK_OK ||
                            pg_attribute_aclcheck_all(base, owner, ACL_UPDATE, ACLMASK_ANY) == ACLCHECK_OK;
    if (schema_usage_aclcheck(schema, owner) != ACLCHECK_OK) {
        *fix = psprintf("GRANT USAGE ON SCHEMA %s TO %s;", quote_identifier(get_namespace_name(schema)), owner_name);
        return psprintf("its table %s belongs to role %s, which has no USAGE on the table's schema", table_name,
                        owner_name);
    }
    if (!may_select || !may_update) {
        const char *privileges = !may_select && !may_update ? "SELECT, UPDATE" : !may_select ? "SELECT" : "UPDATE";
        *fix = psprintf("GRANT %s ON %s TO %s;", privileges, table_name, owner_name);
        return psprintf("its table %s belongs to role %s, which lacks %s on it (FOR KEY SHARE needs both)", table_name,
                        owner_name, privileges);
    }
    *fix = nullptr;
    return nullptr;
}

const char *qualified_name(Oid relid) {
    return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), get_rel_name(relid));
}

bool has_conflict_key(Oid cells_relid, bool with_list_id) {
    const int first = with_list_id ? 0 : 1;
    return has_unique_key(cells_relid, core::kConflictKey + first, core::kConflictKeyColumns - first);
}

const char *conflict_key_fix(Oid cells_relid, bool with_list_id) {
    const char *const *columns = core::kConflictKey + (with_list_id ? 0 : 1);
    const int count = core::kConflictKeyColumns - (with_list_id ? 0 : 1);
    if (!OidIsValid(base_relation(cells_relid, nullptr)))
        return psprintf(
            "Make %s a simple view (one relation in FROM, plain columns) over the table of the "
            "cells, which has the unique index.",
            qualified_name(cells_relid));
    Oid table = cells_relid;
    StringInfoData names;
    initStringInfo(&names);
    for (int i = 0; i < count; ++i) {
        AttrNumber attno = get_attnum(cells_relid, columns[i]);
        const Oid base = base_relation(cells_relid, &attno);
        const bool mapped = OidIsValid(base) && attno > 0;
        if (mapped) table = base;
        appendStringInfo(&names, "%s%s", i == 0 ? "" : ", ",
                         quote_identifier(mapped ? get_attname(base, attno, false) : columns[i]));
    }
    return psprintf("CREATE UNIQUE INDEX CONCURRENTLY ON %s (%s);", qualified_name(table), names.data);
}

}  // namespace cellupsert::pg
