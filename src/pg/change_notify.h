// The change feed's hint (docs/history.md): with the setting cellupsert.notify_changes on,
// each statement that records history sends a NOTIFY without payload on the channel of each
// list it wrote, "cell_changes:<list id>", which PostgreSQL delivers at commit, once per
// transaction and channel. A poller may LISTEN there and call cell_changes() when woken
// rather than on a timer; the feed stays the one source of the changes (a notification may
// come before the change is in the feed, and none comes for a list whose shards are on
// another Citus node than the listener).
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

// In _PG_init: the setting, off by default, and the prefix cellupsert. reserved.
void define_settings();

bool notify_changes_enabled();

// NOTIFY on the list's channel (a uuid Datum).
void notify_list_changed(Datum list);

}  // namespace cellupsert::pg
