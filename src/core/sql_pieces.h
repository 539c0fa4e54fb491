// The pieces the statements' texts are built of (statement_sql.cpp): an appender that reads
// as SQL, the cells' written columns and their values, conflict targets, the version of a
// cell. Internal to src/core; pure C++.
#pragma once

#include <iterator>
#include <string>
#include <string_view>

#include "list_tables_contract.h"
#include "statement_sql.h"

namespace cellupsert::core::sql_pieces {

inline constexpr char kEq[] = " OPERATOR(pg_catalog.=) ";
// The write statements' editor parameter (statement_list.h).
inline constexpr char kEditor[] = "$5";

// Appends pieces to a string, so that the texts read as SQL.
struct Sql {
    std::string text;
    std::string_view schema;
    std::string_view list;               // the list's id in the reads of the Citus set: $1, or a literal
    IdReads reads = IdReads::join;       // how a batch's statements read its ids
    const ShardNames *shards = nullptr;  // named in place of the tables, when given
    Sql &operator()(std::string_view piece) {
        text += piece;
        return *this;
    }
    Sql &table(std::string_view name) {
        const std::string_view shard = shards == nullptr ? std::string_view() : shards->of(name);
        if (!shard.empty()) {
            text += shard;
            return *this;
        }
        text += schema;
        text += '.';
        text += name;
        return *this;
    }
    // A table's name as a regclass literal (its quotes doubled).
    Sql &table_literal(std::string_view name) { return qualified_literal(name, "pg_catalog.regclass"); }
    // A table's qualified name as a text literal (for to_regclass(): NULL when it is absent).
    Sql &text_literal(std::string_view name) { return qualified_literal(name, "pg_catalog.text"); }
    // schema.name as a literal of type (its quotes doubled).
    Sql &qualified_literal(std::string_view name, std::string_view type) {
        text += '\'';
        for (const char c : schema) text.append(c == '\'' ? 2 : 1, c);
        text += '.';
        text += name;
        text += "'::";
        text += type;
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
    std::string_view now = "pg_catalog.now()";                 // or the parameter of Param::now
};

inline bool is_written_in(const WrittenColumn &column, const TablesShape &shape, bool with_list_id) {
    switch (column.written_in) {
        case WrittenIn::every_shape: return true;
        case WrittenIn::with_list_id: return with_list_id;
        case WrittenIn::with_created_at: return shape.has_created_at;
        case WrittenIn::with_updated_at: return shape.has_updated_at;
        case WrittenIn::with_provenance: return shape.has_provenance;
    }
    return false;
}

inline void cell_value(Sql &sql, CellValue value, const CellSource &source) {
    switch (value) {
        case CellValue::list: sql(source.list); break;
        case CellValue::column: sql(source.column); break;
        case CellValue::row: sql(source.row); break;
        case CellValue::value: sql(source.value); break;
        case CellValue::complete: sql.label(kCompleteStatus); break;
        case CellValue::now: sql(source.now); break;
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
inline constexpr Columns kManualEdit{std::begin(kWrittenColumns), std::end(kWrittenColumns)};
inline constexpr Columns kEnrichment{std::begin(kEnrichedColumns), std::end(kEnrichedColumns)};

// INSERT INTO cells [AS x] (the written columns) SELECT their values (or VALUES (values)).
inline void insert_head(Sql &sql, const TablesShape &shape, bool with_list_id, const CellSource &source,
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

inline void conflict_target(Sql &sql, const TablesShape &shape) {
    sql(" ON CONFLICT (");
    const int first = shape.conflict_key_has_list_id ? 0 : 1;
    for (int i = first; i < kConflictKeyColumns; ++i) sql(i == first ? "" : ", ")(kConflictKey[i]);
    sql(")");
}

// Citus refuses non-immutable expressions in the SET list: the new values come through EXCLUDED.
inline void on_conflict(Sql &sql, const TablesShape &shape, Columns columns = kManualEdit) {
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
inline void enrichment_conflict(Sql &sql, const TablesShape &shape) {
    on_conflict(sql, shape, kEnrichment);
    if (shape.has_provenance) sql(" WHERE (x.source")(kEq).label(kManualSource)(") IS NOT TRUE");
}

// UPDATE cells x SET (the columns an update writes) = their values.
inline void update_head(Sql &sql, const TablesShape &shape, const CellSource &source) {
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
inline void cell_version(Sql &sql, const TablesShape &shape) {
    sql.table("cell_version_of")("(x.value, x.status::pg_catalog.text, ");
    sql(shape.has_reasoning ? "x.reasoning" : "NULL::pg_catalog.text")(", ");
    sql(shape.has_error ? "x.error" : "NULL::pg_catalog.text")(")");
}

// cell_upsert's checks, as the caller sees the tables: FROM the list $1 (l), its company
// column $3 (c) and its row $2 (r), with no other row. A statement joins its cell x to them.
inline void cell_checks(Sql &sql) {
    sql(" FROM ").table("lists")(" l JOIN ").table("list_columns")(" c ON c.list_id")(kEq)("l.id");
    sql(" JOIN ").table("list_companies")(" r ON r.list_id")(kEq)("l.id");
    sql(" WHERE l.id")(kEq)("$1 AND c.id")(kEq)("$3 AND ").is_company()(" AND r.id")(kEq)("$2");
}

// The same checks of a batch's elements u: JOIN the list $1 (l), the company column u.col_id
// (c) and the row u.row_id (r); an element that fails one has no row. By key: the column and
// the row each read by their primary key for each element (LATERAL, LIMIT 1).
inline void element_checks(Sql &sql) {
    sql(" JOIN ").table("lists")(" l ON l.id")(kEq)("$1");
    if (sql.reads == IdReads::join) {
        sql(" JOIN ").table("list_columns")(" c ON c.list_id")(kEq)("l.id AND c.id")(kEq)("u.col_id AND ").is_company();
        sql(" JOIN ").table("list_companies")(" r ON r.list_id")(kEq)("l.id AND r.id")(kEq)("u.row_id");
        return;
    }
    sql(" CROSS JOIN LATERAL (SELECT c.id FROM ")
        .table("list_columns")(" c WHERE c.list_id")(kEq)("l.id AND c.id")(kEq)("u.col_id AND ")
        .is_company()(" LIMIT 1) c");
    sql(" CROSS JOIN LATERAL (SELECT r.id FROM ")
        .table("list_companies")(" r WHERE r.list_id")(kEq)("l.id AND r.id")(kEq)("u.row_id LIMIT 1) r");
}

// The cell x of the checked list l, column c and row r (cell_checks).
inline void checked_cell(Sql &sql, const TablesShape &shape) {
    if (shape.cells_have_list_id) sql("x.list_id")(kEq)("l.id AND ");
    sql("x.column_id")(kEq)("c.id AND x.company_row_id")(kEq)("r.id");
}

// The cell x of the list's column $3 and row $2; list: the list's id ($1 or a literal).
inline void the_cell(Sql &sql, const TablesShape &shape, std::string_view list) {
    if (shape.cells_have_list_id) sql("x.list_id")(kEq)(list)(" AND ");
    sql("x.column_id")(kEq)("$3 AND x.company_row_id")(kEq)("$2");
}

// The checks of cell_upsert, as the caller sees the tables: (list_found, column_subject,
// row_found).
// clang-format off
inline void diagnose(Sql &sql) {
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
inline std::string enriched_status(std::string_view schema, const TablesShape &shape) {
    if (!shape.status_is_enum) return "u.status";
    std::string status = "(pg_catalog.jsonb_populate_record(NULL::";
    status += schema;
    status += ".list_company_cells, pg_catalog.jsonb_build_object('status', u.status))).status";
    return status;
}

// An enrichment's elements as u (row_id, col_id, val, status, reasoning, error, position).
inline void enrichment_elements(Sql &sql) {
    sql(" FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4),"
        " pg_catalog.unnest($5), pg_catalog.unnest($6), pg_catalog.unnest($7)) WITH ORDINALITY"
        " AS u (row_id, col_id, val, status, reasoning, error, position)");
}

// The batch's elements as u (row_id, col_id, and $4 as val or as position), and the
// position as the ordinality with_ordinality.
inline void batch_elements(Sql &sql, bool with_values, bool with_ordinality) {
    sql(" FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4))");
    if (with_ordinality) sql(" WITH ORDINALITY");
    sql(with_values ? " AS u (row_id, col_id, val" : " AS u (row_id, col_id, position");
    sql(with_values && with_ordinality ? ", position)" : ")");
}

}  // namespace cellupsert::core::sql_pieces
