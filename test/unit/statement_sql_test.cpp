#include "statement_sql.h"

#include <algorithm>
#include <gtest/gtest.h>

#include <regex>
#include <string>

using cellupsert::core::has_by_key_form;
using cellupsert::core::Identity;
using cellupsert::core::IdReads;
using cellupsert::core::kStatements;
using cellupsert::core::statement_sql;
using cellupsert::core::StatementKind;
using cellupsert::core::StatementSet;
using cellupsert::core::StatementSpec;
using cellupsert::core::TablesShape;

namespace {

// The kinds of a set built from the tables' shape, from the catalogue.
std::vector<StatementKind> kinds_of(StatementSet set) {
    std::vector<StatementKind> kinds;
    for (const StatementSpec &spec : kStatements)
        if (spec.set == set && spec.identity == Identity::caller) kinds.push_back(spec.kind);
    return kinds;
}
const std::vector<StatementKind> kSingleNodeKinds = kinds_of(StatementSet::single_node);
// The Citus set's statements on the list tables (list_placement and list_shard_names read
// Citus's catalogs).
const std::vector<StatementKind> kCitusKinds = [] {
    std::vector<StatementKind> kinds = kinds_of(StatementSet::distributed);
    kinds.erase(std::find(kinds.begin(), kinds.end(), StatementKind::list_placement));
    kinds.erase(std::find(kinds.begin(), kinds.end(), StatementKind::list_shard_names));
    return kinds;
}();
// Every kind built from the tables' shape: all but those run as a table's owner, which are
// built from the one table they name (key_share_lock_sql).
const std::vector<StatementKind> kAllKinds = [] {
    std::vector<StatementKind> kinds;
    for (const StatementSpec &spec : kStatements)
        if (spec.identity == Identity::caller) kinds.push_back(spec.kind);
    return kinds;
}();

// Every combination of the shape's flags.
std::vector<TablesShape> all_shapes() {
    std::vector<TablesShape> shapes;
    for (int bits = 0; bits < 32; ++bits) {
        TablesShape s;
        s.cells_have_list_id = bits & 1;
        s.conflict_key_has_list_id = (bits & 2) && s.cells_have_list_id;
        s.has_created_at = bits & 4;
        s.has_updated_at = bits & 8;
        s.has_provenance = bits & 16;
        shapes.push_back(s);
    }
    return shapes;
}

// The shapes the Citus set is used for (discovery: distributed cells carry list_id in their
// conflict key).
std::vector<TablesShape> distributed_shapes() {
    std::vector<TablesShape> shapes;
    for (TablesShape s : all_shapes())
        if (s.cells_have_list_id && s.conflict_key_has_list_id) {
            s.distributed = true;
            shapes.push_back(s);
        }
    return shapes;
}

int count_of(const std::string &text, const std::string &piece) {
    int n = 0;
    for (std::size_t at = text.find(piece); at != std::string::npos; at = text.find(piece, at + 1)) ++n;
    return n;
}

bool contains(const std::string &text, const std::string &piece) { return text.find(piece) != std::string::npos; }

std::string upsert(const TablesShape &shape) { return statement_sql(StatementKind::cell_upsert, shape, "\"my app\""); }

}  // namespace

TEST(StatementSql, CanonicalUpsert) {
    const std::string sql = upsert(TablesShape{});
    EXPECT_TRUE(contains(
        sql,
        "INSERT INTO \"my app\".list_company_cells (list_id, column_id, company_row_id, value, status, created_at, updated_at)"));
    EXPECT_TRUE(contains(sql, "SELECT l.id, c.id, r.id, $4, 'complete', pg_catalog.now(), pg_catalog.now() FROM"));
    EXPECT_TRUE(contains(
        sql,
        "ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at"));
    EXPECT_FALSE(contains(sql, "$5"));
}

TEST(StatementSql, OriginalApiShapeHasNoListIdInTheCells) {
    TablesShape shape;
    shape.cells_have_list_id = false;
    shape.conflict_key_has_list_id = false;
    for (StatementKind kind : {StatementKind::cell_upsert, StatementKind::batch_upsert}) {
        const std::string sql = statement_sql(kind, shape, "app");
        EXPECT_TRUE(contains(sql, "INSERT INTO app.list_company_cells (column_id, company_row_id, value, status"));
        EXPECT_TRUE(contains(sql, ") SELECT c.id, r.id, "));
        EXPECT_TRUE(contains(sql, "ON CONFLICT (column_id, company_row_id) DO UPDATE"));
        // The column and the row are still checked against the list.
        EXPECT_TRUE(contains(sql, "c.list_id OPERATOR(pg_catalog.=) l.id"));
        EXPECT_TRUE(contains(sql, "r.list_id OPERATOR(pg_catalog.=) l.id"));
    }
}

TEST(StatementSql, ListIdInTheCellsButAKeyWithoutIt) {
    TablesShape shape;
    shape.conflict_key_has_list_id = false;
    const std::string sql = upsert(shape);
    EXPECT_TRUE(contains(sql, "(list_id, column_id, company_row_id, value"));
    EXPECT_TRUE(contains(sql, "ON CONFLICT (column_id, company_row_id) DO UPDATE"));
}

TEST(StatementSql, ProvenanceWrittenOnInsertAndUpdate) {
    TablesShape shape;
    shape.has_provenance = true;
    for (StatementKind kind : {StatementKind::cell_upsert, StatementKind::batch_upsert}) {
        const std::string sql = statement_sql(kind, shape, "app");
        EXPECT_TRUE(contains(sql, ", source, edited_by, edited_at)"));
        EXPECT_TRUE(contains(sql, ", 'manual', $5, pg_catalog.now()"));
        EXPECT_TRUE(
            contains(sql, "source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at"));
    }
}

