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

}  // namespace cellupsert::pg
