// Batch edits: which elements of a batch are written when a (column, row) pair repeats.
#pragma once

#include <cstddef>
#include <cstdint>

#include "id_rules.h"

namespace cellupsert::core {

// A cell's key in the order of the cell table's primary key (after list_id).
struct CellKey {
    IdBytes column;
    IdBytes row;
};

// For each distinct key of keys[0..n), keeps its last occurrence: the batch's "last one wins".
// Writes the kept positions to kept[0..result), ordered by key (the primary key's order, so
// the writes walk the index in order), and returns how many were kept. When first is not
// null, first[k] is the first occurrence of the key of kept[k]: a refusal depends on the
// key only, so the first refused element of the batch, in input order, is the least first[k]
// among refused keys. kept and first must hold n entries. Allocates nothing, cannot throw.
std::size_t keep_last_per_key(const CellKey *keys, std::size_t n, std::uint32_t *kept,
                              std::uint32_t *first = nullptr) noexcept;

// One id as a value (IdBytes is an array, which std::sort cannot move).
struct Id {
    IdBytes bytes;
};

// Sorts ids[0..n) in byte order, which is PostgreSQL's order of uuid, and drops repeats.
// Returns how many distinct ids remain, in ids[0..result). Allocates nothing, cannot throw.
std::size_t sort_unique_ids(Id *ids, std::size_t n) noexcept;

}  // namespace cellupsert::core
