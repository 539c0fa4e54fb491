// libFuzzer target for the pure C++ id rules (src/core/id_rules.h), built with ASan and
// UBSan by test/scripts/fuzz_ids.sh. Every input is used twice:
//  - as text: parse_id_text must agree with a plain reference parser, and a parsed id must
//    format back to the input in lower case, with check_id and the digit helpers agreeing
//    with a reference verdict read from that text;
//  - as 16 raw bytes (its first 16): format_id must agree with printf, and the text must
//    parse back, in either case, to the same bytes.
// The input is copied to the end of a page followed by an inaccessible one, so that a read
// past its end faults even inside libuuid (format_id), which the sanitizers do not instrument.
#include "id_rules.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace core = cellupsert::core;

namespace {

constexpr std::size_t kMaxInput = 64 * 1024;

[[noreturn]] void fail(const char *property, std::string_view input) {
    std::fprintf(stderr, "property violated: %s (input of %zu bytes)\n", property, input.size());
    std::abort();
}

// A copy of the input whose last byte is the last readable byte before a PROT_NONE page.
std::string_view guarded_copy(const std::uint8_t *data, std::size_t size) {
    static char *region = nullptr;
    static std::size_t readable = 0;
    if (region == nullptr) {
        const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
        readable = (kMaxInput + page - 1) / page * page;
        void *map = mmap(nullptr, readable + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (map == MAP_FAILED || mprotect(static_cast<char *>(map) + readable, page, PROT_NONE) != 0) std::abort();
        region = static_cast<char *>(map);
    }
    char *start = region + readable - size;
    std::memcpy(start, data, size);
    return {start, size};
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_hyphen_position(std::size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

// The canonical form, 8-4-4-4-12 hex digits in either case, and nothing else.
bool reference_parse(std::string_view text, core::IdBytes &out) {
    if (text.size() != core::kIdTextLength) return false;
    std::size_t byte = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (is_hyphen_position(i)) {
            if (text[i] != '-') return false;
            continue;
        }
        const int high = hex_value(text[i]);
        if (high < 0 || i + 1 >= text.size() || is_hyphen_position(i + 1)) return false;
        const int low = hex_value(text[++i]);
        if (low < 0) return false;
        out[byte++] = static_cast<unsigned char>(high << 4 | low);
    }
    return byte == core::kIdBytes;
}

std::string reference_format(const core::IdBytes &id) {
    char text[64];
    std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", id[0],
                  id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8], id[9], id[10], id[11], id[12], id[13], id[14],
                  id[15]);
    return text;
}

// The endpoint's rule read from the lower-case text form: version digit 1-8 and variant
// digit 8, 9, a or b, or the nil or max UUID.
core::IdVerdict reference_verdict(const std::string &text) {
    if (text == "00000000-0000-0000-0000-000000000000" || text == "ffffffff-ffff-ffff-ffff-ffffffffffff")
        return core::IdVerdict::accepted;
    if (text[14] < '1' || text[14] > '8') return core::IdVerdict::bad_version;
    if (std::string_view("89ab").find(text[19]) == std::string_view::npos) return core::IdVerdict::bad_variant;
    return core::IdVerdict::accepted;
}

// format_id, check_id and the digit helpers on an id, against the references.
void check_bytes(const core::IdBytes &id, std::string_view input) {
    const std::string expected = reference_format(id);
    char text[core::kIdTextLength + 1];
    std::memset(text, 'x', sizeof text);
    core::format_id(id, text);
    if (text[core::kIdTextLength] != '\0' || expected != text) fail("format_id == printf", input);
    if (core::check_id(id) != reference_verdict(expected)) fail("check_id == reference", input);
    if (core::version_digit(id) != expected[14]) fail("version_digit", input);
    if (core::variant_digit(id) != expected[19]) fail("variant_digit", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size > kMaxInput) return 0;
    const std::string_view input = guarded_copy(data, size);

    // The input as text.
    core::IdBytes parsed, expected;
    std::memset(parsed, 0, sizeof parsed);
    const bool ok = core::parse_id_text(input, parsed);
    if (ok != reference_parse(input, expected)) fail("parse_id_text == reference", input);
    if (ok) {
        if (std::memcmp(parsed, expected, sizeof parsed) != 0) fail("parsed bytes", input);
        std::string lower(input);
        for (char &c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        char formatted[core::kIdTextLength + 1];
        core::format_id(parsed, formatted);
        if (lower != formatted) fail("parse then format == lower-cased input", input);
        check_bytes(parsed, input);
    }

    // The input as raw bytes.
    if (size >= core::kIdBytes) {
        core::IdBytes id;
        std::memcpy(id, data, sizeof id);
        check_bytes(id, input);
        std::string text = reference_format(id);
        for (int upper = 0; upper < 2; ++upper) {
            core::IdBytes back;
            if (!core::parse_id_text(text, back) || std::memcmp(back, id, sizeof id) != 0)
                fail("format then parse == bytes", input);
            for (char &c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    return 0;
}
