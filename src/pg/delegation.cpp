#include "delegation.h"

#include "write_strategy.h"

extern "C" {
#include "tcop/pquery.h"
}

namespace cellupsert::pg {
namespace {

// Citus names the connections it opens to other nodes so (connection_management.h).
constexpr char kCitusInternalPrefix[] = "citus_internal gpid=";

// Runs call with these arguments and returns its one result (by value: a boolean or an
// integer). While it runs, context.handing_over is set: if Citus runs the call here instead
// of delegating it (the list's shard is local, or the function is not distributed), that
// call does the work.
Datum hand_over(StatementContext &context, Statement call, const Datum *args, const char *nulls) {
    const PreparedStatement prepared = context.prepare(call);
    context.handing_over = true;
    // clang-format off
    PG_TRY();
    {
        context.execute(prepared, args, nulls, InvalidSnapshot, 1);
    }
    PG_FINALLY();
    {
        context.handing_over = false;
    }
    PG_END_TRY();
    // clang-format on
    bool is_null;
    const Datum result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null);
    if (is_null) elog(ERROR, "handed-over call returned NULL");
    return result;
}

bool write_cell(StatementContext &context, const CellEdit &edit) {
    Datum args[] = {edit.list, edit.row, edit.col, edit.value, edit.if_match_text};
    const char nulls[] = {' ', ' ', ' ', edit.value_is_null ? 'n' : ' ', edit.if_match == nullptr ? 'n' : ' '};
    return DatumGetBool(hand_over(context, Statement::cell_upsert_call, args, nulls));
}

bool release_cell(StatementContext &context, Datum list, Datum row, Datum col) {
    Datum args[] = {list, row, col};
    return DatumGetBool(hand_over(context, Statement::cell_release_call, args, nullptr));
}

int32 release_batch(StatementContext &context, const BatchEdit &edit) {
    Datum args[] = {edit.list, edit.cells};
    return DatumGetInt32(hand_over(context, Statement::batch_release_call, args, nullptr));
}

// The cells were read first; the worker reads them again. Its result (jsonb) read here.
Enriched enrich_batch(StatementContext &context, const BatchEdit &edit) {
    Datum args[] = {edit.list, edit.cells};
    Jsonb *result = DatumGetJsonbP(hand_over(context, Statement::batch_enrich_call, args, nullptr));
    Enriched enriched{0, 0};
    for (const char *key : {"written", "kept"}) {
        JsonbValue buffer;
        const JsonbValue *value = getKeyJsonValueFromContainer(&result->root, key, strlen(key), &buffer);
        if (value == nullptr || value->type != jbvNumeric) elog(ERROR, "handed-over enrichment returned no %s", key);
        const int32 n = DatumGetInt32(DirectFunctionCall1(numeric_int4, NumericGetDatum(value->val.numeric)));
        (strcmp(key, "written") == 0 ? enriched.written : enriched.kept) = n;
    }
    return enriched;
}

// The cells were read first, so that their errors come first, as on a single node; the
// worker reads them again.
int32 write_batch(StatementContext &context, const BatchEdit &edit) {
    Datum args[] = {edit.list, edit.cells};
    return DatumGetInt32(hand_over(context, Statement::batch_call, args, nullptr));
}

// A read is not handed over (read_strategy): it reads from here, as the distributed strategy does.
void read_version(StatementContext &context, Datum list, Datum row, Datum col, Version &version) {
    kDistributedWrites.read_version(context, list, row, col, version);
}

void written_version(StatementContext &context, Datum list, Datum row, Datum col, Version &version) {
    kDistributedWrites.written_version(context, list, row, col, version);
}

}  // namespace

bool from_another_citus_node() {
    const char *name = GetConfigOption("application_name", true, false);
    return name != nullptr && strncmp(name, kCitusInternalPrefix, sizeof kCitusInternalPrefix - 1) == 0;
}

bool serves_a_delegated_call() {
    if (!from_another_citus_node() || ActivePortal == nullptr) return false;
    ListCell *statement;
    foreach (statement, ActivePortal->stmts) {
        const PlannedStmt *planned = lfirst_node(PlannedStmt, statement);
        ListCell *entry;
        foreach (entry, planned->rtable)
            if (lfirst_node(RangeTblEntry, entry)->rtekind == RTE_RELATION) return false;
    }
    return true;
}

bool should_hand_over(const StatementContext &context) {
    return !context.handing_over && context.shape().distributed && !from_another_citus_node();
}

const WriteStrategy kHandOver = {write_cell,   write_batch,  read_version, written_version,
                                 release_cell, enrich_batch, release_batch};

}  // namespace cellupsert::pg
