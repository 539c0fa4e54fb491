#include "id_rules.h"

#include <gtest/gtest.h>

#include <cstring>
#include <regex>
#include <string>

using cellupsert::core::check_id;
using cellupsert::core::format_id;
using cellupsert::core::IdBytes;
using cellupsert::core::IdVerdict;
using cellupsert::core::kIdTextLength;
using cellupsert::core::parse_id_text;
using cellupsert::core::variant_digit;
using cellupsert::core::version_digit;

namespace {

// A valid v4 id whose version and variant nibbles the tests then change.
void make_v4(IdBytes &id) {
    for (std::size_t i = 0; i < sizeof id; ++i) id[i] = static_cast<unsigned char>(0x11 * (i % 15) + 1);
    id[6] = 0x4a;
    id[8] = 0x9b;
}

void fill(IdBytes &id, unsigned char value) { std::memset(id, value, sizeof id); }

std::string formatted(const IdBytes &id) {
    char text[kIdTextLength + 1];
    format_id(id, text);
    return text;
}

}  // namespace

TEST(CheckId, AcceptsVersionsOneToEightOnly) {
    IdBytes id;
    make_v4(id);
    for (unsigned version = 0; version < 16; ++version) {
        id[6] = static_cast<unsigned char>(version << 4 | 0x0a);
        const IdVerdict expected = (version >= 1 && version <= 8) ? IdVerdict::accepted : IdVerdict::bad_version;
        EXPECT_EQ(check_id(id), expected) << "version " << version;
    }
}

TEST(CheckId, AcceptsVariantDigits89ABOnly) {
    IdBytes id;
    make_v4(id);
    for (unsigned variant = 0; variant < 16; ++variant) {
        id[8] = static_cast<unsigned char>(variant << 4 | 0x0b);
        const IdVerdict expected = (variant >= 8 && variant <= 0xb) ? IdVerdict::accepted : IdVerdict::bad_variant;
        EXPECT_EQ(check_id(id), expected) << "variant " << variant;
    }
}

TEST(CheckId, VersionIsCheckedBeforeVariant) {
    IdBytes id;
    make_v4(id);
    id[6] = 0x0a;
    id[8] = 0x0b;
    EXPECT_EQ(check_id(id), IdVerdict::bad_version);
}

TEST(CheckId, LowNibblesAndOtherBytesDoNotMatter) {
    IdBytes id;
    for (unsigned b = 0; b < 256; ++b) {
        make_v4(id);
        for (std::size_t i = 0; i < sizeof id; ++i)
            if (i != 6 && i != 8) id[i] = static_cast<unsigned char>(b);
        id[6] = static_cast<unsigned char>(0x40 | (b & 0x0f));
        id[8] = static_cast<unsigned char>(0x80 | (b & 0x3f));
        EXPECT_EQ(check_id(id), IdVerdict::accepted) << "byte " << b;
    }
}

TEST(CheckId, AcceptsNilAndMax) {
    IdBytes id;
    fill(id, 0x00);
    EXPECT_EQ(check_id(id), IdVerdict::accepted);
    fill(id, 0xff);
    EXPECT_EQ(check_id(id), IdVerdict::accepted);
}

TEST(CheckId, RejectsIdsOneBitAwayFromNilOrMax) {
    IdBytes id;
    for (std::size_t i = 0; i < sizeof id; ++i) {
        fill(id, 0x00);
        id[i] = 0x01;
        EXPECT_NE(check_id(id), IdVerdict::accepted) << "nil with byte " << i << " = 01";
        fill(id, 0xff);
        id[i] = 0xfe;
        EXPECT_NE(check_id(id), IdVerdict::accepted) << "max with byte " << i << " = fe";
    }
}

TEST(CheckId, DigitsForMessages) {
    IdBytes id;
    make_v4(id);
    id[6] = 0xc3;
    id[8] = 0x7f;
    EXPECT_EQ(version_digit(id), 'c');
    EXPECT_EQ(variant_digit(id), '7');
}

TEST(FormatId, CanonicalLowerCase) {
    IdBytes id;
    fill(id, 0xab);
    EXPECT_EQ(formatted(id), "abababab-abab-abab-abab-abababababab");
    fill(id, 0x00);
    EXPECT_EQ(formatted(id), "00000000-0000-0000-0000-000000000000");
}

