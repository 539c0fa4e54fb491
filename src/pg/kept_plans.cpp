#include "kept_plans.h"

extern "C" {
#include "executor/spi_priv.h"
#include "utils/plancache.h"
}

namespace cellupsert::pg {
namespace {

// Whether executing the plan builds its generic plan: kept generic, and not built or no
// longer valid.
bool builds_generic_plan(SPIPlanPtr plan) {
    bool builds = false;
    ListCell *cell;
    foreach (cell, plan->plancache_list) {
        const CachedPlanSource *source = static_cast<CachedPlanSource *>(lfirst(cell));
        if ((source->cursor_options & CURSOR_OPT_GENERIC_PLAN) == 0) return false;
        builds |= !source->is_valid || source->gplan == nullptr || !source->gplan->is_valid;
    }
    return builds;
}

}  // namespace

void build_kept_plan(SPIPlanPtr plan) {
    if (!builds_generic_plan(plan)) return;
    const int level = NewGUCNestLevel();
    (void)set_config_option("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_LOCAL, true, 0, false);
    CachedPlan *built = SPI_plan_get_cached_plan(plan);
    if (built != nullptr) ReleaseCachedPlan(built, plan->saved ? CurrentResourceOwner : nullptr);
    AtEOXact_GUC(true, level);
}

}  // namespace cellupsert::pg
