#include "cell_version.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

using namespace cellupsert::core;

namespace {

std::string frame(bool is_null, std::uint32_t length) {
    unsigned char f[kFrameBytes];
    frame_field(is_null, length, f);
    return std::string(reinterpret_cast<char *>(f), kFrameBytes);
}

// The bytes hashed for fields (nullptr: NULL).
std::string framed(std::initializer_list<const char *> fields) {
    std::string bytes;
    for (const char *field : fields) {
        bytes += frame(field == nullptr, field == nullptr ? 0 : static_cast<std::uint32_t>(std::strlen(field)));
        if (field != nullptr) bytes += field;
    }
    return bytes;
}

}  // namespace

TEST(CellVersion, FramesTellNullFromEmptyAndLengthsApart) {
    EXPECT_EQ(frame(true, 0), std::string("\0\0\0\0\0", 5));
    EXPECT_EQ(frame(false, 0), std::string("\1\0\0\0\0", 5));
    EXPECT_EQ(frame(false, 0x01020304), std::string("\1\1\2\3\4", 5));
    // Content moved from one field to the next, NULL against empty: other bytes.
    EXPECT_NE(framed({"a", "bc", nullptr, nullptr}), framed({"ab", "c", nullptr, nullptr}));
    EXPECT_NE(framed({nullptr, "complete", nullptr, nullptr}), framed({"", "complete", nullptr, nullptr}));
    EXPECT_NE(framed({"x", nullptr, "y", nullptr}), framed({"x", nullptr, nullptr, "y"}));
}

TEST(CellVersion, TheTokenIsHalfTheDigestInHex) {
    unsigned char digest[kDigestBytes];
    for (std::size_t i = 0; i < kDigestBytes; ++i) digest[i] = static_cast<unsigned char>(i * 17);
    char out[kVersionLength + 1];
    format_version(digest, out);
    EXPECT_STREQ(out, "00112233445566778899aabbccddeeff");
    EXPECT_EQ(std::strlen(kAbsentVersion), 6u);  // never 32 hex digits
}