TEST(StatementSql, TimestampsOnlyWhenTheTableHasThem) {
    TablesShape shape;
    shape.has_created_at = false;
    shape.has_updated_at = false;
    const std::string sql = upsert(shape);
    EXPECT_FALSE(contains(sql, "created_at"));
    EXPECT_FALSE(contains(sql, "updated_at"));
    EXPECT_FALSE(contains(sql, "now()"));
    shape.has_updated_at = true;
    EXPECT_TRUE(contains(upsert(shape), "status, updated_at) SELECT"));
}

// Literals written to status and source, and compared with subject, are untyped, so that
// PostgreSQL coerces them to the column's type (an enum, a domain).
TEST(StatementSql, LiteralsTakeTheColumnsTypes) {
    TablesShape shape;
    shape.has_provenance = true;
    for (StatementKind kind : kAllKinds) {
        const std::string sql = statement_sql(kind, shape, "app");
        EXPECT_FALSE(contains(sql, "'complete'::")) << sql;
        EXPECT_FALSE(contains(sql, "'manual'::")) << sql;
        // The statements that compare the subject (column_check returns it to the caller).
        if (kind == StatementKind::cell_upsert || kind == StatementKind::batch_upsert ||
            kind == StatementKind::batch_find_failure || kind == StatementKind::batch_company_columns) {
            EXPECT_TRUE(contains(sql, "c.subject OPERATOR(pg_catalog.=) 'company'")) << sql;
            EXPECT_FALSE(contains(sql, "'company'::")) << sql;
        }
    }
}

// Nothing a search_path can redirect: every relation is in the schema, every function and
// operator in pg_catalog, in every statement of every shape.
TEST(StatementSql, EverythingIsQualifiedInEveryShape) {
    const std::regex relation(R"((^UPDATE|FROM|JOIN|INTO) +([^ (]+))");
    const std::regex call(R"(([A-Za-z_.]+)\()");
    const std::regex bare_operator(R"( (=|<>|<|>|~) )");
    for (const TablesShape &shape : all_shapes())
        for (StatementKind kind : kAllKinds)
            for (IdReads reads : {IdReads::join, IdReads::by_key}) {
                const std::string sql = statement_sql(kind, shape, "app", "$1", reads);
                for (auto m = std::sregex_iterator(sql.begin(), sql.end(), relation); m != std::sregex_iterator();
                     ++m) {
                    const std::string name = (*m)[2];
                    // written, accepted: the CTEs of the batch writes; LATERAL and a function of
                    // pg_catalog (unnest): a by-key read.
                    EXPECT_TRUE(name.rfind("app.", 0) == 0 || name == "ROWS" || name.rfind("written", 0) == 0 ||
                                name.rfind("accepted", 0) == 0 || name == "LATERAL" ||
                                name.rfind("pg_catalog.", 0) == 0)
                        << name << " in " << sql;
                }
                for (auto m = std::sregex_iterator(sql.begin(), sql.end(), call); m != std::sregex_iterator(); ++m) {
                    const std::string name = (*m)[1];
                    const bool keyword = name == "EXISTS" || name == "FROM" || name == "CONFLICT" || name == "u" ||
                                         name == "INTO" || name == "SELECT" || name == "OPERATOR" || name == "ARRAY";
                    EXPECT_TRUE(keyword || name.rfind("pg_catalog.", 0) == 0 || name.rfind("app.", 0) == 0)
                        << name << " in " << sql;
                }
                for (std::size_t at = sql.find("OPERATOR("); at != std::string::npos;
                     at = sql.find("OPERATOR(", at + 1))
                    EXPECT_EQ(sql.compare(at, 20, "OPERATOR(pg_catalog."), 0) << sql;
                // "=" appears only as the assignments of the SET list (of an upsert, which ends
                // the text, or of an UPDATE, before its FROM or WHERE).
                std::string without_set = sql.substr(0, sql.find(" DO UPDATE SET "));
                if (sql.rfind("UPDATE ", 0) == 0) {
                    const bool from = contains(sql, " FROM ");
                    without_set = sql.substr(0, sql.find(" SET ")) + sql.substr(sql.find(from ? " FROM " : " WHERE "));
                }
                EXPECT_FALSE(std::regex_search(without_set, bare_operator)) << sql;
            }
}

TEST(StatementSql, TheSchemaIsUsedAsQuoted) {
    const std::string sql = statement_sql(StatementKind::cell_diagnose, TablesShape{}, "\"A\"\"b\"");
    EXPECT_TRUE(contains(sql, "FROM \"A\"\"b\".lists l"));
    EXPECT_TRUE(contains(sql, "FROM \"A\"\"b\".list_columns c"));
    EXPECT_TRUE(contains(sql, "FROM \"A\"\"b\".list_companies r"));
}

