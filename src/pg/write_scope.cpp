#include "write_scope.h"

extern "C" {
#include "common/pg_prng.h"
#include "utils/uuid.h"
}

namespace cellupsert::pg {
namespace {

WriteKind call_kind = WriteKind::none;
WriteScope scope = {false, false};
bool edit_id_made = false;
pg_uuid_t edit_id;

}  // namespace

void begin_call(WriteKind kind) {
    call_kind = kind;
    edit_id_made = false;
}

WriteScope write_scope_begin(bool manual) {
    const WriteScope previous = scope;
    scope = {true, manual};
    return previous;
}

void write_scope_end(const WriteScope &previous) { scope = previous; }

bool manual_edit_running() { return scope.active && scope.manual; }

WriteKind running_write_kind() { return scope.active ? call_kind : WriteKind::none; }

const char *write_kind_label(WriteKind kind) {
    switch (kind) {
        case WriteKind::manual: return "manual";
        case WriteKind::enrichment: return "enrichment";
        case WriteKind::release: return "release";
        case WriteKind::revert: return "revert";
        case WriteKind::undo: return "undo";
        case WriteKind::none: break;
    }
    return "external";
}

Datum running_edit_id() {
    if (!edit_id_made) {
        // Unique, not secret: PostgreSQL's own PRNG, seeded strongly at backend start (a
        // strong random source costs some 24,000 instructions an id).
        const uint64 halves[] = {pg_prng_uint64(&pg_global_prng_state), pg_prng_uint64(&pg_global_prng_state)};
        static_assert(sizeof halves == UUID_LEN, "two 64-bit halves make an id");
        memcpy(edit_id.data, halves, UUID_LEN);
        edit_id.data[6] = (edit_id.data[6] & 0x0f) | 0x40;  // version 4 (RFC 9562)
        edit_id.data[8] = (edit_id.data[8] & 0x3f) | 0x80;  // variant 10
        edit_id_made = true;
    }
    return UUIDPGetDatum(&edit_id);
}

}  // namespace cellupsert::pg
