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

TEST(KeepLastPerKey, EmptyBatch) { EXPECT_EQ(keep_last_per_key(nullptr, 0, nullptr), 0u); }

TEST(KeepLastPerKey, DistinctKeysAreAllKeptInKeyOrder) {
    EXPECT_EQ(kept_positions({key(2, 1), key(1, 2), key(1, 1)}), (std::vector<std::uint32_t>{2, 1, 0}));
}

TEST(KeepLastPerKey, TheLastOccurrenceWins) {
    EXPECT_EQ(kept_positions({key(1, 1), key(2, 2), key(1, 1), key(1, 1)}), (std::vector<std::uint32_t>{3, 1}));
}

TEST(KeepLastPerKey, SameRowOtherColumnIsAnotherCell) {
    EXPECT_EQ(kept_positions({key(1, 1), key(2, 1), key(1, 2)}), (std::vector<std::uint32_t>{0, 2, 1}));
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

// The distinct ids of a batch, in the order a batch locks them (uuid order: bytes, unsigned).
namespace {

using cellupsert::core::Id;
using cellupsert::core::sort_unique_ids;

Id id(unsigned char first, unsigned char last = 0) {
    Id i;
    std::memset(i.bytes, 0, sizeof i.bytes);
    i.bytes[0] = first;
    i.bytes[15] = last;
    return i;
}

std::vector<int> sorted_unique(std::vector<Id> ids) {
    ids.resize(sort_unique_ids(ids.data(), ids.size()));
    std::vector<int> out;
    for (const Id &i : ids) out.push_back(i.bytes[0] * 256 + i.bytes[15]);
    return out;
}

}  // namespace

TEST(SortUniqueIds, Empty) { EXPECT_EQ(sort_unique_ids(nullptr, 0), 0u); }

TEST(SortUniqueIds, SortsInByteOrderAndDropsRepeats) {
    EXPECT_EQ(sorted_unique({id(3), id(1), id(3), id(2), id(1), id(1)}), (std::vector<int>{1 * 256, 2 * 256, 3 * 256}));
}

TEST(SortUniqueIds, BytesCompareUnsignedFirstByteFirst) {
    EXPECT_EQ(sorted_unique({id(0x80), id(0x7f, 0xff), id(0x7f, 1), id(0xff), id(0x00, 0xff)}),
              (std::vector<int>{0x00ff, 0x7f01, 0x7fff, 0x8000, 0xff00}));
}

TEST(SortUniqueIds, ManyRepeatsOfFewIds) {
    std::vector<Id> ids;
    for (int i = 0; i < 1000; ++i) ids.push_back(id(static_cast<unsigned char>(9 - i % 10)));
    EXPECT_EQ(sorted_unique(ids).size(), 10u);
    EXPECT_EQ(sorted_unique(ids).front(), 0);
    EXPECT_EQ(sorted_unique(ids).back(), 9 * 256);
}