// The Citus set: each statement reads or writes one table, filtered at the top of its WHERE
// clause by the list (list_id = $1, or the lists' id = $1), with no join and no subquery, so
// that Citus's fast-path planner routes it and a function distributed with force_delegation
// may run it. Checked on every shape the set is used for.
TEST(CitusStatementSql, OneTableFilteredByTheListEach) {
    const std::regex relation(R"((^UPDATE|FROM|JOIN|INTO) +app\.([a-z_]+))");
    for (const TablesShape &shape : distributed_shapes())
        for (StatementKind kind : kCitusKinds) {
            const std::string sql = statement_sql(kind, shape, "app");
            int tables = 0;
            std::string table;
            for (auto m = std::sregex_iterator(sql.begin(), sql.end(), relation); m != std::sregex_iterator(); ++m) {
                ++tables;
                table = (*m)[2];
            }
            EXPECT_EQ(tables, 1) << sql;
            EXPECT_FALSE(contains(sql, " JOIN ")) << sql;
            EXPECT_FALSE(contains(sql, "(SELECT")) << sql;
            EXPECT_FALSE(contains(sql, "EXISTS")) << sql;
            if (table == "lists") {
                EXPECT_TRUE(contains(sql, " WHERE l.id OPERATOR(pg_catalog.=) $1")) << sql;
            } else if (table == "list_columns") {
                EXPECT_TRUE(contains(sql, " WHERE c.list_id OPERATOR(pg_catalog.=) $1 AND ")) << sql;
            } else if (table == "list_companies") {
                EXPECT_TRUE(contains(sql, " WHERE r.list_id OPERATOR(pg_catalog.=) $1 AND ")) << sql;
            } else if (contains(sql, "INSERT INTO ")) {
                // The inserts: the cells' list_id is $1, their first value.
                EXPECT_EQ(table, "list_company_cells") << sql;
                EXPECT_TRUE(
                    contains(sql,
                             "INSERT INTO app.list_company_cells (list_id, column_id, company_row_id, value, status") ||
                    contains(
                        sql,
                        "INSERT INTO app.list_company_cells AS x (list_id, column_id, company_row_id, value, status"))
                    << sql;
                EXPECT_TRUE(contains(sql, "VALUES ($1, ") || contains(sql, "SELECT $1, ")) << sql;
                const std::string key = "ON CONFLICT (list_id, column_id, company_row_id)";
                EXPECT_TRUE(contains(sql, key + " DO UPDATE SET value = EXCLUDED.value, status = EXCLUDED.status") ||
                            contains(sql, key + " DO NOTHING"))
                    << sql;
            } else {
                // An update or a read of cells: the list's first, then the column and the row.
                EXPECT_EQ(table, "list_company_cells") << sql;
                EXPECT_TRUE(
                    contains(sql, " WHERE x.list_id OPERATOR(pg_catalog.=) $1 AND x.column_id OPERATOR(pg_catalog.=) "))
                    << sql;
                EXPECT_TRUE(contains(sql, " AND x.company_row_id OPERATOR(pg_catalog.=) ")) << sql;
            }
            // No WHERE clause has an OR, and the list appears once per statement as a filter.
            EXPECT_FALSE(contains(sql, " OR ")) << sql;
            EXPECT_EQ(count_of(sql, "$1"), 1) << sql;
        }
}

// The shard of lists that holds the list, found by Citus from the table's name as a regclass
// literal (the schema's quotes doubled inside it), whether this node has a placement of it, and
// whether that is its only one.
TEST(CitusStatementSql, TheListPlacement) {
    const TablesShape shape = distributed_shapes().front();
    EXPECT_EQ(statement_sql(StatementKind::list_placement, shape, "app"),
              "SELECT s.shard, EXISTS (SELECT FROM pg_catalog.pg_dist_placement p, pg_catalog.pg_dist_local_group g"
              " WHERE p.shardid OPERATOR(pg_catalog.=) s.shard AND p.groupid OPERATOR(pg_catalog.=) g.groupid),"
              " (SELECT pg_catalog.count(*) FROM pg_catalog.pg_dist_placement p"
              " WHERE p.shardid OPERATOR(pg_catalog.=) s.shard) OPERATOR(pg_catalog.=) 1"
              " FROM (SELECT pg_catalog.get_shard_id_for_distribution_column('app.lists'::pg_catalog.regclass, $1)"
              " AS shard) s");
    EXPECT_TRUE(contains(statement_sql(StatementKind::list_placement, shape, "\"it's\""),
                         "('\"it''s\".lists'::pg_catalog.regclass, $1)"));
}

// The names of the list's shards, one column per table, from Citus's functions, always
// schema-qualified (shard_name() leaves those of public bare unless told not to: the caller's
// search path, pg_temp first, would then resolve them); the reads on a worker that holds them
// name them in place of the tables, and take the list as $1. Then the history's shard and
// its ids' sequence, only where the history is hash-distributed co-located with the lists.
TEST(CitusStatementSql, TheShardNames) {
    const TablesShape shape = distributed_shapes().front();
    EXPECT_EQ(
        statement_sql(StatementKind::list_shard_names, shape, "app"),
        "SELECT pg_catalog.shard_name('app.lists'::pg_catalog.regclass,"
        " pg_catalog.get_shard_id_for_distribution_column('app.lists'::pg_catalog.regclass, $1), false),"
        " pg_catalog.shard_name('app.list_columns'::pg_catalog.regclass,"
        " pg_catalog.get_shard_id_for_distribution_column('app.list_columns'::pg_catalog.regclass, $1), false),"
        " pg_catalog.shard_name('app.list_companies'::pg_catalog.regclass,"
        " pg_catalog.get_shard_id_for_distribution_column('app.list_companies'::pg_catalog.regclass, $1), false),"
        " pg_catalog.shard_name('app.list_company_cells'::pg_catalog.regclass,"
        " pg_catalog.get_shard_id_for_distribution_column('app.list_company_cells'::pg_catalog.regclass, $1), false),"
        " h.shard, h.sequence FROM (SELECT NULL) n LEFT JOIN (SELECT pg_catalog.shard_name(p.logicalrelid,"
        " pg_catalog.get_shard_id_for_distribution_column(p.logicalrelid, $1), false) AS shard,"
        " (SELECT d.objid FROM pg_catalog.pg_attribute a, pg_catalog.pg_depend d, pg_catalog.pg_class s"
        " WHERE a.attrelid OPERATOR(pg_catalog.=) p.logicalrelid AND a.attname OPERATOR(pg_catalog.=) 'id'"
        " AND d.refobjid OPERATOR(pg_catalog.=) p.logicalrelid AND d.refobjsubid OPERATOR(pg_catalog.=) a.attnum"
        " AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass"
        " AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass"
        " AND d.deptype::pg_catalog.text OPERATOR(pg_catalog.=) ANY ('{a,i}'::pg_catalog.text[])"
        " AND s.oid OPERATOR(pg_catalog.=) d.objid AND s.relkind OPERATOR(pg_catalog.=) 'S'"
        " ORDER BY d.deptype::pg_catalog.text DESC LIMIT 1) AS sequence"
        " FROM pg_catalog.pg_dist_partition p, pg_catalog.pg_dist_partition l"
        " WHERE p.logicalrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass('app.list_cell_history'::pg_catalog.text)"
        " AND l.logicalrelid OPERATOR(pg_catalog.=) 'app.lists'::pg_catalog.regclass"
        " AND p.colocationid OPERATOR(pg_catalog.=) l.colocationid AND p.partmethod OPERATOR(pg_catalog.=) 'h'"
        " AND pg_catalog.column_to_column_name(p.logicalrelid, p.partkey) OPERATOR(pg_catalog.=) 'list_id') h ON true");
    const cellupsert::core::ShardNames shards{"app.lists_102008", "app.list_columns_102040",
                                              "app.list_companies_102072", "app.list_company_cells_102104"};
    EXPECT_EQ(statement_sql(StatementKind::column_check, shape, "app", "$1", cellupsert::core::IdReads::join, &shards),
              "SELECT c.subject::pg_catalog.text FROM app.list_columns_102040 c"
              " WHERE c.list_id OPERATOR(pg_catalog.=) $1 AND c.id OPERATOR(pg_catalog.=) $2");
    EXPECT_EQ(statement_sql(StatementKind::list_check, shape, "app", "$1", cellupsert::core::IdReads::join, &shards),
              "SELECT FROM app.lists_102008 l WHERE l.id OPERATOR(pg_catalog.=) $1");
    EXPECT_TRUE(contains(statement_sql(StatementKind::cell_version_get, shape, "app", "$1",
                                       cellupsert::core::IdReads::join, &shards),
                         " FROM app.list_company_cells_102104 x WHERE x.list_id OPERATOR(pg_catalog.=) $1 AND "));
}

