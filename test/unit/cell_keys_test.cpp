#include "cell_keys.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

using cellupsert::core::CellKey;
using cellupsert::core::keep_last_per_key;

namespace {

CellKey key(unsigned char column, unsigned char row) {
    CellKey k;
    std::memset(k.column, column, sizeof k.column);
    std::memset(k.row, row, sizeof k.row);
    return k;
}

std::vector<std::uint32_t> kept_positions(const std::vector<CellKey> &keys) {
    std::vector<std::uint32_t> kept(keys.size());
    kept.resize(keep_last_per_key(keys.data(), keys.size(), kept.data()));
    return kept;
}

}  // namespace

TEST(KeepLastPerKey, EmptyBatch) {
    EXPECT_EQ(keep_last_per_key(nullptr, 0, nullptr), 0u);
}

TEST(KeepLastPerKey, DistinctKeysAreAllKeptInKeyOrder) {
    EXPECT_EQ(kept_positions({key(2, 1), key(1, 2), key(1, 1)}),
              (std::vector<std::uint32_t>{2, 1, 0}));
}

TEST(KeepLastPerKey, TheLastOccurrenceWins) {
    EXPECT_EQ(kept_positions({key(1, 1), key(2, 2), key(1, 1), key(1, 1)}),
              (std::vector<std::uint32_t>{3, 1}));
}

TEST(KeepLastPerKey, SameRowOtherColumnIsAnotherCell) {
    EXPECT_EQ(kept_positions({key(1, 1), key(2, 1), key(1, 2)}),
              (std::vector<std::uint32_t>{0, 2, 1}));
}

TEST(KeepLastPerKey, KeysDifferingInOneByteAreDistinct) {
    CellKey a = key(7, 7), b = key(7, 7);
    b.row[15] = 8;
    CellKey c = key(7, 7);
    c.column[0] = 6;
    EXPECT_EQ(kept_positions({a, b, c, a}), (std::vector<std::uint32_t>{2, 3, 1}));
}

TEST(KeepLastPerKey, ManyRepeats) {
    std::vector<CellKey> keys;
    for (int i = 0; i < 1000; ++i) keys.push_back(key(static_cast<unsigned char>(i % 10), 0));
    const auto kept = kept_positions(keys);
    ASSERT_EQ(kept.size(), 10u);
    for (std::size_t i = 0; i < kept.size(); ++i) EXPECT_EQ(kept[i], 990 + i);
}
