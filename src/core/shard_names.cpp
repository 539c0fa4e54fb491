#include "shard_names.h"

#include <cstring>
#include <string_view>

namespace cellupsert::core {
namespace {

// The "_<digits>" suffixes of shards found in a text (a few tables per error at most).
struct Suffixes {
    static constexpr int kMax = 8;
    static constexpr std::size_t kMaxLength = 24;
    char text[kMax][kMaxLength];
    std::size_t length[kMax];
    int count = 0;

    void add(std::string_view suffix) {
        if (suffix.size() >= kMaxLength) return;
        for (int i = 0; i < count; ++i)
            if (std::string_view(text[i], length[i]) == suffix) return;
        if (count == kMax) return;
        std::memcpy(text[count], suffix.data(), suffix.size());
        length[count++] = suffix.size();
    }
    // The length of the suffix name ends with (leaving a name before it), or 0.
    std::size_t in(std::string_view name) const {
        for (int i = 0; i < count; ++i) {
            const std::string_view suffix(text[i], length[i]);
            if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) return suffix.size();
        }
        return 0;
    }
};

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// When name is one of tables followed by "_<digits>", adds "_<digits>" to found.
void find_shard(std::string_view name, const char *const *tables, int table_count, Suffixes &found) {
    for (int t = 0; t < table_count; ++t) {
        const std::string_view table(tables[t]);
        if (name.size() > table.size() + 1 && name.substr(0, table.size()) == table && name[table.size()] == '_' &&
            all_digits(name.substr(table.size() + 1)))
            found.add(name.substr(table.size()));
    }
}

// Calls f(name, offset) for each double-quoted name of text (without its quotes).
template <typename F>
void each_quoted(std::string_view text, F f) {
    for (std::size_t open = text.find('"'); open != std::string_view::npos;) {
        const std::size_t close = text.find('"', open + 1);
        if (close == std::string_view::npos) return;
        f(text.substr(open + 1, close - open - 1), open + 1);
        open = text.find('"', close + 1);
    }
}

void find_shards(std::string_view text, const char *const *tables, int table_count, Suffixes &found) {
    each_quoted(text, [&](std::string_view name, std::size_t) {
        find_shard(name, tables, table_count, found);
    });
}

}  // namespace

bool strip_shard_suffixes(char *text, const char *const *tables, int table_count) noexcept {
    Suffixes found;
    find_shards(text, tables, table_count, found);
    if (found.count == 0) return false;
    // Copies text onto itself, leaving out each quoted name's suffix (the text only shrinks).
    const std::size_t length = std::strlen(text);
    std::size_t from = 0, to = 0;
    each_quoted(std::string_view(text, length), [&](std::string_view name, std::size_t at) {
        const std::size_t cut = found.in(name);
        if (cut == 0) return;
        const std::size_t keep_end = at + name.size() - cut;
        std::memmove(text + to, text + from, keep_end - from);
        to += keep_end - from;
        from = at + name.size();
    });
    std::memmove(text + to, text + from, length - from + 1);
    return true;
}

bool strip_shard_suffix(char *name, const char *reference, const char *const *tables, int table_count) noexcept {
    Suffixes found;
    if (reference != nullptr) find_shards(reference, tables, table_count, found);
    find_shard(name, tables, table_count, found);
    const std::size_t length = std::strlen(name);
    const std::size_t cut = found.in(std::string_view(name, length));
    if (cut == 0) return false;
    name[length - cut] = '\0';
    return true;
}

}  // namespace cellupsert::core