// The writes of one cell that a call holding the list's shards runs on the cells' shard:
// each names the shard and no table of the schema (but the extension's own function, kept
// qualified), with the list as $1. The history's shard is looked up by a text literal of
// its qualified name, the schema's quotes doubled.
TEST(CitusStatementSql, TheWritesOfOneCellOnTheShard) {
    const cellupsert::core::ShardNames shards{"app.lists_102008", "app.list_columns_102040",
                                              "app.list_companies_102072", "app.list_company_cells_102104"};
    int kinds = 0;
    for (const TablesShape &shape : distributed_shapes())
        for (const auto &spec : cellupsert::core::kStatements) {
            if (!cellupsert::core::writes_one_cell(spec.kind)) continue;
            ++kinds;
            const std::string sql =
                statement_sql(spec.kind, shape, "app", "$1", cellupsert::core::IdReads::join, &shards);
            EXPECT_TRUE(contains(sql, "app.list_company_cells_102104")) << sql;
            EXPECT_FALSE(contains(sql, "app.list_company_cells ")) << sql;
            EXPECT_FALSE(contains(sql, "app.lists")) << sql;
            if (contains(sql, "cell_version_of")) EXPECT_TRUE(contains(sql, "app.cell_version_of(")) << sql;
        }
    EXPECT_EQ(kinds % 5, 0);
    EXPECT_GT(kinds, 0);
    EXPECT_TRUE(contains(statement_sql(StatementKind::list_shard_names, distributed_shapes().front(), "\"it's\""),
                         "pg_catalog.to_regclass('\"it''s\".list_cell_history'::pg_catalog.text)"));
}

TEST(CitusStatementSql, TheChecks) {
    const TablesShape shape = distributed_shapes().front();
    EXPECT_EQ(statement_sql(StatementKind::list_check, shape, "app"),
              "SELECT FROM app.lists l WHERE l.id OPERATOR(pg_catalog.=) $1");
    EXPECT_EQ(statement_sql(StatementKind::column_check, shape, "app"),
              "SELECT c.subject::pg_catalog.text FROM app.list_columns c"
              " WHERE c.list_id OPERATOR(pg_catalog.=) $1 AND c.id OPERATOR(pg_catalog.=) $2");
    EXPECT_EQ(statement_sql(StatementKind::row_check, shape, "app"),
              "SELECT FROM app.list_companies r"
              " WHERE r.list_id OPERATOR(pg_catalog.=) $1 AND r.id OPERATOR(pg_catalog.=) $2");
    EXPECT_EQ(statement_sql(StatementKind::batch_company_columns, shape, "app"),
              "SELECT c.id FROM app.list_columns c WHERE c.list_id OPERATOR(pg_catalog.=) $1"
              " AND c.id OPERATOR(pg_catalog.=) ANY ($2)"
              " AND c.subject OPERATOR(pg_catalog.=) 'company'");
    EXPECT_EQ(statement_sql(StatementKind::batch_visible_rows, shape, "app"),
              "SELECT r.id FROM app.list_companies r WHERE r.list_id OPERATOR(pg_catalog.=) $1"
              " AND r.id OPERATOR(pg_catalog.=) ANY ($2)");
}

// The Citus reads take the list as a literal in place of $1, where the list filters: Citus
// then prunes while planning. The ids' text is canonical, so the literal needs no escaping.
TEST(CitusStatementSql, TheReadsTakeTheListAsALiteral) {
    const unsigned char id[16] = {0x10, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0x01};
    const std::string list = cellupsert::core::id_literal(id);
    EXPECT_EQ(list, "'10000000-0000-4000-8000-000000000001'::pg_catalog.uuid");
    const TablesShape shape = distributed_shapes().front();
    EXPECT_EQ(statement_sql(StatementKind::list_check, shape, "app", list),
              "SELECT FROM app.lists l WHERE l.id OPERATOR(pg_catalog.=) " + list);
    EXPECT_EQ(statement_sql(StatementKind::column_check, shape, "app", list),
              "SELECT c.subject::pg_catalog.text FROM app.list_columns c"
              " WHERE c.list_id OPERATOR(pg_catalog.=) " +
                  list + " AND c.id OPERATOR(pg_catalog.=) $2");
    for (StatementKind kind :
         {StatementKind::row_check, StatementKind::batch_company_columns, StatementKind::batch_visible_rows}) {
        const std::string sql = statement_sql(kind, shape, "app", list);
        EXPECT_TRUE(contains(sql, ".list_id OPERATOR(pg_catalog.=) " + list + " AND ")) << sql;
        EXPECT_FALSE(contains(sql, "$1")) << sql;
    }
    // The writes and the single-node set keep $1.
    EXPECT_EQ(statement_sql(StatementKind::cell_write, shape, "app", list),
              statement_sql(StatementKind::cell_write, shape, "app"));
    EXPECT_EQ(statement_sql(StatementKind::cell_upsert, shape, "app", list),
              statement_sql(StatementKind::cell_upsert, shape, "app"));
}

