#include "statements.h"

#include "errors.h"

namespace cellupsert::pg {
namespace {

// Every relation, function and operator is schema-qualified: the caller's search_path
// must not be able to redirect any of it. %1$s is the quoted schema of the extension.
constexpr char kUpsertSql[] =
    "INSERT INTO %1$s.list_company_cells"
    " (list_id, column_id, company_row_id, value, status, created_at, updated_at)"
    " SELECT l.id, c.id, r.id, $4, 'complete'::pg_catalog.text, pg_catalog.now(), pg_catalog.now()"
    " FROM %1$s.lists l"
    " JOIN %1$s.list_columns c ON c.list_id OPERATOR(pg_catalog.=) l.id"
    " JOIN %1$s.list_companies r ON r.list_id OPERATOR(pg_catalog.=) l.id"
    " WHERE l.id OPERATOR(pg_catalog.=) $1"
    " AND c.id OPERATOR(pg_catalog.=) $3"
    " AND c.subject OPERATOR(pg_catalog.=) 'company'::pg_catalog.text"
    " AND r.id OPERATOR(pg_catalog.=) $2"
    // Citus refuses non-immutable expressions here: the new time comes through EXCLUDED.
    " ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE"
    " SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at";

constexpr char kDiagnoseSql[] =
    "SELECT"
    " EXISTS (SELECT FROM %1$s.lists l WHERE l.id OPERATOR(pg_catalog.=) $1),"
    " (SELECT c.subject FROM %1$s.list_columns c"
    "   WHERE c.list_id OPERATOR(pg_catalog.=) $1 AND c.id OPERATOR(pg_catalog.=) $3),"
    " EXISTS (SELECT FROM %1$s.list_companies r"
    "   WHERE r.list_id OPERATOR(pg_catalog.=) $1 AND r.id OPERATOR(pg_catalog.=) $2)";

// The tables and columns the statements use; nullptr ends each list.
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

struct PlanCache {
    Oid function_oid;
    CellPlans plans;
};
PlanCache cache = {InvalidOid, {nullptr, nullptr}};

// Raises 42P01 / 42703 naming the first missing table or column, instead of a parse error
// on a statement the caller never wrote.
void check_tables_exist(Oid schema_oid, const char *schema) {
    for (const TableUse &use : kTablesUsed) {
        const Oid table_oid = get_relname_relid(use.table, schema_oid);
        if (!OidIsValid(table_oid)) raise_missing_table(schema, use.table);
        for (const char *const *column = use.columns; *column; ++column)
            if (get_attnum(table_oid, *column) == InvalidAttrNumber)
                raise_missing_column(schema, use.table, *column);
    }
}

SPIPlanPtr prepare(const char *sql_format, const char *quoted_schema, int nargs, Oid *argtypes) {
    const char *sql = psprintf(sql_format, quoted_schema);
    SPIPlanPtr plan = SPI_prepare(sql, nargs, argtypes);
    if (plan == nullptr)
        elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
    return plan;
}

void keep(SPIPlanPtr plan) {
    if (SPI_keepplan(plan) != 0) elog(ERROR, "SPI_keepplan failed");
}

void forget_plans() {
    if (cache.plans.upsert) SPI_freeplan(cache.plans.upsert);
    if (cache.plans.diagnose) SPI_freeplan(cache.plans.diagnose);
    cache = {InvalidOid, {nullptr, nullptr}};
}

}  // namespace

const CellPlans &cell_plans(Oid function_oid) {
    if (function_oid == cache.function_oid) return cache.plans;

    forget_plans();
    const Oid schema_oid = get_func_namespace(function_oid);
    const char *schema = get_namespace_name(schema_oid);
    check_tables_exist(schema_oid, schema);

    const char *quoted_schema = quote_identifier(schema);
    Oid argtypes[] = {UUIDOID, UUIDOID, UUIDOID, TEXTOID};
    SPIPlanPtr upsert = prepare(kUpsertSql, quoted_schema, 4, argtypes);
    SPIPlanPtr diagnose = prepare(kDiagnoseSql, quoted_schema, 3, argtypes);
    // Kept only once both are prepared, so that an error above leaks nothing.
    keep(upsert);
    keep(diagnose);
    cache = {function_oid, {upsert, diagnose}};
    return cache.plans;
}

}  // namespace cellupsert::pg
