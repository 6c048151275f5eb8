// Hydration benchmark (issue: foundation). findAll of 5,000 rows of an
// 8-column model into instances, against the same rows read with the raw
// driver (libsqlite3 / libpq, hand-written SQL) into a plain struct with the
// same C++ types (timestamps parsed, integers converted). Both engines, one
// run, interleaved; prints the median of each and the ratio ORM / raw.
//
//   build/bin/bench_hydration [rounds]
// PostgreSQL comes from JUNCTION_BENCH_POSTGRES_URL or JUNCTION_TEST_POSTGRES_URL.
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

constexpr int kRows = 5000;

struct BlogRow {
  std::int64_t id;
  std::string title, author, url;
  std::int64_t likes;
  std::optional<std::int64_t> year;
  Timestamp createdAt, updatedAt;
};

Model& defineBlog(Database& db) {
  return db.define("blog",
                   {{"id", INTEGER.primaryKey().autoIncrement()},
                    {"title", TEXT.allowNull(false)},
                    {"author", TEXT},
                    {"url", TEXT.allowNull(false)},
                    {"likes", INTEGER.defaultValue(0)},
                    {"year", INTEGER}},
                   {.underscored = true});
}

void seed(Model& Blog) {
  Blog.sync({.force = true});
  std::vector<Record> rows;
  rows.reserve(kRows);
  for (int i = 0; i < kRows; ++i)
    rows.push_back({{"title", "A reasonably long blog title number " + std::to_string(i)},
                    {"author", "Author Name " + std::to_string(i % 97)},
                    {"url", "https://example.com/blog/posts/" + std::to_string(i)},
                    {"likes", i % 1000},
                    {"year", i % 3 ? Value(1991 + i % 30) : Value()}});
  Blog.bulkCreate(rows);
}

const char* kSql = "SELECT id, title, author, url, likes, year, created_at, updated_at FROM blogs";

std::vector<BlogRow> rawSqlite(sqlite3* db, sqlite3_stmt* st) {
  std::vector<BlogRow> out;
  out.reserve(kRows);
  auto text = [&](int c) {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
    return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
  };
  while (sqlite3_step(st) == SQLITE_ROW) {
    BlogRow r;
    r.id = sqlite3_column_int64(st, 0);
    r.title = text(1);
    r.author = text(2);
    r.url = text(3);
    r.likes = sqlite3_column_int64(st, 4);
    if (sqlite3_column_type(st, 5) != SQLITE_NULL) r.year = sqlite3_column_int64(st, 5);
    r.createdAt = Timestamp::parse(text(6));
    r.updatedAt = Timestamp::parse(text(7));
    out.push_back(std::move(r));
  }
  sqlite3_reset(st);
  (void)db;
  return out;
}

std::int64_t toInt(const char* p, int len) {
  std::int64_t v = 0;
  std::from_chars(p, p + len, v);
  return v;
}

std::vector<BlogRow> rawPostgres(PGconn* conn) {
  PGresult* res = PQexecPrepared(conn, "bench", 0, nullptr, nullptr, nullptr, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK) throw std::runtime_error(PQerrorMessage(conn));
  int n = PQntuples(res);
  std::vector<BlogRow> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    BlogRow r;
    r.id = toInt(PQgetvalue(res, i, 0), PQgetlength(res, i, 0));
    r.title.assign(PQgetvalue(res, i, 1), static_cast<std::size_t>(PQgetlength(res, i, 1)));
    r.author.assign(PQgetvalue(res, i, 2), static_cast<std::size_t>(PQgetlength(res, i, 2)));
    r.url.assign(PQgetvalue(res, i, 3), static_cast<std::size_t>(PQgetlength(res, i, 3)));
    r.likes = toInt(PQgetvalue(res, i, 4), PQgetlength(res, i, 4));
    if (!PQgetisnull(res, i, 5)) r.year = toInt(PQgetvalue(res, i, 5), PQgetlength(res, i, 5));
    r.createdAt = Timestamp::parse(
        std::string_view(PQgetvalue(res, i, 6), static_cast<std::size_t>(PQgetlength(res, i, 6))));
    r.updatedAt = Timestamp::parse(
        std::string_view(PQgetvalue(res, i, 7), static_cast<std::size_t>(PQgetlength(res, i, 7))));
    out.push_back(std::move(r));
  }
  PQclear(res);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 30;
  std::printf("hydration: findAll of %d rows x 8 columns, %d interleaved rounds\n\n", kRows,
              rounds);

  {  // SQLite
    auto path = std::filesystem::temp_directory_path() / "junction-bench-hydration.db";
    std::filesystem::remove(path);
    Database db("sqlite://" + path.string());
    Model& Blog = defineBlog(db);
    seed(Blog);
    sqlite3* raw = nullptr;
    sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v3(raw, kSql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    std::size_t sink = 0;
    auto s = bench::interleaved(
        {{"junction findAll", [&] { sink += Blog.findAll().size(); }},
         {"raw libsqlite3 -> struct", [&] { sink += rawSqlite(raw, st).size(); }}},
        rounds, 3);
    if (sink != static_cast<std::size_t>(kRows) * 2 * static_cast<std::size_t>(rounds + 3))
      throw std::runtime_error("row counts differ");
    bench::report("sqlite", s);
    sqlite3_finalize(st);
    sqlite3_close(raw);
    std::filesystem::remove(path);
  }

  std::string url = bench::postgresUrlOrSkip();
  if (url.empty()) return 0;
  {
    Database db(url);
    Model& Blog = defineBlog(db);
    seed(Blog);
    PGconn* conn = bench::connectRawPostgres(url);
    PQclear(PQprepare(conn, "bench", kSql, 0, nullptr));
    std::size_t sink = 0;
    auto s =
        bench::interleaved({{"junction findAll", [&] { sink += Blog.findAll().size(); }},
                            {"raw libpq -> struct", [&] { sink += rawPostgres(conn).size(); }}},
                           rounds, 3);
    if (sink != static_cast<std::size_t>(kRows) * 2 * static_cast<std::size_t>(rounds + 3))
      throw std::runtime_error("row counts differ");
    bench::report("postgres", s);
    PQfinish(conn);
    Blog.drop();
  }
  return 0;
}