TEST(CitusStatementSql, TheWritesOfTheCanonicalShape) {
    TablesShape shape;
    shape.has_provenance = true;
    shape.distributed = true;
    const std::string set =
        " ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE SET value = EXCLUDED.value,"
        " status = EXCLUDED.status, updated_at = EXCLUDED.updated_at, source = EXCLUDED.source,"
        " edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at";
    const std::string columns =
        "INSERT INTO app.list_company_cells (list_id, column_id, company_row_id, value, status, created_at,"
        " updated_at, source, edited_by, edited_at)";
    EXPECT_EQ(statement_sql(StatementKind::cell_write, shape, "app"),
              columns +
                  " VALUES ($1, $3, $2, $4, 'complete', pg_catalog.now(), pg_catalog.now(), 'manual', $5,"
                  " pg_catalog.now())" +
                  set);
    EXPECT_EQ(statement_sql(StatementKind::batch_write, shape, "app"),
              "WITH written AS (" + columns +
                  " SELECT $1, u.col_id, u.row_id, u.val, 'complete', pg_catalog.now(), pg_catalog.now(),"
                  " 'manual', $5, pg_catalog.now()"
                  " FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4))"
                  " WITH ORDINALITY AS u (row_id, col_id, val, position) ORDER BY u.position" +
                  set + " RETURNING true) SELECT pg_catalog.count(*)::pg_catalog.int4 FROM written");
}

// The overwrite that cell_upsert tries first on Citus: the upsert's update, with the list a
// literal and the time a parameter ($6, what now() gives), so that no function is left for
// Citus to evaluate at each execution (it would deparse the shard query again); in every
// shape, no function call at all.
TEST(CitusStatementSql, TheOverwriteNamesNoFunction) {
    TablesShape shape;
    shape.has_provenance = true;
    shape.distributed = true;
    const unsigned char id[16] = {0x10, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0x01};
    const std::string list = cellupsert::core::id_literal(id);
    EXPECT_EQ(statement_sql(StatementKind::cell_overwrite, shape, "app", list),
              "UPDATE app.list_company_cells x SET value = $4, status = 'complete', updated_at = $6,"
              " source = 'manual', edited_by = $5, edited_at = $6 WHERE x.list_id OPERATOR(pg_catalog.=) " +
                  list + " AND x.column_id OPERATOR(pg_catalog.=) $3 AND x.company_row_id OPERATOR(pg_catalog.=) $2");
    for (const TablesShape &each : distributed_shapes()) {
        const std::string sql = statement_sql(StatementKind::cell_overwrite, each, "app", list);
        EXPECT_FALSE(contains(sql, "now()")) << sql;
        EXPECT_FALSE(contains(sql, "$1")) << sql;
    }
}

// The writes follow the shape's optional columns as the single-node set does, and write the
// same columns with the same values.
TEST(CitusStatementSql, TheWritesFollowTheShape) {
    for (const TablesShape &shape : distributed_shapes()) {
        const std::string single = statement_sql(StatementKind::cell_upsert, shape, "app");
        const std::string write = statement_sql(StatementKind::cell_write, shape, "app");
        const std::string batch = statement_sql(StatementKind::batch_write, shape, "app");
        const std::string single_columns = single.substr(0, single.find(") SELECT "));
        EXPECT_EQ(write.substr(0, write.find(") VALUES (")), single_columns) << write;
        EXPECT_EQ(batch.substr(0, batch.find(") SELECT ")), "WITH written AS (" + single_columns) << batch;
        const std::string single_set = single.substr(single.find(" ON CONFLICT "));
        EXPECT_EQ(write.substr(write.find(" ON CONFLICT ")), single_set) << write;
        EXPECT_EQ(batch.substr(batch.find(" ON CONFLICT ")),
                  single_set + " RETURNING true) SELECT pg_catalog.count(*)::pg_catalog.int4 FROM written")
            << batch;
        EXPECT_EQ(contains(write, "$5"), shape.has_provenance) << write;
        EXPECT_EQ(contains(write, "pg_catalog.now()"),
                  shape.has_created_at || shape.has_updated_at || shape.has_provenance)
            << write;
    }
}

// The single-node set does not depend on the flag: the same text, distributed or not.
TEST(CitusStatementSql, TheSingleNodeSetIsUnchanged) {
    for (TablesShape shape : distributed_shapes())
        for (StatementKind kind : kSingleNodeKinds) {
            const std::string distributed = statement_sql(kind, shape, "app");
            shape.distributed = false;
            EXPECT_EQ(statement_sql(kind, shape, "app"), distributed);
            shape.distributed = true;
        }
}

// A call that Citus did not delegate hands itself over as a plain call in FROM, which Citus
// delegates (in a transaction block too, with force_delegation).
TEST(CitusStatementSql, TheCallsHandedOver) {
    const TablesShape shape = distributed_shapes().front();
    EXPECT_EQ(statement_sql(StatementKind::cell_upsert_call, shape, "\"my app\""),
              "SELECT r FROM \"my app\".cell_upsert($1, $2, $3, $4, $5) AS r");
    EXPECT_EQ(statement_sql(StatementKind::batch_call, shape, "app"),
              "SELECT n FROM app.cell_upsert_many($1, $2) AS n");
}

