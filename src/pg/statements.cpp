#include "statements.h"

#include <string>

#include "discovery.h"
#include "errors.h"
#include "list_plans.h"
#include "owner_mode.h"

extern "C" {
#include "catalog/pg_class.h"
#include "utils/plancache.h"
}

namespace cellupsert::pg {
namespace {

// The parameters of each statement (statement_sql.h says what they are).
struct StatementParams {
    int nargs;
    Oid argtypes[5];
};
constexpr StatementParams kParams[core::kStatementKinds] = {
    {5, {UUIDOID, UUIDOID, UUIDOID, TEXTOID, TEXTOID}},
    {3, {UUIDOID, UUIDOID, UUIDOID}},
    {5, {UUIDOID, UUIDARRAYOID, UUIDARRAYOID, TEXTARRAYOID, TEXTOID}},
    {4, {UUIDOID, UUIDARRAYOID, UUIDARRAYOID, INT4ARRAYOID}},
    {3, {UUIDOID, UUIDARRAYOID, UUIDARRAYOID}},
    // The Citus set.
    {1, {UUIDOID}},
    {2, {UUIDOID, UUIDOID}},
    {2, {UUIDOID, UUIDOID}},
    {5, {UUIDOID, UUIDOID, UUIDOID, TEXTOID, TEXTOID}},
    {2, {UUIDOID, UUIDARRAYOID}},
    {2, {UUIDOID, UUIDARRAYOID}},
    {5, {UUIDOID, UUIDARRAYOID, UUIDARRAYOID, TEXTARRAYOID, TEXTOID}},
    {4, {UUIDOID, UUIDOID, UUIDOID, TEXTOID}},
    {2, {UUIDOID, JSONBOID}},
};
constexpr int kStatementCount = core::kStatementKinds;
static_assert(kParams[kStatementCount - 1].nargs != 0, "every statement kind has its parameters");
// The parameters of key_share_lock_sql.
constexpr StatementParams kLockParams = {2, {UUIDOID, UUIDARRAYOID}};
constexpr int kLockedTables = kListCompanyCells;  // lists, list_columns, list_companies

// What the plans were prepared for: the schema (from the calling function, remembered per
// function oid so that no call looks up the catalog), the name it had then, and the shape of
// its tables. A kept plan is re-analysed from its text after an invalidation, so the names in
// the text must still lead to these oids: a rename of the schema or of a table makes the
// next call check them again.
struct PlanCache {
    Oid schema_oid;
    NameData schema_name;  // the name in the plans' text
    Oid function_oids[2];  // the functions seen calling for this schema
    ListTables tables;
    bool shape_may_have_changed;  // set by the invalidation callbacks
    SPIPlanPtr plans[kStatementCount];
    SPIPlanPtr lock_plans[kLockedTables];  // key_share_lock_sql on the table under each
};
PlanCache cache;
bool callback_registered = false;

bool is_known_function(Oid function_oid) {
    return function_oid == cache.function_oids[0] || function_oid == cache.function_oids[1];
}

// Any invalidation of one of the list tables or of a table under one of their views (DDL,
// a rename, a new index, but also ANALYZE) makes the next call check the tables' shape
// again; InvalidOid means "every relation".
void on_relcache_invalidation(Datum, Oid relation_oid) {
    for (int t = 0; t < kListTableCount; ++t)
        if (relation_oid == InvalidOid || relation_oid == cache.tables.relids[t] ||
            relation_oid == cache.tables.base_relids[t])
            cache.shape_may_have_changed = true;
}

// Any change of a schema (a rename above all) makes the next call check the schema's name.
// PostgreSQL 19 passes the cache's id as its enum SysCacheIdentifier, older majors as an int.
#if PG_VERSION_NUM >= 190000
using SyscacheId = SysCacheIdentifier;
#else
using SyscacheId = int;
#endif
void on_namespace_invalidation(Datum, SyscacheId, uint32) { cache.shape_may_have_changed = true; }

bool same_tables(const ListTables &a, const ListTables &b) {
    const core::TablesShape &x = a.shape, &y = b.shape;
    return memcmp(a.relids, b.relids, sizeof a.relids) == 0 &&
           memcmp(a.base_relids, b.base_relids, sizeof a.base_relids) == 0 &&
           memcmp(a.base_keys, b.base_keys, sizeof a.base_keys) == 0 &&
           x.cells_have_list_id == y.cells_have_list_id &&
           x.conflict_key_has_list_id == y.conflict_key_has_list_id &&
           x.has_created_at == y.has_created_at && x.has_updated_at == y.has_updated_at &&
           x.has_provenance == y.has_provenance && x.distributed == y.distributed;
}

void forget_plans() {
    for (SPIPlanPtr &plan : cache.plans) {
        if (plan) SPI_freeplan(plan);
        plan = nullptr;
    }
    for (SPIPlanPtr &plan : cache.lock_plans) {
        if (plan) SPI_freeplan(plan);
        plan = nullptr;
    }
    forget_list_plans();
}

// Makes the cache describe the schema of this function and the current shape of its tables.
void refresh_cache(Oid function_oid) {
    if (!callback_registered) {
        CacheRegisterRelcacheCallback(on_relcache_invalidation, (Datum)0);
        CacheRegisterSyscacheCallback(NAMESPACEOID, on_namespace_invalidation, (Datum)0);
        callback_registered = true;
    }
    const bool known_function = is_known_function(function_oid);
    const Oid schema_oid = known_function ? cache.schema_oid : get_func_namespace(function_oid);
    const bool same_schema = schema_oid == cache.schema_oid;
    const char *schema_name = get_namespace_name(schema_oid);
    if (schema_name == nullptr) elog(ERROR, "schema of function %u not found", function_oid);
    const bool same_name = strcmp(schema_name, NameStr(cache.schema_name)) == 0;

    const ListTables tables = discover_list_tables(schema_oid, schema_name);
    // The plans survive an invalidation that changed nothing (ANALYZE, a policy change: the
    // plan cache itself re-plans for those); they are dropped when a name in their text or
    // the shape changed.
    if (!same_schema || !same_name || !same_tables(tables, cache.tables)) forget_plans();
    if (!same_schema) cache.function_oids[0] = cache.function_oids[1] = InvalidOid;
    namestrcpy(&cache.schema_name, schema_name);
    if (!known_function) {
        cache.function_oids[1] = cache.function_oids[0];
        cache.function_oids[0] = function_oid;
    }
    cache.schema_oid = schema_oid;
    cache.tables = tables;
    cache.shape_may_have_changed = false;
}

// The text of statement on the cached schema and shape, in the current memory context;
// list (a literal) in place of $1 in the Citus reads when given (statement_sql.h).
char *statement_text(Statement statement, const pg_uuid_t *list = nullptr) {
    const char *schema = quote_identifier(NameStr(cache.schema_name));
    char *sql;
    {
        // The std::strings live only here: the copy is allocated without raising.
        const std::string built =
            list == nullptr ? core::statement_sql(statement, cache.tables.shape, schema)
                            : core::statement_sql(statement, cache.tables.shape, schema, core::id_literal(list->data));
        sql = static_cast<char *>(palloc_extended(built.size() + 1, MCXT_ALLOC_NO_OOM));
        if (sql != nullptr) memcpy(sql, built.c_str(), built.size() + 1);
    }
    if (sql == nullptr) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
    return sql;
}

SPIPlanPtr prepare_text(const char *sql, const StatementParams &params, int options) {
    SPIPlanPtr plan = SPI_prepare_cursor(sql, params.nargs, const_cast<Oid *>(params.argtypes), options);
    if (plan == nullptr)
        elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
    if (SPI_keepplan(plan) != 0) elog(ERROR, "SPI_keepplan failed");
    return plan;
}

// Any statement on distributed tables is planned anew for each execution (a custom plan,
// whose values are constants): Citus 13.2.2 re-plans the shard query of a kept fast-path
// plan with the list as a parameter at each execution anyway, and keeps each such plan until
// the backend ends, a growth without bound in the workers' long-lived backends
// (citusdata/citus#8783, #8824).
int plan_options() { return cache.tables.shape.distributed ? CURSOR_OPT_CUSTOM_PLAN : 0; }

// Prepares and keeps the plan of statement; for a Citus read, of the read for list, with
// list as a constant (list_plans.h).
SPIPlanPtr prepare(Statement statement, const pg_uuid_t *list = nullptr) {
    char *sql = statement_text(statement, list);
    // A Citus read for one list has one plan, generic: Citus plans it on the list's shard.
    SPIPlanPtr plan = prepare_text(sql, kParams[static_cast<int>(statement)],
                                   list != nullptr ? CURSOR_OPT_GENERIC_PLAN : plan_options());
    pfree(sql);
    return plan;
}

// The text of key_share_lock_sql on the table under the relation of table, by the names it
// has now, in the current memory context.
char *lock_text(ListTable table) {
    const Oid relid = cache.tables.base_relids[table];
    const KeyColumns &keys = cache.tables.base_keys[table];
    const char *list_column = table == kLists ? "" : quote_identifier(get_attname(relid, keys.list_id, false));
    char *sql;
    {
        // The std::string lives only here: the copy is allocated without raising.
        const std::string built = core::key_share_lock_sql(
            {qualified_name(relid), list_column, quote_identifier(get_attname(relid, keys.id, false)),
             get_rel_relkind(relid) != RELKIND_PARTITIONED_TABLE});
        sql = static_cast<char *>(palloc_extended(built.size() + 1, MCXT_ALLOC_NO_OOM));
        if (sql != nullptr) memcpy(sql, built.c_str(), built.size() + 1);
    }
    if (sql == nullptr) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
    return sql;
}

// The cache for the schema of this function, checked again after any invalidation. A rename
// committed since this transaction last looked must be seen now, not when a plan is
// revalidated with the old names.
void make_cache_current(Oid function_oid) {
    AcceptInvalidationMessages();
    if (!is_known_function(function_oid) || cache.shape_may_have_changed) refresh_cache(function_oid);
}

// The SQLSTATEs of a statement whose text no longer leads to the tables it was prepared for.
bool is_name_error(int sqlerrcode) {
    return sqlerrcode == ERRCODE_UNDEFINED_TABLE || sqlerrcode == ERRCODE_UNDEFINED_COLUMN ||
           sqlerrcode == ERRCODE_INVALID_SCHEMA_NAME || sqlerrcode == ERRCODE_UNDEFINED_FUNCTION ||
           sqlerrcode == ERRCODE_DATATYPE_MISMATCH || sqlerrcode == ERRCODE_INVALID_COLUMN_REFERENCE;
}

// After a statement: when an invalidation arrived while it took its locks (its text may then
// have been analysed against other tables) and the schema's name or the tables changed,
// raises 40001; the error undoes its writes.
void raise_if_names_changed(Oid function_oid) {
    if (!cache.shape_may_have_changed) return;
    const Oid schema_oid = cache.schema_oid;
    const NameData schema_name = cache.schema_name;
    const ListTables tables = cache.tables;
    // A list table renamed away or dropped meanwhile: discovery raises 42P01 or 42703, which
    // a next call would raise; this one ran a statement on the tables it had, so it is 40001.
    MemoryContext context = CurrentMemoryContext;
    PG_TRY();
    {
        refresh_cache(function_oid);
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(context);
        const ErrorData *error = CopyErrorData();
        if (!is_name_error(error->sqlerrcode)) PG_RE_THROW();
        FlushErrorState();
        raise_tables_changed(NameStr(schema_name));
    }
    PG_END_TRY();
    if (schema_oid != cache.schema_oid || strcmp(NameStr(schema_name), NameStr(cache.schema_name)) != 0 ||
        !same_tables(tables, cache.tables))
        raise_tables_changed(NameStr(cache.schema_name));
}

// Removes from an error's context the line that SPI adds for plan: its text is the
// extension's, not the caller's (and names the tables under the caller's views).
void remove_statement_context(ErrorData *error, SPIPlanPtr plan) {
    List *sources = SPI_plan_get_plan_sources(plan);
    if (error->context == nullptr || sources == NIL) return;
    const char *text = static_cast<CachedPlanSource *>(linitial(sources))->query_string;
    const char *quoted = psprintf("\"%s\"", text);
    StringInfoData kept;
    initStringInfo(&kept);
    for (char *line = error->context; *line;) {
        char *end = strchr(line, '\n');
        const size_t length = end ? static_cast<size_t>(end - line) : strlen(line);
        const char *found = strstr(line, quoted);
        if (found == nullptr || found >= line + length)
            appendStringInfo(&kept, "%s%.*s", kept.len ? "\n" : "", static_cast<int>(length), line);
        line += length + (end ? 1 : 0);
    }
    error->context = kept.len ? kept.data : nullptr;
}

// SPI_execute_plan (or under snapshot, when given), whose errors carry no statement text of
// the extension's. An error caused by a rename or a replacement of the schema or of a list
// table that arrived while the statement took its locks becomes 40001: its text was
// analysed again, against what now has its names.
int run_plan(SPIPlanPtr plan, Datum *values, const char *nulls, Snapshot snapshot, long tcount) {
    MemoryContext context = CurrentMemoryContext;
    volatile int rc = 0;
    PG_TRY();
    {
        rc = snapshot == InvalidSnapshot
                 ? SPI_execute_plan(plan, values, nulls, false, tcount)
                 : SPI_execute_snapshot(plan, values, nulls, snapshot, InvalidSnapshot, false, true, tcount);
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(context);
        ErrorData *error = CopyErrorData();
        FlushErrorState();
        if (cache.shape_may_have_changed && is_name_error(error->sqlerrcode))
            raise_tables_changed(NameStr(cache.schema_name));
        remove_statement_context(error, plan);
        ReThrowError(error);
    }
    PG_END_TRY();
    return rc;
}

}  // namespace

bool statements_record_provenance() { return cache.tables.shape.has_provenance; }

bool statements_distributed(Oid function_oid) {
    make_cache_current(function_oid);
    return cache.tables.shape.distributed;
}

Oid list_table_oid(ListTable table) { return cache.tables.relids[table]; }

SPIPlanPtr statement_plan(Oid function_oid, Statement statement) {
    make_cache_current(function_oid);
    SPIPlanPtr &plan = cache.plans[static_cast<int>(statement)];
    if (plan == nullptr) plan = prepare(statement);
    return plan;
}

int execute_plan(Oid function_oid, SPIPlanPtr plan, Datum *values, const char *nulls,
                 Snapshot snapshot, long tcount) {
    const int rc = run_plan(plan, values, nulls, snapshot, tcount);
    raise_if_names_changed(function_oid);
    return rc;
}

SPIPlanPtr lock_plan(Oid function_oid, ListTable table, Oid locked_table) {
    make_cache_current(function_oid);
    const char *fix = nullptr;
    const char *problem = batch_lock_problem(cache.tables.relids[table], table, &fix);
    if (problem != nullptr)
        raise_batch_lock_problem(qualified_name(cache.tables.relids[table]), problem, fix);
    if (cache.tables.base_relids[table] != locked_table) raise_tables_changed(NameStr(cache.schema_name));
    SPIPlanPtr &plan = cache.lock_plans[table];
    if (plan == nullptr) {
        char *sql = lock_text(table);
        plan = prepare_text(sql, kLockParams, plan_options());
        pfree(sql);
    }
    return plan;
}

Oid lock_table_oid(ListTable table) { return cache.tables.base_relids[table]; }

int execute_plan_as(Oid function_oid, SPIPlanPtr plan, Datum *values, const char *nulls, Oid role) {
    const OwnerMode mode = enter_owner_mode(role);
    const int rc = run_plan(plan, values, nulls, InvalidSnapshot, 0);
    leave_owner_mode(mode);
    raise_if_names_changed(function_oid);
    return rc;
}

int execute_citus_read(Oid function_oid, Statement statement, Datum *values, long tcount) {
    make_cache_current(function_oid);
    const pg_uuid_t &list = *DatumGetUUIDP(values[0]);
    SPIPlanPtr plan = find_list_plan(list, statement);
    if (plan == nullptr) {
        plan = prepare(statement, &list);
        keep_list_plan(list, statement, plan);
    }
    return execute_plan(function_oid, plan, values, nullptr, InvalidSnapshot, tcount);
}

int execute_statement(Oid function_oid, Statement statement, Datum *values, const char *nulls,
                      Snapshot snapshot, long tcount) {
    return execute_plan(function_oid, statement_plan(function_oid, statement), values, nulls,
                        snapshot, tcount);
}

}  // namespace cellupsert::pg
