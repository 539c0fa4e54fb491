#include "errors.h"

#include "../core/cell_version.h"
#include "../core/list_tables_contract.h"
#include "../core/shard_names.h"
#include "history.h"

extern "C" {
#include "mb/pg_wchar.h"
#include "utils/plancache.h"
}

// Not found and hidden by row-level security read the same.
#define NOT_VISIBLE_DETAIL "It does not exist or is not visible to the current role."
#define ID_PATTERN_HINT                                                                    \
    "Ids are UUIDs with a version digit from 1 to 8 and a variant digit of 8, 9, a or b, " \
    "or the nil or max UUID."
#define BATCH_KEYS_HINT                                                                                    \
    "Each element is {\"row\": \"<uuid>\", \"col\": \"<uuid>\", \"val\": <any JSON value>}, and may have " \
    "\"if_match\": \"<version>\"."
#define ENRICHMENT_KEYS_HINT                                                                               \
    "Each element is {\"row\": \"<uuid>\", \"col\": \"<uuid>\", \"val\": <any JSON value>}, and may have " \
    "\"status\", \"reasoning\" and \"error\" (JSON strings)."
#define LIST_TABLES_DETAIL "cellupsert works on the list tables of the schema it is installed in."
#define LIST_TABLES_HINT                                                                \
    "See what is missing with SELECT * FROM \"%s\".cellupsert_check(); "                \
    "docs/adoption.md says how to create the list tables (cellupsert_list_tables.sql) " \
    "or adapt existing ones."

namespace cellupsert::pg {
namespace {

// Text form of an id, for messages.
struct IdText {
    char text[core::kIdTextLength + 1];
    explicit IdText(const IdBytes &id) { core::format_id(id, text); }
};

// "cells[N]: " for an element of a batch, "" otherwise.
const char *where(int element) { return element == kNoElement ? "" : psprintf("cells[%d]: ", element); }

// A JSON string (not NUL-terminated) for a message.
const char *quoted(std::string_view text) { return psprintf("\"%.*s\"", static_cast<int>(text.size()), text.data()); }

// A text from the caller, quoted (or as it is, for a header, whose quotes are its own), and
// cut after a little more than the length of a version (a bad paste may be long): at a
// character's end, with "..." when cut.
const char *shown_text(const char *text, bool quote = true) {
    const std::string_view view(text);
    const int limit = static_cast<int>(core::kVersionLength) + 8;
    const bool cut = view.size() > static_cast<std::size_t>(limit);
    const std::string_view shown =
        cut ? view.substr(0, pg_mbcliplen(text, static_cast<int>(view.size()), limit)) : view;
    const char *text_shown = quote ? quoted(shown) : psprintf("%.*s", static_cast<int>(shown.size()), shown.data());
    return cut ? psprintf("%s...", text_shown) : text_shown;
}

}  // namespace

void raise_internal(const char *function_name, const char *what) {
    ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("%s failed: %s", function_name, what)));
}

void raise_null_argument(const char *parameter, int element) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                    element == kNoElement ? errmsg("parameter \"%s\" must not be null", parameter)
                                          : errmsg("%s\"%s\" must not be null", where(element), parameter)));
}

void raise_invalid_id(const char *parameter, const IdBytes &id, core::IdVerdict verdict, int element) {
    const IdText text(id);
    const bool bad_version = verdict == core::IdVerdict::bad_version;
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    element == kNoElement ? errmsg("invalid id for parameter \"%s\": %s", parameter, text.text)
                                          : errmsg("%sinvalid id for \"%s\": %s", where(element), parameter, text.text),
                    errdetail("Its %s digit is \"%c\".", bad_version ? "version" : "variant",
                              bad_version ? core::version_digit(id) : core::variant_digit(id)),
                    errhint(ID_PATTERN_HINT)));
}

void raise_not_an_array() {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("parameter \"cells\" must be a JSON array"),
                    errhint(BATCH_KEYS_HINT)));
}

void raise_not_an_object(int element) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%selement must be a JSON object", where(element)),
                    errhint(BATCH_KEYS_HINT)));
}

void raise_unknown_key(int element, std::string_view key, BatchKind kind) {
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%sunknown key %s", where(element), quoted(key)),
             kind == BatchKind::enrichment ? errhint(ENRICHMENT_KEYS_HINT)
             : kind == BatchKind::release  ? errhint("Each element is {\"row\": \"<uuid>\", \"col\": \"<uuid>\"}.")
                                           : errhint(BATCH_KEYS_HINT)));
}

void raise_not_a_string(int element, const char *key) {
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s\"%s\" must be a JSON string", where(element), key)));
}

