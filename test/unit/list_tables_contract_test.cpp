#include "list_tables_contract.h"

#include <gtest/gtest.h>

#include <string>

#include "statement_sql.h"

using namespace cellupsert::core;

// Every column the functions write in the cells is one of the cells' columns in the
// contract; a person's edit leaves reasoning and error alone, an enrichment writes them.
TEST(ListTablesContract, EveryWrittenColumnIsInTheContract) {
    for (const WrittenColumn &written : kWrittenColumns)
        EXPECT_NE(find_column(kListCompanyCells, written.name), nullptr) << written.name;
    for (const WrittenColumn &written : kEnrichedColumns)
        EXPECT_NE(find_column(kListCompanyCells, written.name), nullptr) << written.name;
    EXPECT_FALSE(is_written("reasoning"));
    EXPECT_FALSE(is_written("error"));
    EXPECT_NE(find_column(kListCompanyCells, "reasoning"), nullptr);  // read for versions
}

TEST(ListTablesContract, LabelsWhereTheTypeIsALabel) {
    for (const ColumnContract &column : kColumns) {
        EXPECT_EQ(column.type == ColumnType::label, column.label != nullptr) << column.name;
        EXPECT_NE(column.ddl, nullptr) << column.name;
    }
    EXPECT_STREQ(find_column(kListColumns, "subject")->label, "company");
    EXPECT_STREQ(find_column(kListCompanyCells, "status")->label, "complete");
    EXPECT_STREQ(find_column(kListCompanyCells, "source")->label, "manual");
    EXPECT_EQ(find_column(kLists, "subject"), nullptr);
}

// Only the cells have optional columns, and the provenance columns are the three the
// functions write in a shape with provenance.
TEST(ListTablesContract, OptionalColumnsAreTheCells) {
    int provenance = 0;
    for (const ColumnContract &column : kColumns) {
        if (column.presence != Presence::required) {
            EXPECT_EQ(column.table, kListCompanyCells) << column.name;
        }
        if (column.presence == Presence::provenance) {
            ++provenance;
            bool written_with_provenance = false;
            for (const WrittenColumn &written : kWrittenColumns)
                written_with_provenance |=
                    column.name == std::string(written.name) && written.written_in == WrittenIn::with_provenance;
            EXPECT_TRUE(written_with_provenance) << column.name;
        }
    }
    EXPECT_EQ(provenance, 3);
}

// The upsert names the written columns in the contract's order, and its conflict target is
// the contract's key.
TEST(ListTablesContract, TheUpsertWritesByTheContract) {
    TablesShape shape;
    shape.has_provenance = true;
    const std::string sql = statement_sql(StatementKind::cell_upsert, shape, "app");
    std::string columns;
    for (const WrittenColumn &written : kWrittenColumns)
        columns += std::string(columns.empty() ? "" : ", ") + written.name;
    EXPECT_NE(sql.find("INSERT INTO app.list_company_cells (" + columns + ")"), std::string::npos) << sql;
    std::string key;
    for (const char *column : kConflictKey) key += std::string(key.empty() ? "" : ", ") + column;
    EXPECT_NE(sql.find(" ON CONFLICT (" + key + ") DO UPDATE SET "), std::string::npos) << sql;
}

TEST(ListTablesContract, TypeRules) {
    EXPECT_STREQ(type_rule(ColumnType::id), "it must be uuid");
    EXPECT_STREQ(type_rule(ColumnType::label), "it must be text, varchar, a domain over them, or an enum");
}
