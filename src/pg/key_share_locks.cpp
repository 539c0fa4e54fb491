// The batch's key-share locks (batch_locks.h), run as the tables' owner: the members of the
// statement context that take them.
#include "errors.h"
#include "owner_mode.h"
#include "statement_context.h"
#include "statement_text.h"

extern "C" {
#include "storage/lmgr.h"
}

namespace cellupsert::pg {
namespace {

uint64 array_length(Datum array) {
    const ArrayType *a = DatumGetArrayTypeP(array);
    return ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
}

int64 result_int64(int column) {
    bool is_null;
    return DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, column, &is_null));
}

}  // namespace

// The tables under the relations of tables[0..n) locked by their oids, as the caller; only
// then are the names checked again, so that the text is analysed again only against the
// names checked here, under the same locks, with no invalidation taken in between.
void StatementContext::lock_tables_first(const ListTable *tables, int n) {
    Oid locked[kListTableCount];
    for (int i = 0; i < n; ++i) {
        locked[i] = tables_.base_relids[tables[i]];
        if (OidIsValid(locked[i])) LockRelationOid(locked[i], RowShareLock);
    }
    AcceptInvalidationMessages();
    if (shape_may_have_changed_) refresh_during_call();
    for (int i = 0; i < n; ++i) {
        const char *fix = nullptr;
        const char *problem = batch_lock_problem(tables_.relids[tables[i]], tables[i], &fix);
        if (problem != nullptr) raise_batch_lock_problem(qualified_name(tables_.relids[tables[i]]), problem, fix);
        if (tables_.base_relids[tables[i]] != locked[i]) raise_tables_changed(NameStr(schema_name_));
    }
}

void StatementContext::check_tables_after_wait() {
    AcceptInvalidationMessages();
    if (shape_may_have_changed_) refresh_during_call();
}

// As ri_PerformCheck (ri_triggers.c) runs a foreign key check: the owner may lock its rows
// (the caller, with SELECT only, may not), and is not subject to its policies. It locks the
// table, not a view of the caller's relation: a view's body, functions and policies would
// run as the owner.
uint64 StatementContext::lock_as_owner(ListTable table, Datum list, Datum ids) {
    lock_tables_first(&table, 1);
    const core::StatementSpec &spec = core::statement_spec(Statement::key_share_lock);
    const core::IdReads reads = table == kLists ? core::IdReads::join : reads_;
    SPIPlanPtr &plan = (reads == core::IdReads::by_key ? by_key_lock_plans_ : lock_plans_)[table];
    // The list's own row, by its id: one plan.
    const int options =
        table == kLists && !tables_.shape.distributed ? CURSOR_OPT_GENERIC_PLAN : plan_options(spec, reads);
    if (plan == nullptr) plan = prepare_text(lock_text(tables_, table, reads), spec, options);

    Datum args[] = {list, ids};
    const char nulls[] = {' ', ids == (Datum)0 ? 'n' : ' '};
    const Oid function_oid = function_oid_;
    const OwnerMode mode = enter_owner_mode(relation_owner(tables_.base_relids[table]));
    const int rc = run_plan(plan, args, nulls, InvalidSnapshot, 0);
    leave_owner_mode(mode);
    raise_if_names_changed(function_oid);
    check_result(spec, rc);
    return SPI_processed;
}

bool StatementContext::lock_keys_as_owner(Datum list, Datum columns, Datum rows) {
    const uint64 column_count = array_length(columns);
    const uint64 row_count = array_length(rows);
    static constexpr ListTable kLocked[] = {kLists, kListColumns, kListCompanies};
    lock_tables_first(kLocked, 3);
    const Oid owner = relation_owner(tables_.base_relids[kLists]);
    if (tables_.shape.distributed || relation_owner(tables_.base_relids[kListColumns]) != owner ||
        relation_owner(tables_.base_relids[kListCompanies]) != owner) {
        // Each as its own table's owner (Citus: a statement that reads one table each).
        bool all_locked = lock_as_owner(kLists, list, (Datum)0) == 1;
        if (column_count > 0) all_locked &= lock_as_owner(kListColumns, list, columns) == column_count;
        if (row_count > 0) all_locked &= lock_as_owner(kListCompanies, list, rows) == row_count;
        return all_locked;
    }
    const core::StatementSpec &spec = core::statement_spec(Statement::key_share_locks);
    SPIPlanPtr &plan = locks_plans_[reads_ == core::IdReads::by_key];
    if (plan == nullptr) plan = prepare_text(locks_text(tables_, reads_), spec, plan_options(spec, reads_));

    Datum args[] = {list, columns, rows};
    const Oid function_oid = function_oid_;
    const OwnerMode mode = enter_owner_mode(owner);
    const int rc = run_plan(plan, args, nullptr, InvalidSnapshot, 0);
    leave_owner_mode(mode);
    raise_if_names_changed(function_oid);
    check_result(spec, rc);
    return result_int64(1) == 1 && static_cast<uint64>(result_int64(2)) == column_count &&
           static_cast<uint64>(result_int64(3)) == row_count;
}

}  // namespace cellupsert::pg
