// cell_version_of(value text, status text, reasoning text, error text) RETURNS text
// cell_version(list uuid, "row" uuid, col uuid) RETURNS text
//
// A cell's version (core/cell_version.h): from its four fields, computed by any query on
// any node (cell_version_of, IMMUTABLE: a grid reads the versions of a whole list in its
// own SELECT); or of one cell, with cell_upsert's checks, as the caller sees it
// (cell_version). The conditional writes compare it on the row they lock.
#include "cell_checks.h"
#include "functions.h"
#include "write_strategy.h"

extern "C" {
#include "common/cryptohash.h"
#include "common/sha2.h"
}

namespace cellupsert::pg {
namespace {

void hash(pg_cryptohash_ctx *context, const void *bytes, size_t length) {
    if (pg_cryptohash_update(context, static_cast<const uint8 *>(bytes), length) < 0)
        elog(ERROR, "could not hash a cell's version: %s", pg_cryptohash_error(context));
}

}  // namespace

Datum cell_version_of_body(PG_FUNCTION_ARGS) {
    static_assert(PG_SHA256_DIGEST_LENGTH == core::kDigestBytes, "the version is from a SHA-256 digest");
    pg_cryptohash_ctx *context = pg_cryptohash_create(PG_SHA256);
    if (context == nullptr || pg_cryptohash_init(context) < 0) elog(ERROR, "could not start a cell's version");
    for (int i = 0; i < core::kVersionFields; ++i) {
        const bool is_null = PG_ARGISNULL(i);
        const text *field = is_null ? nullptr : PG_GETARG_TEXT_PP(i);
        const uint32 length = is_null ? 0 : VARSIZE_ANY_EXHDR(field);
        unsigned char frame[core::kFrameBytes];
        core::frame_field(is_null, length, frame);
        hash(context, frame, sizeof frame);
        if (!is_null) hash(context, VARDATA_ANY(field), length);
    }
    unsigned char digest[core::kDigestBytes];
    if (pg_cryptohash_final(context, digest, sizeof digest) < 0)
        elog(ERROR, "could not finish a cell's version: %s", pg_cryptohash_error(context));
    pg_cryptohash_free(context);
    Version version;
    core::format_version(digest, version);
    PG_RETURN_TEXT_P(cstring_to_text(version));
}

Datum cell_version_body(PG_FUNCTION_ARGS) {
    const Datum list = id_argument(fcinfo, 0, "list");
    const Datum row = id_argument(fcinfo, 1, "row");
    const Datum col = id_argument(fcinfo, 2, "col");
    Version version;
    SPI_connect();
    StatementContext &context = StatementContext::for_call(fcinfo->flinfo->fn_oid);
    read_strategy(context).read_version(context, list, row, col, version);
    SPI_finish();
    PG_RETURN_TEXT_P(cstring_to_text(version));
}

}  // namespace cellupsert::pg
