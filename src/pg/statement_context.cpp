#include "statement_context.h"

#include "delegation.h"
#include "editor.h"
#include "history.h"
#include "errors.h"
#include "write_scope.h"
#include "owner_mode.h"
#include "statement_text.h"
#include "kept_plans.h"
#include "list_placement.h"
#include "relations.h"

extern "C" {
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"
#include "storage/lmgr.h"
}

namespace cellupsert::pg {
namespace {

StatementContext backend_context;

Oid param_type(core::Param param) {
    switch (param) {
        case core::Param::id: return UUIDOID;
        case core::Param::ids: return UUIDARRAYOID;
        case core::Param::text:
        case core::Param::editor: return TEXTOID;
        case core::Param::texts: return TEXTARRAYOID;
        case core::Param::positions: return INT4ARRAYOID;
        case core::Param::cells: return JSONBOID;
        case core::Param::now: return TIMESTAMPTZOID;
    }
    return InvalidOid;
}

}  // namespace

void check_result(const core::StatementSpec &spec, int rc) {
    bool expected = rc == SPI_OK_SELECT;
    switch (spec.result) {
        case core::Result::processed: expected = rc == SPI_OK_INSERT; break;
        case core::Result::updated: expected = rc == SPI_OK_UPDATE; break;
        case core::Result::one_row: expected = rc == SPI_OK_SELECT && SPI_processed == 1; break;
        case core::Result::rows: break;
    }
    if (!expected)
        elog(ERROR, "statement %s returned %s, %llu rows", spec.name, SPI_result_code_string(rc),
             static_cast<unsigned long long>(SPI_processed));
}

int32 result_int32(int column) {
    bool is_null;
    return DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, column, &is_null));
}

// Any invalidation of one of the list tables or of a table under one of their views (DDL,
// a rename, a new index, but also ANALYZE) makes the next statement check the tables again;
// InvalidOid means "every relation".
void StatementContext::on_relcache_invalidation(Datum, Oid relation_oid) {
    StatementContext &c = backend_context;
    for (int t = 0; t < kListTableCount; ++t)
        if (relation_oid == InvalidOid || relation_oid == c.tables_.relids[t] ||
            relation_oid == c.tables_.base_relids[t])
            c.shape_may_have_changed_ = true;
    if (OidIsValid(c.history_relid_) && (relation_oid == InvalidOid || relation_oid == c.history_relid_))
        c.shape_may_have_changed_ = c.history_changed_ = true;
}

