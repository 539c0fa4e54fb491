// The SQL the functions run, and its SPI plans, prepared once per backend and kept.
#pragma once

#include "../core/statement_sql.h"
#include "discovery.h"
#include "pg_headers.h"

namespace cellupsert::pg {

using Statement = core::StatementKind;

// The plan of a statement on the list tables in the schema of the calling function. The
// first use in a backend checks that the tables and columns exist and prepares the plans;
// after DDL on the list tables they are checked again, and re-prepared if the shape changed
// (e.g. the provenance columns were added). Call it between SPI_connect and SPI_finish.
SPIPlanPtr statement_plan(Oid function_oid, Statement statement);

// Whether the list tables of the calling function's schema are distributed with Citus: the
// caller then runs the Citus set of statements (statement_sql.h), else the single-node set.
// Checks the tables' shape again after DDL, like statement_plan; needs no SPI connection.
bool statements_distributed(Oid function_oid);

// Runs a plan of statement_plan as SPI_execute_plan does, but under snapshot when it is not
// InvalidSnapshot (so that a diagnosis can look at the tables as a write saw them). Raises
// 40001 if the schema or the list tables were renamed or replaced while it ran (its text
// may then have been re-analysed against other tables): after it, or instead of the error
// that re-analysis raised; the error undoes its writes. Its errors carry no line with the
// statement's text in their context.
int execute_plan(Oid function_oid, SPIPlanPtr plan, Datum *values, const char *nulls,
                 Snapshot snapshot, long tcount);

// statement_plan, then execute_plan.
int execute_statement(Oid function_oid, Statement statement, Datum *values, const char *nulls,
                      Snapshot snapshot, long tcount);

// Runs a read of the Citus set (statement_sql.h) for the list values[0], its id written into
// the text as a constant (so that Citus plans it on the list's shard at once), with the plan
// kept for that list (list_plans.h); its other parameters as statement_plan's. Raises 40001
// as execute_plan does.
int execute_citus_read(Oid function_oid, Statement statement, Datum *values, long tcount);

// The plan of key_share_lock_sql (statement_sql.h) on the table under the relation of table
// (lists, list_columns or list_companies), for batch_locks.h, once the tables are checked
// again: raises 55000 when a batch cannot lock that table (batch_lock_problem, discovery.h),
// 40001 when it is no longer locked_table (renamed or replaced). Call it between SPI_connect
// and SPI_finish.
SPIPlanPtr lock_plan(Oid function_oid, ListTable table, Oid locked_table);

// The table the plans last returned by lock_plan lock for table.
Oid lock_table_oid(ListTable table);

// execute_plan, with no snapshot given, as role in owner mode (owner_mode.h).
int execute_plan_as(Oid function_oid, SPIPlanPtr plan, Datum *values, const char *nulls, Oid role);

// The oid of a list table (discovery.h), as the plans last returned by statement_plan use it.
Oid list_table_oid(ListTable table);

// Whether the write statements last returned by statement_plan record provenance (and so
// use their editor parameter).
bool statements_record_provenance();

}  // namespace cellupsert::pg
