#include "editor.h"

namespace cellupsert::pg {
namespace {

// The "sub" claim as text, or (Datum)0 when the claims are unset, empty or have no string sub.
Datum jwt_subject() {
    const char *claims = GetConfigOption("request.jwt.claims", true, false);
    if (claims == nullptr || claims[0] == '\0') return (Datum)0;
    Jsonb *jwt = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(claims)));
    if (!JB_ROOT_IS_OBJECT(jwt)) return (Datum)0;
    JsonbValue buffer;
    const JsonbValue *sub = getKeyJsonValueFromContainer(&jwt->root, "sub", 3, &buffer);
    if (sub == nullptr || sub->type != jbvString) return (Datum)0;
    return PointerGetDatum(cstring_to_text_with_len(sub->val.string.val, sub->val.string.len));
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
