#include "cell_checks.h"

#include "../core/list_tables_contract.h"
#include "errors.h"

namespace cellupsert::pg {
namespace {

const IdBytes &id_bytes(Datum id) { return DatumGetUUIDP(id)->data; }

}  // namespace

Datum id_argument(FunctionCallInfo fcinfo, int i, const char *parameter) {
    if (PG_ARGISNULL(i)) raise_null_argument(parameter);
    const pg_uuid_t *id = PG_GETARG_UUID_P(i);
    const core::IdVerdict verdict = core::check_id(id->data);
    if (verdict != core::IdVerdict::accepted) raise_invalid_id(parameter, id->data, verdict);
    return PG_GETARG_DATUM(i);
}

bool is_version(const char *text) {
    if (strcmp(text, core::kAbsentVersion) == 0) return true;
    if (strlen(text) != core::kVersionLength) return false;
    for (const char *c = text; *c; ++c)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'))) return false;
    return true;
}

const char *if_match_argument(FunctionCallInfo fcinfo, int i) {
    if (PG_NARGS() <= i || PG_ARGISNULL(i)) return nullptr;
    const char *if_match = text_to_cstring(PG_GETARG_TEXT_PP(i));
    if (!is_version(if_match)) raise_invalid_if_match(if_match);
    return if_match;
}

void raise_if_stale(Datum list, Datum row, Datum col, const char *current, const char *if_match) {
    if (current == nullptr) current = core::kAbsentVersion;
    if (strcmp(current, if_match) != 0)
        raise_version_mismatch(id_bytes(list), id_bytes(row), id_bytes(col), current, if_match);
}

void copy_version(Datum value, bool is_null, Version &version) {
    if (is_null) {
        strlcpy(version, core::kAbsentVersion, sizeof version);
        return;
    }
    text_to_cstring_buffer(DatumGetTextPP(value), version, sizeof version);
}

bool refused(const Findings &f) {
    return !f.list_found || f.subject == nullptr || strcmp(f.subject, core::kCompanySubject) != 0 || !f.row_found;
}

void raise_first_failure(const Findings &f, Datum list, Datum row, Datum col, int element) {
    if (!f.list_found) raise_list_not_found(id_bytes(list));
    if (f.subject == nullptr) raise_column_not_found(id_bytes(list), id_bytes(col), element);
    if (strcmp(f.subject, core::kCompanySubject) != 0) raise_not_company_column(id_bytes(col), f.subject, element);
    if (!f.row_found) raise_row_not_found(id_bytes(list), id_bytes(row), element);
}

}  // namespace cellupsert::pg
