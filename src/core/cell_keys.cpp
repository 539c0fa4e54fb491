#include "cell_keys.h"

#include <algorithm>
#include <cstring>

namespace cellupsert::core {
namespace {

int compare_keys(const CellKey &a, const CellKey &b) noexcept {
    return std::memcmp(&a, &b, sizeof(CellKey));
}

}  // namespace

std::size_t keep_last_per_key(const CellKey *keys, std::size_t n, std::uint32_t *kept) noexcept {
    static_assert(sizeof(CellKey) == 2 * kIdBytes, "CellKey must be its two ids, unpadded");
    for (std::size_t i = 0; i < n; ++i) kept[i] = static_cast<std::uint32_t>(i);
    // By key, and within a key the latest position first, so the first of each run wins.
    std::sort(kept, kept + n, [keys](std::uint32_t a, std::uint32_t b) {
        const int order = compare_keys(keys[a], keys[b]);
        return order != 0 ? order < 0 : a > b;
    });
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (count == 0 || compare_keys(keys[kept[count - 1]], keys[kept[i]]) != 0)
            kept[count++] = kept[i];
    return count;
}

}  // namespace cellupsert::core
