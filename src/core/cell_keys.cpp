#include "cell_keys.h"

#include <algorithm>
#include <cstring>

namespace cellupsert::core {
namespace {

int compare_keys(const CellKey &a, const CellKey &b) noexcept { return std::memcmp(&a, &b, sizeof(CellKey)); }

}  // namespace

std::size_t keep_last_per_key(const CellKey *keys, std::size_t n, std::uint32_t *kept, std::uint32_t *first) noexcept {
    static_assert(sizeof(CellKey) == 2 * kIdBytes, "CellKey must be its two ids, unpadded");
    for (std::size_t i = 0; i < n; ++i) kept[i] = static_cast<std::uint32_t>(i);
    // By key, and within a key the latest position first, so the first of each run wins.
    std::sort(kept, kept + n, [keys](std::uint32_t a, std::uint32_t b) {
        const int order = compare_keys(keys[a], keys[b]);
        return order != 0 ? order < 0 : a > b;
    });
    // Each run of a key starts with its last occurrence and ends with its first.
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t position = kept[i];
        if (count == 0 || compare_keys(keys[kept[count - 1]], keys[position]) != 0) kept[count++] = position;
        if (first != nullptr) first[count - 1] = position;
    }
    return count;
}

std::size_t sort_unique_ids(Id *ids, std::size_t n) noexcept {
    static_assert(sizeof(Id) == kIdBytes, "Id must be its bytes, unpadded");
    const auto less = [](const Id &a, const Id &b) {
        return std::memcmp(a.bytes, b.bytes, kIdBytes) < 0;
    };
    const auto equal = [](const Id &a, const Id &b) {
        return std::memcmp(a.bytes, b.bytes, kIdBytes) == 0;
    };
    std::sort(ids, ids + n, less);
    return static_cast<std::size_t>(std::unique(ids, ids + n, equal) - ids);
}

}  // namespace cellupsert::core
