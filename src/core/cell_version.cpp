#include "cell_version.h"

namespace cellupsert::core {

void frame_field(bool is_null, std::uint32_t length, unsigned char (&frame)[kFrameBytes]) noexcept {
    frame[0] = is_null ? 0 : 1;
    for (int i = 0; i < 4; ++i) frame[1 + i] = is_null ? 0 : static_cast<unsigned char>(length >> (24 - 8 * i));
}

void format_version(const unsigned char (&digest)[kDigestBytes], char (&out)[kVersionLength + 1]) noexcept {
    constexpr char kHex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < kVersionLength / 2; ++i) {
        out[2 * i] = kHex[digest[i] >> 4];
        out[2 * i + 1] = kHex[digest[i] & 0x0f];
    }
    out[kVersionLength] = '\0';
}

}  // namespace cellupsert::core
