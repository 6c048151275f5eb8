// Table rebuilds (SQLite's way to change what ALTER TABLE cannot) keep rows,
// indexes, foreign keys in both directions and the AUTOINCREMENT sequence.
// The same scenarios run on PostgreSQL, where ALTER TABLE does the work, so
// both engines are held to the same outcome.
#include "qi_fixture.hpp"

namespace junction::test {
namespace {

using namespace junction::DataTypes;
using migrate::ConstraintType;
using sql::col;

class Rebuild : public QiTest {
 protected:
  void SetUp() override {
    QiTest::SetUp();
    qi->createTable("users", {
                                 {"id", INTEGER.primaryKey().autoIncrement()},
                                 {"username", STRING.unique().allowNull(false)},
                                 {"age", STRING},
                                 {"nickname", STRING},
                             });
    qi->createTable("notes", {
                                 {"id", INTEGER.primaryKey().autoIncrement()},
                                 {"content", TEXT.allowNull(false)},
                                 {"user_id", INTEGER.allowNull(false).references("users", "id")},
                             });
    qi->addIndex("users", {"nickname"});
    qi->addIndex("users", {"age", "username"}, {.name = "users_age_username"});
    qi->bulkInsert("users", {{{"username", "a"}, {"age", "30"}, {"nickname", "aa"}},
                             {{"username", "b"}, {"age", "40"}, {"nickname", "bb"}},
                             {{"username", "c"}, {"age", "50"}, {"nickname", "cc"}}});
    // Deleting the highest id leaves the AUTOINCREMENT sequence above MAX(id).
    qi->bulkDelete("users", col("username") == "c");
    qi->bulkInsert(
        "notes", {{{"content", "hello"}, {"user_id", 1}}, {{"content", "world"}, {"user_id", 2}}});
  }

