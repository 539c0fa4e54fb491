#include "statement_sql.h"

#include <stdexcept>

#include "list_tables_contract.h"
#include "sql_pieces.h"

namespace cellupsert::core {

using namespace sql_pieces;

std::string statement_sql(StatementKind kind, const TablesShape &shape, std::string_view quoted_schema,
                          std::string_view list, IdReads reads, const ShardNames *shards) {
    Sql sql{std::string(), quoted_schema, list, reads, shards};
    sql.text.reserve(1024);
    // clang-format off
    switch (kind) {
        case StatementKind::cell_upsert:
            insert_head(sql, shape, shape.cells_have_list_id, {"l.id", "c.id", "r.id", "$4", false});
            cell_checks(sql);
            on_conflict(sql, shape);
            break;
        case StatementKind::cell_diagnose:
            diagnose(sql);
            break;
        case StatementKind::cell_version_read:
            diagnose(sql);
            sql(", (SELECT ");
            cell_version(sql, shape);
            sql(" FROM ").table("list_company_cells")(" x WHERE ");
            the_cell(sql, shape, "$1");
            sql(")");
            break;
        case StatementKind::cell_insert_if_absent:
            insert_head(sql, shape, shape.cells_have_list_id, {"l.id", "c.id", "r.id", "$4", false});
            cell_checks(sql);
            conflict_target(sql, shape);
            sql(" DO NOTHING");
            break;
        case StatementKind::cell_update_if_match:
            // The checks in an uncorrelated EXISTS: an InitPlan run once before the cell is
            // read, not a join with it (whose executor start-up costs more than the write).
            update_head(sql, shape, {"l.id", "c.id", "r.id", "$4", false});
            sql(" WHERE ");
            the_cell(sql, shape, "$1");
            sql(" AND EXISTS (SELECT");
            cell_checks(sql);
            sql(") AND ");
            cell_version(sql, shape);
            sql(kEq)("$6");
            break;
        case StatementKind::batch_upsert:
            insert_head(sql, shape, shape.cells_have_list_id, {"l.id", "c.id", "r.id", "u.val", false});
            batch_elements(sql, true, true);
            element_checks(sql);
            // The arrays come in primary-key order; writing in that order, whatever join
            // order the planner picks, makes overlapping batches lock their cells in the
            // same order: no deadlock.
            sql(" ORDER BY u.position");
            on_conflict(sql, shape);
            break;
        case StatementKind::batch_write_checked:
            insert_head(sql, shape, shape.cells_have_list_id, {"$1", "u.col_id", "u.row_id", "u.val", false});
            // No join: the elements are written in the arrays' order, the primary key's.
            batch_elements(sql, true, false);
            on_conflict(sql, shape);
            break;
        case StatementKind::cell_release:
            sql("UPDATE ").table("list_company_cells")(" x SET source = DEFAULT");
            cell_checks(sql);
            sql(" AND ");
            checked_cell(sql, shape);
            sql(" AND x.source")(kEq).label(kManualSource);
            break;
        case StatementKind::batch_release:
            sql("UPDATE ").table("list_company_cells")(" x SET source = DEFAULT")
               (" FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3)) AS u (row_id, col_id) WHERE ");
            if (shape.cells_have_list_id) sql("x.list_id")(kEq)("$1 AND ");
            sql("x.column_id")(kEq)("u.col_id AND x.company_row_id")(kEq)("u.row_id AND x.source")(kEq).label(kManualSource);
            break;
        case StatementKind::batch_insert_if_absent:
            insert_head(sql, shape, shape.cells_have_list_id, {"l.id", "c.id", "r.id", "u.val", false});
            batch_elements(sql, true, true);
            element_checks(sql);
            sql(" ORDER BY u.position");
            conflict_target(sql, shape);
            sql(" DO NOTHING");
            break;
        case StatementKind::batch_enrich:
            // The elements the checks accept, counted: when they are all, what the write did
            // not write was a person's (or a trigger's), with no diagnosis to run.
            sql("WITH accepted AS MATERIALIZED (SELECT l.id AS list_id, c.id AS col_id, r.id AS row_id, u.val, u.status,"
                " u.reasoning, u.error, u.position");
            enrichment_elements(sql);
            element_checks(sql);
            sql("), written AS (");
            insert_head(sql, shape, shape.cells_have_list_id,
                        {"u.list_id", "u.col_id", "u.row_id", "u.val", false, enriched_status(quoted_schema, shape), "u.reasoning", "u.error"},
                        kEnrichment, true);
            sql(" FROM accepted u ORDER BY u.position");
            enrichment_conflict(sql, shape);
            sql(" RETURNING true) SELECT (SELECT pg_catalog.count(*)::pg_catalog.int4 FROM accepted),"
                " (SELECT pg_catalog.count(*)::pg_catalog.int4 FROM written)");
            break;
        case StatementKind::batch_versions:
            sql("SELECT u.position, (SELECT ");
            cell_version(sql, shape);
            sql(" FROM ").table("list_company_cells")(" x WHERE ");
            if (shape.cells_have_list_id) sql("x.list_id")(kEq)("$1 AND ");
            sql("x.column_id")(kEq)("u.col_id AND x.company_row_id")(kEq)("u.row_id FOR UPDATE OF x)");
            batch_elements(sql, false, false);
            break;
        case StatementKind::batch_find_failure:
            sql("SELECT u.position, u.row_id, u.col_id");
            batch_elements(sql, false, false);
            sql(" WHERE NOT EXISTS (SELECT FROM ").table("lists")(" l")
               (" JOIN ").table("list_columns")(" c ON c.list_id")(kEq)("l.id")
               (" JOIN ").table("list_companies")(" r ON r.list_id")(kEq)("l.id")
               (" WHERE l.id")(kEq)("$1 AND c.id")(kEq)("u.col_id AND ").is_company()(" AND r.id")(kEq)("u.row_id)")
               (" ORDER BY u.position LIMIT 1");
            break;
        case StatementKind::batch_visible_keys:
            sql("SELECT EXISTS (SELECT FROM ").table("lists")(" l WHERE l.id")(kEq)("$1),");
            if (reads == IdReads::join) {
                sql(" ARRAY(SELECT c.id FROM ").table("list_columns")(" c")
                   (" WHERE c.list_id")(kEq)("$1 AND c.id")(kEq)("ANY ($2)),")
                   (" ARRAY(SELECT r.id FROM ").table("list_companies")(" r")
                   (" WHERE r.list_id")(kEq)("$1 AND r.id")(kEq)("ANY ($3))");
                break;
            }
            sql(" ARRAY(SELECT c.id FROM pg_catalog.unnest($2) AS k (id) CROSS JOIN LATERAL (SELECT c.id FROM ")
               .table("list_columns")(" c WHERE c.list_id")(kEq)("$1 AND c.id")(kEq)("k.id LIMIT 1) c),")
               (" ARRAY(SELECT r.id FROM pg_catalog.unnest($3) AS k (id) CROSS JOIN LATERAL (SELECT r.id FROM ")
               .table("list_companies")(" r WHERE r.list_id")(kEq)("$1 AND r.id")(kEq)("k.id LIMIT 1) r)");
            break;
        // The Citus set: one table per statement, its list_id (the lists' id) equal to $1.
        case StatementKind::list_placement:
            sql("SELECT s.shard, EXISTS (SELECT FROM pg_catalog.pg_dist_placement p, pg_catalog.pg_dist_local_group g")
               (" WHERE p.shardid")(kEq)("s.shard AND p.groupid")(kEq)("g.groupid),")
               (" (SELECT pg_catalog.count(*) FROM pg_catalog.pg_dist_placement p WHERE p.shardid")(kEq)("s.shard)")(kEq)("1")
               (" FROM (SELECT pg_catalog.get_shard_id_for_distribution_column(").table_literal("lists")(", $1) AS shard) s");
            break;
        case StatementKind::list_shard_names:
            sql("SELECT ");
            for (const char *table : {"lists", "list_columns", "list_companies", "list_company_cells"}) {
                if (sql.text.size() > 7) sql(", ");
                sql("pg_catalog.shard_name(").table_literal(table)(", ")
                   ("pg_catalog.get_shard_id_for_distribution_column(").table_literal(table)(", $1), false)");
            }
            // The history's shard and its ids' sequence, where the history is hash-distributed
            // with the lists (co-located: on the node that holds the list, under its lock).
            sql(", h.shard, h.sequence FROM (SELECT NULL) n LEFT JOIN (SELECT pg_catalog.shard_name(p.logicalrelid,")
               (" pg_catalog.get_shard_id_for_distribution_column(p.logicalrelid, $1), false) AS shard,")
               (" (SELECT d.objid FROM pg_catalog.pg_attribute a, pg_catalog.pg_depend d, pg_catalog.pg_class s")
               (" WHERE a.attrelid")(kEq)("p.logicalrelid AND a.attname")(kEq)("'")(kIdColumn)("' AND d.refobjid")(kEq)("p.logicalrelid")
               (" AND d.refobjsubid")(kEq)("a.attnum AND d.refclassid")(kEq)("'pg_catalog.pg_class'::pg_catalog.regclass")
               (" AND d.classid")(kEq)("'pg_catalog.pg_class'::pg_catalog.regclass")
               (" AND d.deptype::pg_catalog.text")(kEq)("ANY ('{a,i}'::pg_catalog.text[]) AND s.oid")(kEq)("d.objid")
               (" AND s.relkind")(kEq)("'S' ORDER BY d.deptype::pg_catalog.text DESC LIMIT 1) AS sequence")
               (" FROM pg_catalog.pg_dist_partition p, pg_catalog.pg_dist_partition l")
               (" WHERE p.logicalrelid")(kEq)("pg_catalog.to_regclass(").text_literal(kHistoryTableName)(")")
               (" AND l.logicalrelid")(kEq).table_literal("lists")
               (" AND p.colocationid")(kEq)("l.colocationid AND p.partmethod")(kEq)("'h'")
               (" AND pg_catalog.column_to_column_name(p.logicalrelid, p.partkey)")(kEq)("'")(kListIdColumn)("'")
               (") h ON true");
            break;
        case StatementKind::list_check:
            sql("SELECT FROM ").table("lists")(" l WHERE l.id")(kEq)(sql.list);
            break;
        case StatementKind::column_check:
            sql("SELECT c.subject::pg_catalog.text FROM ").table("list_columns")(" c")
               (" WHERE c.list_id")(kEq)(sql.list)(" AND c.id")(kEq)("$2");
            break;
        case StatementKind::row_check:
            sql("SELECT FROM ").table("list_companies")(" r WHERE r.list_id")(kEq)(sql.list)(" AND r.id")(kEq)("$2");
            break;
        case StatementKind::cell_write:
            insert_head(sql, shape, shape.cells_have_list_id, {"$1", "$3", "$2", "$4", true});
            on_conflict(sql, shape);
            break;
        case StatementKind::cell_overwrite:
            update_head(sql, shape, {"$1", "$3", "$2", "$4", true, {}, {}, {}, "$6"});
            sql(" WHERE ");
            the_cell(sql, shape, sql.list);
            break;
        case StatementKind::cell_version_get:
            sql("SELECT ");
            cell_version(sql, shape);
            sql(" FROM ").table("list_company_cells")(" x WHERE ");
            the_cell(sql, shape, sql.list);
            break;
        case StatementKind::cell_write_if_absent:
            insert_head(sql, shape, true, {"$1", "$3", "$2", "$4", true});
            conflict_target(sql, shape);
            sql(" DO NOTHING");
            break;
        case StatementKind::cell_write_if_match:
            update_head(sql, shape, {"$1", "$3", "$2", "$4", true});
            sql(" WHERE ");
            the_cell(sql, shape, "$1");
            sql(" AND ");
            cell_version(sql, shape);
            sql(kEq)("$6");
            break;
        case StatementKind::cell_release_write:
            sql("UPDATE ").table("list_company_cells")(" x SET source = DEFAULT WHERE ");
            the_cell(sql, shape, "$1");
            sql(" AND x.source")(kEq).label(kManualSource);
            break;
        case StatementKind::batch_enrich_write:
            sql("WITH written AS (");
            insert_head(sql, shape, true,
                        {"$1", "u.col_id", "u.row_id", "u.val", false, enriched_status(quoted_schema, shape), "u.reasoning", "u.error"},
                        kEnrichment, true);
            enrichment_elements(sql);
            sql(" ORDER BY u.position");
            enrichment_conflict(sql, shape);
            sql(" RETURNING true) SELECT pg_catalog.count(*)::pg_catalog.int4 FROM written");
            break;
        case StatementKind::batch_versions_get:
            sql("SELECT x.column_id, x.company_row_id, ");
            cell_version(sql, shape);
            sql(" FROM ").table("list_company_cells")(" x WHERE x.list_id")(kEq)("$1 AND x.column_id")(kEq)("ANY ($2)")
               (" AND x.company_row_id")(kEq)("ANY ($3) ORDER BY x.column_id, x.company_row_id FOR UPDATE OF x");
            break;
        case StatementKind::batch_write_if_absent:
            sql("WITH written AS (");
            insert_head(sql, shape, true, {"$1", "u.col_id", "u.row_id", "u.val", false});
            batch_elements(sql, true, true);
            sql(" ORDER BY u.position");
            conflict_target(sql, shape);
            sql(" DO NOTHING RETURNING true) SELECT pg_catalog.count(*)::pg_catalog.int4 FROM written");
            break;
        case StatementKind::batch_company_columns:
            sql("SELECT c.id FROM ").table("list_columns")(" c WHERE c.list_id")(kEq)(sql.list)(" AND c.id")(kEq)("ANY ($2)")
               (" AND ").is_company();
            break;
        case StatementKind::batch_visible_rows:
            sql("SELECT r.id FROM ").table("list_companies")(" r WHERE r.list_id")(kEq)(sql.list)(" AND r.id")(kEq)("ANY ($2)");
            break;
        case StatementKind::batch_write:
            // Citus counts the rows an INSERT ... SELECT sends to the shards, those a trigger
            // skipped included (and with a RETURNING of fewer rows, SPI refuses the count):
            // the cells written are counted from what the INSERT returns.
            sql("WITH written AS (");
            insert_head(sql, shape, true, {"$1", "u.col_id", "u.row_id", "u.val", false});
            batch_elements(sql, true, true);
            // In the arrays' order, the primary key's: see batch_upsert.
            sql(" ORDER BY u.position");
            on_conflict(sql, shape);
            sql(" RETURNING true) SELECT pg_catalog.count(*)::pg_catalog.int4 FROM written");
            break;
        case StatementKind::cell_upsert_call:
            sql("SELECT r FROM ").table("cell_upsert")("($1, $2, $3, $4, $5) AS r");
            break;
        case StatementKind::cell_release_call:
            sql("SELECT r FROM ").table("cell_release")("($1, $2, $3) AS r");
            break;
        case StatementKind::batch_enrich_call:
            sql("SELECT e FROM ").table("cell_enrich_many")("($1, $2) AS e");
            break;
        case StatementKind::batch_release_call:
            sql("SELECT n FROM ").table("cell_release_many")("($1, $2) AS n");
            break;
        case StatementKind::batch_call:
            sql("SELECT n FROM ").table("cell_upsert_many")("($1, $2) AS n");
            break;
        case StatementKind::key_share_lock:
            throw std::logic_error("key_share_lock is built by key_share_lock_sql");
        case StatementKind::key_share_locks:
            throw std::logic_error("key_share_locks is built by key_share_locks_sql");
    }
    // clang-format on
    return std::move(sql.text);
}

std::string key_share_lock_sql(const LockTarget &target) {
    Sql sql{std::string(), std::string_view(), std::string_view()};
    const bool by_key = target.reads == IdReads::by_key && !target.list_column.empty();
    if (by_key)
        sql("SELECT FROM pg_catalog.unnest(")(target.ids)(") WITH ORDINALITY AS k (id, n) CROSS JOIN LATERAL (");
    sql("SELECT FROM ")(target.only ? "ONLY " : "")(target.table)(" x WHERE x.");
    if (target.list_column.empty()) {
        sql(target.id_column)(kEq)("$1");
    } else if (!by_key) {
        // Rows are locked as the plan returns them: sorted, whatever the scan.
        sql(target.list_column)(kEq)("$1 AND x.")(target.id_column)(kEq)("ANY (")(target.ids)(") ORDER BY x.")(
            target.id_column);
    } else {
        // Each id by the primary key, in the array's order, which is sorted: the same order.
        sql(target.list_column)(kEq)("$1 AND x.")(target.id_column)(
            kEq)("k.id LIMIT 1 FOR KEY SHARE OF x) l ORDER BY k.n");
        return std::move(sql.text);
    }
    sql(" FOR KEY SHARE OF x");
    return std::move(sql.text);
}

std::string key_share_locks_sql(const LockTarget &lists, LockTarget columns, LockTarget rows) {
    columns.ids = "$2";
    rows.ids = "$3";
    // Uncorrelated scalar subqueries: InitPlans, run in the order of the select list.
    std::string sql = "SELECT (SELECT pg_catalog.count(*) FROM (";
    sql += key_share_lock_sql(lists);
    sql += ") l), (SELECT pg_catalog.count(*) FROM (";
    sql += key_share_lock_sql(columns);
    sql += ") c), (SELECT pg_catalog.count(*) FROM (";
    sql += key_share_lock_sql(rows);
    sql += ") r)";
    return sql;
}

std::string id_literal(const IdBytes &id) {
    char text[kIdTextLength + 1];
    format_id(id, text);
    std::string literal;
    literal.reserve(kIdTextLength + 20);
    literal += '\'';
    literal += text;
    literal += "'::pg_catalog.uuid";
    return literal;
}

}  // namespace cellupsert::core
