// The id rules of the cell endpoint, in plain C++ (no PostgreSQL header).
//
// An id is accepted when it matches the endpoint's UUID pattern:
//   xxxxxxxx-xxxx-Vxxx-Rxxx-xxxxxxxxxxxx with version V in 1..8 and variant R in 8,9,a,b,
//   or the nil UUID (all zero), or the max UUID (all ff).
#pragma once

#include <cstddef>
#include <string_view>

namespace cellupsert::core {

constexpr std::size_t kIdBytes = 16;
using IdBytes = unsigned char[kIdBytes];

enum class IdVerdict {
    accepted,
    bad_version,  // version nibble outside 1..8
    bad_variant,  // variant bits are not 10xx (8, 9, a, b)
};

// Checks 16 raw UUID bytes against the pattern.
IdVerdict check_id(const IdBytes &id) noexcept;

// The same pattern as a regular expression on the lower-case text form, for SQL (a POSIX
// regular expression as PostgreSQL's ~ reads it, and an ECMAScript one: the unit tests check
// it against check_id).
extern const char kIdPatternRegex[];

// The version digit (high nibble of byte 6) and the variant digit (high nibble of byte 8),
// as lower-case hex characters, for error details.
char version_digit(const IdBytes &id) noexcept;
char variant_digit(const IdBytes &id) noexcept;

// Writes the canonical lower-case text form and a terminating NUL.
constexpr std::size_t kIdTextLength = 36;
void format_id(const IdBytes &id, char (&out)[kIdTextLength + 1]) noexcept;

// Parses the canonical 36-character text form (8-4-4-4-12 hex digits, either case) into
// bytes. Returns false for anything else: braces, missing hyphens, whitespace, other lengths.
// It does not apply check_id: parsing and the pattern rule are separate steps.
bool parse_id_text(std::string_view text, IdBytes &out) noexcept;

}  // namespace cellupsert::core
