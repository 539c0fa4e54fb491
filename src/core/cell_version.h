// The version of a cell: an opaque token that changes whenever the cell's value, status,
// reasoning or error changes, whoever writes it. It is computed from those four fields
// (no column stores it): the first 16 bytes of the SHA-256 of their framing below, in hex.
// So it needs no new column and no writer's cooperation, is the same on every node, and
// cannot be made to match other content short of a SHA-256 collision. Content that comes
// back (A, then B, then A again) has its version back: a write conditional on A's version
// then replaces content equal to what its writer read.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cellupsert::core {

// The version of every cell that does not exist: "create it only if nobody did meanwhile".
inline constexpr char kAbsentVersion[] = "absent";

// The fields of a version, in this order.
inline constexpr int kVersionFields = 4;  // value, status, reasoning, error

// What is hashed before each field's bytes: 0 for NULL (no bytes follow), else 1 and the
// length in 4 bytes, big-endian. Fields framed so cannot run into each other: the framing of
// four fields decodes back to exactly them.
constexpr std::size_t kFrameBytes = 5;
void frame_field(bool is_null, std::uint32_t length, unsigned char (&frame)[kFrameBytes]) noexcept;

// The token: the first 16 bytes of the digest, as 32 lower-case hex digits and a NUL.
constexpr std::size_t kDigestBytes = 32;
constexpr std::size_t kVersionLength = 32;
void format_version(const unsigned char (&digest)[kDigestBytes], char (&out)[kVersionLength + 1]) noexcept;

}  // namespace cellupsert::core