void raise_malformed_id(int element, std::string_view text) {
    // The SQLSTATE and message of PostgreSQL's own uuid input, as the single call gets them.
    ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                    errmsg("%sinvalid input syntax for type uuid: %s", where(element), quoted(text)),
                    errhint("Ids in a batch are written as 36 characters: 8-4-4-4-12 hex digits.")));
}

void raise_list_not_found(const IdBytes &list) {
    const IdText list_text(list);
    ereport(ERROR, (errcode(ERRCODE_FOREIGN_KEY_VIOLATION), errmsg("list %s does not exist", list_text.text),
                    errdetail(NOT_VISIBLE_DETAIL)));
}

void raise_column_not_found(const IdBytes &list, const IdBytes &column, int element) {
    const IdText list_text(list), column_text(column);
    ereport(ERROR, (errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
                    errmsg("%scolumn %s does not exist in list %s", where(element), column_text.text, list_text.text),
                    errdetail(NOT_VISIBLE_DETAIL), errhint("Take column ids from the list's own columns.")));
}

void raise_not_company_column(const IdBytes &column, const char *subject, int element) {
    const IdText column_text(column);
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("%scolumn %s is not a company column", where(element), column_text.text),
                    errdetail("Its subject is \"%s\"; cellupsert reads and writes company cells only.", subject)));
}

void raise_row_not_found(const IdBytes &list, const IdBytes &row, int element) {
    const IdText list_text(list), row_text(row);
    ereport(ERROR, (errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
                    errmsg("%srow %s does not exist in list %s", where(element), row_text.text, list_text.text),
                    errdetail(NOT_VISIBLE_DETAIL), errhint("Take row ids from the list's own company rows.")));
}

void raise_concurrent_change(const IdBytes &list) {
    const IdText list_text(list);
    ereport(ERROR, (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
                    errmsg("list %s changed during the write", list_text.text), errhint("Retry the call.")));
}

void raise_list_moved(const IdBytes &list) {
    const IdText list_text(list);
    ereport(ERROR,
            (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
             errmsg("list %s moved to another node during the transaction", list_text.text),
             errdetail("Its shards moved (Citus) while the call waited for them."), errhint("Retry the transaction.")));
}

void raise_list_not_here(const IdBytes &list) {
    const IdText list_text(list);
    ereport(ERROR,
            (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
             errmsg("list %s is not on the node that runs the call", list_text.text),
             errdetail("Its shards moved (Citus) since the call was sent there."), errhint("Retry the transaction.")));
}

void raise_invalid_if_match(const char *if_match, int element) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("%sinvalid if_match: %s", where(element), shown_text(if_match)),
                    errdetail("A cell's version is 32 lower-case hex digits, or \"%s\" for a cell that does not exist.",
                              core::kAbsentVersion),
                    errhint("Take it from cell_version(), as it is (without quotes).")));
}

void raise_invalid_if_match_header(const char *header) {
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("invalid If-Match header: %s", shown_text(header, false)),
             errdetail("cell_upsert takes one cell version in quotes: If-Match: \"<version>\" (not a weak "
                       "tag, not *, not a list)."),
             errhint("Take the version from cell_version(), or from the ETag of the last write.")));
}

void raise_if_match_disagrees(const char *argument, const char *header) {
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("if_match %s and the If-Match header %s disagree", shown_text(argument), shown_text(header, false)),
             errhint("Send the version once: in the body's \"if_match\", or in the If-Match header.")));
}

void raise_if_match_header_refused(const char *function) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s takes no If-Match header", function),
                    errdetail("The If-Match header is cell_upsert's: the version of its one cell."),
                    errhint("Send If-Match with cell_upsert only; cell_upsert_many takes each element's version as its "
                            "\"if_match\".")));
}

void raise_version_mismatch(const IdBytes &list, const IdBytes &row, const IdBytes &col, const char *current,
                            const char *if_match, int element) {
    const IdText list_text(list), row_text(row), col_text(col);
    // What the caller expected that did not hold: no cell (a create), that cell, or a cell.
    const bool absent_expected = strcmp(if_match, core::kAbsentVersion) == 0;
    const bool absent_now = strcmp(current, core::kAbsentVersion) == 0;
    const char *what = absent_expected ? "already exists" : absent_now ? "does not exist" : "has changed";
    ereport(ERROR, (errcode(MAKE_SQLSTATE('P', 'T', '4', '1', '2')),
                    errmsg("%scell (column %s, row %s) of list %s %s", where(element), col_text.text, row_text.text,
                           list_text.text, what),
                    errdetail("Its version is \"%s\", not \"%s\"; nothing was written.", current, if_match),
                    errhint("Read the cell again, and write it with its new version if the edit still applies.")));
}

