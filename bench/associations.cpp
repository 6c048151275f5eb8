// Association loading benchmark (issue: associations). A user with 1,000
// readings through a junction table (the bloglist's reading list): junction's
// findByPk with a belongsToMany include (user row + one batched query),
// against the raw driver with one hand-written JOIN into plain structs with
// the same C++ types. Both engines, one run, interleaved; prints medians and
// the ratio ORM / raw.
//
//   build/bin/bench_associations [rounds]
#include <sqlite3.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "junction/junction.hpp"
#include "raw_postgres.hpp"

using namespace junction;
using namespace junction::DataTypes;

namespace {

constexpr int kReadings = 1000;

struct Reading {
  std::int64_t id;
  std::string url, title, author;
  std::int64_t likes;
  std::optional<std::int64_t> year;
  bool read;
  std::int64_t readingId;
};
struct UserWithReadings {
  std::int64_t id;
  std::string name, username;
  std::vector<Reading> readings;
};

struct Models {
  Model* User;
  Model* Blog;
};

Models define(Database& db) {
  auto& User = db.define("user", {{"name", STRING}, {"username", STRING}},
                         {.underscored = true, .timestamps = false});
  auto& Blog = db.define(
      "blog",
      {{"url", TEXT}, {"title", TEXT}, {"author", TEXT}, {"likes", INTEGER}, {"year", INTEGER}},
      {.underscored = true, .timestamps = false});
  auto& ReadingList = db.define("readinglist",
                                {{"id", INTEGER.primaryKey().autoIncrement()},
                                 {"userId", INTEGER.references("users", "id")},
                                 {"blogId", INTEGER.references("blogs", "id")},
                                 {"read", BOOLEAN.defaultValue(false)}},
                                {.underscored = true, .timestamps = false});
  User.belongsToMany(Blog, {.through = ReadingList, .as = "readings"});
  return {&User, &Blog};
}

void seed(Database& db, Models m) {
  db.sync({.force = true});
  m.User->create({{"name", "Matti Luukkainen"}, {"username", "mluukkai@iki.fi"}});
  std::vector<Record> blogs, lists;
  for (int i = 1; i <= kReadings; ++i) {
    blogs.push_back({{"url", "https://example.com/" + std::to_string(i)},
                     {"title", "A blog post with a title " + std::to_string(i)},
                     {"author", "Author " + std::to_string(i % 50)},
                     {"likes", i},
                     {"year", i % 2 ? Value(2000 + i % 20) : Value()}});
    lists.push_back({{"userId", 1}, {"blogId", i}, {"read", i % 3 == 0}});
  }
  m.Blog->bulkCreate(blogs);
  db.model("readinglist").bulkCreate(lists);
}

std::vector<Instance> orm(Models m) {
  auto u = m.User->findByPk(
      1, {.attributes = {"id", "name", "username"},
          .include = {{.as = "readings", .through = {.attributes = {"read", "id"}}}}});
  std::vector<Instance> out;
  out.push_back(std::move(*u));
  return out;
}

const char* kJoin =
    "SELECT u.id, u.name, u.username, b.id, b.url, b.title, b.author, b.likes, b.year, r.read, "
    "r.id "
    "FROM users u JOIN readinglists r ON r.user_id = u.id JOIN blogs b ON b.id = r.blog_id WHERE "
    "u.id = ";

std::int64_t toInt(const char* p, int n) {
  std::int64_t v = 0;
  std::from_chars(p, p + n, v);
  return v;
}

UserWithReadings rawSqlite(sqlite3_stmt* st) {
  UserWithReadings u{};
  auto text = [&](int c) {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
    return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
  };
  sqlite3_bind_int64(st, 1, 1);
  bool first = true;
  while (sqlite3_step(st) == SQLITE_ROW) {
    if (first) {
      u.id = sqlite3_column_int64(st, 0);
      u.name = text(1);
      u.username = text(2);
      first = false;
    }
    Reading r;
    r.id = sqlite3_column_int64(st, 3);
    r.url = text(4);
    r.title = text(5);
    r.author = text(6);
    r.likes = sqlite3_column_int64(st, 7);
    if (sqlite3_column_type(st, 8) != SQLITE_NULL) r.year = sqlite3_column_int64(st, 8);
    r.read = sqlite3_column_int64(st, 9) != 0;
    r.readingId = sqlite3_column_int64(st, 10);
    u.readings.push_back(std::move(r));
  }
  sqlite3_reset(st);
  return u;
}

UserWithReadings rawPostgres(PGconn* c) {
  const char* one = "1";
  PGresult* res = PQexecPrepared(c, "assoc", 1, &one, nullptr, nullptr, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK) throw std::runtime_error(PQerrorMessage(c));
  UserWithReadings u{};
  int n = PQntuples(res);
  auto text = [&](int row, int col) {
    return std::string(PQgetvalue(res, row, col),
                       static_cast<std::size_t>(PQgetlength(res, row, col)));
  };
  auto num = [&](int row, int col) {
    return toInt(PQgetvalue(res, row, col), PQgetlength(res, row, col));
  };
  for (int i = 0; i < n; ++i) {
    if (i == 0) {
      u.id = num(0, 0);
      u.name = text(0, 1);
      u.username = text(0, 2);
    }
    Reading r;
    r.id = num(i, 3);
    r.url = text(i, 4);
    r.title = text(i, 5);
    r.author = text(i, 6);
    r.likes = num(i, 7);
    if (!PQgetisnull(res, i, 8)) r.year = num(i, 8);
    r.read = PQgetvalue(res, i, 9)[0] == 't';
    r.readingId = num(i, 10);
    u.readings.push_back(std::move(r));
  }
  PQclear(res);
  return u;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 40;
  std::printf(
      "associations: a user with %d readings through a junction table, %d interleaved rounds\n\n",
      kReadings, rounds);
  {
    auto path = std::filesystem::temp_directory_path() / "junction-bench-assoc.db";
    std::filesystem::remove(path);
    Database db("sqlite://" + path.string());
    Models m = define(db);
    seed(db, m);
    if (orm(m)[0].toJSON()["readings"].size() != kReadings)
      throw std::runtime_error("ORM read the wrong rows");
    sqlite3* raw = nullptr;
    sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    sqlite3_stmt* st = nullptr;
    std::string sql = std::string(kJoin) + "?";
    sqlite3_prepare_v3(raw, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    if (rawSqlite(st).readings.size() != kReadings)
      throw std::runtime_error("raw read the wrong rows");
    auto s = bench::interleaved({{"junction findByPk + include", [&] { orm(m); }},
                                 {"raw libsqlite3 JOIN -> structs", [&] { rawSqlite(st); }}},
                                rounds, 3);
    bench::report("sqlite", s);
    sqlite3_finalize(st);
    sqlite3_close(raw);
    std::filesystem::remove(path);
  }
  std::string url = bench::postgresUrlOrSkip();
  if (url.empty()) return 0;
  {
    Database db(url);
    Models m = define(db);
    seed(db, m);
    PGconn* c = bench::connectRawPostgres(url);
    std::string sql = std::string(kJoin) + "$1";
    PQclear(PQprepare(c, "assoc", sql.c_str(), 1, nullptr));
    if (rawPostgres(c).readings.size() != kReadings)
      throw std::runtime_error("raw read the wrong rows");
    auto s = bench::interleaved({{"junction findByPk + include", [&] { orm(m); }},
                                 {"raw libpq JOIN -> structs", [&] { rawPostgres(c); }}},
                                rounds, 3);
    bench::report("postgres", s);
    PQfinish(c);
    db.drop();
  }
  return 0;
}