// Citus refuses non-immutable expressions in ON CONFLICT DO UPDATE SET: every write of every
// shape assigns EXCLUDED columns only there.
TEST(StatementSql, EveryUpdateSetsExcludedColumnsOnly) {
    // An enrichment's update skips the cells a person edited: a WHERE on the cell's own source.
    const std::regex plain_set(
        " DO UPDATE SET \\w+ = EXCLUDED\\.\\w+(, \\w+ = EXCLUDED\\.\\w+)*"
        "( WHERE \\(x\\.source OPERATOR\\(pg_catalog\\.=\\) 'manual'\\) IS NOT TRUE)?( RETURNING .*)?$");
    std::vector<TablesShape> shapes = all_shapes();
    for (const TablesShape &s : distributed_shapes()) shapes.push_back(s);
    int writes = 0;
    for (const TablesShape &shape : shapes)
        for (StatementKind kind : kAllKinds) {
            const std::string sql = statement_sql(kind, shape, "app");
            if (!contains(sql, " DO UPDATE SET ")) continue;
            ++writes;
            EXPECT_TRUE(std::regex_search(sql, plain_set)) << sql;
        }
    // cell_upsert, batch_upsert, batch_write_checked, cell_write, batch_write, batch_enrich and
    // batch_enrich_write, in 32 shapes and 8 distributed ones
    EXPECT_EQ(writes, 7 * (32 + 8));
    // The check itself can fail: a SET with now() is not plain.
    EXPECT_FALSE(std::regex_search(std::string(" DO UPDATE SET value = EXCLUDED.value, updated_at = pg_catalog.now()"),
                                   plain_set));
}

// The by-key forms (IdReads::by_key): only the statements the catalogue says have one differ
// from their join form, and in them every id of the batch is read by the whole primary key
// of list_columns or list_companies (list_id and id), never by the list alone.
TEST(StatementSql, ByKeyFormsReadEachIdByThePrimaryKey) {
    int forms = 0;
    for (const TablesShape &shape : all_shapes())
        for (StatementKind kind : kAllKinds) {
            if (kind == StatementKind::key_share_lock || kind == StatementKind::key_share_locks) continue;
            const std::string join = statement_sql(kind, shape, "app", "$1", IdReads::join);
            const std::string by_key = statement_sql(kind, shape, "app", "$1", IdReads::by_key);
            if (!has_by_key_form(kind) || kind == StatementKind::batch_versions) {
                EXPECT_EQ(join, by_key) << join;
                continue;
            }
            ++forms;
            EXPECT_NE(join, by_key) << join;
            EXPECT_FALSE(contains(by_key, " JOIN app.list_columns")) << by_key;
            EXPECT_FALSE(contains(by_key, " JOIN app.list_companies")) << by_key;
            EXPECT_FALSE(contains(by_key, "ANY (")) << by_key;
            EXPECT_TRUE(contains(by_key,
                                 "CROSS JOIN LATERAL (SELECT c.id FROM app.list_columns c WHERE c.list_id "
                                 "OPERATOR(pg_catalog.=) "))
                << by_key;
            // The elements' column must be a company column (batch_visible_keys reads ids only).
            if (kind != StatementKind::batch_visible_keys) {
                EXPECT_TRUE(contains(by_key,
                                     "c.id OPERATOR(pg_catalog.=) u.col_id AND c.subject "
                                     "OPERATOR(pg_catalog.=) 'company' LIMIT 1) c"))
                    << by_key;
            }
            EXPECT_TRUE(contains(by_key,
                                 "CROSS JOIN LATERAL (SELECT r.id FROM app.list_companies r WHERE r.list_id "
                                 "OPERATOR(pg_catalog.=) "))
                << by_key;
        }
    // batch_upsert, batch_insert_if_absent, batch_enrich, batch_visible_keys in the 32 shapes
    EXPECT_EQ(forms, 4 * 32);
}

// The batch's locks: key-share, in id order, on the table under the relation, by its own
// names, each filtered by the list first (so that they serve the Citus set too).
TEST(StatementSql, BatchLocksInIdOrderOnTheTable) {
    using cellupsert::core::key_share_lock_sql;
    EXPECT_EQ(key_share_lock_sql({"crm.\"List\"", "", "\"Id\"", true}),
              "SELECT FROM ONLY crm.\"List\" x WHERE x.\"Id\" OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF x");
    EXPECT_EQ(key_share_lock_sql({"app.list_companies", "list_id", "id", true}),
              "SELECT FROM ONLY app.list_companies x WHERE x.list_id OPERATOR(pg_catalog.=) $1 AND x.id "
              "OPERATOR(pg_catalog.=) ANY ($2) ORDER BY x.id FOR KEY SHARE OF x");
    // A partitioned table is read whole, as PostgreSQL's foreign key checks read it.
    EXPECT_EQ(key_share_lock_sql({"crm.cols", "\"listId\"", "id", false}),
              "SELECT FROM crm.cols x WHERE x.\"listId\" OPERATOR(pg_catalog.=) $1 AND x.id "
              "OPERATOR(pg_catalog.=) ANY ($2) ORDER BY x.id FOR KEY SHARE OF x");
    // By key: each id of the sorted array by the primary key, in the array's order.
    EXPECT_EQ(key_share_lock_sql({"app.list_companies", "list_id", "id", true, IdReads::by_key}),
              "SELECT FROM pg_catalog.unnest($2) WITH ORDINALITY AS k (id, n) CROSS JOIN LATERAL (SELECT FROM ONLY "
              "app.list_companies x WHERE x.list_id OPERATOR(pg_catalog.=) $1 AND x.id OPERATOR(pg_catalog.=) k.id "
              "LIMIT 1 FOR KEY SHARE OF x) l ORDER BY k.n");
    // The lists' row is one id: the same either way.
    EXPECT_EQ(key_share_lock_sql({"crm.\"List\"", "", "\"Id\"", true, IdReads::by_key}),
              "SELECT FROM ONLY crm.\"List\" x WHERE x.\"Id\" OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF x");
}

