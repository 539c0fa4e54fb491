#include "id_rules.h"

#include <uuid/uuid.h>

namespace cellupsert::core {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

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
    // libuuid checks the hyphen positions and the hex digits; the length check is ours so
    // that no input ever reads past the view.
    if (text.size() != kIdTextLength) return false;
    return uuid_parse_range(text.data(), text.data() + text.size(), out) == 0;
}

}  // namespace cellupsert::core
