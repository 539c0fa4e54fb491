#include "http_headers.h"

#include <string_view>

#include "cell_checks.h"
#include "errors.h"

namespace cellupsert::pg {
namespace {

constexpr char kRequestHeaders[] = "request.headers";
constexpr char kResponseHeaders[] = "response.headers";

const char *setting(const char *name) {
    const char *value = GetConfigOption(name, true, false);
    return value == nullptr || value[0] == '\0' ? nullptr : value;
}

// The If-Match header's value, or nullptr.
const char *if_match_header() {
    const char *headers = setting(kRequestHeaders);
    // Most requests have none: no JSON parsed for them.
    if (headers == nullptr || strstr(headers, "\"if-match\"") == nullptr) return nullptr;
    Jsonb *object = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(headers)));
    if (!JB_ROOT_IS_OBJECT(object)) return nullptr;
    JsonbValue buffer;
    const JsonbValue *value = getKeyJsonValueFromContainer(&object->root, "if-match", 8, &buffer);
    if (value == nullptr || value->type != jbvString) return nullptr;
    return pnstrdup(value->val.string.val, value->val.string.len);
}

}  // namespace

const char *if_match_with_header(const char *argument) {
    const char *header = if_match_header();
    if (header == nullptr) return argument;
    std::string_view tag(header);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    // One strong entity tag: "<version>". Not W/"…" (If-Match compares strongly), not *, not a list.
    if (tag.size() < 2 || tag.front() != '"' || tag.back() != '"') raise_invalid_if_match_header(header);
    const char *version = pnstrdup(tag.data() + 1, tag.size() - 2);
    if (!is_version(version)) raise_invalid_if_match_header(header);
    if (argument != nullptr && strcmp(argument, version) != 0) raise_if_match_disagrees(argument, header);
    return version;
}

void refuse_if_match_header(const char *function) {
    if (if_match_header() != nullptr) raise_if_match_header_refused(function);
}

bool in_http_request() { return setting(kRequestHeaders) != nullptr; }

namespace {

// Whether element i of the headers array is an object with an ETag (as set_etag sets it).
bool is_etag(Jsonb *headers, uint32 i) {
    JsonbValue *element = getIthJsonbValueFromContainer(&headers->root, i);
    if (element == nullptr || element->type != jbvBinary || !JsonContainerIsObject(element->val.binary.data))
        return false;
    JsonbValue buffer;
    return getKeyJsonValueFromContainer(element->val.binary.data, "ETag", 4, &buffer) != nullptr;
}

}  // namespace

void set_etag(const char *version) {
    const char *tag = psprintf("[{\"ETag\": \"\\\"%s\\\"\"}]", version);
    const char *existing = setting(kResponseHeaders);
    Datum headers = DirectFunctionCall1(jsonb_in, CStringGetDatum(tag));
    if (existing != nullptr) {
        const Datum before = DirectFunctionCall1(jsonb_in, CStringGetDatum(existing));
        // Headers the application set stay; anything but an array of them is left alone. An
        // ETag of an earlier write in the transaction is replaced: a response has one.
        Datum kept = before;
        Jsonb *array = DatumGetJsonbP(before);
        if (!JB_ROOT_IS_ARRAY(array) || JB_ROOT_IS_SCALAR(array)) return;
        for (int i = static_cast<int>(JB_ROOT_COUNT(array)) - 1; i >= 0; --i)
            if (is_etag(array, static_cast<uint32>(i)))
                kept = DirectFunctionCall2(jsonb_delete_idx, kept, Int32GetDatum(i));
        headers = DirectFunctionCall2(jsonb_concat, kept, headers);
    }
    (void)set_config_option(kResponseHeaders, DatumGetCString(DirectFunctionCall1(jsonb_out, headers)), PGC_USERSET,
                            PGC_S_SESSION, GUC_ACTION_LOCAL, true, 0, false);
}

}  // namespace cellupsert::pg