// After checks and locks read by key, a small batch's write reads nothing but its arrays,
// in their order: no join, no sort.
TEST(StatementSql, TheCheckedBatchWriteReadsItsArraysOnly) {
    for (const TablesShape &shape : all_shapes()) {
        const std::string sql = statement_sql(StatementKind::batch_write_checked, shape, "app");
        EXPECT_TRUE(contains(sql,
                             " FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4)) "
                             "AS u (row_id, col_id, val) ON CONFLICT ("))
            << sql;
        EXPECT_FALSE(contains(sql, " JOIN ")) << sql;
        EXPECT_FALSE(contains(sql, " ORDER BY ")) << sql;
    }
}

// The three locks in one statement: list, columns ($2), rows ($3), in that order.
TEST(StatementSql, BatchLocksInOneStatement) {
    using cellupsert::core::key_share_locks_sql;
    EXPECT_EQ(
        key_share_locks_sql({"app.lists", "", "id", true}, {"app.list_columns", "list_id", "id", true},
                            {"app.list_companies", "list_id", "id", true, IdReads::by_key}),
        "SELECT (SELECT pg_catalog.count(*) FROM (SELECT FROM ONLY app.lists x WHERE x.id OPERATOR(pg_catalog.=) "
        "$1 FOR KEY SHARE OF x) l), (SELECT pg_catalog.count(*) FROM (SELECT FROM ONLY app.list_columns x WHERE "
        "x.list_id OPERATOR(pg_catalog.=) $1 AND x.id OPERATOR(pg_catalog.=) ANY ($2) ORDER BY x.id FOR KEY SHARE "
        "OF x) c), (SELECT pg_catalog.count(*) FROM (SELECT FROM pg_catalog.unnest($3) WITH ORDINALITY AS k (id, "
        "n) CROSS JOIN LATERAL (SELECT FROM ONLY app.list_companies x WHERE x.list_id OPERATOR(pg_catalog.=) $1 "
        "AND x.id OPERATOR(pg_catalog.=) k.id LIMIT 1 FOR KEY SHARE OF x) l ORDER BY k.n) r)");
}

// The catalogue (statement_catalog.h) describes the texts: each statement's text uses its
// parameters $1 .. $nargs and no other; the editor appears exactly when the shape records
// provenance; the list is a literal exactly in the statements the catalogue says.
namespace {

std::vector<int> parameters_used(const std::string &sql) {
    std::vector<int> used;
    const std::regex parameter(R"(\$([0-9]+))");
    for (auto m = std::sregex_iterator(sql.begin(), sql.end(), parameter); m != std::sregex_iterator(); ++m)
        used.push_back(std::stoi((*m)[1]));
    return used;
}

bool uses(const std::string &sql, int parameter) {
    for (int used : parameters_used(sql))
        if (used == parameter) return true;
    return false;
}

}  // namespace

TEST(StatementCatalog, EntriesInKindOrder) {
    for (int i = 0; i < cellupsert::core::kStatementKinds; ++i) {
        EXPECT_EQ(static_cast<int>(kStatements[i].kind), i) << kStatements[i].name;
        EXPECT_EQ(&cellupsert::core::statement_spec(kStatements[i].kind), &kStatements[i]);
    }
}

TEST(StatementCatalog, EachTextUsesItsParameters) {
    for (bool provenance : {false, true})
        for (const StatementSpec &spec : kStatements) {
            if (spec.identity != Identity::caller) continue;
            TablesShape shape;
            shape.has_provenance = provenance;
            shape.distributed = spec.set == StatementSet::distributed;
            const std::string sql = statement_sql(spec.kind, shape, "app");
            for (int used : parameters_used(sql)) EXPECT_LE(used, spec.nargs) << spec.name << ": " << sql;
            for (int p = 0; p < spec.nargs; ++p) {
                const bool editor = spec.params[p] == cellupsert::core::Param::editor;
                EXPECT_EQ(uses(sql, p + 1), !editor || provenance) << spec.name << " $" << p + 1 << ": " << sql;
            }
        }
    // The lock uses $1 and, but for the lists, $2.
    using cellupsert::core::key_share_lock_sql;
    EXPECT_EQ(parameters_used(key_share_lock_sql({"app.lists", "", "id", true})), std::vector<int>{1});
    EXPECT_EQ(parameters_used(key_share_lock_sql({"app.list_columns", "list_id", "id", true})),
              (std::vector<int>{1, 2}));
    EXPECT_EQ(cellupsert::core::statement_spec(StatementKind::key_share_lock).nargs, 2);
    const std::string locks = cellupsert::core::key_share_locks_sql({"app.lists", "", "id", true},
                                                                    {"app.list_columns", "list_id", "id", true},
                                                                    {"app.list_companies", "list_id", "id", true});
    EXPECT_EQ(parameters_used(locks), (std::vector<int>{1, 1, 2, 1, 3}));
    EXPECT_EQ(cellupsert::core::statement_spec(StatementKind::key_share_locks).nargs, 3);
}

TEST(StatementCatalog, TheListIsALiteralWhereTheCatalogueSays) {
    const unsigned char id[16] = {0x10, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0x01};
    const std::string list = cellupsert::core::id_literal(id);
    TablesShape shape;
    shape.distributed = true;
    for (const StatementSpec &spec : kStatements) {
        if (spec.identity != Identity::caller) continue;
        const std::string sql = statement_sql(spec.kind, shape, "app", list);
        const bool literal = spec.list == cellupsert::core::ListIn::literal;
        EXPECT_EQ(!uses(sql, 1), literal) << spec.name << ": " << sql;
        EXPECT_EQ(contains(sql, list), literal) << spec.name << ": " << sql;
    }
}