// Any change of a schema (a rename above all) makes the next statement check the schema's name.
#if PG_VERSION_NUM >= 190000
void StatementContext::on_namespace_invalidation(Datum, SysCacheIdentifier, uint32) {
#else
void StatementContext::on_namespace_invalidation(Datum, int, uint32) {
#endif
    backend_context.shape_may_have_changed_ = true;
}

StatementContext &StatementContext::for_call(Oid function_oid, WriteKind kind) {
    begin_call(kind);
    StatementContext &c = backend_context;
    c.function_oid_ = function_oid;
    c.reads_ = core::IdReads::join;
    c.placement_read_ = false;  // a shard may have moved since the last call
    c.make_current();
    return c;
}

namespace {

template <std::size_t N>
void free_plans(SPIPlanPtr (&plans)[N]) {
    for (SPIPlanPtr &plan : plans) {
        if (plan) SPI_freeplan(plan);
        plan = nullptr;
    }
}

}  // namespace

void StatementContext::forget_plans() {
    free_plans(plans_);
    free_plans(lock_plans_);
    free_plans(by_key_plans_);
    free_plans(by_key_lock_plans_);
    free_plans(locks_plans_);
    list_plans_.forget();
    shard_plans_.forget();
    placement_read_ = false;
    placement_group_ = nullptr;
}

// Makes the context describe the schema of the call's function and the current shape of
// its tables.
void StatementContext::refresh() {
    if (!callbacks_registered_) {
        CacheRegisterRelcacheCallback(on_relcache_invalidation, (Datum)0);
        CacheRegisterSyscacheCallback(NAMESPACEOID, on_namespace_invalidation, (Datum)0);
        callbacks_registered_ = true;
    }
    const Oid function_oid = function_oid_;
    const bool known_function = function_oid == function_oids_[0] || function_oid == function_oids_[1];
    const Oid schema_oid = known_function ? schema_oid_ : get_func_namespace(function_oid);
    const bool same_schema = schema_oid == schema_oid_;
    const char *schema_name = get_namespace_name(schema_oid);
    if (schema_name == nullptr) elog(ERROR, "schema of function %u not found", function_oid);
    const bool same_name = strcmp(schema_name, NameStr(schema_name_)) == 0;

    const ListTables tables = discover_list_tables(schema_oid, schema_name);
    // On Citus, the history's shard is named in a kept plan too (shard_plans.h).
    const Oid history = tables.shape.distributed ? get_relname_relid(kHistoryTable, schema_oid) : InvalidOid;
    // The plans survive an invalidation that changed nothing (ANALYZE, a policy change: the
    // plan cache itself re-plans for those); they are dropped when a name in their text or
    // the shape changed.
    if (!same_schema || !same_name || tables != tables_ || history != history_relid_ || history_changed_)
        forget_plans();
    history_relid_ = history;
    history_changed_ = false;
    if (!same_schema) function_oids_[0] = function_oids_[1] = InvalidOid;
    namestrcpy(&schema_name_, schema_name);
    if (!known_function) {
        function_oids_[1] = function_oids_[0];
        function_oids_[0] = function_oid;
    }
    schema_oid_ = schema_oid;
    tables_ = tables;
    own_write_triggers_ =
        tables_.shape.distributed && only_own_write_triggers(tables_.relids[kListCompanyCells], schema_oid);
    cells_fill_defaults_ = tables_.shape.distributed && has_volatile_defaults(tables_.relids[kListCompanyCells]);
    shape_may_have_changed_ = false;
}

// Checked again after any invalidation. A rename committed since this transaction last
// looked must be seen now, not when a plan is revalidated with the old names.
void StatementContext::make_current() {
    AcceptInvalidationMessages();
    const bool known_function = function_oid_ == function_oids_[0] || function_oid_ == function_oids_[1];
    if (!known_function || shape_may_have_changed_) refresh();
}

// Prepares sql (palloc'd, freed here) with the spec's parameter types, and keeps the plan.
SPIPlanPtr StatementContext::prepare_text(char *sql, const core::StatementSpec &spec, int options) {
    Oid types[core::kMaxParams];
    for (int i = 0; i < spec.nargs; ++i) types[i] = param_type(spec.params[i]);
    SPIPlanPtr plan = SPI_prepare_cursor(sql, spec.nargs, types, options);
    if (plan == nullptr) elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
    if (SPI_keepplan(plan) != 0) elog(ERROR, "SPI_keepplan failed");
    pfree(sql);
    return plan;
}

// A generic plan takes any list for one of average size: for a list much larger than the
// average, a plan that joins a batch's ids with the list's rows reads the whole list for a
// few ids (a one-cell batch into a list of 2,000 rows among 500 lists of 10: 4.8 million
// instructions). So the statements that read a batch's arrays are planned for them at each
// execution (a custom plan), but for the by-key forms of a small batch's statements, whose
// one generic plan is kept (size_batch). Statements that name one cell by its whole key keep
// a plan, as the plan cache chooses it: forced generic, they made the backend's private
// memory grow by some 10 bytes a call (test/scripts/memory.sh; not explained yet).
int StatementContext::plan_options(const core::StatementSpec &spec, core::IdReads reads) const {
    // The list's placement reads Citus's catalogs, no distributed table: one generic plan.
    if (tables_.shape.distributed)
        return spec.kind == Statement::list_placement ? CURSOR_OPT_GENERIC_PLAN : CURSOR_OPT_CUSTOM_PLAN;
    if (reads == core::IdReads::by_key) return CURSOR_OPT_GENERIC_PLAN;
    return core::reads_arrays(spec) ? CURSOR_OPT_CUSTOM_PLAN : 0;
}

void StatementContext::size_batch(uint64 cells) {
    reads_ = !tables_.shape.distributed && cells <= kByKeyBatchCells ? core::IdReads::by_key : core::IdReads::join;
}

// Any statement on distributed tables is planned anew for each execution (a custom plan,
// whose values are constants): Citus 13.2.2 re-plans the shard query of a kept fast-path
// plan with the list as a parameter at each execution anyway, and keeps each such plan until
// the backend ends, a growth without bound in the workers' long-lived backends
// (citusdata/citus#8783, #8824). A statement whose list is a literal has one plan per list,
// generic: Citus plans it on the list's shard.
PreparedStatement StatementContext::prepare(Statement kind, Datum list) {
    make_current();
    const core::StatementSpec &spec = core::statement_spec(kind);
    const char *schema = quote_identifier(NameStr(schema_name_));
    // On the list's local shards: its reads, and the writes of one cell of a call that holds
    // them (list_placement.h).
    if (core::writes_one_cell(kind) ? !cells_fill_defaults_ && holds_list_shards(list)
                                    : spec.list == core::ListIn::literal && spec.writes == core::Writes::nothing) {
        SPIPlanPtr plan = shard_plan(kind, list);
        if (plan != nullptr) return {kind, plan, tables_.shape};
    }
    if (spec.list == core::ListIn::literal) {
        const pg_uuid_t &id = *DatumGetUUIDP(list);
        SPIPlanPtr plan = list_plans_.find(id, kind);
        if (plan == nullptr) {
            plan = prepare_text(statement_text(kind, tables_.shape, schema, &id), spec, CURSOR_OPT_GENERIC_PLAN);
            list_plans_.keep(id, kind, plan);
        }
        return {kind, plan, tables_.shape};
    }
    const core::IdReads reads = core::has_by_key_form(kind) ? reads_ : core::IdReads::join;
    SPIPlanPtr &plan = (reads == core::IdReads::by_key ? by_key_plans_ : plans_)[static_cast<int>(kind)];
    if (plan == nullptr)
        plan =
            prepare_text(statement_text(kind, tables_.shape, schema, nullptr, reads), spec, plan_options(spec, reads));
    return {kind, plan, tables_.shape};
}

void StatementContext::remember_placement(Datum list, int64 shard, bool here) {
    placement_list_ = *DatumGetUUIDP(list);
    placement_shard_ = shard;
    placement_here_ = here;
    placement_group_ = nullptr;
    placement_read_ = true;
}

namespace {

bool local_execution_on() {
    const char *local = GetConfigOption("citus.enable_local_execution", true, false);
    return local == nullptr || strcmp(local, "on") == 0;
}

// Whether Citus itself would run this transaction's statements on the local shards in this
// backend, so that reads of the shards see its writes: local execution on, and the call either
// serves another node (whose transaction Citus runs here) or is alone in its transaction.
// Otherwise a transaction block may have written the shards through a connection to this node.
bool citus_runs_locally() { return local_execution_on() && (!IsTransactionBlock() || from_another_citus_node()); }

}  // namespace

bool StatementContext::holds_list_shards(Datum list) const {
    return tables_.shape.distributed && list != (Datum)0 && holds_only_placement(list) && local_execution_on();
}

StatementContext &StatementContext::backend() { return backend_context; }

SPIPlanPtr StatementContext::history_shard_insert(Datum list, Relation cells, Oid history,
                                                  char *(*text)(const char *history, Oid sequence), int nargs,
                                                  const Oid *types) {
    if (!holds_list_shards(list) || placement_group_ == nullptr || placement_group_->history == nullptr ||
        history != history_relid_ || memcmp(DatumGetUUIDP(list)->data, placement_list_.data, UUID_LEN) != 0)
        return nullptr;
    ShardPlans::Group &group = *placement_group_;
    // Fired on this schema's cells' shard of the list (Citus names it so: shard_name()),
    // compared by name once per group, then by oid.
    if (group.cells_shard != RelationGetRelid(cells)) {
        const char *fired_on =
            quote_qualified_identifier(get_namespace_name(RelationGetNamespace(cells)), RelationGetRelationName(cells));
        if (strcmp(fired_on, group.names[kListCompanyCells]) != 0) return nullptr;
        group.cells_shard = RelationGetRelid(cells);
    }
    if (group.history_insert == nullptr) {
        SPIPlanPtr plan = SPI_prepare(text(group.history, group.history_sequence), nargs, const_cast<Oid *>(types));
        if (plan == nullptr) elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
        if (SPI_keepplan(plan) != 0) elog(ERROR, "SPI_keepplan failed");
        group.history_insert = plan;
    }
    return group.history_insert;
}

// The group of the list's shards when this node holds them: the placement read once per
// call (Citus's catalogs: list_placement, with the latest snapshot whatever the isolation,
// unless the call read it already), then for a group not kept yet, the shards' names. Runs
// statements: SPI_tuptable is theirs after it.
ShardPlans::Group *StatementContext::local_shard_group(Datum list) {
    if (!citus_runs_locally()) return nullptr;
    const pg_uuid_t &id = *DatumGetUUIDP(list);
    if (!placement_read_ || memcmp(id.data, placement_list_.data, UUID_LEN) != 0) {
        const ListPlacement placement = list_placement_of(*this, list, GetLatestSnapshot());
        remember_placement(list, placement.shard, placement.here);
        SPI_freetuptable(SPI_tuptable);
    }
    if (!placement_here_ || placement_group_ != nullptr) return placement_group_;
    ShardPlans::Group *group = shard_plans_.find(placement_shard_);
    if (group == nullptr) {
        run(Statement::list_shard_names, &list, nullptr, InvalidSnapshot, 1);
        const char *names[4];
        for (int t = 0; t < 4; ++t) {
            names[t] = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, t + 1);
            if (names[t] == nullptr) {  // no shard: read through Citus
                placement_here_ = false;
                return nullptr;
            }
        }
        bool null;
        const Datum sequence = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 6, &null);
        group =
            shard_plans_.take(placement_shard_, names, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 5),
                              null ? InvalidOid : DatumGetObjectId(sequence));
        SPI_freetuptable(SPI_tuptable);
    }
    placement_group_ = group;
    return group;
}

