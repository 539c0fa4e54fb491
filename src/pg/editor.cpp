#include "editor.h"

namespace cellupsert::pg {
namespace {

// The JWT's subject, read as the example policy set's request_user_id() reads it (the rule:
// docs/postgrest.md, "Who the user is"): PostgREST's request.jwt.claims ->> 'sub' (a string's
// value, any other JSON value's jsonb text), else PostGraphile v4's jwt.claims.sub unless
// empty; (Datum)0 when neither has one.
Datum jwt_subject() {
    const char *claims = GetConfigOption("request.jwt.claims", true, false);
    if (claims != nullptr && claims[0] != '\0') {
        Jsonb *jwt = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(claims)));
        JsonbValue buffer;
        const JsonbValue *sub =
            JB_ROOT_IS_OBJECT(jwt) ? getKeyJsonValueFromContainer(&jwt->root, "sub", 3, &buffer) : nullptr;
        if (sub != nullptr && sub->type == jbvString)
            return PointerGetDatum(cstring_to_text_with_len(sub->val.string.val, sub->val.string.len));
        if (sub != nullptr && sub->type == jbvBinary)  // an object or an array
            return CStringGetTextDatum(JsonbToCString(nullptr, sub->val.binary.data, sub->val.binary.len));
        if (sub != nullptr && sub->type != jbvNull) {  // a number or a boolean
            Jsonb *scalar = JsonbValueToJsonb(const_cast<JsonbValue *>(sub));
            return CStringGetTextDatum(JsonbToCString(nullptr, &scalar->root, VARSIZE(scalar)));
        }
    }
    const char *subject = GetConfigOption("jwt.claims.sub", true, false);
    if (subject != nullptr && subject[0] != '\0') return CStringGetTextDatum(subject);
    return (Datum)0;
}

}  // namespace

void bind_editor(bool record_provenance, Datum &value, char &null) {
    if (!record_provenance) {
        value = (Datum)0;
        null = 'n';
        return;
    }
    value = editor_name();
    null = ' ';
}

Datum editor_name() {
    const Datum subject = jwt_subject();
    return subject != (Datum)0 ? subject : CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
}

}  // namespace cellupsert::pg
