// The loading strategies against their contract (orm/loading/strategy.hpp):
// what each adds to its parents' statement, what it reads from their rows,
// how it finishes the parents — with a scripted connection, no database.
#include <gtest/gtest.h>

#include <deque>

#include "junction/dialects.hpp"
#include "junction/junction.hpp"
#include "orm/loading/plan.hpp"

using namespace junction;
using namespace junction::DataTypes;
using namespace junction::detail;

namespace {

// Answers each statement with the next scripted rows and records it.
class ScriptedConnection final : public Connection {
 public:
  explicit ScriptedConnection(const sql::Dialect& d) : dialect_(d) {}
  const sql::Dialect& dialect() const noexcept override { return dialect_; }
  using Connection::query;
  ResultSet query(std::string_view sql, std::span<const Value> params) override {
    statements.emplace_back(sql);
    parameters.emplace_back(params.begin(), params.end());
    if (answers.empty()) return {};
    ResultSet rs = std::move(answers.front());
    answers.pop_front();
    return rs;
  }
  void execute(std::string_view script) override { query(script, {}); }
  bool isUsable() noexcept override { return true; }
  std::size_t cachedStatements() const noexcept override { return 0; }

  std::vector<std::string> statements;
  std::vector<std::vector<Value>> parameters;
  std::deque<ResultSet> answers;

 protected:
  void beginOutermost(IsolationLevel) override {}

 private:
  const sql::Dialect& dialect_;
};

ResultSet rows(std::vector<std::string> columns, std::vector<std::vector<Value>> data) {
  ResultSet rs;
  rs.columns = std::move(columns);
  for (auto& r : data)
    for (auto& v : r) rs.values.push_back(std::move(v));
  return rs;
}

class Strategies : public ::testing::Test {
 protected:
  // Never connects: every statement goes to a ScriptedConnection.
  Database db{"sqlite::memory:"};
  Model& User = db.define("user", {{"name", STRING}}, {.timestamps = false});
  Model& Post = db.define("post", {{"title", STRING}}, {.timestamps = false});
  void SetUp() override { User.hasMany(Post, {.as = "posts", .foreignKey = "userId"}); }

