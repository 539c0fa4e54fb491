#include "shard_names.h"

#include <gtest/gtest.h>

#include <string>

namespace cellupsert::core {
namespace {

const char *const kTables[] = {"lists", "list_columns", "list_companies", "list_company_cells"};

std::string stripped(std::string text) {
    strip_shard_suffixes(text.data(), kTables, 4);
    return text.c_str();
}

TEST(ShardNames, ATableOfTheListsLosesItsShardSuffix) {
    EXPECT_EQ(stripped("new row violates row-level security policy for table \"list_company_cells_102112\""),
              "new row violates row-level security policy for table \"list_company_cells\"");
}

TEST(ShardNames, TheShardsConstraintLosesItToo) {
    EXPECT_EQ(stripped("insert or update on table \"list_company_cells_102112\" violates foreign key constraint "
                       "\"list_company_cells_list_id_column_id_fkey_102112\""),
              "insert or update on table \"list_company_cells\" violates foreign key constraint "
              "\"list_company_cells_list_id_column_id_fkey\"");
    EXPECT_EQ(stripped("Key (list_id, column_id)=(1, 2) is not present in table \"list_columns_102048\"."),
              "Key (list_id, column_id)=(1, 2) is not present in table \"list_columns\".");
}

TEST(ShardNames, OtherNamesAreLeftAlone) {
    // Not a list table; a list table's name with a non-numeric suffix; no suffix; unquoted.
    EXPECT_EQ(stripped("table \"orders_102112\" and \"lists_archive\" and \"lists\" and lists_102008"),
              "table \"orders_102112\" and \"lists_archive\" and \"lists\" and lists_102008");
    // A name ending with a digit suffix that no shard of a list table has.
    EXPECT_EQ(stripped("\"lists_102008\" \"cells_key_999\""), "\"lists\" \"cells_key_999\"");
    EXPECT_EQ(stripped(""), "");
    EXPECT_EQ(stripped("an unterminated \"lists_1"), "an unterminated \"lists_1");
}

TEST(ShardNames, ABareNameByTheSuffixesOfItsReference) {
    std::string table = "list_company_cells_102112";
    EXPECT_TRUE(strip_shard_suffix(table.data(), nullptr, kTables, 4));
    EXPECT_EQ(std::string(table.c_str()), "list_company_cells");
    std::string constraint = "list_company_cells_list_id_column_id_fkey_102112";
    EXPECT_TRUE(strip_shard_suffix(constraint.data(), "on table \"list_company_cells_102112\"", kTables, 4));
    EXPECT_EQ(std::string(constraint.c_str()), "list_company_cells_list_id_column_id_fkey");
    std::string other = "orders_pkey_102112";
    EXPECT_FALSE(strip_shard_suffix(other.data(), "\"orders_102112\"", kTables, 4));
    EXPECT_EQ(other, "orders_pkey_102112");
}

}  // namespace
}  // namespace cellupsert::core
