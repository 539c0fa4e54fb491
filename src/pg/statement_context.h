// The statement context: the one per-backend object that owns what the functions know about
// their list tables (discovery.h: the relations, the tables under their views, the shape)
// and the plans of the catalogue's statements (statement_catalog.h) built for them, kept
// per backend (per list for the statements whose list is a literal), with the
// invalidations that make it check them again.
//
// A call gets it from for_call() once, first, and hands it to the code that runs its
// statements. What the context says (shape(), tables()) is what the plans it returns were
// built for: it is checked again only when a plan is asked for or a statement has run.
#pragma once

#include "../core/statement_sql.h"
#include "discovery.h"
#include "list_plans.h"
#include "shard_plans.h"
#include "pg_headers.h"
#include "write_scope.h"

namespace cellupsert::pg {

using Statement = core::StatementKind;

// A statement's kept plan, with the shape its text was built for.
struct PreparedStatement {
    Statement kind;
    SPIPlanPtr plan;
    core::TablesShape shape;
};

// The int4 in column (from 1) of the one row the last statement returned.
int32 result_int32(int column);
// Raises an internal error when a statement's result (rc, SPI_processed) is not what the
// catalogue says.
void check_result(const core::StatementSpec &spec, int rc);

class StatementContext {
   public:
    // This backend's context for a call of function_oid, made current: the list tables of the
    // function's schema, checked again after any invalidation, so that a rename committed
    // since this transaction last looked is seen now. Raises discovery's errors (42P01,
    // 42703, 42804, 42P10, 55000). Call it after SPI_connect. kind: what the call writes, as
    // its history rows record it (write_scope.h); none for a function that writes nothing.
    static StatementContext &for_call(Oid function_oid, WriteKind kind = WriteKind::none);

    const ListTables &tables() const { return tables_; }
    const core::TablesShape &shape() const { return tables_.shape; }
    const char *schema_name() const { return NameStr(schema_name_); }

    // The kept plan of kind, for list when the catalogue's list is a literal, made current
    // first: prepared on first use, and again after the tables' names or shape changed.
    // Raises the errors of planning it (a schema the caller may not use: 42501).
    // The size of the batch whose statements come next: up to kByKeyBatchCells cells, they
    // read its ids by key, with kept generic plans; above, by joins planned for the batch.
    void size_batch(uint64 cells);
    static constexpr uint64 kByKeyBatchCells = 500;

    // For a read on the list's local shards (shard_plans.h), it may first run the statements
    // that find them: SPI_tuptable is not the caller's after it.
    PreparedStatement prepare(Statement kind, Datum list = (Datum)0);
    // Distributed cells with no trigger on INSERT or UPDATE but the extension's own and
    // internal ones (only_own_write_triggers, relations.h), as of the last refresh: a trigger
    // created, dropped, enabled or disabled invalidates the cells' relcache, so the next
    // statement refreshes.
    bool cells_have_only_own_write_triggers() const { return own_write_triggers_; }
    // The placement of list's shards as this call read it (shard: of lists; here: whether
    // this node holds it), so that the reads need not read it again (shard_plans.h).
    void remember_placement(Datum list, int64 shard, bool here);
    // Whether this (sub)transaction holds list's shards here, their only placement
    // (list_placement.h), and Citus would run its statements on them in this backend: its
    // writes of one cell run on the shard directly.
    bool holds_list_shards(Datum list) const;
    // The backend's context, for the history's trigger, fired by a call's write.
    static StatementContext &backend();
    // Where this call holds list's shards and its reads found their group, the trigger fired
    // on the group's cells' shard and history is this schema's history, co-located: the kept
    // plan of the history trigger's one-row insert on the history's shard (text(shard, the
    // ids' sequence), with nargs parameters of types), prepared on first use; else nullptr.
    // Runs no statement.
    SPIPlanPtr history_shard_insert(Datum list, Relation cells, Oid history,
                                    char *(*text)(const char *history, Oid sequence), int nargs, const Oid *types);

    // Whether list is one of the lists this backend used last (list_plans.h), before this
    // call; marks it as used last.
    bool list_used_lately(Datum list) { return list_plans_.used(*DatumGetUUIDP(list)); }

    // Runs a prepared statement, as the caller, with args (its parameters in order, but for
    // an editor, which the context binds: editor.h) and nulls (SPI's, or nullptr for none),
    // under snapshot when it is not InvalidSnapshot (so that a diagnosis can look at the
    // tables as a write saw them). Returns the rows processed, left in SPI_tuptable; raises
    // an internal error if the result is not the catalogue's. Raises 40001 if the schema or
    // the list tables were renamed or replaced while it ran (its text may then have been
    // re-analysed against other tables): after it, or instead of the error that
    // re-analysis raised; the error undoes its writes. Its errors carry no line with the
    // statement's text in their context.
    uint64 execute(const PreparedStatement &prepared, const Datum *args, const char *nulls,
                   Snapshot snapshot = InvalidSnapshot, long tcount = 0);

