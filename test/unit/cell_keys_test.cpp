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

// The first occurrence of each kept key, for naming the first refused element of a batch.
TEST(KeepLastPerKey, FirstOccurrenceOfEachKeptKey) {
    const std::vector<CellKey> keys = {key(9, 1), key(1, 2), key(9, 1), key(1, 2), key(5, 5)};
    std::vector<std::uint32_t> kept(keys.size()), first(keys.size());
    const std::size_t count = keep_last_per_key(keys.data(), keys.size(), kept.data(), first.data());
    ASSERT_EQ(count, 3u);
    kept.resize(count);
    first.resize(count);
    EXPECT_EQ(kept, (std::vector<std::uint32_t>{3, 4, 2}));
    EXPECT_EQ(first, (std::vector<std::uint32_t>{1, 4, 0}));
}
