// The SQL the functions run, and its SPI plans, prepared once per backend and kept.
#pragma once

#include "pg_headers.h"

namespace cellupsert::pg {

enum class Statement {
    // $1 list, $2 row, $3 col (uuid), $4 val (text), $5 editor (text). Checks the list, the column (of the list,
    // subject company) and the row (of the list), as the caller sees them, and upserts the
    // cell, in one statement: it processes one row, or none when a check fails.
    cell_upsert,
    // $1 list, $2 row, $3 col. Run only after a write that processed too little: one row
    // (list_found bool, column_subject text, row_found bool) telling which check failed.
    cell_diagnose,
    // $1 list, $2 rows uuid[], $3 cols uuid[], $4 vals text[], $5 editor: cell_upsert for every element,
    // in one statement. The (col, row) pairs must be distinct.
    batch_upsert,
    // $1 list, $2 rows uuid[], $3 cols uuid[], $4 positions int4[]: the first element (by
    // position) that fails a check, as (position int4, row uuid, col uuid); no row if none.
    batch_find_failure,
    // The statements of batch_locks.h, run before batch_upsert.
    // $1 list, $2 cols uuid[], $3 rows uuid[]: one row (list_visible bool, cols uuid[],
    // rows uuid[]): whether the caller sees the list, and which of the given columns and
    // rows it sees in the list. Run as the caller.
    batch_visible_keys,
    // $1 list: locks the list's row FOR KEY SHARE. Run as the table's owner.
    lock_list,
    // $1 list, $2 ids uuid[]: locks the list's columns with these ids FOR KEY SHARE, in id
    // order. Run as the table's owner.
    lock_columns,
    // $1 list, $2 ids uuid[]: the same for the list's company rows.
    lock_rows,
};

// The list tables, in the order of their foreign keys.
enum class ListTable { lists, list_columns, list_companies, list_company_cells };

// The plan of a statement on the list tables in the schema of the calling function. The
// first use in a backend checks that the tables and columns exist and prepares the plans;
// after DDL on the list tables they are checked again, and re-prepared if the shape changed
// (e.g. the provenance columns were added). Call it between SPI_connect and SPI_finish.
SPIPlanPtr statement_plan(Oid function_oid, Statement statement);

// Runs a plan of statement_plan as SPI_execute_plan does, but under snapshot when it is not
// InvalidSnapshot (so that a diagnosis can look at the tables as a write saw them). Then
// raises 40001 if the schema or the list tables were renamed or replaced while it ran (its
// text may then have been re-analysed against other tables); the error undoes its writes.
int execute_plan(Oid function_oid, SPIPlanPtr plan, Datum *values, const char *nulls,
                 Snapshot snapshot, long tcount);

// statement_plan, then execute_plan.
int execute_statement(Oid function_oid, Statement statement, Datum *values, const char *nulls,
                      Snapshot snapshot, long tcount);

// The oid of a list table, as the plans last returned by statement_plan use it.
Oid list_table_oid(ListTable table);

// Whether the write statements last returned by statement_plan record provenance (and so
// use their editor parameter).
bool statements_record_provenance();

}  // namespace cellupsert::pg