  void expectKept(int nextId = 4) {
    EXPECT_EQ(count("users"), 2);
    EXPECT_EQ(count("notes"), 2);
    auto users = qi->describeTable("users");
    EXPECT_TRUE(users.column("id").autoIncrement);
    EXPECT_TRUE(users.column("username").unique);
    auto names = indexNames("users");
    EXPECT_NE(std::find(names.begin(), names.end(), "users_age_username"), names.end());
    auto notes = qi->describeTable("notes");
    ASSERT_NE(notes.foreignKey("user_id"), nullptr);
    EXPECT_EQ(notes.foreignKey("user_id")->referencedTable, "users");
    // The reference from notes to users still holds, both ways.
    EXPECT_THROW(qi->bulkInsert("notes", {{{"content", "x"}, {"user_id", 99}}}),
                 ForeignKeyConstraintError);
    EXPECT_THROW(qi->bulkDelete("users", col("id") == 1), ForeignKeyConstraintError);
    // The sequence continues after the highest id ever used, not MAX(id).
    qi->bulkInsert("users", {{{"username", "d"}}});
    EXPECT_EQ(conn->query("SELECT id FROM users WHERE username = 'd'").at(0, 0).as<int>(), nextId);
  }
};

TEST_F(Rebuild, ChangeColumnKeepsRowsIndexesForeignKeysAndSequence) {
  qi->changeColumn("users", "age", INTEGER.allowNull(false).defaultValue(0));
  auto users = qi->describeTable("users");
  EXPECT_EQ(users.column("age").type, "INTEGER");
  EXPECT_FALSE(users.column("age").allowNull);
  auto age = conn->query("SELECT age FROM users WHERE username = 'b'").at(0, 0);
  EXPECT_EQ(age.type(), ValueType::Int);  // converted, not kept as text
  EXPECT_EQ(age.as<int>(), 40);
  expectKept();
}

TEST_F(Rebuild, ChangeColumnOfAReferencingColumnKeepsItsForeignKey) {
  qi->changeColumn("notes", "user_id", BIGINT.allowNull(true));
  auto notes = qi->describeTable("notes");
  EXPECT_EQ(notes.column("user_id").type, "BIGINT");
  EXPECT_TRUE(notes.column("user_id").allowNull);
  expectKept();
}

TEST_F(Rebuild, RemoveIndexedColumnDropsItsIndexAndKeepsTheRest) {
  qi->removeColumn("users", "nickname");
  auto names = indexNames("users");
  EXPECT_EQ(std::count(names.begin(), names.end(), "users_nickname"), 0);
  EXPECT_FALSE(qi->describeTable("users").hasColumn("nickname"));
  expectKept();
}

TEST_F(Rebuild, RemoveColumnInACompositeIndexDropsThatIndex) {
  qi->removeColumn("users", "age");
  auto names = indexNames("users");
  EXPECT_EQ(std::count(names.begin(), names.end(), "users_age_username"), 0);
  EXPECT_NE(std::find(names.begin(), names.end(), "users_nickname"), names.end());
  EXPECT_EQ(count("users"), 2);
  EXPECT_EQ(count("notes"), 2);
}

TEST_F(Rebuild, RemoveForeignKeyColumnDropsTheForeignKey) {
  qi->removeColumn("notes", "user_id");
  EXPECT_TRUE(qi->describeTable("notes").foreignKeys.empty());
  EXPECT_EQ(conn->query("SELECT content FROM notes ORDER BY id").at(1, 0).toString(), "world");
}

TEST_F(Rebuild, AddConstraintKeepsEverything) {
  qi->addConstraint("users", {.type = ConstraintType::Unique, .fields = {"nickname", "age"}});
  EXPECT_NE(qi->describeTable("users").uniqueKey({"nickname", "age"}), nullptr);
  expectKept();
}

TEST_F(Rebuild, ForeignKeyViolationsIntroducedByARebuildFailIt) {
  // Note "world" belongs to user 2, who is not an author.
  qi->createTable("authors", {{"id", INTEGER.primaryKey()}});
  qi->bulkInsert("authors", {{{"id", 1}}});
  conn->begin();
  EXPECT_THROW(qi->addConstraint("notes", {.type = ConstraintType::ForeignKey,
                                           .fields = {"user_id"},
                                           .name = "notes_author_fk",
                                           .references = migrate::ConstraintReference{"authors"}}),
               ForeignKeyConstraintError);
  conn->rollback();
  EXPECT_EQ(qi->describeTable("notes").foreignKeys.size(), 1u);
  expectKept();
}

TEST_F(Rebuild, FailingRebuildInsideATransactionLeavesTheSchema) {
  conn->begin();
  qi->addColumn("users", "email", STRING);
  // NOT NULL without a default cannot be added to a table with rows.
  EXPECT_THROW(qi->addColumn("users", "code", STRING.allowNull(false)), DatabaseError);
  conn->rollback();
  EXPECT_FALSE(qi->describeTable("users").hasColumn("email"));
  EXPECT_FALSE(qi->describeTable("users").hasColumn("code"));
  expectKept();
}

TEST_F(Rebuild, RebuildOutsideATransactionIsAtomic) {
  qi->bulkInsert("users", {{{"username", "nameless"}}});
  ASSERT_EQ(conn->transactionDepth(), 0);
  EXPECT_THROW(qi->changeColumn("users", "nickname", STRING.allowNull(false)), DatabaseError);
  EXPECT_EQ(conn->transactionDepth(), 0);
  EXPECT_TRUE(qi->describeTable("users").column("nickname").allowNull);
  EXPECT_EQ(count("users"), 3);
  qi->bulkDelete("users", col("username") == "nameless");
  if (sqlite()) {  // enforcement was switched off for the rebuild and is back on
    EXPECT_EQ(conn->query("PRAGMA foreign_keys").at(0, 0).as<int>(), 1);
  }
  expectKept(5);
}

TEST_F(Rebuild, OnDeleteCascadeChildrenSurviveARebuildOfTheirParent) {
  qi->createTable("likes", {{"id", INTEGER.primaryKey()},
                            {"user_id", INTEGER.references("users", "id").onDelete("CASCADE")}});
  qi->bulkInsert("likes", {{{"id", 1}, {"user_id", 1}}});
  // Outside a transaction: the QueryInterface turns enforcement off itself.
  qi->changeColumn("users", "age", INTEGER);
  EXPECT_EQ(count("likes"), 1);
  // Inside one, the migrator's ForeignKeysOff guard makes it safe ...
  {
    migrate::ForeignKeysOff guard(*conn);
    conn->begin();
    qi->changeColumn("users", "age", BIGINT);
    guard.check();
    conn->commit();
  }
  EXPECT_EQ(count("likes"), 1);
  EXPECT_EQ(qi->describeTable("users").column("age").type, "BIGINT");
  // ... and without it SQLite refuses rather than cascade-delete the likes.
  conn->begin();
  if (sqlite()) {
    EXPECT_THROW(qi->changeColumn("users", "age", INTEGER), UsageError);
  } else {
    EXPECT_NO_THROW(qi->changeColumn("users", "age", INTEGER));
  }
  conn->rollback();
  EXPECT_EQ(count("likes"), 1);
  expectKept();
}

TEST_F(Rebuild, RenamedTablesKeepIncomingReferences) {
  // SQLite >= 3.26 rewrites REFERENCES in other tables on rename.
  qi->renameTable("users", "people");
  auto notes = qi->describeTable("notes");
  ASSERT_NE(notes.foreignKey("user_id"), nullptr);
  EXPECT_EQ(notes.foreignKey("user_id")->referencedTable, "people");
  EXPECT_THROW(qi->bulkInsert("notes", {{{"content", "x"}, {"user_id", 99}}}),
               ForeignKeyConstraintError);
  qi->renameColumn("people", "username", "login");
  EXPECT_TRUE(qi->describeTable("people").column("login").unique);
}

TEST_F(Rebuild, ForeignKeysOffIsRefusedInsideATransaction) {
  conn->begin();
  if (sqlite()) {
    EXPECT_THROW(migrate::ForeignKeysOff{*conn}, UsageError);
  } else {
    EXPECT_NO_THROW(migrate::ForeignKeysOff{*conn});
  }
  conn->rollback();
}

}  // namespace
}  // namespace junction::test
