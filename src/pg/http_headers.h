// PostgREST's HTTP headers, for cell_upsert: the request's If-Match (a cell version,
// core/cell_version.h, as an entity tag) and the response's ETag. PostgREST passes the request
// headers as a JSON object in the setting request.headers (names in lower case) and sends the
// JSON array of objects in response.headers as the response's headers. A call from SQL has
// neither: nothing here changes it.
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

// The if_match of a call: the argument, else the version in the request's If-Match header
// ("<version>", one strong entity tag), else nullptr. Raises 22023 when the header is not
// one version in quotes (a weak tag, "*", a list), or when it and the argument disagree.
const char *if_match_with_header(const char *argument);

// For the functions other than cell_upsert: 22023 when the request has an If-Match header,
// which they cannot honour (HTTP: a precondition is never ignored).
void refuse_if_match_header(const char *function);

// Whether the call comes through PostgREST (request.headers is set).
bool in_http_request();

// Adds ETag: "<version>" to the response's headers (response.headers, for the transaction),
// in place of the ETag of an earlier write in the transaction.
void set_etag(const char *version);

}  // namespace cellupsert::pg
