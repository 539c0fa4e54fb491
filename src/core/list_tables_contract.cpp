#include "list_tables_contract.h"

namespace cellupsert::core {

const ColumnContract *find_column(ListTable table, std::string_view name) noexcept {
    for (const ColumnContract &column : kColumns)
        if (column.table == table && name == column.name) return &column;
    return nullptr;
}

const char *type_rule(ColumnType type) noexcept {
    switch (type) {
        case ColumnType::id: return "it must be uuid";
        case ColumnType::string: return "it must be text or varchar";
        case ColumnType::label: return "it must be text, varchar, a domain over them, or an enum";
        case ColumnType::timestamp: return "it must be timestamptz";
    }
    return "";
}

bool is_written(std::string_view name) noexcept {
    for (const WrittenColumn &column : kWrittenColumns)
        if (name == column.name) return true;
    return false;
}

}  // namespace cellupsert::core
