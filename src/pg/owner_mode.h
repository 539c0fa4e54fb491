// Running a statement as the owner of a table, the way PostgreSQL runs its own code under
// another role (ri_triggers.c; maintenance commands since CVE-2022-1552; PostgreSQL 17's
// RestrictSearchPath()). The extension's identity switches: the locks of a batch
// (batch_locks.h), whose statements name one base table of the application, its columns,
// and operators and unnest() of pg_catalog, and nothing else (statement_sql.h,
// key_share_lock_sql); and
// the history's insert (history.h), which names the history table, its columns, the
// statement's transition tables and functions, operators and types of pg_catalog; and, on a
// Citus worker, Citus's lock_shard_metadata() called by its OID, with no statement text
// (list_placement.h).
//
// Owner mode is:
// - SECURITY_LOCAL_USERID_CHANGE: no SET ROLE or SET SESSION AUTHORIZATION meanwhile;
// - SECURITY_RESTRICTED_OPERATION: should anything run there after all, it cannot create
//   temporary objects, change session state or switch roles (what a restricted operation
//   refuses, as in VACUUM, ANALYZE, CREATE INDEX and REFRESH MATERIALIZED VIEW);
// - SECURITY_NOFORCE_RLS: the owner reads its table without its policies, even forced ones
//   (the caller's own query, with the caller's policies, chose the ids), as a foreign key
//   check does;
// - search_path = pg_catalog, pg_temp, in a GUC nest level of its own: no name the caller's
//   session put in its path (a schema of its own, pg_temp first) is looked at.
// An error inside leaves it with the (sub)transaction's abort, which restores the user id,
// the security context and the GUC nest level, as after a failed foreign key check.
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

// What leave_owner_mode restores.
struct OwnerMode {
    Oid saved_user;
    int saved_context;
    int guc_nest_level;
};

OwnerMode enter_owner_mode(Oid owner);
void leave_owner_mode(const OwnerMode &mode);

}  // namespace cellupsert::pg