void raise_edit_not_found(Datum list, Datum edit_id, const IdBytes *row, const IdBytes *col) {
    const char *edit = DatumGetCString(DirectFunctionCall1(uuid_out, edit_id));
    const IdText list_text(DatumGetUUIDP(list)->data);
    if (row == nullptr)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("edit %s wrote no cell of list %s", edit, list_text.text), errdetail(NOT_VISIBLE_DETAIL),
                        errhint("Take edit ids from cell_history().")));
    const IdText row_text(*row), col_text(*col);
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("edit %s did not write cell (column %s, row %s) of list %s", edit, col_text.text,
                           row_text.text, list_text.text),
                    errdetail(NOT_VISIBLE_DETAIL), errhint("Take edit ids from cell_history() of that cell.")));
}

void raise_changed_since_edit(const IdBytes &list, const IdBytes &row, const IdBytes &col, Datum edit_id,
                              int64 later_writes, const char *last_kind, bool cell_exists, const char *force_argument) {
    const IdText list_text(list), row_text(row), col_text(col);
    ereport(ERROR,
            (errcode(MAKE_SQLSTATE('P', 'T', '4', '1', '2')),
             errmsg("cell (column %s, row %s) of list %s has changed since edit %s", col_text.text, row_text.text,
                    list_text.text, DatumGetCString(DirectFunctionCall1(uuid_out, edit_id))),
             cell_exists ? errdetail("Its value or status is not what that edit wrote: %lld later write(s), the last "
                                     "of kind %s; nothing was written.",
                                     static_cast<long long>(later_writes), last_kind)
                         : errdetail("It no longer exists: it was deleted since (the history records no deletion); "
                                     "nothing was written."),
             errhint("Look at cell_history(); to go back all the same, call again with %s => true.", force_argument)));
}

void raise_tables_changed(const char *schema) {
    ereport(ERROR, (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
                    errmsg("the list tables of schema \"%s\" changed during the call", schema),
                    errdetail("A schema or table was renamed or replaced while the call ran; "
                              "nothing was written."),
                    errhint("Retry the call.")));
}

void raise_missing_table(const char *schema, const char *table) {
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE), errmsg("relation \"%s.%s\" does not exist", schema, table),
                    errdetail(LIST_TABLES_DETAIL), errhint(LIST_TABLES_HINT, schema)));
}

void raise_missing_column(const char *schema, const char *table, const char *column) {
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                    errmsg("column \"%s\" of relation \"%s.%s\" does not exist", column, schema, table),
                    errdetail(LIST_TABLES_DETAIL), errhint(LIST_TABLES_HINT, schema)));
}

void raise_column_type(const char *schema, const char *table, const char *column, const char *type,
                       const char *problem) {
    ereport(ERROR,
            (errcode(ERRCODE_DATATYPE_MISMATCH),
             errmsg("column \"%s\" of relation \"%s.%s\" has type %s", column, schema, table, type),
             errdetail("For cellupsert, %s.", problem),
             errhint("SELECT * FROM %s.cellupsert_check() lists what the functions need.", quote_identifier(schema))));
}

void raise_view_not_security_invoker(const char *schema, const char *table, const char *view) {
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("view %s, for relation \"%s.%s\", is not security_invoker", view, schema, table),
                    errdetail("Through it, the checks and writes of cellupsert would run with the view "
                              "owner's privileges and row-level security, not the caller's."),
                    errhint("ALTER VIEW %s SET (security_invoker = true);", view)));
}

void raise_no_conflict_key(const char *schema, const char *index_ddl) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_COLUMN_REFERENCE),
                    errmsg("relation \"%s.list_company_cells\" has no unique key for its cells", schema),
                    errdetail("cellupsert upserts the cell of a (column, row) pair with ON CONFLICT on a "
                              "unique index: unique, immediate, not partial, on plain columns, found "
                              "through a simple view."),
                    errhint("%s", index_ddl)));
}

void raise_batch_lock_problem(const char *relation, const char *problem, const char *fix) {
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("cell_upsert_many cannot lock the rows of %s: %s", relation, problem),
                    errdetail("Before it writes, a batch locks the rows it references FOR KEY SHARE, as the "
                              "owner of the table that holds them, so that it cannot deadlock with a DELETE; "
                              "nothing was written."),
                    fix != nullptr ? errhint("%s", fix) : 0));
}

bool is_name_error(int sqlerrcode) {
    return sqlerrcode == ERRCODE_UNDEFINED_TABLE || sqlerrcode == ERRCODE_UNDEFINED_COLUMN ||
           sqlerrcode == ERRCODE_INVALID_SCHEMA_NAME || sqlerrcode == ERRCODE_UNDEFINED_FUNCTION ||
           sqlerrcode == ERRCODE_DATATYPE_MISMATCH || sqlerrcode == ERRCODE_INVALID_COLUMN_REFERENCE;
}