// The kept plan of a statement on the list's local shards, or nullptr when this node does not
// hold them (shard_plans.h).
SPIPlanPtr StatementContext::shard_plan(Statement kind, Datum list) {
    ShardPlans::Group *group = local_shard_group(list);
    if (group == nullptr) return nullptr;
    SPIPlanPtr &plan = group->plans[static_cast<int>(kind)];
    if (plan == nullptr) {
        const core::ShardNames names = group->shard_names();
        plan = prepare_text(statement_text(kind, tables_.shape, quote_identifier(NameStr(schema_name_)), nullptr,
                                           core::IdReads::join, &names),
                            core::statement_spec(kind), CURSOR_OPT_GENERIC_PLAN);
    }
    return plan;
}

// After a statement: when an invalidation arrived while it took its locks (its text may then
// have been analysed against other tables) and the schema's name or the tables changed,
// raises 40001; the error undoes its writes.
void StatementContext::raise_if_names_changed(Oid function_oid) {
    function_oid_ = function_oid;  // a call nested in the statement may have changed it
    if (!shape_may_have_changed_) return;
    const Oid schema_oid = schema_oid_;
    const NameData schema_name = schema_name_;
    const ListTables tables = tables_;
    refresh_during_call();
    if (schema_oid != schema_oid_ || strcmp(NameStr(schema_name), NameStr(schema_name_)) != 0 || tables != tables_)
        raise_tables_changed(NameStr(schema_name_));
}

