#include "statement_sql.h"

#include <iterator>
#include <stdexcept>

#include "list_tables_contract.h"

namespace cellupsert::core {
namespace {

constexpr char kEq[] = " OPERATOR(pg_catalog.=) ";
// The write statements' editor parameter (statement_list.h).
constexpr char kEditor[] = "$5";

// Appends pieces to a string, so that the texts read as SQL.
struct Sql {
    std::string text;
    std::string_view schema;
    std::string_view list;  // the list's id in the reads of the Citus set: $1, or a literal
    Sql &operator()(std::string_view piece) {
        text += piece;
        return *this;
    }
    Sql &table(std::string_view name) {
        text += schema;
        text += '.';
        text += name;
        return *this;
    }
    // A label of the contract, untyped, so that it takes the column's type: an enum column
    // keeps its statistics (a cast to text would hide them from the planner, which then picks
    // a worse join for batches).
    Sql &label(std::string_view label) {
        text += '\'';
        text += label;
        text += '\'';
        return *this;
    }
    // The column c's subject is company.
    Sql &is_company() { return (*this)("c.subject")(kEq).label(kCompanySubject); }
};

// The expressions written to the cells' key and value columns.
struct CellSource {
    std::string_view list, column, row, value;
    bool values;  // INSERT ... VALUES (one row) rather than INSERT ... SELECT
    std::string_view status = {}, reasoning = {}, error = {};  // an enrichment's
};

bool is_written_in(const WrittenColumn &column, const TablesShape &shape, bool with_list_id) {
    switch (column.written_in) {
        case WrittenIn::every_shape: return true;
        case WrittenIn::with_list_id: return with_list_id;
        case WrittenIn::with_created_at: return shape.has_created_at;
        case WrittenIn::with_updated_at: return shape.has_updated_at;
        case WrittenIn::with_provenance: return shape.has_provenance;
    }
    return false;
}

void cell_value(Sql &sql, CellValue value, const CellSource &source) {
    switch (value) {
        case CellValue::list: sql(source.list); break;
        case CellValue::column: sql(source.column); break;
        case CellValue::row: sql(source.row); break;
        case CellValue::value: sql(source.value); break;
        case CellValue::complete: sql.label(kCompleteStatus); break;
        case CellValue::now: sql("pg_catalog.now()"); break;
        case CellValue::manual: sql.label(kManualSource); break;
        case CellValue::editor: sql(kEditor); break;
        case CellValue::status: sql(source.status); break;
        case CellValue::reasoning: sql(source.reasoning); break;
        case CellValue::error: sql(source.error); break;
    }
}

// The columns a write names, in order: a person's edit's, or an enrichment's.
struct Columns {
    const WrittenColumn *first, *last;
    const WrittenColumn *begin() const { return first; }
    const WrittenColumn *end() const { return last; }
};
constexpr Columns kManualEdit{std::begin(kWrittenColumns), std::end(kWrittenColumns)};
constexpr Columns kEnrichment{std::begin(kEnrichedColumns), std::end(kEnrichedColumns)};

// INSERT INTO cells [AS x] (the written columns) SELECT their values (or VALUES (values)).
void insert_head(Sql &sql, const TablesShape &shape, bool with_list_id, const CellSource &source,
                 Columns columns = kManualEdit, bool alias = false) {
    sql("INSERT INTO ").table("list_company_cells")(alias ? " AS x (" : " (");
    const char *separator = "";
    for (const WrittenColumn &column : columns) {
        if (!is_written_in(column, shape, with_list_id)) continue;
        sql(separator)(column.name);
        separator = ", ";
    }
    sql(source.values ? ") VALUES (" : ") SELECT ");
    separator = "";
    for (const WrittenColumn &column : columns) {
        if (!is_written_in(column, shape, with_list_id)) continue;
        sql(separator);
        cell_value(sql, column.value, source);
        separator = ", ";
    }
    if (source.values) sql(")");
}

void conflict_target(Sql &sql, const TablesShape &shape) {
    sql(" ON CONFLICT (");
    const int first = shape.conflict_key_has_list_id ? 0 : 1;
    for (int i = first; i < kConflictKeyColumns; ++i) sql(i == first ? "" : ", ")(kConflictKey[i]);
    sql(")");
}

// Citus refuses non-immutable expressions in the SET list: the new values come through EXCLUDED.
void on_conflict(Sql &sql, const TablesShape &shape, Columns columns = kManualEdit) {
    conflict_target(sql, shape);
    sql(" DO UPDATE SET ");
    const char *separator = "";
    for (const WrittenColumn &column : columns) {
        if (!column.on_conflict || !is_written_in(column, shape, true)) continue;
        sql(separator)(column.name)(" = EXCLUDED.")(column.name);
        separator = ", ";
    }
}

// An enrichment's conflict: the cell x is updated unless a person edited it (source
// manual); without provenance, every cell.
void enrichment_conflict(Sql &sql, const TablesShape &shape) {
    on_conflict(sql, shape, kEnrichment);
    if (shape.has_provenance) sql(" WHERE (x.source")(kEq).label(kManualSource)(") IS NOT TRUE");
}

// UPDATE cells x SET (the columns an update writes) = their values.
void update_head(Sql &sql, const TablesShape &shape, const CellSource &source) {
    sql("UPDATE ").table("list_company_cells")(" x SET ");
    const char *separator = "";
    for (const WrittenColumn &column : kWrittenColumns) {
        if (!column.on_conflict || !is_written_in(column, shape, true)) continue;
        sql(separator)(column.name)(" = ");
        cell_value(sql, column.value, source);
        separator = ", ";
    }
}

// The version of the cell x (core/cell_version.h), by the extension's function.
void cell_version(Sql &sql, const TablesShape &shape) {
    sql.table("cell_version_of")("(x.value, x.status::pg_catalog.text, ");
    sql(shape.has_reasoning ? "x.reasoning" : "NULL::pg_catalog.text")(", ");
    sql(shape.has_error ? "x.error" : "NULL::pg_catalog.text")(")");
}

// The cell x of the list's column $3 and row $2; list: the list's id ($1 or a literal).
void the_cell(Sql &sql, const TablesShape &shape, std::string_view list) {
    if (shape.cells_have_list_id) sql("x.list_id")(kEq)(list)(" AND ");
    sql("x.column_id")(kEq)("$3 AND x.company_row_id")(kEq)("$2");
}

// The checks of cell_upsert, as the caller sees the tables: (list_found, column_subject,
// row_found).
// clang-format off
void diagnose(Sql &sql) {
    sql("SELECT EXISTS (SELECT FROM ").table("lists")(" l WHERE l.id")(kEq)("$1),")
       (" (SELECT c.subject::pg_catalog.text FROM ").table("list_columns")(" c")
       (" WHERE c.list_id")(kEq)("$1 AND c.id")(kEq)("$3),")
       (" EXISTS (SELECT FROM ").table("list_companies")(" r")
       (" WHERE r.list_id")(kEq)("$1 AND r.id")(kEq)("$2)");
}
// clang-format on

// An enrichment's status (u.status, text) as a value of the cells' status column: as it is
// for text, varchar and domains over them; through the type's input for an enum (with the
// type's own error for a label it lacks).
std::string enriched_status(std::string_view schema, const TablesShape &shape) {
    if (!shape.status_is_enum) return "u.status";
    std::string status = "(pg_catalog.jsonb_populate_record(NULL::";
    status += schema;
    status += ".list_company_cells, pg_catalog.jsonb_build_object('status', u.status))).status";
    return status;
}

// An enrichment's elements as u (row_id, col_id, val, status, reasoning, error, position).
void enrichment_elements(Sql &sql) {
    sql(" FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4),"
        " pg_catalog.unnest($5), pg_catalog.unnest($6), pg_catalog.unnest($7)) WITH ORDINALITY"
        " AS u (row_id, col_id, val, status, reasoning, error, position)");
}

// The batch's elements as u (row_id, col_id[, val], position).
void batch_elements(Sql &sql, bool with_values, bool with_ordinality) {
    sql(" FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4))");
    if (with_ordinality) sql(" WITH ORDINALITY");
    sql(with_values ? " AS u (row_id, col_id, val, position)" : " AS u (row_id, col_id, position)");
}

}  // namespace

std::string statement_sql(StatementKind kind, const TablesShape &shape, std::string_view quoted_schema,
                          std::string_view list) {
    Sql sql{std::string(), quoted_schema, list};
    sql.text.reserve(1024);
    // clang-format off
    switch (kind) {
        case StatementKind::cell_upsert:
            insert_head(sql, shape, shape.cells_have_list_id, {"l.id", "c.id", "r.id", "$4", false});
            sql(" FROM ").table("lists")(" l JOIN ").table("list_columns")(" c ON c.list_id")(kEq)("l.id")
               (" JOIN ").table("list_companies")(" r ON r.list_id")(kEq)("l.id")
               (" WHERE l.id")(kEq)("$1 AND c.id")(kEq)("$3 AND ").is_company()(" AND r.id")(kEq)("$2");
            on_conflict(sql, shape);
            break;
        case StatementKind::cell_diagnose:
            diagnose(sql);
            break;
        case StatementKind::cell_version_read:
            diagnose(sql);
            sql(", (SELECT ");
            cell_version(sql, shape);
            sql(" FROM ").table("list_company_cells")(" x WHERE ");
            the_cell(sql, shape, "$1");
            sql(")");
            break;
        case StatementKind::cell_insert_if_absent:
            insert_head(sql, shape, shape.cells_have_list_id, {"l.id", "c.id", "r.id", "$4", false});
            sql(" FROM ").table("lists")(" l JOIN ").table("list_columns")(" c ON c.list_id")(kEq)("l.id")
               (" JOIN ").table("list_companies")(" r ON r.list_id")(kEq)("l.id")
               (" WHERE l.id")(kEq)("$1 AND c.id")(kEq)("$3 AND ").is_company()(" AND r.id")(kEq)("$2");
            conflict_target(sql, shape);
            sql(" DO NOTHING");
            break;
        case StatementKind::cell_update_if_match:
            update_head(sql, shape, {"l.id", "c.id", "r.id", "$4", false});
            sql(" FROM ").table("lists")(" l JOIN ").table("list_columns")(" c ON c.list_id")(kEq)("l.id")
               (" JOIN ").table("list_companies")(" r ON r.list_id")(kEq)("l.id")
               (" WHERE l.id")(kEq)("$1 AND c.id")(kEq)("$3 AND ").is_company()(" AND r.id")(kEq)("$2 AND ");
            if (shape.cells_have_list_id) sql("x.list_id")(kEq)("l.id AND ");
            sql("x.column_id")(kEq)("c.id AND x.company_row_id")(kEq)("r.id AND ");
            cell_version(sql, shape);
            sql(kEq)("$6");
            break;
        case StatementKind::batch_upsert:
            insert_head(sql, shape, shape.cells_have_list_id, {"l.id", "c.id", "r.id", "u.val", false});
            batch_elements(sql, true, true);
            sql(" JOIN ").table("lists")(" l ON l.id")(kEq)("$1")
               (" JOIN ").table("list_columns")(" c ON c.list_id")(kEq)("l.id AND c.id")(kEq)("u.col_id AND ").is_company()
               (" JOIN ").table("list_companies")(" r ON r.list_id")(kEq)("l.id AND r.id")(kEq)("u.row_id")
               // The arrays come in primary-key order; writing in that order, whatever join
               // order the planner picks, makes overlapping batches lock their cells in the
               // same order: no deadlock.
               (" ORDER BY u.position");
            on_conflict(sql, shape);
            break;
        case StatementKind::cell_release:
            sql("UPDATE ").table("list_company_cells")(" x SET source = DEFAULT")
               (" FROM ").table("lists")(" l JOIN ").table("list_columns")(" c ON c.list_id")(kEq)("l.id")
               (" JOIN ").table("list_companies")(" r ON r.list_id")(kEq)("l.id")
               (" WHERE l.id")(kEq)("$1 AND c.id")(kEq)("$3 AND ").is_company()(" AND r.id")(kEq)("$2 AND ");
            if (shape.cells_have_list_id) sql("x.list_id")(kEq)("l.id AND ");
            sql("x.column_id")(kEq)("c.id AND x.company_row_id")(kEq)("r.id AND x.source")(kEq).label(kManualSource);
            break;
        case StatementKind::batch_insert_if_absent:
            insert_head(sql, shape, shape.cells_have_list_id, {"l.id", "c.id", "r.id", "u.val", false});
            batch_elements(sql, true, true);
            sql(" JOIN ").table("lists")(" l ON l.id")(kEq)("$1")
               (" JOIN ").table("list_columns")(" c ON c.list_id")(kEq)("l.id AND c.id")(kEq)("u.col_id AND ").is_company()
               (" JOIN ").table("list_companies")(" r ON r.list_id")(kEq)("l.id AND r.id")(kEq)("u.row_id")
               (" ORDER BY u.position");
            conflict_target(sql, shape);
            sql(" DO NOTHING");
            break;
        case StatementKind::batch_enrich:
            insert_head(sql, shape, shape.cells_have_list_id,
                        {"l.id", "c.id", "r.id", "u.val", false, enriched_status(quoted_schema, shape), "u.reasoning", "u.error"},
                        kEnrichment, true);
            enrichment_elements(sql);
            sql(" JOIN ").table("lists")(" l ON l.id")(kEq)("$1")
               (" JOIN ").table("list_columns")(" c ON c.list_id")(kEq)("l.id AND c.id")(kEq)("u.col_id AND ").is_company()
               (" JOIN ").table("list_companies")(" r ON r.list_id")(kEq)("l.id AND r.id")(kEq)("u.row_id")
               (" ORDER BY u.position");
            enrichment_conflict(sql, shape);
            break;
        case StatementKind::batch_versions:
            sql("SELECT u.position, (SELECT ");
            cell_version(sql, shape);
            sql(" FROM ").table("list_company_cells")(" x WHERE ");
            if (shape.cells_have_list_id) sql("x.list_id")(kEq)("$1 AND ");
            sql("x.column_id")(kEq)("u.col_id AND x.company_row_id")(kEq)("u.row_id FOR UPDATE OF x)");
            batch_elements(sql, false, false);
            break;
        case StatementKind::batch_find_failure:
            sql("SELECT u.position, u.row_id, u.col_id");
            batch_elements(sql, false, false);
            sql(" WHERE NOT EXISTS (SELECT FROM ").table("lists")(" l")
               (" JOIN ").table("list_columns")(" c ON c.list_id")(kEq)("l.id")
               (" JOIN ").table("list_companies")(" r ON r.list_id")(kEq)("l.id")
               (" WHERE l.id")(kEq)("$1 AND c.id")(kEq)("u.col_id AND ").is_company()(" AND r.id")(kEq)("u.row_id)")
               (" ORDER BY u.position LIMIT 1");
            break;
        case StatementKind::batch_visible_keys:
            sql("SELECT EXISTS (SELECT FROM ").table("lists")(" l WHERE l.id")(kEq)("$1),")
               (" ARRAY(SELECT c.id FROM ").table("list_columns")(" c")
               (" WHERE c.list_id")(kEq)("$1 AND c.id")(kEq)("ANY ($2)),")
               (" ARRAY(SELECT r.id FROM ").table("list_companies")(" r")
               (" WHERE r.list_id")(kEq)("$1 AND r.id")(kEq)("ANY ($3))");
            break;
        // The Citus set: one table per statement, its list_id (the lists' id) equal to $1.
        case StatementKind::list_check:
            sql("SELECT FROM ").table("lists")(" l WHERE l.id")(kEq)(sql.list);
            break;
        case StatementKind::column_check:
            sql("SELECT c.subject::pg_catalog.text FROM ").table("list_columns")(" c")
               (" WHERE c.list_id")(kEq)(sql.list)(" AND c.id")(kEq)("$2");
            break;
        case StatementKind::row_check:
            sql("SELECT FROM ").table("list_companies")(" r WHERE r.list_id")(kEq)(sql.list)(" AND r.id")(kEq)("$2");
            break;
        case StatementKind::cell_write:
            insert_head(sql, shape, true, {"$1", "$3", "$2", "$4", true});
            on_conflict(sql, shape);
            break;
        case StatementKind::cell_version_get:
            sql("SELECT ");
            cell_version(sql, shape);
            sql(" FROM ").table("list_company_cells")(" x WHERE ");
            the_cell(sql, shape, sql.list);
            break;
        case StatementKind::cell_write_if_absent:
            insert_head(sql, shape, true, {"$1", "$3", "$2", "$4", true});
            conflict_target(sql, shape);
            sql(" DO NOTHING");
            break;
        case StatementKind::cell_write_if_match:
            update_head(sql, shape, {"$1", "$3", "$2", "$4", true});
            sql(" WHERE ");
            the_cell(sql, shape, "$1");
            sql(" AND ");
            cell_version(sql, shape);
            sql(kEq)("$6");
            break;
        case StatementKind::cell_release_write:
            sql("UPDATE ").table("list_company_cells")(" x SET source = DEFAULT WHERE ");
            the_cell(sql, shape, "$1");
            sql(" AND x.source")(kEq).label(kManualSource);
            break;
        case StatementKind::batch_enrich_write:
            sql("WITH written AS (");
            insert_head(sql, shape, true,
                        {"$1", "u.col_id", "u.row_id", "u.val", false, enriched_status(quoted_schema, shape), "u.reasoning", "u.error"},
                        kEnrichment, true);
            enrichment_elements(sql);
            sql(" ORDER BY u.position");
            enrichment_conflict(sql, shape);
            sql(" RETURNING true) SELECT pg_catalog.count(*)::pg_catalog.int4 FROM written");
            break;
        case StatementKind::batch_versions_get:
            sql("SELECT x.column_id, x.company_row_id, ");
            cell_version(sql, shape);
            sql(" FROM ").table("list_company_cells")(" x WHERE x.list_id")(kEq)("$1 AND x.column_id")(kEq)("ANY ($2)")
               (" AND x.company_row_id")(kEq)("ANY ($3) ORDER BY x.column_id, x.company_row_id FOR UPDATE OF x");
            break;
        case StatementKind::batch_write_if_absent:
            sql("WITH written AS (");
            insert_head(sql, shape, true, {"$1", "u.col_id", "u.row_id", "u.val", false});
            batch_elements(sql, true, true);
            sql(" ORDER BY u.position");
            conflict_target(sql, shape);
            sql(" DO NOTHING RETURNING true) SELECT pg_catalog.count(*)::pg_catalog.int4 FROM written");
            break;
        case StatementKind::batch_company_columns:
            sql("SELECT c.id FROM ").table("list_columns")(" c WHERE c.list_id")(kEq)(sql.list)(" AND c.id")(kEq)("ANY ($2)")
               (" AND ").is_company();
            break;
        case StatementKind::batch_visible_rows:
            sql("SELECT r.id FROM ").table("list_companies")(" r WHERE r.list_id")(kEq)(sql.list)(" AND r.id")(kEq)("ANY ($2)");
            break;
        case StatementKind::batch_write:
            // Citus counts the rows an INSERT ... SELECT sends to the shards, those a trigger
            // skipped included (and with a RETURNING of fewer rows, SPI refuses the count):
            // the cells written are counted from what the INSERT returns.
            sql("WITH written AS (");
            insert_head(sql, shape, true, {"$1", "u.col_id", "u.row_id", "u.val", false});
            batch_elements(sql, true, true);
            // In the arrays' order, the primary key's: see batch_upsert.
            sql(" ORDER BY u.position");
            on_conflict(sql, shape);
            sql(" RETURNING true) SELECT pg_catalog.count(*)::pg_catalog.int4 FROM written");
            break;
        case StatementKind::cell_upsert_call:
            sql("SELECT r FROM ").table("cell_upsert")("($1, $2, $3, $4, $5) AS r");
            break;
        case StatementKind::cell_release_call:
            sql("SELECT r FROM ").table("cell_release")("($1, $2, $3) AS r");
            break;
        case StatementKind::batch_enrich_call:
            sql("SELECT e FROM ").table("cell_enrich_many")("($1, $2) AS e");
            break;
        case StatementKind::batch_call:
            sql("SELECT n FROM ").table("cell_upsert_many")("($1, $2) AS n");
            break;
        case StatementKind::key_share_lock:
            throw std::logic_error("key_share_lock is built by key_share_lock_sql");
    }
    // clang-format on
    return std::move(sql.text);
}

std::string key_share_lock_sql(const LockTarget &target) {
    Sql sql{std::string(), std::string_view(), std::string_view()};
    sql("SELECT FROM ")(target.only ? "ONLY " : "")(target.table)(" x WHERE x.");
    if (target.list_column.empty()) {
        sql(target.id_column)(kEq)("$1");
    } else {
        // Rows are locked as the plan returns them: sorted, whatever the scan.
        sql(target.list_column)(kEq)("$1 AND x.")(target.id_column)(kEq)("ANY ($2) ORDER BY x.")(target.id_column);
    }
    sql(" FOR KEY SHARE OF x");
    return std::move(sql.text);
}

std::string id_literal(const IdBytes &id) {
    char text[kIdTextLength + 1];
    format_id(id, text);
    std::string literal;
    literal.reserve(kIdTextLength + 20);
    literal += '\'';
    literal += text;
    literal += "'::pg_catalog.uuid";
    return literal;
}

}  // namespace cellupsert::core
