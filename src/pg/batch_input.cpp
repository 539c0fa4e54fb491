#include "batch_input.h"

#include <string_view>

#include "../core/list_tables_contract.h"
#include "cell_checks.h"
#include "errors.h"

namespace cellupsert::pg {
namespace {

// The keys of an element, per kind of batch; the first three are both kinds'.
constexpr const char *kManualEditKeys[] = {"row", "col", "val", "if_match", nullptr};
constexpr const char *kEnrichmentKeys[] = {"row", "col", "val", "status", "reasoning", "error", nullptr};
constexpr const char *kReleaseKeys[] = {"row", "col", nullptr};

const char *const *keys_of(BatchKind kind) {
    switch (kind) {
        case BatchKind::manual_edit: return kManualEditKeys;
        case BatchKind::enrichment: return kEnrichmentKeys;
        case BatchKind::release: return kReleaseKeys;
    }
    return kManualEditKeys;
}

const JsonbValue *find_key(JsonbContainer *object, const char *key, JsonbValue *buffer) {
    return getKeyJsonValueFromContainer(object, key, strlen(key), buffer);
}

std::string_view string_of(const JsonbValue *value) {
    return std::string_view(value->val.string.val, value->val.string.len);
}

// The element being read, and what to do before raising its error.
struct Reader {
    BatchInput &input;
    const EarlierRefusals &earlier;
    int element;
};

// Before the error of an element: the error of the first earlier element that the checks
// refuse, if any (the batch's error names its first refused element in input order).
void raise_earlier_refusal(const Reader &reader) {
    if (reader.element == 0 || reader.earlier.raise == nullptr) return;
    BatchInput before = reader.input;
    before.count = reader.element;
    reader.earlier.raise(before, reader.earlier.arg);
}

void read_id(const Reader &reader, const JsonbValue *value, const char *key, core::IdBytes &id) {
    const int element = reader.element;
    if (value == nullptr || value->type == jbvNull) {
        raise_earlier_refusal(reader);
        raise_null_argument(key, element);
    }
    if (value->type != jbvString) {
        raise_earlier_refusal(reader);
        raise_not_a_string(element, key);
    }
    if (!core::parse_id_text(string_of(value), id)) {
        raise_earlier_refusal(reader);
        raise_malformed_id(element, string_of(value));
    }
    const core::IdVerdict verdict = core::check_id(id);
    if (verdict != core::IdVerdict::accepted) {
        raise_earlier_refusal(reader);
        raise_invalid_id(key, id, verdict, element);
    }
}

// The text a val is stored as, or nullptr for NULL. As in cell_upsert, null, omitted and ""
// are NULL. Any other JSON value is stored as its JSON text, as PostgREST passes one to
// cell_upsert's text argument; this text is jsonb's, normalised (see the README).
text *value_text(const JsonbValue *val) {
    if (val == nullptr || val->type == jbvNull) return nullptr;
    if (val->type == jbvString)
        return val->val.string.len == 0 ? nullptr : cstring_to_text_with_len(val->val.string.val, val->val.string.len);
    if (val->type == jbvBinary)  // an object or an array
        return cstring_to_text(JsonbToCString(nullptr, val->val.binary.data, val->val.binary.len));
    Jsonb *scalar = JsonbValueToJsonb(const_cast<JsonbValue *>(val));  // a number or a boolean
    return cstring_to_text(JsonbToCString(nullptr, &scalar->root, VARSIZE(scalar)));
}

[[noreturn]] void raise_first_unknown_key(const Reader &reader, JsonbContainer *object, BatchKind kind) {
    const int element = reader.element;
    raise_earlier_refusal(reader);
    JsonbIterator *it = JsonbIteratorInit(object);
    JsonbValue token_value;
    for (JsonbIteratorToken token; (token = JsonbIteratorNext(&it, &token_value, true)) != WJB_DONE;) {
        if (token != WJB_KEY) continue;
        const std::string_view key = string_of(&token_value);
        bool known = false;
        for (const char *const *name = keys_of(kind); *name; ++name) known |= key == *name;
        if (!known) raise_unknown_key(element, key, kind);
    }
    elog(ERROR, "cells[%d]: no unknown key found", element);
}

// An element's if_match: nullptr for none (or null), else a version.
const char *if_match_of(const Reader &reader, const JsonbValue *value) {
    if (value == nullptr || value->type == jbvNull) return nullptr;
    if (value->type != jbvString) {
        raise_earlier_refusal(reader);
        raise_not_a_string(reader.element, "if_match");
    }
    const char *if_match = pnstrdup(value->val.string.val, value->val.string.len);
    if (!is_version(if_match)) {
        raise_earlier_refusal(reader);
        raise_invalid_if_match(if_match, reader.element);
    }
    return if_match;
}

// An enrichment's text field (key) of element i, value as found: omitted, null or "" is NULL
// (or fallback, a status), any other JSON string its text.
void read_text(const Reader &reader, const JsonbValue *value, const char *key, const char *fallback, TextField &field) {
    const int i = reader.element;
    if (value != nullptr && value->type != jbvNull && value->type != jbvString) {
        raise_earlier_refusal(reader);
        raise_not_a_string(i, key);
    }
    const bool empty = value == nullptr || value->type == jbvNull || value->val.string.len == 0;
    field.nulls[i] = empty && fallback == nullptr;
    field.values[i] = field.nulls[i] ? (Datum)0
                      : empty        ? CStringGetTextDatum(fallback)
                              : PointerGetDatum(cstring_to_text_with_len(value->val.string.val, value->val.string.len));
}

TextField text_field(int count) {
    return {static_cast<Datum *>(palloc(sizeof(Datum) * (count + 1))),
            static_cast<bool *>(palloc(sizeof(bool) * (count + 1)))};
}

}  // namespace

BatchInput read_batch_input(Jsonb *cells, BatchKind kind, const EarlierRefusals &earlier) {
    if (JB_ROOT_IS_SCALAR(cells) || !JB_ROOT_IS_ARRAY(cells)) raise_not_an_array();
    BatchInput input;
    input.count = JB_ROOT_COUNT(cells);
    input.keys = static_cast<core::CellKey *>(palloc(sizeof(core::CellKey) * input.count));
    input.values = static_cast<Datum *>(palloc(sizeof(Datum) * input.count));
    input.value_nulls = static_cast<bool *>(palloc(sizeof(bool) * input.count));
    input.if_match = nullptr;
    const bool enrichment = kind == BatchKind::enrichment;
    input.status = enrichment ? text_field(input.count) : TextField{nullptr, nullptr};
    input.reasoning = enrichment ? text_field(input.count) : TextField{nullptr, nullptr};
    input.error = enrichment ? text_field(input.count) : TextField{nullptr, nullptr};

    // Elements in order; objects come back as binary containers (skipNested), read by key.
    JsonbIterator *it = JsonbIteratorInit(&cells->root);
    JsonbValue element;
    int i = 0;
    for (JsonbIteratorToken token; (token = JsonbIteratorNext(&it, &element, true)) != WJB_DONE;) {
        if (token != WJB_ELEM) continue;
        const Reader reader{input, earlier, i};
        if (element.type != jbvBinary || !JsonContainerIsObject(element.val.binary.data)) {
            raise_earlier_refusal(reader);
            raise_not_an_object(i);
        }
        JsonbContainer *object = element.val.binary.data;
        JsonbValue row_buffer, col_buffer, val_buffer, if_match_buffer, status_buffer, reasoning_buffer, error_buffer;
        const JsonbValue *row = find_key(object, "row", &row_buffer);
        const JsonbValue *col = find_key(object, "col", &col_buffer);
        const JsonbValue *val = kind == BatchKind::release ? nullptr : find_key(object, "val", &val_buffer);
        const JsonbValue *if_match =
            kind == BatchKind::manual_edit ? find_key(object, "if_match", &if_match_buffer) : nullptr;
        const JsonbValue *status = enrichment ? find_key(object, "status", &status_buffer) : nullptr;
        const JsonbValue *reasoning = enrichment ? find_key(object, "reasoning", &reasoning_buffer) : nullptr;
        const JsonbValue *error = enrichment ? find_key(object, "error", &error_buffer) : nullptr;
        const int known = (row != nullptr) + (col != nullptr) + (val != nullptr) + (if_match != nullptr) +
                          (status != nullptr) + (reasoning != nullptr) + (error != nullptr);
        if (static_cast<int>(JsonContainerSize(object)) != known) raise_first_unknown_key(reader, object, kind);

        read_id(reader, row, "row", input.keys[i].row);
        read_id(reader, col, "col", input.keys[i].column);
        text *value = value_text(val);
        input.value_nulls[i] = value == nullptr;
        input.values[i] = PointerGetDatum(value);
        if (enrichment) {
            read_text(reader, status, "status", core::kCompleteStatus, input.status);
            read_text(reader, reasoning, "reasoning", nullptr, input.reasoning);
            read_text(reader, error, "error", nullptr, input.error);
        }
        const char *version = if_match_of(reader, if_match);
        if (version != nullptr && input.if_match == nullptr)
            input.if_match = static_cast<const char **>(palloc0(sizeof(const char *) * input.count));
        if (input.if_match != nullptr) input.if_match[i] = version;
        ++i;
    }
    return input;
}

}  // namespace cellupsert::pg