// A list table renamed away or dropped meanwhile: discovery raises 42P01 or 42703, which a
// next call would raise; this one began on the tables it had, so it is 40001.
void StatementContext::refresh_during_call() {
    const NameData schema_name = schema_name_;
    MemoryContext context = CurrentMemoryContext;
    // clang-format off
    PG_TRY();
    {
        refresh();
    }
    // clang-format on
    PG_CATCH();
    {
        MemoryContextSwitchTo(context);
        const ErrorData *error = CopyErrorData();
        if (!is_name_error(error->sqlerrcode)) PG_RE_THROW();
        FlushErrorState();
        raise_tables_changed(NameStr(schema_name));
    }
    PG_END_TRY();
}

// SPI_execute_plan (or under snapshot, when given), whose errors carry no statement text of
// the extension's. An error caused by a rename or a replacement of the schema or of a list
// table that arrived while the statement took its locks becomes 40001: its text was
// analysed again, against what now has its names.
int StatementContext::run_plan(SPIPlanPtr plan, Datum *values, const char *nulls, Snapshot snapshot, long tcount) {
    MemoryContext context = CurrentMemoryContext;
    volatile int rc = 0;
    PG_TRY();
    {
        build_kept_plan(plan);
        rc = snapshot == InvalidSnapshot
                 ? SPI_execute_plan(plan, values, nulls, false, tcount)
                 : SPI_execute_snapshot(plan, values, nulls, snapshot, InvalidSnapshot, false, true, tcount);
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(context);
        ErrorData *error = CopyErrorData();
        FlushErrorState();
        if (shape_may_have_changed_ && is_name_error(error->sqlerrcode)) raise_tables_changed(NameStr(schema_name_));
        remove_statement_context(error, plan);
        if (tables_.shape.distributed) hide_cluster_internals(error);
        ReThrowError(error);
    }
    PG_END_TRY();
    return rc;
}

