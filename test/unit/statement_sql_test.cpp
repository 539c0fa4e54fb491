#include "statement_sql.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

using cellupsert::core::kStatementKinds;
using cellupsert::core::statement_sql;
using cellupsert::core::StatementKind;
using cellupsert::core::TablesShape;

namespace {

constexpr StatementKind kAllKinds[] = {StatementKind::cell_upsert,        StatementKind::cell_diagnose,
                                       StatementKind::batch_upsert,       StatementKind::batch_find_failure,
                                       StatementKind::batch_visible_keys, StatementKind::lock_list,
                                       StatementKind::lock_columns,       StatementKind::lock_rows};
static_assert(sizeof kAllKinds / sizeof kAllKinds[0] == kStatementKinds);

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

bool contains(const std::string &text, const std::string &piece) {
    return text.find(piece) != std::string::npos;
}

std::string upsert(const TablesShape &shape) {
    return statement_sql(StatementKind::cell_upsert, shape, "\"my app\"");
}

}  // namespace

TEST(StatementSql, CanonicalUpsert) {
    const std::string sql = upsert(TablesShape{});
    EXPECT_TRUE(contains(sql, "INSERT INTO \"my app\".list_company_cells (list_id, column_id, company_row_id, value, status, created_at, updated_at)"));
    EXPECT_TRUE(contains(sql, "SELECT l.id, c.id, r.id, $4, 'complete', pg_catalog.now(), pg_catalog.now() FROM"));
    EXPECT_TRUE(contains(sql, "ON CONFLICT (list_id, column_id, company_row_id) DO UPDATE SET value = EXCLUDED.value, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at"));
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
        EXPECT_TRUE(contains(sql, "source = EXCLUDED.source, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at"));
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
        if (kind == StatementKind::cell_upsert || kind == StatementKind::batch_upsert ||
            kind == StatementKind::batch_find_failure) {
            EXPECT_TRUE(contains(sql, "c.subject OPERATOR(pg_catalog.=) 'company'")) << sql;
            EXPECT_FALSE(contains(sql, "'company'::")) << sql;
        }
    }
}

// Nothing a search_path can redirect: every relation is in the schema, every function and
// operator in pg_catalog, in every statement of every shape.
TEST(StatementSql, EverythingIsQualifiedInEveryShape) {
    const std::regex relation(R"((FROM|JOIN|INTO) +([^ (]+))");
    const std::regex call(R"(([A-Za-z_.]+)\()");
    const std::regex bare_operator(R"( (=|<>|<|>|~) )");
    for (const TablesShape &shape : all_shapes())
        for (StatementKind kind : kAllKinds) {
            const std::string sql = statement_sql(kind, shape, "app");
            for (auto m = std::sregex_iterator(sql.begin(), sql.end(), relation); m != std::sregex_iterator(); ++m) {
                const std::string name = (*m)[2];
                EXPECT_TRUE(name.rfind("app.", 0) == 0 || name == "ROWS") << name << " in " << sql;
            }
            for (auto m = std::sregex_iterator(sql.begin(), sql.end(), call); m != std::sregex_iterator(); ++m) {
                const std::string name = (*m)[1];
                const bool keyword = name == "EXISTS" || name == "FROM" || name == "CONFLICT" || name == "u" ||
                                     name == "INTO" || name == "SELECT" || name == "OPERATOR" || name == "ARRAY";
                EXPECT_TRUE(keyword || name.rfind("pg_catalog.", 0) == 0 || name.rfind("app.", 0) == 0)
                    << name << " in " << sql;
            }
            for (std::size_t at = sql.find("OPERATOR("); at != std::string::npos; at = sql.find("OPERATOR(", at + 1))
                EXPECT_EQ(sql.compare(at, 20, "OPERATOR(pg_catalog."), 0) << sql;
            // "=" appears only as the assignments of the SET list.
            std::string without_set = sql.substr(0, sql.find(" DO UPDATE SET "));
            EXPECT_FALSE(std::regex_search(without_set, bare_operator)) << sql;
        }
}

TEST(StatementSql, TheSchemaIsUsedAsQuoted) {
    const std::string sql = statement_sql(StatementKind::cell_diagnose, TablesShape{}, "\"A\"\"b\"");
    EXPECT_TRUE(contains(sql, "FROM \"A\"\"b\".lists l"));
    EXPECT_TRUE(contains(sql, "FROM \"A\"\"b\".list_columns c"));
    EXPECT_TRUE(contains(sql, "FROM \"A\"\"b\".list_companies r"));
}

// The batch's locks: key-share, in id order, each table filtered by the list.
TEST(StatementSql, BatchLocksInIdOrder) {
    EXPECT_EQ(statement_sql(StatementKind::lock_list, TablesShape{}, "app"),
              "SELECT FROM app.lists x WHERE x.id OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF x");
    EXPECT_EQ(statement_sql(StatementKind::lock_rows, TablesShape{}, "app"),
              "SELECT FROM app.list_companies x WHERE x.list_id OPERATOR(pg_catalog.=) $1 AND x.id "
              "OPERATOR(pg_catalog.=) ANY ($2) ORDER BY x.id FOR KEY SHARE OF x");
    EXPECT_TRUE(contains(statement_sql(StatementKind::lock_columns, TablesShape{}, "app"),
                         "FROM app.list_columns x WHERE x.list_id"));
}