  // The root statement of `User` as shaped by `plan`: what the load
  // pipeline builds before the root's own clauses.
  struct Root {
    sql::Select select;
    Layout layout;
    Expr filter;
    std::vector<sql::OrderItem> order;
    bool joinedToMany = false;
  };
  void shape(Root& r, const LoadPlan& plan) {
    r.select.from = {User.tableName(), plan.rootAlias, nullptr};
    selectColumns(r.select, User, plan.rootAlias, bindAttributes(User, {}, false),
                  neededKeys(User, plan.nodes), r.layout, ColumnNames::ByAttribute);
    ParentStatement p{r.select, User, plan.rootAlias, r.layout, r.filter, r.order, r.joinedToMany};
    shapeNodes(plan.nodes, p);
  }
  static std::string sqlOf(const sql::Dialect& d, const sql::Select& s) {
    return sql::compile(d, s).sql;
  }
  std::vector<Include> includes;
};

// ------------------------------------------------------------------ choice

TEST_F(Strategies, ThePlannerChoosesPerNode) {
  Post.belongsTo(User, {.as = "author", .foreignKey = "userId"});
  includes = {{.as = "posts"}};
  EXPECT_EQ(planLoad(User, includes, {}).nodes.at(0).strategy->name(), "select-in");
  EXPECT_EQ(planLoad(User, includes, {"posts"}).nodes.at(0).strategy->name(), "joined")
      << "an include the query's clauses name is joined";
  includes = {{.as = "posts", .strategy = LoadStrategy::Join}};
  EXPECT_EQ(planLoad(User, includes, {}).nodes.at(0).strategy->name(), "joined");
  includes = {{.as = "posts", .strategy = LoadStrategy::Separate}};
  EXPECT_THROW(planLoad(User, includes, {"posts"}), UsageError);
  std::vector<Include> toOne{{.as = "author"}};
  LoadPlan p = planLoad(Post, toOne, {});
  EXPECT_EQ(p.nodes.at(0).strategy->name(), "joined") << "to-one includes are joined";
  EXPECT_EQ(p.nodes.at(0).alias, "author");
  // Aliases: a joined node is named by its path, a select-in node by its name.
  std::vector<Include> nested{{.as = "author", .include = {{.as = "posts"}}}};
  LoadPlan n = planLoad(Post, nested, {});
  EXPECT_EQ(n.nodes.at(0).children.at(0).alias, "posts");
  nested = {{.as = "author", .include = {{.as = "posts", .strategy = LoadStrategy::Join}}}};
  LoadPlan j = planLoad(Post, nested, {});
  EXPECT_EQ(j.nodes.at(0).children.at(0).alias, "author->posts");
  ASSERT_EQ(j.joined.size(), 2u);
  EXPECT_EQ(j.joined[1].first, "author->posts");
}

// ------------------------------------------------------------------ joined

TEST_F(Strategies, JoinedShapesTheParentsStatement) {
  includes = {{.as = "posts", .attributes = {"title"}, .strategy = LoadStrategy::Join}};
  LoadPlan plan = planLoad(User, includes, {});
  Root r;
  shape(r, plan);
  EXPECT_TRUE(r.joinedToMany);
  EXPECT_TRUE(r.filter.empty());
  r.select.orderBy = r.order;
  EXPECT_EQ(sqlOf(sqliteDialect(), r.select),
            R"(SELECT "user"."id", "user"."name", "posts"."title" AS "posts.title", )"
            R"("posts"."id" AS "posts.id" FROM "users" AS "user" )"
            R"(LEFT OUTER JOIN "posts" AS "posts" ON "posts"."userId" = "user"."id" )"
            R"(ORDER BY "posts"."id" ASC)");
  // Required: an inner join, the same on PostgreSQL.
  includes = {{.as = "posts", .required = true, .strategy = LoadStrategy::Join}};
  LoadPlan inner = planLoad(User, includes, {});
  Root ri;
  shape(ri, inner);
  EXPECT_NE(sqlOf(postgresDialect(), ri.select)
                .find(R"(INNER JOIN "posts" AS "posts" ON "posts"."userId" = "user"."id")"),
            std::string::npos);
  ASSERT_EQ(r.layout.children.size(), 1u);
  EXPECT_EQ(r.layout.children[0].strategy, &joinedStrategy());
}

TEST_F(Strategies, JoinedConsumesEachRowIntoItsParent) {
  includes = {{.as = "posts", .attributes = {"title"}, .strategy = LoadStrategy::Join}};
  LoadPlan plan = planLoad(User, includes, {});
  Root r;
  shape(r, plan);
  // Columns: user.id, user.name, posts.title, posts.id (hidden key).
  std::vector<Value> row1{Value(1), Value("Ann"), Value("first"), Value(10)};
  std::vector<Value> row2{Value(1), Value("Ann"), Value("second"), Value(11)};
  std::vector<Value> row3{Value(2), Value("Bob"), Value(), Value()};
  std::vector<Instance> out;
  Hydrator sink(r.layout, r.joinedToMany, out);
  sink.expectRows(3);
  EXPECT_EQ(out.capacity(), 0u) << "repeats merge: the row count says nothing of the instances";
  sink.row(row1);
  sink.row(row2);
  sink.row(row3);
  ASSERT_EQ(out.size(), 2u) << "the repeated parent merged";
  const auto& posts = out[0].loadedAssociations().at(0);
  EXPECT_EQ(posts.name, "posts");
  ASSERT_EQ(posts.items.size(), 2u);
  EXPECT_EQ(posts.items[1].get<std::string>("title"), "second");
  EXPECT_TRUE(out[1].loadedAssociations().at(0).items.empty()) << "a null key is no child";
  // Finishing a joined node without nodes below it issues no statement.
  ScriptedConnection conn(sqliteDialect());
  LoadContext ctx{conn};
  std::vector<Instance*> parents{&out[0], &out[1]};
  finishNodes(ctx, plan.nodes, parents);
  EXPECT_TRUE(conn.statements.empty());
}

// --------------------------------------------------------------- select-in

TEST_F(Strategies, SelectInLeavesTheParentsStatementAloneUnlessRequired) {
  includes = {{.as = "posts"}};
  LoadPlan plan = planLoad(User, includes, {});
  Root r;
  shape(r, plan);
  EXPECT_TRUE(r.select.joins.empty());
  EXPECT_TRUE(r.filter.empty());
  EXPECT_TRUE(r.layout.children.empty()) << "it reads nothing from the parents' rows";
  EXPECT_FALSE(r.joinedToMany);

  includes = {{.as = "posts", .where = {{"title", "x"}}}};  // a where makes it required
  LoadPlan required = planLoad(User, includes, {});
  Root rr;
  shape(rr, required);
  rr.select.where = rr.filter;
  EXPECT_EQ(sqlOf(postgresDialect(), rr.select),
            R"(SELECT "user"."id", "user"."name" FROM "users" AS "user" WHERE EXISTS )"
            R"((SELECT 1 FROM "posts" AS "_posts" WHERE "_posts"."userId" = "user"."id" AND )"
            R"("_posts"."title" = $1))");
}

TEST_F(Strategies, SelectInFinishesEveryParentWithOneStatement) {
  includes = {{.as = "posts", .attributes = {"title"}}};
  LoadPlan plan = planLoad(User, includes, {});
  Instance ann = User.build({{"id", 1}, {"name", "Ann"}});
  Instance bob = User.build({{"id", 2}, {"name", "Bob"}});
  Instance cid = User.build({{"id", 3}, {"name", "Cid"}});
  std::vector<Instance*> parents{&ann, &bob, &cid};
  ScriptedConnection conn(postgresDialect());
  // Columns: posts.title, posts.id (hidden key), the parent key matched.
  conn.answers.push_back(
      rows({"posts.title", "posts.id", "_parent"}, {{Value("a1"), Value(10), Value(1)},
                                                    {Value("c1"), Value(12), Value(3)},
                                                    {Value("a2"), Value(11), Value(1)}}));
  LoadContext ctx{conn};
  finishNodes(ctx, plan.nodes, parents);
  ASSERT_EQ(conn.statements.size(), 1u) << "one statement for every parent";
  EXPECT_EQ(conn.statements[0],
            R"(SELECT "posts"."title" AS "posts.title", "posts"."id" AS "posts.id", )"
            R"("posts"."userId" AS "_parent" )"
            R"(FROM "posts" AS "posts" WHERE "posts"."userId" IN ($1, $2, $3) )"
            R"(ORDER BY "posts"."id" ASC)");
  EXPECT_EQ(conn.parameters[0], (std::vector<Value>{Value(1), Value(2), Value(3)}));
  auto titlesOf = [](const Instance& u) {
    std::vector<std::string> t;
    for (const auto& p : u.loadedAssociations().at(0).items)
      t.push_back(p.get<std::string>("title"));
    return t;
  };
  EXPECT_EQ(titlesOf(ann), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_TRUE(titlesOf(bob).empty());
  EXPECT_EQ(titlesOf(cid), (std::vector<std::string>{"c1"}));
  // Parents without a key need no statement.
  Instance fresh = User.build({{"name", "New"}});
  std::vector<Instance*> none{&fresh};
  finishNodes(ctx, plan.nodes, none);
  EXPECT_EQ(conn.statements.size(), 1u);
  EXPECT_TRUE(fresh.loadedAssociations().at(0).items.empty());
}

// Without repeats, a row is an instance: told the count, the hydrator makes
// room for every instance before the first arrives.
TEST_F(Strategies, TheHydratorMakesRoomForTheRowsItIsTold) {
  LoadPlan plan = planLoad(User, includes, {});
  Root r;
  shape(r, plan);
  std::vector<Instance> out;
  Hydrator sink(r.layout, false, out);
  sink.expectRows(1000);
  EXPECT_GE(out.capacity(), 1000u);
  std::vector<Value> row{Value(1), Value("Ann")};
  sink.row(row);
  EXPECT_EQ(out.at(0).get<std::string>("name"), "Ann");
}

}  // namespace