    // prepare(kind, args[0]), then execute.
    uint64 run(Statement kind, const Datum *args, const char *nulls = nullptr, Snapshot snapshot = InvalidSnapshot,
               long tcount = 0);

    // key_share_lock on the table under the relation of table (lists, list_columns or
    // list_companies: batch_locks.h) for list and ids (a uuid[]; (Datum)0 for the lists), as
    // that table's owner in owner mode (owner_mode.h). The table is locked by its oid first,
    // as the caller, and only then are the names checked again: raises 55000 when a batch
    // cannot lock that table (batch_lock_problem, discovery.h), 40001 when it was renamed or
    // replaced. Returns the rows locked.
    uint64 lock_as_owner(ListTable table, Datum list, Datum ids);
    // The batch's three locks (batch_locks.h), with the errors of lock_as_owner: the list,
    // the columns and the rows with these ids (uuid[], sorted). When one role owns the three
    // single-node tables, one statement (key_share_locks) as that owner; otherwise
    // lock_as_owner on each. Whether every id was locked.
    bool lock_keys_as_owner(Datum list, Datum columns, Datum rows);
    // After a wait outside a statement (a lock taken in C: key_probes.h): the tables are
    // checked again, as after a statement's locks; raises 40001 when a list table was
    // renamed away or dropped meanwhile.
    void check_tables_after_wait();

    // Set while a call hands itself over (delegation.h).
    bool handing_over = false;

   private:
    void make_current();
    void refresh();
    void forget_plans();
    int plan_options(const core::StatementSpec &spec, core::IdReads reads) const;
    void refresh_during_call();
    SPIPlanPtr prepare_text(char *sql, const core::StatementSpec &spec, int options);
    SPIPlanPtr shard_plan(Statement kind, Datum list);
    ShardPlans::Group *local_shard_group(Datum list);
    int run_plan(SPIPlanPtr plan, Datum *values, const char *nulls, Snapshot snapshot, long tcount);
    int run_write(bool manual, SPIPlanPtr plan, Datum *values, const char *nulls, Snapshot snapshot, long tcount);
    void raise_if_names_changed(Oid function_oid);
    void lock_tables_first(const ListTable *tables, int n);
    static void on_relcache_invalidation(Datum, Oid relation_oid);
    // PostgreSQL 19 passes the cache's id as its enum SysCacheIdentifier, older majors as an int.
#if PG_VERSION_NUM >= 190000
    static void on_namespace_invalidation(Datum, SysCacheIdentifier, uint32);
#else
    static void on_namespace_invalidation(Datum, int, uint32);
#endif

    // What the plans were prepared for: the schema (from the calling function, remembered
    // per function oid so that no call looks up the catalog), the name it had then, and the
    // tables. A kept plan is re-analysed from its text after an invalidation, so the names
    // in the text must still lead to these oids: a rename of the schema or of a table makes
    // the next statement check them again.
    Oid function_oid_ = InvalidOid;  // of the call
    Oid schema_oid_ = InvalidOid;
    NameData schema_name_ = {};                        // the name in the plans' text
    Oid function_oids_[2] = {InvalidOid, InvalidOid};  // the functions seen calling for this schema
    ListTables tables_ = {};
    bool shape_may_have_changed_ = false;  // set by the invalidation callbacks
    bool own_write_triggers_ = false;
    Oid history_relid_ = InvalidOid;    // on Citus, the history table of the schema, when there is one
    bool history_changed_ = false;      // invalidated: its shard's name may have changed
    bool cells_fill_defaults_ = false;  // Citus fills in some of the cells' defaults (has_volatile_defaults)
    bool callbacks_registered_ = false;
    SPIPlanPtr plans_[core::kStatementKinds] = {};
    SPIPlanPtr lock_plans_[kListCompanyCells] = {};  // key_share_lock on the table under each
    // The by-key forms (core/statement_sql.h), for a small batch: one generic plan each.
    core::IdReads reads_ = core::IdReads::join;
    SPIPlanPtr by_key_plans_[core::kStatementKinds] = {};
    SPIPlanPtr by_key_lock_plans_[kListCompanyCells] = {};
    SPIPlanPtr locks_plans_[2] = {};  // key_share_locks: joins, by key
    ListPlans list_plans_;
    // The statements on the list's local shards (shard_plans.h), and the list's group as
    // this call's first read found it: nullptr when this node does not hold the list's shards.
    ShardPlans shard_plans_;
    bool placement_read_ = false;
    pg_uuid_t placement_list_ = {};
    int64 placement_shard_ = 0;
    bool placement_here_ = false;
    ShardPlans::Group *placement_group_ = nullptr;  // found once for the placement read
};

}  // namespace cellupsert::pg
