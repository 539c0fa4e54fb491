#include "key_probes.h"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_class.h"
#include "utils/acl.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/rls.h"
}

namespace cellupsert::pg {
namespace {

constexpr ListTable kProbed[] = {kLists, kListColumns, kListCompanies};

bool caller_may_read(Oid relid, const char *const *columns, int count) {
    const Oid user = GetUserId();
    if (pg_class_aclcheck(relid, user, ACL_SELECT) == ACLCHECK_OK) return true;
    for (int i = 0; i < count; ++i) {
        const AttrNumber attnum = get_attnum(relid, columns[i]);
        if (attnum == InvalidAttrNumber || pg_attribute_aclcheck(relid, attnum, user, ACL_SELECT) != ACLCHECK_OK)
            return false;
    }
    return true;
}

// Whether the tuple's column attnum is the text kCompanySubject.
bool is_company(HeapTuple tuple, TupleDesc desc, AttrNumber attnum) {
    bool is_null;
    const Datum subject = heap_getattr(tuple, attnum, desc, &is_null);
    if (is_null) return false;
    const text *value = DatumGetTextPP(subject);
    const size_t length = VARSIZE_ANY_EXHDR(value);
    return length == strlen(core::kCompanySubject) && memcmp(VARDATA_ANY(value), core::kCompanySubject, length) == 0;
}

// Finds the row of table whose key is (list, id) (lists: id) by its primary key index, as
// snapshot sees it; with subject, the row's subject column must be kCompanySubject.
bool probe(Oid relid, const KeyColumns &keys, Datum list, Datum id, Snapshot snapshot, AttrNumber subject) {
    Relation table = table_open(relid, AccessShareLock);
    list_free(RelationGetIndexList(table));  // sets rd_pkindex
    const Oid index_oid = table->rd_pkindex;
    bool found = false;
    if (OidIsValid(index_oid)) {
        Relation index = index_open(index_oid, AccessShareLock);
        // The key columns in the index's order, each the list or the id.
        ScanKeyData scan_keys[2];
        const int count = IndexRelationGetNumberOfKeyAttributes(index);
        bool usable = count <= 2 && index->rd_rel->relam == BTREE_AM_OID;
        for (int i = 0; usable && i < count; ++i) {
            const AttrNumber attnum = index->rd_index->indkey.values[i];
            const bool is_id = attnum == keys.id;
            usable = is_id || (attnum == keys.list_id && attnum != InvalidAttrNumber);
            ScanKeyInit(&scan_keys[i], attnum, BTEqualStrategyNumber, F_UUID_EQ, is_id ? id : list);
        }
        index_close(index, NoLock);
        if (!usable) {
            table_close(table, NoLock);
            return false;
        }
        SysScanDesc scan = systable_beginscan(table, index_oid, true, snapshot, count, scan_keys);
        const HeapTuple tuple = systable_getnext(scan);
        if (HeapTupleIsValid(tuple)) {
            const TupleDesc desc = RelationGetDescr(table);
            bool is_null;
            // The list, where the key has no list_id (a shape keyed by id alone).
            found = keys.list_id == InvalidAttrNumber ||
                    DatumGetBool(DirectFunctionCall2(uuid_eq, heap_getattr(tuple, keys.list_id, desc, &is_null), list));
            if (subject != InvalidAttrNumber) found = found && is_company(tuple, desc, subject);
        }
        systable_endscan(scan);
    }
    table_close(table, NoLock);
    return found;
}

}  // namespace

bool key_probes_apply(const ListTables &tables) {
    if (tables.shape.distributed || IsolationIsSerializable()) return false;
    for (ListTable table : kProbed) {
        const Oid relid = tables.relids[table];
        if (relid != tables.base_relids[table] || get_rel_relkind(relid) != RELKIND_RELATION ||
            check_enable_rls(relid, InvalidOid, true) == RLS_ENABLED)
            return false;
    }
    static const char *const kListColumnsRead[] = {core::kListIdColumn, core::kIdColumn, core::kSubjectColumn};
    static const char *const kIdsRead[] = {core::kListIdColumn, core::kIdColumn};
    if (!caller_may_read(tables.relids[kLists], kIdsRead + 1, 1) ||
        !caller_may_read(tables.relids[kListColumns], kListColumnsRead, 3) ||
        !caller_may_read(tables.relids[kListCompanies], kIdsRead, 2))
        return false;
    const Oid columns = tables.relids[kListColumns];
    const AttrNumber subject = get_attnum(columns, core::kSubjectColumn);
    Oid type, collation;
    int32 typmod;
    get_atttypetypmodcoll(columns, subject, &type, &typmod, &collation);
    return type == TEXTOID && (!OidIsValid(collation) || get_collation_isdeterministic(collation));
}

bool cell_keys_found(const ListTables &tables, Datum list, Datum row, Datum col, Snapshot snapshot) {
    const AttrNumber subject = get_attnum(tables.relids[kListColumns], core::kSubjectColumn);
    return probe(tables.relids[kLists], tables.base_keys[kLists], list, list, snapshot, InvalidAttrNumber) &&
           probe(tables.relids[kListColumns], tables.base_keys[kListColumns], list, col, snapshot, subject) &&
           probe(tables.relids[kListCompanies], tables.base_keys[kListCompanies], list, row, snapshot,
                 InvalidAttrNumber);
}

}  // namespace cellupsert::pg
