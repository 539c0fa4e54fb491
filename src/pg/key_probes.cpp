#include "key_probes.h"

#include "relations.h"

extern "C" {
#include "access/genam.h"
#include "access/relscan.h"
#include "access/tableam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_class.h"
#include "utils/acl.h"
#include "executor/tuptable.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/rls.h"
}

namespace cellupsert::pg {
namespace {

constexpr ListTable kProbed[] = {kLists, kListColumns, kListCompanies};

// Whether the slot's column attnum is the text kCompanySubject.
bool is_company(TupleTableSlot *slot, AttrNumber attnum) {
    bool is_null;
    const Datum subject = slot_getattr(slot, attnum, &is_null);
    if (is_null) return false;
    const text *value = DatumGetTextPP(subject);
    const size_t length = VARSIZE_ANY_EXHDR(value);
    return length == strlen(core::kCompanySubject) && memcmp(VARDATA_ANY(value), core::kCompanySubject, length) == 0;
}

// The row of a list table with the key (list, id) (lists: id), found by the table's primary
// key index; with subject, of subject kCompanySubject.
struct KeyRead {
    Relation table;
    Oid index;
    const KeyColumns *keys;
    AttrNumber subject;
    Datum list, id;
};

// Whether the slot holds the row key names.
bool matches(const KeyRead &key, TupleTableSlot *slot) {
    bool is_null;
    if (!DatumGetBool(DirectFunctionCall2(uuid_eq, slot_getattr(slot, key.keys->id, &is_null), key.id))) return false;
    if (key.keys->list_id != InvalidAttrNumber &&
        !DatumGetBool(DirectFunctionCall2(uuid_eq, slot_getattr(slot, key.keys->list_id, &is_null), key.list)))
        return false;
    return key.subject == InvalidAttrNumber || is_company(slot, key.subject);
}

// Opens the table of relid for key reads: false (and nothing open) when its primary key is
// not a btree on (id) or (list_id, id), in either order.
bool open_for_key_reads(Oid relid, const KeyColumns &keys, AttrNumber subject, KeyRead *key) {
    Relation table = table_open(relid, AccessShareLock);
    list_free(RelationGetIndexList(table));  // sets rd_pkindex
    const Oid index_oid = table->rd_pkindex;
    bool usable = OidIsValid(index_oid);
    if (usable) {
        Relation index = index_open(index_oid, AccessShareLock);
        const int count = IndexRelationGetNumberOfKeyAttributes(index);
        usable = count <= 2 && index->rd_rel->relam == BTREE_AM_OID;
        for (int i = 0; usable && i < count; ++i) {
            const AttrNumber attnum = index->rd_index->indkey.values[i];
            usable = attnum == keys.id || (attnum == keys.list_id && attnum != InvalidAttrNumber);
        }
        index_close(index, NoLock);
    }
    if (!usable) {
        table_close(table, NoLock);
        return false;
    }
    *key = {table, index_oid, &keys, subject, (Datum)0, (Datum)0};
    return true;
}

// open_for_key_reads for one of the three list tables: the columns' reads check the subject.
bool open_list_table(const ListTables &tables, ListTable table, KeyRead *key) {
    const AttrNumber subject =
        table == kListColumns ? get_attnum(tables.relids[kListColumns], core::kSubjectColumn) : InvalidAttrNumber;
    return open_for_key_reads(tables.relids[table], tables.base_keys[table], subject, key);
}

// A scan of a table's primary key index, kept open for the reads of many keys, each a
// rescan: what systable_beginscan would set up anew for each.
struct KeyScan {
    IndexScanDesc scan;
    TupleTableSlot *slot;
    int count;              // the index's key columns
    AttrNumber columns[2];  // in the index's order, each the list or the id (open_for_key_reads)
};

KeyScan begin_key_scan(const KeyRead &key, Snapshot snapshot) {
    Relation index = index_open(key.index, NoLock);  // locked by open_for_key_reads
    KeyScan scan;
    scan.count = IndexRelationGetNumberOfKeyAttributes(index);
    for (int i = 0; i < scan.count; ++i) scan.columns[i] = index->rd_index->indkey.values[i];
    scan.scan = index_beginscan(key.table, index, snapshot, scan.count, 0);
    scan.slot = table_slot_create(key.table, nullptr);
    return scan;
}

void end_key_scan(const KeyScan &scan) {
    Relation index = scan.scan->indexRelation;
    index_endscan(scan.scan);
    index_close(index, NoLock);
    ExecDropSingleTupleTableSlot(scan.slot);
}

// Finds the row key names as the scan's snapshot sees it; returns its TID, or false.
bool find_key(const KeyRead &key, const KeyScan &scan, ItemPointerData *tid) {
    ScanKeyData scan_keys[2];
    for (int i = 0; i < scan.count; ++i)  // by the index's column numbers
        ScanKeyInit(&scan_keys[i], static_cast<AttrNumber>(i + 1), BTEqualStrategyNumber, F_UUID_EQ,
                    scan.columns[i] == key.keys->id ? key.id : key.list);
    index_rescan(scan.scan, scan_keys, scan.count, nullptr, 0);
    const bool found = index_getnext_slot(scan.scan, ForwardScanDirection, scan.slot) && matches(key, scan.slot);
    if (found) *tid = scan.slot->tts_tid;
    ExecClearTuple(scan.slot);  // its buffer's pin, before the row is locked or waited for
    return found;
}

// Finds the row key names as snapshot sees it, and locks its latest version FOR KEY SHARE, as
// SELECT ... FOR KEY SHARE does (ExecLockRows, nodeLockRows.c): a version that no longer
// has the key, or none left, is not locked; under a transaction snapshot, a row changed
// since is a serialization failure. Whether it is locked.
bool lock_key(const KeyRead &key, const KeyScan &scan, Snapshot snapshot, TupleTableSlot *slot) {
    ItemPointerData tid;
    if (!find_key(key, scan, &tid)) return false;
    TM_FailureData failure;
    const uint8 flags = IsolationUsesXactSnapshot() ? 0 : TUPLE_LOCK_FLAG_FIND_LAST_VERSION;
    const TM_Result result = table_tuple_lock(key.table, &tid, snapshot, slot, GetCurrentCommandId(true),
                                              LockTupleKeyShare, LockWaitBlock, flags, &failure);
    switch (result) {
        case TM_Ok: return !failure.traversed || matches(key, slot);
        case TM_SelfModified: return false;  // changed by this transaction since: as deleted
        case TM_Updated:
        case TM_Deleted:
            if (IsolationUsesXactSnapshot())
                ereport(ERROR, (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
                                errmsg("could not serialize access due to concurrent update")));
            if (result == TM_Deleted) return false;
            elog(ERROR, "unexpected table_tuple_lock status: %u", result);
        default: elog(ERROR, "unexpected table_tuple_lock status: %u", result);
    }
    return false;
}

// Locks the rows of the sorted ids (a uuid[]) in the list, in their order.
bool lock_keys(KeyRead &key, Datum list, Datum ids, Snapshot snapshot) {
    TupleTableSlot *slot = table_slot_create(key.table, nullptr);
    const KeyScan scan = begin_key_scan(key, snapshot);
    ArrayType *array = DatumGetArrayTypeP(ids);
    Datum *elements;
    int count;
    deconstruct_array(array, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR, &elements, nullptr, &count);
    bool all_locked = true;
    key.list = list;
    for (int i = 0; i < count && all_locked; ++i) {
        key.id = elements[i];
        all_locked = lock_key(key, scan, snapshot, slot);
    }
    pfree(elements);
    end_key_scan(scan);
    ExecDropSingleTupleTableSlot(slot);
    return all_locked;
}

}  // namespace

bool key_probes_apply(const ListTables &tables) {
    if (!tables.checks_readable_by_key || tables.shape.distributed || IsolationIsSerializable()) return false;
    for (ListTable table : kProbed)
        if (check_enable_rls(tables.relids[table], InvalidOid, true) == RLS_ENABLED) return false;
    static const char *const kListColumnsRead[] = {core::kListIdColumn, core::kIdColumn, core::kSubjectColumn};
    static const char *const kIdsRead[] = {core::kListIdColumn, core::kIdColumn};
    if (!caller_may_select(tables.relids[kLists], kIdsRead + 1, 1) ||
        !caller_may_select(tables.relids[kListColumns], kListColumnsRead, 3) ||
        !caller_may_select(tables.relids[kListCompanies], kIdsRead, 2))
        return false;
    return true;
}

bool cell_keys_found(const ListTables &tables, Datum list, Datum row, Datum col, Snapshot snapshot) {
    const Datum ids[] = {list, col, row};
    bool found = true;
    // Where list_columns references lists, the column found in the list means the list is
    // there: its row is not read (a column not found makes the statement diagnose).
    for (int t = tables.columns_reference_lists ? 1 : 0; t < 3 && found; ++t) {
        KeyRead key;
        if (!open_list_table(tables, kProbed[t], &key)) return false;
        key.list = list;
        key.id = ids[t];
        ItemPointerData tid;
        const KeyScan scan = begin_key_scan(key, snapshot);
        found = find_key(key, scan, &tid);
        end_key_scan(scan);
        table_close(key.table, NoLock);
    }
    return found;
}

bool batch_keys_locked(const ListTables &tables, Datum list, Datum columns, Datum rows, Snapshot snapshot) {
    bool all_locked = true;
    for (int t = 0; t < 3 && all_locked; ++t) {
        KeyRead key;
        if (!open_list_table(tables, kProbed[t], &key)) return false;
        if (kProbed[t] == kLists) {
            TupleTableSlot *slot = table_slot_create(key.table, nullptr);
            const KeyScan scan = begin_key_scan(key, snapshot);
            key.list = key.id = list;
            all_locked = lock_key(key, scan, snapshot, slot);
            end_key_scan(scan);
            ExecDropSingleTupleTableSlot(slot);
        } else {
            all_locked = lock_keys(key, list, kProbed[t] == kListColumns ? columns : rows, snapshot);
        }
        table_close(key.table, NoLock);
    }
    return all_locked;
}

}  // namespace cellupsert::pg
