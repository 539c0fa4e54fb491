#include "errors.h"

namespace cellupsert::pg {
namespace {

// Text form of an id, for messages.
struct IdText {
    char text[core::kIdTextLength + 1];
    explicit IdText(const IdBytes &id) { core::format_id(id, text); }
};

// Not found and hidden by row-level security read the same.
#define NOT_VISIBLE_DETAIL "It does not exist or is not visible to the current role."
#define LIST_TABLES_DETAIL "cellupsert works on the list tables of the schema it is installed in."
#define LIST_TABLES_HINT                                                                  \
    "Run cellupsert_list_tables.sql, installed in the extension directory of "           \
    "\"pg_config --sharedir\", with search_path set to \"%s\"."

}  // namespace

void raise_internal(const char *function_name, const char *what) {
    ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                    errmsg("%s failed: %s", function_name, what)));
}

void raise_null_argument(const char *parameter) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                    errmsg("parameter \"%s\" must not be null", parameter)));
}

void raise_invalid_id(const char *parameter, const IdBytes &id, core::IdVerdict verdict) {
    const IdText text(id);
    const bool bad_version = verdict == core::IdVerdict::bad_version;
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("invalid id for parameter \"%s\": %s", parameter, text.text),
             errdetail("Its %s digit is \"%c\".", bad_version ? "version" : "variant",
                       bad_version ? core::version_digit(id) : core::variant_digit(id)),
             errhint("Ids are UUIDs with a version digit from 1 to 8 and a variant digit of "
                     "8, 9, a or b, or the nil or max UUID.")));
}

void raise_list_not_found(const IdBytes &list) {
    const IdText list_text(list);
    ereport(ERROR, (errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
                    errmsg("list %s does not exist", list_text.text),
                    errdetail(NOT_VISIBLE_DETAIL)));
}

void raise_column_not_found(const IdBytes &list, const IdBytes &column) {
    const IdText list_text(list), column_text(column);
    ereport(ERROR, (errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
                    errmsg("column %s does not exist in list %s", column_text.text, list_text.text),
                    errdetail(NOT_VISIBLE_DETAIL),
                    errhint("Take column ids from the list's own columns.")));
}

void raise_not_company_column(const IdBytes &column, const char *subject) {
    const IdText column_text(column);
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("column %s is not a company column", column_text.text),
                    errdetail("Its subject is \"%s\"; cell_upsert writes company cells only.",
                              subject)));
}

void raise_row_not_found(const IdBytes &list, const IdBytes &row) {
    const IdText list_text(list), row_text(row);
    ereport(ERROR, (errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
                    errmsg("row %s does not exist in list %s", row_text.text, list_text.text),
                    errdetail(NOT_VISIBLE_DETAIL),
                    errhint("Take row ids from the list's own company rows.")));
}

void raise_concurrent_change(const IdBytes &list) {
    const IdText list_text(list);
    ereport(ERROR, (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
                    errmsg("list %s changed while the cell was written", list_text.text),
                    errhint("Retry the call.")));
}

void raise_missing_table(const char *schema, const char *table) {
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                    errmsg("relation \"%s.%s\" does not exist", schema, table),
                    errdetail(LIST_TABLES_DETAIL), errhint(LIST_TABLES_HINT, schema)));
}

void raise_missing_column(const char *schema, const char *table, const char *column) {
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                    errmsg("column \"%s\" of relation \"%s.%s\" does not exist", column, schema,
                           table),
                    errdetail(LIST_TABLES_DETAIL), errhint(LIST_TABLES_HINT, schema)));
}

}  // namespace cellupsert::pg
