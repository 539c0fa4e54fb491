#include "owner_mode.h"

namespace cellupsert::pg {

OwnerMode enter_owner_mode(Oid owner) {
    OwnerMode mode;
    GetUserIdAndSecContext(&mode.saved_user, &mode.saved_context);
    SetUserIdAndSecContext(owner, mode.saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION |
                                      SECURITY_NOFORCE_RLS);
    mode.guc_nest_level = NewGUCNestLevel();
#if PG_VERSION_NUM >= 170000
    RestrictSearchPath();
#else
    (void)set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
                            false);
#endif
    return mode;
}

void leave_owner_mode(const OwnerMode &mode) {
    AtEOXact_GUC(false, mode.guc_nest_level);
    SetUserIdAndSecContext(mode.saved_user, mode.saved_context);
}

}  // namespace cellupsert::pg
