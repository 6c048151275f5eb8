// Every QueryInterface operation on both engines, and its error paths.
#include "qi_fixture.hpp"

namespace junction::test {
namespace {

using namespace junction::DataTypes;
using migrate::ConstraintType;
using sql::col;
using sql::val;

class Operations : public QiTest {
 protected:
  void SetUp() override {
    QiTest::SetUp();
    qi->createTable("users", {
                                 {"id", INTEGER.primaryKey().autoIncrement()},
                                 {"username", STRING.allowNull(false)},
                                 {"age", INTEGER},
                             });
    qi->bulkInsert("users", {{{"username", "a"}, {"age", 30}}, {{"username", "b"}, {"age", 40}}});
  }
};

TEST_F(Operations, CreateTableOptionsAndCompositeUnique) {
  // std::string: a bare unique("pair") picks unique(bool) (reported to the ORM owner).
  qi->createTable("pairs",
                  {
                      {"a", INTEGER.unique(std::string("pair"))},
                      {"b", INTEGER.unique(std::string("pair"))},
                      {"c", STRING(20)},
                      {"created", DATE.defaultValue(NOW)},
                  },
                  {.uniqueKeys = {{"c_and_a", {"c", "a"}}}});
  auto t = qi->describeTable("pairs");
  ASSERT_NE(t.uniqueKey({"a", "b"}), nullptr);
  EXPECT_EQ(t.uniqueKey({"a", "b"})->name, "pair");
  ASSERT_NE(t.uniqueKey({"c", "a"}), nullptr);
  EXPECT_FALSE(t.column("a").unique);  // only part of a composite key
  EXPECT_EQ(t.column("c").type, sqlite() ? "VARCHAR(20)" : "CHARACTER VARYING(20)");
  ASSERT_TRUE(t.column("created").defaultValue.has_value());
  EXPECT_NE(lower(*t.column("created").defaultValue).find("current_timestamp"), std::string::npos);
  qi->bulkInsert("pairs", {{{"a", 1}, {"b", 1}, {"c", "x"}}});
  EXPECT_THROW(qi->bulkInsert("pairs", {{{"a", 1}, {"b", 1}, {"c", "y"}}}), UniqueConstraintError);
  EXPECT_FALSE(conn->query("SELECT created FROM pairs").at(0, 0).isNull());

  EXPECT_THROW(qi->createTable("pairs", {{"a", INTEGER}}), DatabaseError);
  EXPECT_NO_THROW(qi->createTable("pairs", {{"a", INTEGER}}, {.ifNotExists = true}));
}

TEST_F(Operations, DropAndRenameTable) {
  qi->renameTable("users", "people");
  EXPECT_EQ(qi->showAllTables(), std::vector<std::string>{"people"});
  EXPECT_EQ(count("people"), 2);
  qi->dropTable("people");
  EXPECT_TRUE(qi->showAllTables().empty());
  EXPECT_THROW(qi->dropTable("people"), DatabaseError);
  EXPECT_NO_THROW(qi->dropTable("people", {.ifExists = true}));
}

TEST_F(Operations, DropTableCascadeRemovesDependentForeignKeysOnPostgres) {
  qi->createTable("posts",
                  {{"id", INTEGER.primaryKey()}, {"user_id", INTEGER.references("users", "id")}});
  if (sqlite()) {
    qi->dropTable("posts", {.cascade = true});
    EXPECT_EQ(qi->showAllTables(), std::vector<std::string>{"users"});
    return;
  }
  EXPECT_THROW(qi->dropTable("users"), DatabaseError);
  qi->dropTable("users", {.cascade = true});
  EXPECT_TRUE(qi->describeTable("posts").foreignKeys.empty());
}

TEST_F(Operations, AddRenameRemoveColumn) {
  qi->addColumn("users", "email", STRING.allowNull(false).defaultValue("none"));
  auto t = qi->describeTable("users");
  EXPECT_FALSE(t.column("email").allowNull);
  EXPECT_NE(t.column("email").defaultValue->find("none"), std::string::npos);
  EXPECT_EQ(conn->query("SELECT email FROM users WHERE id = 1").at(0, 0).toString(), "none");

  qi->renameColumn("users", "email", "mail");
  t = qi->describeTable("users");
  EXPECT_FALSE(t.hasColumn("email"));
  EXPECT_TRUE(t.hasColumn("mail"));

  qi->removeColumn("users", "mail");
  EXPECT_FALSE(qi->describeTable("users").hasColumn("mail"));
  EXPECT_EQ(count("users"), 2);
}

TEST_F(Operations, AddColumnWithUniqueAndForeignKey) {
  qi->createTable("teams", {{"id", INTEGER.primaryKey().autoIncrement()}});
  qi->addColumn("users", "code", STRING.unique());
  qi->addColumn("users", "team_id", INTEGER.references("teams", "id").onDelete("SET NULL"));
  auto t = qi->describeTable("users");
  EXPECT_TRUE(t.column("code").unique);
  ASSERT_NE(t.foreignKey("team_id"), nullptr);
  EXPECT_EQ(t.foreignKey("team_id")->onDelete, "SET NULL");
  EXPECT_EQ(count("users"), 2);
}

TEST_F(Operations, ChangeColumnTypeNullabilityDefaultAndUnique) {
  qi->changeColumn("users", "age", BIGINT.allowNull(false).defaultValue(18));
  auto t = qi->describeTable("users");
  EXPECT_EQ(t.column("age").type, "BIGINT");
  EXPECT_FALSE(t.column("age").allowNull);
  ASSERT_TRUE(t.column("age").defaultValue.has_value());
  EXPECT_EQ(*t.column("age").defaultValue, "18");
  EXPECT_THROW(qi->bulkUpdate("users", {{"age", Value()}}, col("id") == 1), NotNullConstraintError);

  qi->changeColumn("users", "age", BIGINT);
  t = qi->describeTable("users");
  EXPECT_TRUE(t.column("age").allowNull);
  EXPECT_FALSE(t.column("age").defaultValue.has_value());

  qi->changeColumn("users", "username", STRING(100).allowNull(false).unique());
  t = qi->describeTable("users");
  EXPECT_TRUE(t.column("username").unique);
  EXPECT_EQ(t.column("username").type, sqlite() ? "VARCHAR(100)" : "CHARACTER VARYING(100)");
  EXPECT_EQ(conn->query("SELECT age FROM users WHERE username = 'b'").at(0, 0).as<int>(), 40);
  EXPECT_THROW(qi->bulkInsert("users", {{{"username", "a"}}}), UniqueConstraintError);
}

TEST_F(Operations, IndexesByNameAndColumns) {
  qi->addIndex("users", {"username"});
  qi->addIndex("users", {"age", "username"}, {.name = "by_age", .unique = true});
  auto names = indexNames("users");
  EXPECT_NE(std::find(names.begin(), names.end(), "users_username"), names.end());
  auto t = qi->describeTable("users");
  ASSERT_NE(t.uniqueKey({"age", "username"}), nullptr);
  EXPECT_FALSE(t.uniqueKey({"age", "username"})->constraint);
  EXPECT_THROW(qi->bulkInsert("users", {{{"username", "a"}, {"age", 30}}}), UniqueConstraintError);

  qi->removeIndex("users", "by_age");
  qi->removeIndex("users", {"username"});
  names = indexNames("users");
  EXPECT_EQ(std::count(names.begin(), names.end(), "by_age"), 0);
  EXPECT_EQ(std::count(names.begin(), names.end(), "users_username"), 0);
  EXPECT_THROW(qi->removeIndex("users", {"age"}), UsageError);
  EXPECT_THROW(qi->removeIndex("users", "nope"), DatabaseError);
}

TEST_F(Operations, UniqueAndCheckConstraints) {
  qi->addConstraint("users", {.type = ConstraintType::Unique, .fields = {"username"}});
  auto t = qi->describeTable("users");
  ASSERT_NE(t.uniqueKey({"username"}), nullptr);
  EXPECT_EQ(t.uniqueKey({"username"})->name, "users_username_uk");
  EXPECT_THROW(qi->bulkInsert("users", {{{"username", "a"}}}), UniqueConstraintError);

  qi->addConstraint("users", {.type = ConstraintType::Check,
                              .fields = {"age"},
                              .name = "adult",
                              .where = col("age") >= val(18)});
  EXPECT_THROW(qi->bulkInsert("users", {{{"username", "kid"}, {"age", 3}}}), CheckConstraintError);

  qi->removeConstraint("users", "adult");
  EXPECT_NO_THROW(qi->bulkInsert("users", {{{"username", "kid"}, {"age", 3}}}));
  qi->removeConstraint("users", "users_username_uk");
  EXPECT_EQ(qi->describeTable("users").uniqueKey({"username"}), nullptr);
  EXPECT_NO_THROW(qi->bulkInsert("users", {{{"username", "a"}}}));
  EXPECT_THROW(qi->removeConstraint("users", "adult"), UsageError);
  EXPECT_EQ(count("users"), 4);
}

TEST_F(Operations, ForeignKeyAndPrimaryKeyConstraints) {
  qi->createTable("posts", {{"id", INTEGER}, {"author", INTEGER}});
  qi->addConstraint("posts", {.type = ConstraintType::PrimaryKey, .fields = {"id"}});
  qi->addConstraint("posts", {.type = ConstraintType::ForeignKey,
                              .fields = {"author"},
                              .name = "posts_author_fk",
                              .references = migrate::ConstraintReference{"users", "id"},
                              .onDelete = "cascade"});
  auto t = qi->describeTable("posts");
  EXPECT_TRUE(t.column("id").primaryKey);
  ASSERT_NE(t.foreignKey("author"), nullptr);
  EXPECT_EQ(t.foreignKey("author")->name, "posts_author_fk");
  EXPECT_EQ(t.foreignKey("author")->onDelete, "CASCADE");
  EXPECT_THROW(qi->bulkInsert("posts", {{{"id", 1}, {"author", 99}}}), ForeignKeyConstraintError);
  qi->bulkInsert("posts", {{{"id", 1}, {"author", 1}}});
  qi->bulkDelete("users", col("id") == 1);
  EXPECT_EQ(count("posts"), 0);  // ON DELETE CASCADE

  qi->removeConstraint("posts", "posts_author_fk");
  EXPECT_TRUE(qi->describeTable("posts").foreignKeys.empty());
  EXPECT_NO_THROW(qi->bulkInsert("posts", {{{"id", 2}, {"author", 99}}}));
}

TEST_F(Operations, ColumnForeignKeysCanBeRemovedByTheirDefaultName) {
  qi->createTable("posts",
                  {{"id", INTEGER.primaryKey()}, {"user_id", INTEGER.references("users", "id")}});
  auto posts = qi->describeTable("posts");
  const auto* fk = posts.foreignKey("user_id");
  ASSERT_NE(fk, nullptr);
  EXPECT_EQ(fk->name, "posts_user_id_fkey");
  qi->removeConstraint("posts", "posts_user_id_fkey");
  EXPECT_TRUE(qi->describeTable("posts").foreignKeys.empty());
}

TEST_F(Operations, BulkInsertChunksUnderTheParameterLimit) {
  std::vector<sql::Compiled> statements;
  migrate::QueryInterface logged(*conn, [&](const sql::Compiled& c) { statements.push_back(c); });
  qi->createTable("points", {{"x", INTEGER}, {"y", INTEGER}, {"label", TEXT}});
  std::vector<migrate::Row> rows;
  const std::size_t perStatement = conn->dialect().capabilities().maxParams / 3;
  const std::size_t n = perStatement + 10;
  for (std::size_t i = 0; i < n; ++i)
    rows.push_back({{"label", "it's " + std::to_string(i)},
                    {"x", static_cast<std::int64_t>(i)},
                    {"y", static_cast<std::int64_t>(i * 2)}});
  EXPECT_EQ(logged.bulkInsert("points", rows), static_cast<std::int64_t>(n));
  ASSERT_EQ(statements.size(), 2u);
  for (const auto& s : statements)
    EXPECT_LE(s.params.size(), conn->dialect().capabilities().maxParams);
  EXPECT_EQ(count("points"), static_cast<std::int64_t>(n));
  EXPECT_EQ(conn->query("SELECT label FROM points WHERE x = 7").at(0, 0).toString(), "it's 7");

  EXPECT_EQ(qi->bulkInsert("points", {}), 0);
  EXPECT_THROW(qi->bulkInsert("points", {{{"x", 1}}, {{"y", 1}}}), UsageError);
  EXPECT_THROW(qi->bulkInsert("points", {{{"x", 1}}, {{"x", 1}, {"y", 2}}}), UsageError);
}

TEST_F(Operations, BulkUpdateAndDelete) {
  EXPECT_EQ(qi->bulkUpdate("users", {{"age", 31}}, col("username") == "a"), 1);
  EXPECT_EQ(conn->query("SELECT age FROM users WHERE username = 'a'").at(0, 0).as<int>(), 31);
  EXPECT_EQ(qi->bulkUpdate("users", {{"age", 1}}, {}), 2);
  EXPECT_EQ(qi->bulkDelete("users", col("username") == "b"), 1);
  EXPECT_EQ(qi->bulkDelete("users"), 1);
  EXPECT_EQ(count("users"), 0);
  EXPECT_THROW(qi->bulkUpdate("users", {}, {}), UsageError);
}

TEST_F(Operations, RawQueryAndScript) {
  auto rs = qi->query(sqlite() ? "SELECT username FROM users WHERE age > ? ORDER BY id"
                               : "SELECT username FROM users WHERE age > $1 ORDER BY id",
                      {Value(35)});
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs.at(0, 0).toString(), "b");
  qi->execute("CREATE TABLE t1 (a INTEGER); CREATE TABLE t2 (b INTEGER);");
  EXPECT_EQ(qi->showAllTables(), (std::vector<std::string>{"t1", "t2", "users"}));
}

TEST_F(Operations, ShowAllTablesHidesSqliteInternals) {
  // AUTOINCREMENT created sqlite_sequence on SQLite.
  EXPECT_EQ(qi->showAllTables(), std::vector<std::string>{"users"});
}

TEST_F(Operations, DryRunRecordsEveryKindOfStatementAndReadsStillRun) {
  std::vector<std::string> printed;
  migrate::QueryInterface dry(
      *conn, [&](const sql::Compiled& c) { printed.push_back(migrate::formatStatement(c)); },
      migrate::QueryInterface::Mode::DryRun);
  dry.addColumn("users", "admin", BOOLEAN.defaultValue(false));
  dry.changeColumn("users", "age", BIGINT.allowNull(false));
  dry.removeColumn("users", "age");
  dry.addIndex("users", {"username"});
  dry.bulkInsert("users", {{{"username", "o'neil"}}});
  dry.bulkDelete("users", col("id") == 1);
  dry.renameTable("users", "people");
  dry.query("DELETE FROM users");
  EXPECT_EQ(dry.showAllTables(), std::vector<std::string>{"users"});
  EXPECT_EQ(dry.describeTable("users").columns.size(), 3u);

  EXPECT_EQ(qi->describeTable("users").columns.size(), 3u);
  auto names = indexNames("users");
  EXPECT_EQ(std::count(names.begin(), names.end(), "users_username"), 0);
  EXPECT_EQ(count("users"), 2);
  ASSERT_GE(printed.size(), 8u);
  bool sawInsert = false;
  for (const auto& p : printed) {
    EXPECT_EQ(p.find(';') != std::string::npos, true) << p;
    if (p.find("INSERT INTO \"users\"") != std::string::npos) {
      sawInsert = true;
      EXPECT_NE(p.find("-- ['o''neil']"), std::string::npos) << p;
    }
  }
  EXPECT_TRUE(sawInsert);
}

TEST_F(Operations, DdlRollsBackWhenALaterStatementFails) {
  conn->begin();
  qi->addColumn("users", "email", STRING);
  qi->createTable("audit", {{"id", INTEGER}});
  EXPECT_THROW(qi->createTable("users", {{"id", INTEGER}}), DatabaseError);
  conn->rollback();
  EXPECT_FALSE(qi->describeTable("users").hasColumn("email"));
  EXPECT_EQ(qi->showAllTables(), std::vector<std::string>{"users"});
  EXPECT_EQ(count("users"), 2);
}

TEST_F(Operations, UnknownTablesAndColumnsAreNamed) {
  int cases = 0;
  auto expectNamed = [&cases](auto&& fn, const std::string& name) {
    try {
      fn();
      ADD_FAILURE() << "no error for " << name << " (case " << ++cases << ")";
    } catch (const Error& e) {
      ++cases;
      EXPECT_TRUE(dynamic_cast<const UsageError*>(&e) || dynamic_cast<const DatabaseError*>(&e))
          << e.what();
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  expectNamed([&] { qi->describeTable("ghosts"); }, "ghosts");
  expectNamed([&] { qi->addColumn("ghosts", "x", INTEGER); }, "ghosts");
  expectNamed([&] { qi->removeColumn("users", "phantom"); }, "phantom");
  expectNamed([&] { qi->changeColumn("users", "phantom", INTEGER); }, "phantom");
  expectNamed([&] { qi->renameColumn("users", "phantom", "x"); }, "phantom");
  expectNamed([&] { qi->changeColumn("ghosts", "age", INTEGER); }, "ghosts");
  expectNamed([&] { qi->addIndex("users", {"phantom"}); }, "phantom");
  expectNamed([&] { qi->removeConstraint("users", "nothing_here"); }, "nothing_here");
  expectNamed(
      [&] { qi->addConstraint("users", {.type = ConstraintType::Unique, .fields = {"phantom"}}); },
      "phantom");
  expectNamed([&] { (void)qi->describeTable("users").column("phantom"); }, "phantom");
}

TEST_F(Operations, WrongCallsAreUsageErrors) {
  EXPECT_THROW(qi->createTable("empty", {}), UsageError);
  EXPECT_THROW(qi->createTable("", {{"a", INTEGER}}), UsageError);
  EXPECT_THROW(qi->createTable("t", {{"", INTEGER}}), UsageError);
  EXPECT_THROW(qi->createTable(std::string("a\0b", 3), {{"a", INTEGER}}), UsageError);
  EXPECT_THROW(qi->createTable("t", {{"email", STRING.validate(isEmail())}}), UsageError);
  EXPECT_THROW(qi->createTable("t", {{"email", STRING.field("mail")}}), UsageError);
  EXPECT_THROW(qi->addColumn("users", "email", STRING.validate(isEmail())), UsageError);
  EXPECT_THROW(qi->createTable("t", {{"id", UUID.defaultValue(UUIDV4)}}), UsageError);
  EXPECT_THROW(qi->addIndex("users", {}), UsageError);
  EXPECT_THROW(qi->addConstraint("users", {.type = ConstraintType::Unique}), UsageError);
  EXPECT_THROW(qi->addConstraint("users", {.type = ConstraintType::ForeignKey, .fields = {"age"}}),
               UsageError);
  EXPECT_THROW(qi->addConstraint("users", {.type = ConstraintType::Check, .fields = {"age"}}),
               UsageError);
  EXPECT_THROW(qi->addConstraint("users", {.type = ConstraintType::ForeignKey,
                                           .fields = {"age"},
                                           .references = migrate::ConstraintReference{"users"},
                                           .onDelete = "EXPLODE"}),
               UsageError);
  EXPECT_THROW(qi->addColumn("users", "x", INTEGER.references("users").onDelete("DROP TABLE")),
               UsageError);
  if (sqlite()) {
    EXPECT_THROW(qi->createTable("sqlite_mine", {{"a", INTEGER}}), UsageError);
  } else {
    EXPECT_THROW(qi->createTable(std::string(64, 'x'), {{"a", INTEGER}}), UsageError);
  }
  EXPECT_EQ(qi->showAllTables(), std::vector<std::string>{"users"});
}

}  // namespace
}  // namespace junction::test
