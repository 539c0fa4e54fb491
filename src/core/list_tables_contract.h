// The list tables' contract: the relations and columns of the application's list tables
// that the functions read and write, their roles, the types and enum labels they accept,
// what is optional, what the functions write, and the canonical DDL of a missing column.
// Pure C++ (no PostgreSQL header). src/pg/discovery.cpp checks the catalogs against it,
// statement_sql.cpp writes by it; the canonical DDL is sql/cellupsert_list_tables.sql.
#pragma once

#include <cstdint>
#include <string_view>

namespace cellupsert::core {

// The four relations, by their names in the functions' schema: tables, or simple views.
enum ListTable { kLists, kListColumns, kListCompanies, kListCompanyCells, kListTableCount };
inline constexpr const char *kListTableNames[kListTableCount] = {"lists", "list_columns", "list_companies",
                                                                 "list_company_cells"};

// The history table, in the same schema (docs/history.md): written by the extension's trigger.
inline constexpr char kHistoryTableName[] = "list_cell_history";

// The columns that identify a row of lists (id), list_columns and list_companies (list_id,
// id): the statements join by them, and a batch reads and locks them (src/pg/batch_locks.h).
inline constexpr char kIdColumn[] = "id";
inline constexpr char kListIdColumn[] = "list_id";
// The column of list_columns that says whose cells a column holds (kCompanySubject: cells).
inline constexpr char kSubjectColumn[] = "subject";

// The labels the functions write or compare: a status, subject or source column may be an
// enum, which must have them.
inline constexpr char kCompleteStatus[] = "complete";  // every written cell's status
inline constexpr char kCompanySubject[] = "company";   // the subject of the columns cells are written to
inline constexpr char kManualSource[] = "manual";      // the source of a manual edit

// What a column's type must be.
enum class ColumnType : std::uint8_t {
    id,         // uuid
    string,     // text or varchar, or a domain over them
    label,      // text, varchar, a domain over them, or an enum with the column's label
    timestamp,  // timestamptz (or timestamp)
};

// When a column must exist.
enum class Presence : std::uint8_t {
    required,    // in every shape
    optional,    // used when present: the cells' list_id (the canonical shape), created_at,
                 // updated_at (written), reasoning, error (read for the cell's version)
    provenance,  // source, edited_by, edited_at: all three, or none
};

struct ColumnContract {
    ListTable table;
    const char *name;
    ColumnType type;
    const char *label;  // for ColumnType::label
    Presence presence;
    const char *ddl;  // its type in the canonical DDL, to add it when missing
};

// In the order discovery checks them: each relation's required columns, then the cells'
// optional and provenance columns.
inline constexpr ColumnContract kColumns[] = {
    {kLists, kIdColumn, ColumnType::id, nullptr, Presence::required, "uuid NOT NULL"},
    {kListColumns, kListIdColumn, ColumnType::id, nullptr, Presence::required, "uuid NOT NULL"},
    {kListColumns, kIdColumn, ColumnType::id, nullptr, Presence::required, "uuid NOT NULL"},
    {kListColumns, kSubjectColumn, ColumnType::label, kCompanySubject, Presence::required, "text NOT NULL"},
    {kListCompanies, kListIdColumn, ColumnType::id, nullptr, Presence::required, "uuid NOT NULL"},
    {kListCompanies, kIdColumn, ColumnType::id, nullptr, Presence::required, "uuid NOT NULL"},
    {kListCompanyCells, "column_id", ColumnType::id, nullptr, Presence::required, "uuid NOT NULL"},
    {kListCompanyCells, "company_row_id", ColumnType::id, nullptr, Presence::required, "uuid NOT NULL"},
    {kListCompanyCells, "status", ColumnType::label, kCompleteStatus, Presence::required,
     "text NOT NULL DEFAULT 'pending'"},
    {kListCompanyCells, "value", ColumnType::string, nullptr, Presence::required, "text"},
    {kListCompanyCells, kListIdColumn, ColumnType::id, nullptr, Presence::optional, "uuid NOT NULL"},
    {kListCompanyCells, "created_at", ColumnType::timestamp, nullptr, Presence::optional,
     "timestamptz NOT NULL DEFAULT now()"},
    {kListCompanyCells, "updated_at", ColumnType::timestamp, nullptr, Presence::optional,
     "timestamptz NOT NULL DEFAULT now()"},
    {kListCompanyCells, "reasoning", ColumnType::string, nullptr, Presence::optional, "text"},
    {kListCompanyCells, "error", ColumnType::string, nullptr, Presence::optional, "text"},
    {kListCompanyCells, "source", ColumnType::label, kManualSource, Presence::provenance, "text"},
    {kListCompanyCells, "edited_by", ColumnType::string, nullptr, Presence::provenance, "text"},
    {kListCompanyCells, "edited_at", ColumnType::timestamp, nullptr, Presence::provenance, "timestamptz"},
};

// The contract of a column of table, or nullptr when the functions do not use it.
const ColumnContract *find_column(ListTable table, std::string_view name) noexcept;

// What a column of this type must be, for error details and cellupsert_check().
const char *type_rule(ColumnType type) noexcept;

// The cells' unique key, ON CONFLICT's target: the three columns in the canonical shape, the
// last two (kConflictKey + 1) in the original API's.
inline constexpr const char *kConflictKey[] = {kListIdColumn, "column_id", "company_row_id"};
constexpr int kConflictKeyColumns = 3;

// What a write of the functions puts in a column of the cells.
enum class CellValue : std::uint8_t {
    list,       // the list's id
    column,     // the column's id
    row,        // the row's id
    value,      // the value given
    complete,   // kCompleteStatus
    now,        // the transaction's time
    manual,     // kManualSource
    editor,     // the editor (the JWT's sub claim, or the current role)
    status,     // the status given (an enrichment's)
    reasoning,  // the reasoning given
    error,      // the error given
};

// Which shape the column is written in.
enum class WrittenIn : std::uint8_t { every_shape, with_list_id, with_created_at, with_updated_at, with_provenance };

struct WrittenColumn {
    const char *name;
    CellValue value;
    WrittenIn written_in;
    bool on_conflict;  // also set when the cell exists (DO UPDATE SET)
};

// The columns of the cells the functions write, in the order their INSERT names them.
inline constexpr WrittenColumn kWrittenColumns[] = {
    {kListIdColumn, CellValue::list, WrittenIn::with_list_id, false},
    {"column_id", CellValue::column, WrittenIn::every_shape, false},
    {"company_row_id", CellValue::row, WrittenIn::every_shape, false},
    {"value", CellValue::value, WrittenIn::every_shape, true},
    {"status", CellValue::complete, WrittenIn::every_shape, true},
    {"created_at", CellValue::now, WrittenIn::with_created_at, false},
    {"updated_at", CellValue::now, WrittenIn::with_updated_at, true},
    {"source", CellValue::manual, WrittenIn::with_provenance, true},
    {"edited_by", CellValue::editor, WrittenIn::with_provenance, true},
    {"edited_at", CellValue::now, WrittenIn::with_provenance, true},
};

// The columns of the cells an enrichment writes (cell_enrich_many), in the order its INSERT
// names them. It leaves source to its default on insert and alone on update (a cell it
// updates is not manual), and edited_by and edited_at alone.
inline constexpr WrittenColumn kEnrichedColumns[] = {
    {kListIdColumn, CellValue::list, WrittenIn::with_list_id, false},
    {"column_id", CellValue::column, WrittenIn::every_shape, false},
    {"company_row_id", CellValue::row, WrittenIn::every_shape, false},
    {"value", CellValue::value, WrittenIn::every_shape, true},
    {"status", CellValue::status, WrittenIn::every_shape, true},
    {"reasoning", CellValue::reasoning, WrittenIn::every_shape, true},
    {"error", CellValue::error, WrittenIn::every_shape, true},
    {"created_at", CellValue::now, WrittenIn::with_created_at, false},
    {"updated_at", CellValue::now, WrittenIn::with_updated_at, true},
};

// Whether a person's edit writes a column of that name in the cells (in some shape): a cell
// it inserts has the others NULL or at their default.
bool is_written(std::string_view name) noexcept;

}  // namespace cellupsert::core
