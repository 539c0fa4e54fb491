#include "change_notify.h"

extern "C" {
#include "commands/async.h"
#include "utils/guc.h"
#include "utils/uuid.h"
}

namespace cellupsert::pg {
namespace {

bool notify_changes = false;

}  // namespace

void define_settings() {
    DefineCustomBoolVariable("cellupsert.notify_changes",
                             "Sends NOTIFY on \"cell_changes:<list id>\" when cells of a list are written.",
                             "A hint for pollers of cell_changes(), delivered at commit; needs the history table.",
                             &notify_changes, false, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    MarkGUCPrefixReserved("cellupsert");
}

bool notify_changes_enabled() { return notify_changes; }

void notify_list_changed(Datum list) {
    char channel[NAMEDATALEN];
    snprintf(channel, sizeof channel, "cell_changes:%s", DatumGetCString(DirectFunctionCall1(uuid_out, list)));
    Async_Notify(channel, "");
}

}  // namespace cellupsert::pg
