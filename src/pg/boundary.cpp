#include "boundary.h"

#include <exception>

#include "errors.h"

namespace cellupsert::pg {

Datum guarded(const char *function_name, PGFunction body, FunctionCallInfo fcinfo) {
    char what[256];
    try {
        return body(fcinfo);
    } catch (const std::exception &e) {
        strlcpy(what, e.what(), sizeof what);
    } catch (...) {
        strlcpy(what, "unknown C++ exception", sizeof what);
    }
    raise_internal(function_name, what);
}

}  // namespace cellupsert::pg
