// What the extension's own writes are, for the triggers on the cells that the canonical DDL
// attaches: the manual-edit guard (manual_guard.h) lets the extension's manual edits through,
// and the history (history.h) records the kind of each write and the edit id of its call.
// The statement context (statement_context.h) runs each writing statement of the catalogue
// inside a scope, a state of this backend that no SQL can set. Code of the application that
// runs inside such a statement (its triggers on the cells) runs inside the scope too.
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

// What a call of one of the writing functions writes, as the history records it.
enum class WriteKind { none, manual, enrichment, release, revert, undo };

// At the start of every call: its kind (none for a function that writes nothing); the call's
// edit id is made the first time a history row needs it.
void begin_call(WriteKind kind);

// The scope of one writing statement; manual: a person's edit (the guard lets it through).
struct WriteScope {
    bool active;
    bool manual;
};
WriteScope write_scope_begin(bool manual);
void write_scope_end(const WriteScope &previous);

// Inside the scope of a manual edit.
bool manual_edit_running();
// The kind of the call whose statement is running, or none outside a scope.
WriteKind running_write_kind();
// The history's name of a kind: manual, enrichment, release, revert, undo; external for none.
const char *write_kind_label(WriteKind kind);
// The running call's edit id, a version 4 UUID shared by every cell the call writes.
Datum running_edit_id();

}  // namespace cellupsert::pg
