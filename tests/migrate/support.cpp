#include "support.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

#include "junction/data_types.hpp"
#include "junction/dialects.hpp"
#include "junction/migrate/query_interface.hpp"
#include "support/engine.hpp"

namespace junction::migrate::test {

namespace fs = std::filesystem;
using namespace junction::DataTypes;

const std::vector<std::string> kSeedNames = {
    "20211209_00_initialize_notes_and_users",
    "20211209_01_admin_and_disabled_to_users",
    "20211209_02_add_teams_and_memberships",
    "20211209_03_add_user_notes",
};

MigrationRegistry seedRegistry() {
  MigrationRegistry r;
  r.add(
      kSeedNames[0],
      [](QueryInterface& queryInterface) {
        queryInterface.createTable("notes", {
                                                {"id", INTEGER.primaryKey().autoIncrement()},
                                                {"content", TEXT.allowNull(false)},
                                                {"important", BOOLEAN.allowNull(false)},
                                                {"date", DATE},
                                            });
        queryInterface.createTable("users", {
                                                {"id", INTEGER.primaryKey().autoIncrement()},
                                                {"username", STRING.unique().allowNull(false)},
                                                {"name", STRING.allowNull(false)},
                                            });
        queryInterface.addColumn("notes", "user_id",
                                 INTEGER.allowNull(false).references("users", "id"));
      },
      [](QueryInterface& queryInterface) {
        queryInterface.dropTable("notes");
        queryInterface.dropTable("users");
      });
  r.add(
      kSeedNames[1],
      [](QueryInterface& queryInterface) {
        queryInterface.addColumn("users", "admin", BOOLEAN.defaultValue(false));
        queryInterface.addColumn("users", "disabled", BOOLEAN.defaultValue(false));
      },
      [](QueryInterface& queryInterface) {
        queryInterface.removeColumn("users", "admin");
        queryInterface.removeColumn("users", "disabled");
      });
  r.add(
      kSeedNames[2],
      [](QueryInterface& queryInterface) {
        queryInterface.createTable("teams", {
                                                {"id", INTEGER.primaryKey().autoIncrement()},
                                                {"name", TEXT.allowNull(false).unique()},
                                            });
        queryInterface.createTable(
            "memberships", {
                               {"id", INTEGER.primaryKey().autoIncrement()},
                               {"user_id", INTEGER.allowNull(false).references("users", "id")},
                               {"team_id", INTEGER.allowNull(false).references("teams", "id")},
                           });
      },
      [](QueryInterface& queryInterface) {
        queryInterface.dropTable("memberships");
        queryInterface.dropTable("teams");
      });
  r.add(
      kSeedNames[3],
      [](QueryInterface& queryInterface) {
        queryInterface.createTable(
            "user_notes", {
                              {"id", INTEGER.primaryKey().autoIncrement()},
                              {"user_id", INTEGER.allowNull(false).references("users", "id")},
                              {"note_id", INTEGER.allowNull(false).references("notes", "id")},
                          });
      },
      [](QueryInterface& queryInterface) { queryInterface.dropTable("user_notes"); });
  return r;
}

fs::path seedSqlDir() {
  return fs::path(JUNCTION_MIGRATE_SQL_DIR) / junction::test::engine();
}

std::unique_ptr<Connection> connectTest() {
  return openConnection(junction::test::databaseUrl());
}

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The engines spell some types differently in their catalogs.
std::string normalType(const std::string& t) {
  std::string u = upper(t);
  if (u.rfind("CHARACTER VARYING", 0) == 0) u = "VARCHAR" + u.substr(17);
  if (u == "TIMESTAMPTZ") u = "TIMESTAMP WITH TIME ZONE";
  if (u == "BOOL") u = "BOOLEAN";
  if (u == "INT" || u == "INT4") u = "INTEGER";
  return u;
}

std::vector<std::string> columnNames(const TableDescription& t) {
  std::vector<std::string> out;
  for (const auto& c : t.columns) out.push_back(c.name);
  return out;
}

void expectId(const TableDescription& t) {
  SCOPED_TRACE(t.name + ".id");
  const auto& id = t.column("id");
  EXPECT_EQ(normalType(id.type), "INTEGER");
  EXPECT_TRUE(id.primaryKey);
  EXPECT_TRUE(id.autoIncrement);
  EXPECT_FALSE(id.allowNull);
}

void expectColumn(const TableDescription& t, const std::string& name, const std::string& type,
                  bool allowNull, bool unique = false) {
  SCOPED_TRACE(t.name + "." + name);
  ASSERT_TRUE(t.hasColumn(name));
  const auto& c = t.column(name);
  EXPECT_EQ(normalType(c.type), type);
  EXPECT_EQ(c.allowNull, allowNull);
  EXPECT_EQ(c.unique, unique);
  EXPECT_EQ(t.uniqueKey({name}) != nullptr, unique);
}

void expectForeignKey(const TableDescription& t, const std::string& column,
                      const std::string& table) {
  SCOPED_TRACE(t.name + "." + column + " references " + table);
  const auto* fk = t.foreignKey(column);
  ASSERT_NE(fk, nullptr);
  EXPECT_EQ(fk->referencedTable, table);
  EXPECT_EQ(fk->referencedColumns, std::vector<std::string>{"id"});
}

void expectFalseDefault(const TableDescription& t, const std::string& column) {
  SCOPED_TRACE(t.name + "." + column + " default");
  const auto& d = t.column(column).defaultValue;
  ASSERT_TRUE(d.has_value());
  std::string v = upper(*d);
  EXPECT_TRUE(v == "FALSE" || v == "0" || v == "'FALSE'") << *d;
}

}  // namespace