TEST(StatementCatalog, TheLockIsBuiltFromItsTableOnly) {
    EXPECT_THROW(statement_sql(StatementKind::key_share_lock, TablesShape{}, "app"), std::logic_error);
}

// The conditional writes (if_match): the update compares the cell's version on the row it
// locks, with the checks in an uncorrelated EXISTS (an InitPlan, not a join); the insert of an absent cell does nothing
// on a conflict; the version reads name the extension's function, with NULL for a field the cells lack.
TEST(StatementSql, TheConditionalWrites) {
    TablesShape shape;
    shape.has_provenance = true;
    const std::string set =
        "UPDATE app.list_company_cells x SET value = $4, status = 'complete', updated_at = pg_catalog.now(), "
        "source = 'manual', edited_by = $5, edited_at = pg_catalog.now()";
    const std::string version =
        "app.cell_version_of(x.value, x.status::pg_catalog.text, x.reasoning, x.error) OPERATOR(pg_catalog.=) $6";
    EXPECT_EQ(
        statement_sql(StatementKind::cell_update_if_match, shape, "app"),
        set +
            " WHERE x.list_id OPERATOR(pg_catalog.=) $1 AND x.column_id OPERATOR(pg_catalog.=) $3"
            " AND x.company_row_id OPERATOR(pg_catalog.=) $2"
            " AND EXISTS (SELECT FROM app.lists l JOIN app.list_columns c ON c.list_id OPERATOR(pg_catalog.=) l.id"
            " JOIN app.list_companies r ON r.list_id OPERATOR(pg_catalog.=) l.id"
            " WHERE l.id OPERATOR(pg_catalog.=) $1 AND c.id OPERATOR(pg_catalog.=) $3"
            " AND c.subject OPERATOR(pg_catalog.=) 'company' AND r.id OPERATOR(pg_catalog.=) $2) AND " +
            version);
    const std::string upsert = statement_sql(StatementKind::cell_upsert, shape, "app");
    EXPECT_EQ(statement_sql(StatementKind::cell_insert_if_absent, shape, "app"),
              upsert.substr(0, upsert.find(" DO UPDATE SET ")) + " DO NOTHING");
    shape.distributed = true;
    EXPECT_EQ(statement_sql(StatementKind::cell_write_if_match, shape, "app"),
              set +
                  " WHERE x.list_id OPERATOR(pg_catalog.=) $1 AND x.column_id OPERATOR(pg_catalog.=) $3"
                  " AND x.company_row_id OPERATOR(pg_catalog.=) $2 AND " +
                  version);
    const std::string write = statement_sql(StatementKind::cell_write, shape, "app");
    EXPECT_EQ(statement_sql(StatementKind::cell_write_if_absent, shape, "app"),
              write.substr(0, write.find(" DO UPDATE SET ")) + " DO NOTHING");
    TablesShape original;
    original.cells_have_list_id = false;
    original.conflict_key_has_list_id = false;
    original.has_reasoning = false;
    original.has_error = false;
    const std::string read = statement_sql(StatementKind::cell_version_read, original, "app");
    EXPECT_TRUE(contains(read,
                         ", (SELECT app.cell_version_of(x.value, x.status::pg_catalog.text, NULL::pg_catalog.text,"
                         " NULL::pg_catalog.text) FROM app.list_company_cells x WHERE x.column_id"
                         " OPERATOR(pg_catalog.=) $3 AND x.company_row_id OPERATOR(pg_catalog.=) $2)"))
        << read;
}

// The catalogue's writes are the statements that write cells (those of manual edits, which
// the manual-edit guard lets through, src/pg/manual_guard.h, and an enrichment's).
TEST(StatementCatalog, TheWritesAreTheStatementsThatWriteCells) {
    TablesShape shape;
    shape.has_provenance = true;
    int writes = 0;
    for (const StatementSpec &spec : kStatements) {
        if (spec.identity != Identity::caller) continue;
        shape.distributed = spec.set == StatementSet::distributed;
        const std::string sql = statement_sql(spec.kind, shape, "app");
        const bool writes_cells =
            contains(sql, "INSERT INTO app.list_company_cells") || sql.rfind("UPDATE app.list_company_cells", 0) == 0;
        EXPECT_EQ(spec.writes != cellupsert::core::Writes::nothing, writes_cells) << spec.name;
        writes += writes_cells;
    }
    EXPECT_GE(writes, 10);
}

// An enrichment writes its status as given into a text status, and through the type's input
// into an enum one (no text converts to an enum on assignment).
TEST(StatementSql, TheEnrichmentsStatus) {
    TablesShape shape;
    shape.has_provenance = true;
    const std::string text = statement_sql(StatementKind::batch_enrich, shape, "app");
    EXPECT_TRUE(contains(text, "SELECT u.list_id, u.col_id, u.row_id, u.val, u.status, u.reasoning, u.error,")) << text;
    EXPECT_TRUE(contains(text, " WHERE (x.source OPERATOR(pg_catalog.=) 'manual') IS NOT TRUE")) << text;
    shape.status_is_enum = true;
    const std::string status =
        "(pg_catalog.jsonb_populate_record(NULL::app.list_company_cells, "
        "pg_catalog.jsonb_build_object('status', u.status))).status";
    EXPECT_TRUE(contains(statement_sql(StatementKind::batch_enrich, shape, "app"), status));
    shape.distributed = true;
    EXPECT_TRUE(contains(statement_sql(StatementKind::batch_enrich_write, shape, "app"), status));
    shape.has_provenance = false;
    EXPECT_FALSE(contains(statement_sql(StatementKind::batch_enrich, shape, "app"), "source"));
}
