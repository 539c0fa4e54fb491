#include "id_rules.h"

#include <uuid/uuid.h>

#include <array>

namespace cellupsert::core {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// The value of each byte as a hex digit of either case, or -1.
constexpr std::array<signed char, 256> kHexValues = [] {
    std::array<signed char, 256> values{};
    for (int c = 0; c < 256; ++c)
        values[c] = c >= '0' && c <= '9'   ? static_cast<signed char>(c - '0')
                    : c >= 'a' && c <= 'f' ? static_cast<signed char>(c - 'a' + 10)
                    : c >= 'A' && c <= 'F' ? static_cast<signed char>(c - 'A' + 10)
                                           : -1;
    return values;
}();

int hex_value(char c) noexcept { return kHexValues[static_cast<unsigned char>(c)]; }

bool all_bytes_are(const IdBytes &id, unsigned char value) noexcept {
    for (unsigned char b : id)
        if (b != value) return false;
    return true;
}

}  // namespace

const char kIdPatternRegex[] =
    "^([0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    "|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$";

IdVerdict check_id(const IdBytes &id) noexcept {
    if (all_bytes_are(id, 0x00) || all_bytes_are(id, 0xff)) return IdVerdict::accepted;
    const unsigned version = id[6] >> 4;
    if (version < 1 || version > 8) return IdVerdict::bad_version;
    if ((id[8] & 0xc0) != 0x80) return IdVerdict::bad_variant;
    return IdVerdict::accepted;
}

char version_digit(const IdBytes &id) noexcept { return kHexDigits[id[6] >> 4]; }

char variant_digit(const IdBytes &id) noexcept { return kHexDigits[id[8] >> 4]; }

void format_id(const IdBytes &id, char (&out)[kIdTextLength + 1]) noexcept { uuid_unparse_lower(id, out); }

bool parse_id_text(std::string_view text, IdBytes &out) noexcept {
    // Ours, not libuuid's uuid_parse_range, which costs some 2,000 instructions an id (its
    // locale-aware ctype and strtoul calls): a batch parses two ids per cell. The fuzz
    // target (test/fuzz/id_rules_fuzz.cpp) checks it against a reference parser.
    if (text.size() != kIdTextLength) return false;
    std::size_t at = 0;
    for (unsigned char &byte : out) {
        if (at == 8 || at == 13 || at == 18 || at == 23) {
            if (text[at] != '-') return false;
            ++at;
        }
        const int high = hex_value(text[at]), low = hex_value(text[at + 1]);
        if (high < 0 || low < 0) return false;
        byte = static_cast<unsigned char>(high << 4 | low);
        at += 2;
    }
    return true;
}

}  // namespace cellupsert::core