// run_plan for a writing statement, in its write scope: the manual-edit guard lets a person's
// edit through and nothing else; the history records the call's kind and edit id.
int StatementContext::run_write(bool manual, SPIPlanPtr plan, Datum *values, const char *nulls, Snapshot snapshot,
                                long tcount) {
    const WriteScope previous = write_scope_begin(manual);
    volatile int rc = 0;  // set under PG_TRY, read after it
    // clang-format off
    PG_TRY();
    {
        rc = run_plan(plan, values, nulls, snapshot, tcount);
    }
    PG_FINALLY();
    {
        write_scope_end(previous);
    }
    PG_END_TRY();
    // clang-format on
    return rc;
}

uint64 StatementContext::execute(const PreparedStatement &prepared, const Datum *args, const char *nulls,
                                 Snapshot snapshot, long tcount) {
    const core::StatementSpec &spec = core::statement_spec(prepared.kind);
    Datum values[core::kMaxParams];
    char value_nulls[core::kMaxParams];
    for (int i = 0, given = 0; i < spec.nargs; ++i) {
        if (spec.params[i] == core::Param::editor) {
            bind_editor(prepared.shape.has_provenance, values[i], value_nulls[i]);
            continue;
        }
        if (spec.params[i] == core::Param::now) {  // what now() gives
            values[i] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
            value_nulls[i] = ' ';
            continue;
        }
        values[i] = args[given];
        value_nulls[i] = nulls == nullptr ? ' ' : nulls[given];
        ++given;
    }
    const Oid function_oid = function_oid_;
    const int rc =
        spec.writes != core::Writes::nothing
            ? run_write(spec.writes == core::Writes::manual_edit, prepared.plan, values, value_nulls, snapshot, tcount)
            : run_plan(prepared.plan, values, value_nulls, snapshot, tcount);
    raise_if_names_changed(function_oid);
    check_result(spec, rc);
    return SPI_processed;
}

uint64 StatementContext::run(Statement kind, const Datum *args, const char *nulls, Snapshot snapshot, long tcount) {
    return execute(prepare(kind, args[0]), args, nulls, snapshot, tcount);
}

}  // namespace cellupsert::pg
