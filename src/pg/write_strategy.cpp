#include "write_strategy.h"

#include "delegation.h"

namespace cellupsert::pg {

const WriteStrategy &write_strategy(const StatementContext &context) {
    if (should_hand_over(context)) return kHandOver;
    return read_strategy(context);
}

const WriteStrategy &read_strategy(const StatementContext &context) {
    return context.shape().distributed ? kDistributedWrites : kSingleNodeWrites;
}

namespace {

struct BatchCall {
    FunctionCallInfo fcinfo;
    Datum list;
    WriteKind kind;
};

void raise_refused_before(const BatchInput &before, void *arg) {
    const BatchCall &call = *static_cast<const BatchCall *>(arg);
    SPI_connect();
    StatementContext &context = StatementContext::for_call(call.fcinfo->flinfo->fn_oid, call.kind);
    const WriteStrategy &strategy = read_strategy(context);
    if (strategy.raise_first_refused != nullptr)
        strategy.raise_first_refused(context, {call.list, call.fcinfo->args[1].value, &before});
    SPI_finish();
}

}  // namespace

BatchInput read_batch_argument(FunctionCallInfo fcinfo, Datum list, BatchKind kind, WriteKind write_kind) {
    BatchCall call{fcinfo, list, write_kind};
    return read_batch_input(PG_GETARG_JSONB_P(1), kind, {raise_refused_before, &call});
}

}  // namespace cellupsert::pg
