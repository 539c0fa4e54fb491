#include "statements.h"

#include "errors.h"

namespace cellupsert::pg {
namespace {

// Every relation, function and operator is schema-qualified: the caller's search_path
// must not be able to redirect any of it. In the texts, %1$s is the quoted schema of the
// extension and %2$s, %3$s, %4$s the provenance parts (empty on tables without them).
constexpr char kCellUpsertSql[] =
    "INSERT INTO %1$s.list_company_cells"
    " (list_id, column_id, company_row_id, value, status, created_at, updated_at%2$s)"
    " SELECT l.id, c.id, r.id, $4, 'complete'::pg_catalog.text, pg_catalog.now(), pg_catalog.now()%3$s"
    " FROM %1$s.lists l"
    " JOIN %1$s.list_columns c ON c.list_id OPERATOR(pg_catalog.=) l.id"
    " JOIN %1$s.list_companies r ON r.list_id OPERATOR(pg_catalog.=) l.id"
    " WHERE l.id OPERATOR(pg_catalog.=) $1"
    " AND c.id OPERATOR(pg_catalog.=) $3"
    " AND c.subject OPERATOR(pg_catalog.=) 'company'::pg_catalog.text"
    " AND r.id OPERATOR(pg_catalog.=) $2"
    // Citus refuses non-immutable expressions here: the new values come through EXCLUDED.
    " ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE"
    " SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at%4$s";

constexpr char kCellDiagnoseSql[] =
    "SELECT"
    " EXISTS (SELECT FROM %1$s.lists l WHERE l.id OPERATOR(pg_catalog.=) $1),"
    " (SELECT c.subject FROM %1$s.list_columns c"
    "   WHERE c.list_id OPERATOR(pg_catalog.=) $1 AND c.id OPERATOR(pg_catalog.=) $3),"
    " EXISTS (SELECT FROM %1$s.list_companies r"
    "   WHERE r.list_id OPERATOR(pg_catalog.=) $1 AND r.id OPERATOR(pg_catalog.=) $2)";

constexpr char kBatchUpsertSql[] =
    "INSERT INTO %1$s.list_company_cells"
    " (list_id, column_id, company_row_id, value, status, created_at, updated_at%2$s)"
    " SELECT l.id, c.id, r.id, u.val, 'complete'::pg_catalog.text, pg_catalog.now(), pg_catalog.now()%3$s"
    " FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4))"
    "  WITH ORDINALITY AS u (row_id, col_id, val, position)"
    " JOIN %1$s.lists l ON l.id OPERATOR(pg_catalog.=) $1"
    " JOIN %1$s.list_columns c ON c.list_id OPERATOR(pg_catalog.=) l.id"
    "  AND c.id OPERATOR(pg_catalog.=) u.col_id"
    "  AND c.subject OPERATOR(pg_catalog.=) 'company'::pg_catalog.text"
    " JOIN %1$s.list_companies r ON r.list_id OPERATOR(pg_catalog.=) l.id"
    "  AND r.id OPERATOR(pg_catalog.=) u.row_id"
    // The arrays come in primary-key order; writing in that order, whatever join order the
    // planner picks, makes overlapping batches lock their cells in the same order: no deadlock.
    " ORDER BY u.position"
    " ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE"
    " SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at%4$s";

constexpr char kBatchFindFailureSql[] =
    "SELECT u.position, u.row_id, u.col_id"
    " FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4))"
    "  AS u (row_id, col_id, position)"
    " WHERE NOT EXISTS (SELECT FROM %1$s.lists l"
    "  JOIN %1$s.list_columns c ON c.list_id OPERATOR(pg_catalog.=) l.id"
    "  JOIN %1$s.list_companies r ON r.list_id OPERATOR(pg_catalog.=) l.id"
    "  WHERE l.id OPERATOR(pg_catalog.=) $1"
    "  AND c.id OPERATOR(pg_catalog.=) u.col_id"
    "  AND c.subject OPERATOR(pg_catalog.=) 'company'::pg_catalog.text"
    "  AND r.id OPERATOR(pg_catalog.=) u.row_id)"
    " ORDER BY u.position LIMIT 1";

// Before a batch writes (batch_locks.h): which of its list, columns and rows the caller
// sees, then, as each table's owner, key-share locks on those, in id order.
constexpr char kBatchVisibleKeysSql[] =
    "SELECT EXISTS (SELECT FROM %1$s.lists l WHERE l.id OPERATOR(pg_catalog.=) $1),"
    " ARRAY(SELECT c.id FROM %1$s.list_columns c"
    "  WHERE c.list_id OPERATOR(pg_catalog.=) $1 AND c.id OPERATOR(pg_catalog.=) ANY ($2)),"
    " ARRAY(SELECT r.id FROM %1$s.list_companies r"
    "  WHERE r.list_id OPERATOR(pg_catalog.=) $1 AND r.id OPERATOR(pg_catalog.=) ANY ($3))";

constexpr char kLockListSql[] =
    "SELECT FROM %1$s.lists x WHERE x.id OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF x";

// Rows are locked as the plan returns them: sorted, whatever the scan.
constexpr char kLockColumnsSql[] =
    "SELECT FROM %1$s.list_columns x"
    " WHERE x.list_id OPERATOR(pg_catalog.=) $1 AND x.id OPERATOR(pg_catalog.=) ANY ($2)"
    " ORDER BY x.id FOR KEY SHARE OF x";

constexpr char kLockRowsSql[] =
    "SELECT FROM %1$s.list_companies x"
    " WHERE x.list_id OPERATOR(pg_catalog.=) $1 AND x.id OPERATOR(pg_catalog.=) ANY ($2)"
    " ORDER BY x.id FOR KEY SHARE OF x";

// Provenance: who made a manual edit ($5, bound by bind_editor) and when, on tables that have
// the three columns.
constexpr char kProvenanceColumns[] = ", source, edited_by, edited_at";
constexpr char kProvenanceValues[] = ", 'manual'::pg_catalog.text, $5, pg_catalog.now()";
constexpr char kProvenanceSet[] =
    ", source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at";
constexpr const char *kProvenanceColumnNames[] = {"source", "edited_by", "edited_at"};

struct StatementText {
    const char *sql;
    int nargs;
    Oid argtypes[5];
};
constexpr StatementText kStatements[] = {
    {kCellUpsertSql, 5, {UUIDOID, UUIDOID, UUIDOID, TEXTOID, TEXTOID}},
    {kCellDiagnoseSql, 3, {UUIDOID, UUIDOID, UUIDOID}},
    {kBatchUpsertSql, 5, {UUIDOID, UUIDARRAYOID, UUIDARRAYOID, TEXTARRAYOID, TEXTOID}},
    {kBatchFindFailureSql, 4, {UUIDOID, UUIDARRAYOID, UUIDARRAYOID, INT4ARRAYOID}},
    {kBatchVisibleKeysSql, 3, {UUIDOID, UUIDARRAYOID, UUIDARRAYOID}},
    {kLockListSql, 1, {UUIDOID}},
    {kLockColumnsSql, 2, {UUIDOID, UUIDARRAYOID}},
    {kLockRowsSql, 2, {UUIDOID, UUIDARRAYOID}},
};
constexpr int kStatementCount = sizeof kStatements / sizeof kStatements[0];

// The tables and columns every statement needs; nullptr ends each list.
struct TableUse {
    const char *table;
    const char *columns[8];
};
constexpr TableUse kTablesUsed[] = {
    {"lists", {"id", nullptr}},
    {"list_columns", {"list_id", "id", "subject", nullptr}},
    {"list_companies", {"list_id", "id", nullptr}},
    {"list_company_cells",
     {"list_id", "column_id", "company_row_id", "value", "status", "created_at", "updated_at",
      nullptr}},
};
constexpr int kTableCount = sizeof kTablesUsed / sizeof kTablesUsed[0];
constexpr int kCellsTable = kTableCount - 1;
// ListTable (statements.h) names the entries of kTablesUsed.
static_assert(static_cast<int>(ListTable::list_company_cells) == kCellsTable &&
              static_cast<int>(ListTable::lists) == 0);

// The shape of the list tables: their oids, and whether the cells have provenance columns.
struct TablesShape {
    Oid table_oids[kTableCount];
    bool with_provenance;
};

// What the plans were prepared for: the schema (from the calling function, remembered per
// function oid so that no call looks up the catalog), the name it had then, and the shape of
// its tables. A kept plan is re-analysed from its text after an invalidation, so the names in
// the text must still lead to these oids: a rename of the schema or of a table makes the
// next call check them again.
struct PlanCache {
    Oid schema_oid;
    NameData schema_name;  // the name in the plans' text
    Oid function_oids[2];  // the functions seen calling for this schema
    TablesShape shape;
    bool shape_may_have_changed;  // set by the invalidation callbacks
    SPIPlanPtr plans[kStatementCount];
};
PlanCache cache;
bool callback_registered = false;

bool is_known_function(Oid function_oid) {
    return function_oid == cache.function_oids[0] || function_oid == cache.function_oids[1];
}

// Any invalidation of one of the list tables (DDL, a rename, but also ANALYZE) makes the
// next call check the tables' shape again; InvalidOid means "every relation".
void on_relcache_invalidation(Datum, Oid relation_oid) {
    for (Oid oid : cache.shape.table_oids)
        if (relation_oid == InvalidOid || relation_oid == oid) cache.shape_may_have_changed = true;
}

// Any change of a schema (a rename above all) makes the next call check the schema's name.
void on_namespace_invalidation(Datum, int, uint32) { cache.shape_may_have_changed = true; }

bool has_column(Oid table_oid, const char *column) {
    return get_attnum(table_oid, column) != InvalidAttrNumber;
}

// Raises 42P01 / 42703 naming the first missing table or column, instead of a parse error
// on a statement the caller never wrote. Provenance is all three columns or none.
TablesShape read_tables_shape(Oid schema_oid, const char *schema) {
    TablesShape shape;
    for (int t = 0; t < kTableCount; ++t) {
        const TableUse &use = kTablesUsed[t];
        shape.table_oids[t] = get_relname_relid(use.table, schema_oid);
        if (!OidIsValid(shape.table_oids[t])) raise_missing_table(schema, use.table);
        for (const char *const *column = use.columns; *column; ++column)
            if (!has_column(shape.table_oids[t], *column))
                raise_missing_column(schema, use.table, *column);
    }
    const Oid cells_oid = shape.table_oids[kCellsTable];
    int provenance_columns = 0;
    for (const char *column : kProvenanceColumnNames) provenance_columns += has_column(cells_oid, column);
    if (provenance_columns != 0 && provenance_columns != 3)
        for (const char *column : kProvenanceColumnNames)
            if (!has_column(cells_oid, column))
                raise_missing_column(schema, kTablesUsed[kCellsTable].table, column);
    shape.with_provenance = provenance_columns == 3;
    return shape;
}

bool same_shape(const TablesShape &a, const TablesShape &b) {
    return memcmp(a.table_oids, b.table_oids, sizeof a.table_oids) == 0 &&
           a.with_provenance == b.with_provenance;
}

void forget_plans() {
    for (SPIPlanPtr &plan : cache.plans) {
        if (plan) SPI_freeplan(plan);
        plan = nullptr;
    }
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

    const TablesShape shape = read_tables_shape(schema_oid, schema_name);
    // The plans survive an invalidation that changed nothing (ANALYZE, a policy change: the
    // plan cache itself re-plans for those); they are dropped when a name in their text or
    // the shape changed.
    if (!same_schema || !same_name || !same_shape(shape, cache.shape)) forget_plans();
    if (!same_schema) cache.function_oids[0] = cache.function_oids[1] = InvalidOid;
    namestrcpy(&cache.schema_name, schema_name);
    if (!known_function) {
        cache.function_oids[1] = cache.function_oids[0];
        cache.function_oids[0] = function_oid;
    }
    cache.schema_oid = schema_oid;
    cache.shape = shape;
    cache.shape_may_have_changed = false;
}

SPIPlanPtr prepare(Statement statement) {
    const StatementText &text = kStatements[static_cast<int>(statement)];
    const bool provenance = cache.shape.with_provenance;
    const char *sql = psprintf(text.sql, quote_identifier(NameStr(cache.schema_name)),
                               provenance ? kProvenanceColumns : "",
                               provenance ? kProvenanceValues : "", provenance ? kProvenanceSet : "");
    SPIPlanPtr plan = SPI_prepare(sql, text.nargs, const_cast<Oid *>(text.argtypes));
    if (plan == nullptr)
        elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
    if (SPI_keepplan(plan) != 0) elog(ERROR, "SPI_keepplan failed");
    return plan;
}

}  // namespace

bool statements_record_provenance() { return cache.shape.with_provenance; }

Oid list_table_oid(ListTable table) { return cache.shape.table_oids[static_cast<int>(table)]; }

SPIPlanPtr statement_plan(Oid function_oid, Statement statement) {
    // A rename committed since this transaction last looked must be seen now, not when the
    // plan is revalidated with the old names.
    AcceptInvalidationMessages();
    if (!is_known_function(function_oid) || cache.shape_may_have_changed) refresh_cache(function_oid);
    SPIPlanPtr &plan = cache.plans[static_cast<int>(statement)];
    if (plan == nullptr) plan = prepare(statement);
    return plan;
}

int execute_plan(Oid function_oid, SPIPlanPtr plan, Datum *values, const char *nulls,
                 Snapshot snapshot, long tcount) {
    const int rc = snapshot == InvalidSnapshot
                       ? SPI_execute_plan(plan, values, nulls, false, tcount)
                       : SPI_execute_snapshot(plan, values, nulls, snapshot, InvalidSnapshot,
                                              false, true, tcount);
    // Set when the plan's revalidation took locks and so read new invalidations.
    if (cache.shape_may_have_changed) {
        const Oid schema_oid = cache.schema_oid;
        const NameData schema_name = cache.schema_name;
        const TablesShape shape = cache.shape;
        refresh_cache(function_oid);
        if (schema_oid != cache.schema_oid ||
            strcmp(NameStr(schema_name), NameStr(cache.schema_name)) != 0 ||
            !same_shape(shape, cache.shape))
            raise_tables_changed(NameStr(cache.schema_name));
    }
    return rc;
}

int execute_statement(Oid function_oid, Statement statement, Datum *values, const char *nulls,
                      Snapshot snapshot, long tcount) {
    return execute_plan(function_oid, statement_plan(function_oid, statement), values, nulls,
                        snapshot, tcount);
}

}  // namespace cellupsert::pg