namespace {

// Citus relays a node's error with this context line (remote_commands.c).
constexpr char kNodeContext[] = "while executing command on ";
// Citus's XX000 when a node's connection broke during a command without an error of its own
// (the node's backend killed, or the node down): remote_commands.c, ReportConnectionError.
bool is_lost_connection(const char *message) {
    return strncmp(message, "connection not open", 19) == 0 ||
           strstr(message, "server closed the connection unexpectedly") != nullptr ||
           strstr(message, "connection to server was lost") != nullptr;
}

// Citus's XX000 for a statement that would need other nodes while it runs a query on a shard
// (multi_executor.c): a call per row of a query on a distributed table.
constexpr char kNestedExecution[] = "cannot execute a distributed query from a query on a shard";

// Keeps the lines of an error's context for which keep(line, length) holds.
template <typename Keep>
void filter_context(ErrorData *error, Keep keep) {
    if (error->context == nullptr) return;
    StringInfoData kept;
    initStringInfo(&kept);
    for (char *line = error->context; *line;) {
        char *end = strchr(line, '\n');
        const size_t length = end ? static_cast<size_t>(end - line) : strlen(line);
        if (keep(line, length)) appendStringInfo(&kept, "%s%.*s", kept.len ? "\n" : "", static_cast<int>(length), line);
        line += length + (end ? 1 : 0);
    }
    error->context = kept.len ? kept.data : nullptr;
}

}  // namespace

void hide_cluster_internals(ErrorData *error) {
    const char *tables[core::kListTableCount + 1];
    for (int t = 0; t < core::kListTableCount; ++t) tables[t] = core::kListTableNames[t];
    tables[core::kListTableCount] = kHistoryTable;
    const char *const *kTables = tables;
    constexpr int kTableCount = core::kListTableCount + 1;
    // The bare names first, by the suffixes their message and detail show, or the table's.
    const char *reference = psprintf("%s %s \"%s\"", error->message ? error->message : "",
                                     error->detail ? error->detail : "", error->table_name ? error->table_name : "");
    if (error->table_name) core::strip_shard_suffix(error->table_name, reference, kTables, kTableCount);
    if (error->constraint_name) core::strip_shard_suffix(error->constraint_name, reference, kTables, kTableCount);
    for (char *text : {error->message, error->detail, error->hint, error->context})
        if (text != nullptr) core::strip_shard_suffixes(text, kTables, kTableCount);
    filter_context(error, [](const char *line, size_t length) {
        return !(length >= sizeof kNodeContext - 1 && strncmp(line, kNodeContext, sizeof kNodeContext - 1) == 0);
    });
    if (error->sqlerrcode == ERRCODE_INTERNAL_ERROR && error->message != nullptr &&
        strcmp(error->message, kNestedExecution) == 0) {
        error->sqlerrcode = ERRCODE_FEATURE_NOT_SUPPORTED;
        error->message = pstrdup("the function cannot run inside a query on a distributed table");
        error->detail = pstrdup(
            "Citus runs that query on the shards of the table, where the call cannot read "
            "the list's other tables.");
        error->hint = pstrdup(
            "Call it with its arguments as values (SELECT fn(...) with constants or variables), "
            "for one list at a time.");
    }
    if (ERRCODE_TO_CATEGORY(error->sqlerrcode) == ERRCODE_CONNECTION_EXCEPTION ||
        (error->sqlerrcode == ERRCODE_INTERNAL_ERROR && error->message != nullptr &&
         is_lost_connection(error->message))) {
        // The server's log keeps Citus's own words (with the node's role, host and port).
        error->detail_log =
            psprintf("%s%s%s", error->message, error->detail ? ": " : "", error->detail ? error->detail : "");
        if (error->sqlerrcode == ERRCODE_INTERNAL_ERROR) error->sqlerrcode = ERRCODE_CONNECTION_FAILURE;
        error->message = pstrdup("could not reach the node of the cluster that holds the list");
        error->detail = pstrdup("Citus failed to open, or lost, its connection to that node.");
        error->hint = pstrdup("Retry the transaction once the node is back; this one is rolled back.");
    }
}

void remove_statement_context(ErrorData *error, SPIPlanPtr plan) {
    List *sources = SPI_plan_get_plan_sources(plan);
    if (error->context == nullptr || sources == NIL) return;
    const char *text = static_cast<CachedPlanSource *>(linitial(sources))->query_string;
    const char *quoted = psprintf("\"%s\"", text);
    filter_context(error, [quoted](const char *line, size_t length) {
        const char *found = strstr(line, quoted);
        return found == nullptr || found >= line + length;
    });
}

}  // namespace cellupsert::pg