TEST(ParseIdText, CanonicalFormInEitherCase) {
    IdBytes id;
    ASSERT_TRUE(parse_id_text("0a1B2c3D-4e5F-4a6b-9c7d-8E9fA0b1C2d3", id));
    EXPECT_EQ(formatted(id), "0a1b2c3d-4e5f-4a6b-9c7d-8e9fa0b1c2d3");
    ASSERT_TRUE(parse_id_text("ffffffff-ffff-ffff-ffff-ffffffffffff", id));
    EXPECT_EQ(check_id(id), IdVerdict::accepted);
}

TEST(ParseIdText, ParsingDoesNotApplyThePattern) {
    IdBytes id;
    ASSERT_TRUE(parse_id_text("12345678-1234-0234-c234-123456789abc", id));
    EXPECT_EQ(check_id(id), IdVerdict::bad_version);
}

TEST(ParseIdText, RejectsOtherForms) {
    const char *const rejected[] = {
        "",
        "0a1b2c3d4e5f4a6b9c7d8e9fa0b1c2d3",        // no hyphens (PostgreSQL accepts it)
        "{0a1b2c3d-4e5f-4a6b-9c7d-8e9fa0b1c2d3}",  // braces (PostgreSQL accepts them)
        " 0a1b2c3d-4e5f-4a6b-9c7d-8e9fa0b1c2d3",
        "0a1b2c3d-4e5f-4a6b-9c7d-8e9fa0b1c2d3 ",
        "0a1b2c3d-4e5f-4a6b-9c7d-8e9fa0b1c2d",    // 35 characters
        "0a1b2c3d-4e5f-4a6b-9c7d-8e9fa0b1c2d34",  // 37 characters
        "0a1b2c3d04e5f-4a6b-9c7d-8e9fa0b1c2d3",   // hyphen moved
        "0a1b2c3d-4e5f-4a6b-9c7d-8e9fa0b1c2g3",   // not hex
        "0a1b2c3d-4e5f-4a6b-9c7d+8e9fa0b1c2d3",
        "0a1b2c3d-4e5f-4a6b-9c7d-8e9fa0b1c2\xc3\xa9",
    };
    IdBytes id;
    for (const char *text : rejected) EXPECT_FALSE(parse_id_text(text, id)) << '"' << text << '"';
}

TEST(ParseIdText, RejectsEmbeddedNulAndReadsOnlyTheView) {
    IdBytes id;
    const std::string with_nul(
        "0a1b2c3d-4e5f-4a6b-9c7d-8e9fa0b1c2\0"
        "3",
        36);
    EXPECT_FALSE(parse_id_text(with_nul, id));
    // A valid id followed by more text: only the first 36 characters are in the view.
    const char longer[] = "0a1b2c3d-4e5f-4a6b-9c7d-8e9fa0b1c2d3-and-more";
    EXPECT_TRUE(parse_id_text(std::string_view(longer, 36), id));
    EXPECT_FALSE(parse_id_text(std::string_view(longer, 37), id));
}

// The regular expression of the rule (cellupsert_check() counts ids outside it in SQL) says
// what check_id says, for every version and variant digit, other bytes varied, and nil/max.
TEST(IdPatternRegex, AgreesWithCheckId) {
    const std::regex pattern(cellupsert::core::kIdPatternRegex);
    int checked = 0;
    for (unsigned version = 0; version < 16; ++version)
        for (unsigned variant = 0; variant < 16; ++variant)
            for (unsigned char fill : {0x00, 0x5a, 0xff}) {
                IdBytes id;
                std::memset(id, fill, sizeof id);
                id[6] = static_cast<unsigned char>(version << 4 | (fill & 0x0f));
                id[8] = static_cast<unsigned char>(variant << 4 | (fill & 0x0f));
                char text[kIdTextLength + 1];
                format_id(id, text);
                EXPECT_EQ(std::regex_match(text, pattern), check_id(id) == IdVerdict::accepted) << text;
                ++checked;
            }
    EXPECT_EQ(checked, 16 * 16 * 3);
    EXPECT_TRUE(std::regex_match("00000000-0000-0000-0000-000000000000", pattern));
    EXPECT_TRUE(std::regex_match("ffffffff-ffff-ffff-ffff-ffffffffffff", pattern));
    EXPECT_FALSE(std::regex_match("00000000-0000-0000-0000-00000000000", pattern));
}
