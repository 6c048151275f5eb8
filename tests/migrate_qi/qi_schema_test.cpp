// The seed's four migrations (Full Stack Open part 13), written with the
// QueryInterface line for line, applied and undone with the schema checked
// through describeTable after each step.
#include "qi_fixture.hpp"

namespace junction::test {
namespace {

using namespace junction::DataTypes;

void up00(migrate::QueryInterface& qi) {
  qi.createTable("notes", {
                              {"id", INTEGER.primaryKey().autoIncrement()},
                              {"content", TEXT.allowNull(false)},
                              {"important", BOOLEAN.allowNull(false)},
                              {"date", DATE},
                          });
  qi.createTable("users", {
                              {"id", INTEGER.primaryKey().autoIncrement()},
                              {"username", STRING.unique().allowNull(false)},
                              {"name", STRING.allowNull(false)},
                          });
  qi.addColumn("notes", "user_id", INTEGER.allowNull(false).references("users", "id"));
}
void down00(migrate::QueryInterface& qi) {
  qi.dropTable("notes");
  qi.dropTable("users");
}
void up01(migrate::QueryInterface& qi) {
  qi.addColumn("users", "admin", BOOLEAN.defaultValue(false));
  qi.addColumn("users", "disabled", BOOLEAN.defaultValue(false));
}
void down01(migrate::QueryInterface& qi) {
  qi.removeColumn("users", "admin");
  qi.removeColumn("users", "disabled");
}
void up02(migrate::QueryInterface& qi) {
  qi.createTable("teams", {
                              {"id", INTEGER.primaryKey().autoIncrement()},
                              {"name", TEXT.allowNull(false).unique()},
                          });
  qi.createTable("memberships", {
                                    {"id", INTEGER.primaryKey().autoIncrement()},
                                    {"user_id", INTEGER.allowNull(false).references("users", "id")},
                                    {"team_id", INTEGER.allowNull(false).references("teams", "id")},
                                });
}
void down02(migrate::QueryInterface& qi) {
  qi.dropTable("memberships");
  qi.dropTable("teams");
}
void up03(migrate::QueryInterface& qi) {
  qi.createTable("user_notes", {
                                   {"id", INTEGER.primaryKey().autoIncrement()},
                                   {"user_id", INTEGER.allowNull(false).references("users", "id")},
                                   {"note_id", INTEGER.allowNull(false).references("notes", "id")},
                               });
}
void down03(migrate::QueryInterface& qi) {
  qi.dropTable("user_notes");
}

class SeedMigrations : public QiTest {
 protected:
  void expectSerialId(const migrate::TableDescription& t) {
    const auto& id = t.column("id");
    EXPECT_EQ(id.type, "INTEGER");
    EXPECT_TRUE(id.primaryKey);
    EXPECT_TRUE(id.autoIncrement);
    EXPECT_FALSE(id.allowNull);
  }
  void expectForeignKey(const migrate::TableDescription& t, const std::string& column,
                        const std::string& table) {
    const auto* fk = t.foreignKey(column);
    ASSERT_NE(fk, nullptr) << t.name << "." << column << " has no foreign key";
    EXPECT_EQ(fk->referencedTable, table);
    EXPECT_EQ(fk->referencedColumns, std::vector<std::string>{"id"});
    EXPECT_EQ(fk->onDelete, "NO ACTION");
    EXPECT_FALSE(t.column(column).allowNull);
    EXPECT_EQ(t.column(column).type, "INTEGER");
  }
  void expectAfter00() {
    auto notes = qi->describeTable("notes");
    ASSERT_EQ(notes.columns.size(), 5u);
    expectSerialId(notes);
    EXPECT_EQ(notes.column("content").type, "TEXT");
    EXPECT_FALSE(notes.column("content").allowNull);
    EXPECT_EQ(notes.column("important").type, "BOOLEAN");
    EXPECT_FALSE(notes.column("important").allowNull);
    EXPECT_EQ(notes.column("date").type, dateType());
    EXPECT_TRUE(notes.column("date").allowNull);
    EXPECT_FALSE(notes.column("date").defaultValue.has_value());
    expectForeignKey(notes, "user_id", "users");

    auto users = qi->describeTable("users");
    ASSERT_EQ(users.columns.size(), 3u);
    expectSerialId(users);
    EXPECT_EQ(users.column("username").type, varchar255());
    EXPECT_TRUE(users.column("username").unique);
    EXPECT_FALSE(users.column("username").allowNull);
    EXPECT_FALSE(users.column("name").unique);
    EXPECT_NE(users.uniqueKey({"username"}), nullptr);
    EXPECT_TRUE(users.foreignKeys.empty());
  }
};

TEST_F(SeedMigrations, AppliedAndUndoneOneByOne) {
  up00(*qi);
  expectAfter00();
  EXPECT_EQ(qi->showAllTables(), (std::vector<std::string>{"notes", "users"}));

  up01(*qi);
  auto users = qi->describeTable("users");
  ASSERT_EQ(users.columns.size(), 5u);
  for (const char* c : {"admin", "disabled"}) {
    EXPECT_EQ(users.column(c).type, "BOOLEAN");
    EXPECT_TRUE(users.column(c).allowNull);
    ASSERT_TRUE(users.column(c).defaultValue.has_value());
    EXPECT_EQ(lower(*users.column(c).defaultValue), "false");
  }
  qi->bulkInsert("users", {{{"username", "mluukkai"}, {"name", "Matti"}}});
  auto row = conn->query("SELECT admin, disabled FROM users");
  EXPECT_FALSE(row.at(0, 0).as<bool>());
  EXPECT_FALSE(row.at(0, 1).as<bool>());

  up02(*qi);
  auto teams = qi->describeTable("teams");
  expectSerialId(teams);
  EXPECT_TRUE(teams.column("name").unique);
  EXPECT_FALSE(teams.column("name").allowNull);
  auto memberships = qi->describeTable("memberships");
  expectSerialId(memberships);
  expectForeignKey(memberships, "user_id", "users");
  expectForeignKey(memberships, "team_id", "teams");

  up03(*qi);
  auto userNotes = qi->describeTable("user_notes");
  expectSerialId(userNotes);
  expectForeignKey(userNotes, "user_id", "users");
  expectForeignKey(userNotes, "note_id", "notes");
  EXPECT_EQ(qi->showAllTables(),
            (std::vector<std::string>{"memberships", "notes", "teams", "user_notes", "users"}));

  down03(*qi);
  EXPECT_EQ(qi->showAllTables(),
            (std::vector<std::string>{"memberships", "notes", "teams", "users"}));
  down02(*qi);
  EXPECT_EQ(qi->showAllTables(), (std::vector<std::string>{"notes", "users"}));
  down01(*qi);
  users = qi->describeTable("users");
  EXPECT_FALSE(users.hasColumn("admin"));
  EXPECT_FALSE(users.hasColumn("disabled"));
  EXPECT_EQ(count("users"), 1);  // removing columns keeps the rows
  expectAfter00();
  down00(*qi);
  EXPECT_TRUE(qi->showAllTables().empty());
}

TEST_F(SeedMigrations, EachMigrationInsideATransactionRollsBackCompletely) {
  up00(*qi);
  conn->begin();
  up01(*qi);
  up02(*qi);
  conn->rollback();
  EXPECT_FALSE(qi->describeTable("users").hasColumn("admin"));
  EXPECT_EQ(qi->showAllTables(), (std::vector<std::string>{"notes", "users"}));
  expectAfter00();
}

TEST_F(SeedMigrations, ForeignKeysAreEnforcedAfterTheMigrations) {
  up00(*qi);
  up01(*qi);
  up02(*qi);
  up03(*qi);
  qi->bulkInsert("users", {{{"username", "a@b.c"}, {"name", "A"}}});
  EXPECT_THROW(qi->bulkInsert("memberships", {{{"user_id", 1}, {"team_id", 42}}}),
               ForeignKeyConstraintError);
  EXPECT_THROW(qi->bulkInsert("notes", {{{"content", "x"}, {"important", true}}}),
               NotNullConstraintError);
  EXPECT_THROW(qi->bulkInsert("users", {{{"username", "a@b.c"}, {"name", "B"}}}),
               UniqueConstraintError);
}

TEST_F(SeedMigrations, DryRunRecordsTheStatementsAndChangesNothing) {
  std::vector<sql::Compiled> recorded;
  migrate::QueryInterface dry(
      *conn, [&](const sql::Compiled& c) { recorded.push_back(c); },
      migrate::QueryInterface::Mode::DryRun);
  EXPECT_TRUE(dry.dryRun());
  up00(dry);
  up01(dry);
  up02(dry);
  up03(dry);
  EXPECT_TRUE(qi->showAllTables().empty());
  ASSERT_GE(recorded.size(), 8u);
  EXPECT_NE(recorded.front().sql.find("CREATE TABLE \"notes\""), std::string::npos);
  bool sawUserId = false;
  for (const auto& c : recorded)
    if (c.sql.find("\"user_id\" INTEGER NOT NULL REFERENCES \"users\" (\"id\")") !=
        std::string::npos)
      sawUserId = true;
  EXPECT_TRUE(sawUserId);

  // The recorded script is what execute mode runs: replaying it gives the schema.
  for (const auto& c : recorded) conn->query(c);
  auto notes = qi->describeTable("notes");
  expectSerialId(notes);
  expectForeignKey(notes, "user_id", "users");
  EXPECT_TRUE(qi->describeTable("users").column("username").unique);
  EXPECT_TRUE(qi->describeTable("users").hasColumn("disabled"));
  expectForeignKey(qi->describeTable("user_notes"), "note_id", "notes");
  EXPECT_EQ(qi->showAllTables().size(), 5u);
}

}  // namespace
}  // namespace junction::test
