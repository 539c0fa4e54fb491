#include "recent_ids.h"

#include <gtest/gtest.h>

#include <set>

using cellupsert::core::IdBytes;
using cellupsert::core::RecentIds;

namespace {

// The id whose last byte is n (and whose first is 1, so that no id is all zero).
struct TestId {
    IdBytes bytes = {1};
    explicit TestId(int n) { bytes[15] = static_cast<unsigned char>(n); }
};

}  // namespace

TEST(RecentIds, FindsWhatItTookAndNothingElse) {
    RecentIds recent;
    EXPECT_EQ(recent.find(TestId(1).bytes), -1);
    const int slot = recent.take(TestId(1).bytes);
    EXPECT_EQ(recent.find(TestId(1).bytes), slot);
    EXPECT_EQ(recent.find(TestId(2).bytes), -1);
}

TEST(RecentIds, FreeSlotsFirstEachIdItsOwn) {
    RecentIds recent;
    std::set<int> slots;
    for (int n = 0; n < RecentIds::kSlots; ++n) slots.insert(recent.take(TestId(n).bytes));
    EXPECT_EQ(slots.size(), static_cast<size_t>(RecentIds::kSlots));
    for (int n = 0; n < RecentIds::kSlots; ++n) EXPECT_GE(recent.find(TestId(n).bytes), 0) << n;
}

// Full: a new id takes the slot of the id used least recently, a find counting as a use.
TEST(RecentIds, ANewIdTakesTheLeastRecentlyUsedSlot) {
    RecentIds recent;
    for (int n = 0; n < RecentIds::kSlots; ++n) EXPECT_EQ(recent.take(TestId(n).bytes), n);
    EXPECT_EQ(recent.find(TestId(0).bytes), 0);  // 0 used again: 1 is now the oldest
    EXPECT_EQ(recent.take(TestId(100).bytes), 1);
    EXPECT_EQ(recent.find(TestId(1).bytes), -1);
    EXPECT_EQ(recent.find(TestId(100).bytes), 1);
    EXPECT_EQ(recent.take(TestId(101).bytes), 2);  // then 2
    for (int n = 3; n < RecentIds::kSlots; ++n) EXPECT_EQ(recent.find(TestId(n).bytes), n);
    EXPECT_EQ(recent.take(TestId(102).bytes), 0);  // 0, used before 100, 101 and 3 to 15
}

TEST(RecentIds, ClearFreesEverySlot) {
    RecentIds recent;
    for (int n = 0; n < RecentIds::kSlots; ++n) recent.take(TestId(n).bytes);
    recent.clear();
    for (int n = 0; n < RecentIds::kSlots; ++n) EXPECT_EQ(recent.find(TestId(n).bytes), -1) << n;
    std::set<int> slots;
    for (int n = 0; n < RecentIds::kSlots; ++n) slots.insert(recent.take(TestId(50 + n).bytes));
    EXPECT_EQ(slots.size(), static_cast<size_t>(RecentIds::kSlots));
}
