// The statement catalogue: every statement the functions run, with its set, parameters, result
// and identity, from the one list in statement_list.h. Pure C++ (no PostgreSQL header).
// Adding a statement is one STATEMENT() entry there plus its text in statement_sql.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cellupsert::core {

enum class StatementKind : std::uint8_t {
#define STATEMENT(kind, ...) kind,
#include "statement_list.h"
#undef STATEMENT
};

enum class StatementSet : std::uint8_t { single_node, distributed, any, hand_over };
enum class Identity : std::uint8_t { caller, table_owner };
enum class ListIn : std::uint8_t { parameter, literal };
enum class Result : std::uint8_t { processed, updated, one_row, rows };
enum class Writes : std::uint8_t { nothing, manual_edit, enrichment };

// A parameter's type: uuid, uuid[], text, text[], int4[], jsonb; editor is text, bound by
// the statement context (the JWT's sub claim or the current role, NULL without provenance).
enum class Param : std::uint8_t { id, ids, text, texts, positions, cells, editor, now };
constexpr int kMaxParams = 7;

struct StatementSpec {
    StatementKind kind;
    const char *name;
    StatementSet set;
    Identity identity;
    ListIn list;
    Result result;
    Writes writes;
    int nargs;
    Param params[kMaxParams];
};

// Whether a statement reads a batch's arrays with the list's tables: its best plan depends
// on their sizes and on the size of the list they name. The writes that read nothing but
// the arrays (batch_write_checked) have one plan for any batch.
constexpr bool reads_arrays(const StatementSpec &spec) {
    if (spec.kind == StatementKind::batch_write_checked) return false;
    for (int i = 0; i < spec.nargs; ++i)
        if (spec.params[i] == Param::ids || spec.params[i] == Param::texts || spec.params[i] == Param::positions)
            return true;
    return false;
}

// Whether a statement that reads a batch's arrays has a form that reads each id by its
// primary key (statement_sql.h, IdReads::by_key), whose one generic plan fits every list.
constexpr bool has_by_key_form(StatementKind kind) {
    return kind == StatementKind::batch_upsert || kind == StatementKind::batch_insert_if_absent ||
           kind == StatementKind::batch_enrich || kind == StatementKind::batch_versions ||
           kind == StatementKind::batch_visible_keys || kind == StatementKind::key_share_lock ||
           kind == StatementKind::key_share_locks;
}

// Whether a statement of the distributed set writes one cell, named by its whole key, and
// reads nothing else: a call that holds its list's shards on this node runs it on the cells'
// shard itself (src/pg/list_placement.h).
constexpr bool writes_one_cell(StatementKind kind) {
    return kind == StatementKind::cell_write || kind == StatementKind::cell_overwrite ||
           kind == StatementKind::cell_write_if_absent || kind == StatementKind::cell_write_if_match ||
           kind == StatementKind::cell_release_write;
}

template <typename... Params>
constexpr StatementSpec make_statement_spec(StatementKind kind, const char *name, StatementSet set, Identity identity,
                                            ListIn list, Result result, Writes writes, Params... params) {
    static_assert(sizeof...(Params) <= kMaxParams, "a statement has at most kMaxParams parameters");
    constexpr int nargs = static_cast<int>(sizeof...(Params));
    return StatementSpec{kind, name, set, identity, list, result, writes, nargs, {params...}};
}

inline constexpr StatementSpec kStatements[] = {
#define STATEMENT(kind, set, identity, list, result, writes, ...)                                        \
    make_statement_spec(StatementKind::kind, #kind, StatementSet::set, Identity::identity, ListIn::list, \
                        Result::result, Writes::writes, __VA_ARGS__),
#include "statement_list.h"
#undef STATEMENT
};
constexpr int kStatementKinds = static_cast<int>(sizeof kStatements / sizeof kStatements[0]);

constexpr const StatementSpec &statement_spec(StatementKind kind) { return kStatements[static_cast<int>(kind)]; }

}  // namespace cellupsert::core
