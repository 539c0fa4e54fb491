// The bookkeeping of a small cache keyed by id: which of a fixed number of slots holds an
// id, and which slot a new id takes (a free one, else the one used least recently). What a
// slot holds is the caller's (src/pg/list_plans.cpp: the plans kept for a list).
#pragma once

#include <cstdint>

#include "cell_keys.h"

namespace cellupsert::core {

class RecentIds {
   public:
    static constexpr int kSlots = 16;

    // The slot that holds id, marked as used last; -1 when none does.
    int find(const IdBytes &id) noexcept;

    // The slot id takes, marked as used last: a free slot, else the one used least recently
    // (whose content the caller replaces). id must not be held already (find first).
    int take(const IdBytes &id) noexcept;

    // Every slot free.
    void clear() noexcept;

   private:
    Id ids_[kSlots] = {};
    std::uint64_t last_used_[kSlots] = {};  // 0: free
    std::uint64_t clock_ = 0;
};

}  // namespace cellupsert::core