void expectSeedSchema(Connection& conn, int applied, const std::string& storageTable) {
  SCOPED_TRACE("after " + std::to_string(applied) + " seed migrations");
  QueryInterface qi(conn);
  std::vector<std::string> tables = {storageTable};
  if (applied >= 1) tables.insert(tables.end(), {"notes", "users"});
  if (applied >= 3) tables.insert(tables.end(), {"memberships", "teams"});
  if (applied >= 4) tables.push_back("user_notes");
  std::sort(tables.begin(), tables.end());
  EXPECT_EQ(qi.showAllTables(), tables);
  if (applied < 1) return;

  const std::string stamp = junction::test::isPostgres() ? "TIMESTAMP WITH TIME ZONE" : "DATETIME";
  auto notes = qi.describeTable("notes");
  EXPECT_EQ(columnNames(notes),
            (std::vector<std::string>{"id", "content", "important", "date", "user_id"}));
  expectId(notes);
  expectColumn(notes, "content", "TEXT", false);
  expectColumn(notes, "important", "BOOLEAN", false);
  expectColumn(notes, "date", stamp, true);
  expectColumn(notes, "user_id", "INTEGER", false);
  expectForeignKey(notes, "user_id", "users");
  EXPECT_EQ(notes.foreignKeys.size(), 1u);

  auto users = qi.describeTable("users");
  std::vector<std::string> userColumns = {"id", "username", "name"};
  if (applied >= 2) userColumns.insert(userColumns.end(), {"admin", "disabled"});
  EXPECT_EQ(columnNames(users), userColumns);
  expectId(users);
  expectColumn(users, "username", "VARCHAR(255)", false, true);
  expectColumn(users, "name", "VARCHAR(255)", false);
  EXPECT_TRUE(users.foreignKeys.empty());
  if (applied >= 2) {
    expectColumn(users, "admin", "BOOLEAN", true);
    expectColumn(users, "disabled", "BOOLEAN", true);
    expectFalseDefault(users, "admin");
    expectFalseDefault(users, "disabled");
  }
  if (applied >= 3) {
    auto teams = qi.describeTable("teams");
    EXPECT_EQ(columnNames(teams), (std::vector<std::string>{"id", "name"}));
    expectId(teams);
    expectColumn(teams, "name", "TEXT", false, true);
    auto memberships = qi.describeTable("memberships");
    EXPECT_EQ(columnNames(memberships), (std::vector<std::string>{"id", "user_id", "team_id"}));
    expectId(memberships);
    expectColumn(memberships, "user_id", "INTEGER", false);
    expectColumn(memberships, "team_id", "INTEGER", false);
    expectForeignKey(memberships, "user_id", "users");
    expectForeignKey(memberships, "team_id", "teams");
  }
  if (applied >= 4) {
    auto userNotes = qi.describeTable("user_notes");
    EXPECT_EQ(columnNames(userNotes), (std::vector<std::string>{"id", "user_id", "note_id"}));
    expectId(userNotes);
    expectColumn(userNotes, "user_id", "INTEGER", false);
    expectColumn(userNotes, "note_id", "INTEGER", false);
    expectForeignKey(userNotes, "user_id", "users");
    expectForeignKey(userNotes, "note_id", "notes");
  }
}

namespace {
std::mutex dirsMu;
std::vector<fs::path> dirs;
void removeDirs() {
  std::lock_guard lock(dirsMu);
  std::error_code ec;
  for (const auto& d : dirs) fs::remove_all(d, ec);
}
}  // namespace

fs::path scratchDir(const std::string& label) {
  static std::once_flag once;
  std::call_once(once, [] { std::atexit(removeDirs); });
  static int counter = 0;
  fs::path dir =
      fs::temp_directory_path() / ("junction-migrate-" + label + "-" + std::to_string(::getpid()) +
                                   "-" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::lock_guard lock(dirsMu);
  dirs.push_back(dir);
  return dir;
}

void writeFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int spawnProcess(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o < 0 || e < 0) ::_exit(126);
    ::dup2(o, 1);
    ::dup2(e, 2);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

int waitProcess(int pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

ProcessResult runProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env, const fs::path& cwd) {
  fs::path dir = scratchDir("proc");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    int o = ::open((dir / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = ::open((dir / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o < 0 || e < 0) ::_exit(126);
    ::dup2(o, 1);
    ::dup2(e, 2);
    for (const auto& [k, v] : env) {
      if (v.empty())
        ::unsetenv(k.c_str());
      else
        ::setenv(k.c_str(), v.c_str(), 1);
    }
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(125);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ProcessResult r;
  r.exitCode = waitProcess(pid);
  r.out = readFile(dir / "out");
  r.err = readFile(dir / "err");
  return r;
}

std::int64_t countWhereName(Connection& conn, const std::string& table, const std::string& name) {
  std::string sql = "SELECT COUNT(*) FROM ";
  conn.dialect().quoteIdentifier(sql, table);
  sql += " WHERE name = ";
  conn.dialect().placeholder(sql, 1);
  Value v(name);
  return conn.query(sql, std::span<const Value>(&v, 1)).at(0, 0).as<std::int64_t>();
}

}  // namespace junction::migrate::test
