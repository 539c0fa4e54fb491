#include "recent_ids.h"

#include <cstring>

namespace cellupsert::core {

int RecentIds::find(const IdBytes &id) noexcept {
    for (int slot = 0; slot < kSlots; ++slot)
        if (last_used_[slot] != 0 && std::memcmp(ids_[slot].bytes, id, kIdBytes) == 0) {
            last_used_[slot] = ++clock_;
            return slot;
        }
    return -1;
}

int RecentIds::take(const IdBytes &id) noexcept {
    int oldest = 0;  // a free slot has last_used 0, so it is the oldest
    for (int slot = 1; slot < kSlots; ++slot)
        if (last_used_[slot] < last_used_[oldest]) oldest = slot;
    std::memcpy(ids_[oldest].bytes, id, kIdBytes);
    last_used_[oldest] = ++clock_;
    return oldest;
}

void RecentIds::clear() noexcept {
    for (std::uint64_t &used : last_used_) used = 0;
}

}  // namespace cellupsert::core
