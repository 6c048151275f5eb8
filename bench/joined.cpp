// Joined to-one and JSON benchmark (issue 13, point 7). The bloglist's
// GET /api/blogs over the anchor data set's shape: 5,000 blogs, each with its
// user (blog belongsTo user, one joined query), read three ways and written
// as the response body:
//
//   joined   junction's findAll with the to-one include, against the same
//            LEFT JOIN hand-written over libsqlite3 / libpq into plain
//            structs, timestamps kept as text;
//   json     writing the ~1.5 MB response body from rows already fetched:
//            junction's toJSONString (what bloglist's Response::json calls)
//            against a hand-written writer over the structs; MB/s are 10^6
//            bytes per second of the median;
//   both     fetch and write in one loop, each side with its own writer.
//
// Both engines, one run, interleaved; prints medians and ratios ORM / raw.
// Before timing, the hand-written body must equal junction's byte for byte.
//
//   build/bin/bench_joined [rounds]
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
#include "junction/json.hpp"
#include "junction/junction.hpp"
#include "raw_postgres.hpp"

using namespace junction;
using namespace junction::DataTypes;

namespace {

constexpr int kUsers = 200;
constexpr int kBlogs = 5000;

struct UserRow {
  std::int64_t id;
  std::string username, name;
};
struct BlogRow {
  std::int64_t id;
  std::optional<std::string> author;
  std::string url, title;
  std::int64_t likes;
  std::optional<std::int64_t> year;
  std::string createdAt, updatedAt;  // as the engine sent them
  std::optional<UserRow> user;
};

struct Models {
  Model* user;
  Model* blog;
};

// apps/bloglist/models/models.cpp's user and blog, without their validators.
Models define(Database& db) {
  auto& User = db.define("user",
                         {{"id", INTEGER.primaryKey().autoIncrement()},
                          {"username", STRING.unique().allowNull(false)},
                          {"name", STRING.allowNull(false)},
                          {"passwordHash", STRING.allowNull(false)},
                          {"admin", BOOLEAN.allowNull(false).defaultValue(false)},
                          {"disabled", BOOLEAN.allowNull(false).defaultValue(false)}},
                         {.underscored = true});
  auto& Blog = db.define("blog",
                         {{"id", INTEGER.primaryKey().autoIncrement()},
                          {"author", TEXT},
                          {"url", TEXT.allowNull(false)},
                          {"title", TEXT.allowNull(false)},
                          {"likes", INTEGER.allowNull(false).defaultValue(0)},
                          {"year", INTEGER}},
                         {.underscored = true});
  User.hasMany(Blog);
  Blog.belongsTo(User);
  return {&User, &Blog};
}

// bench/http/node/seed.js's vocabulary: names from two lists, titles from
// three, slugged URLs, skewed likes, a quarter of the years null, and
// timestamps a minute apart with varying milliseconds. Deterministic.
void seed(Database& db, Models m) {
  static const char* kFirst[] = {"Matti", "Arto",  "Ada",  "Grace", "Linus", "Barbara", "Dan",
                                 "Kent",  "Sandi", "Rich", "Herb",  "Kate",  "Venla",   "Aino"};
  static const char* kLast[] = {"Luukkainen", "Hellas", "Lovelace", "Hopper", "Torvalds",
                                "Liskov",     "Beck",   "Fowler",   "Metz",   "Korhonen"};
  static const char* kAdj[] = {"Clean", "Practical", "Modern", "Hands-on", "Idiomatic", "Fast"};
  static const char* kTopic[] = {"React", "Rust", "PostgreSQL", "C++", "Node.js",    "Sequelize",
                                 "Go",    "SQL",  "Haskell",    "Zig", "WebAssembly"};
  static const char* kNoun[] = {"Patterns", "in Practice", "from Scratch", "Deep Dive", "Notes"};
  std::uint32_t state = 0x5eed1234;
  auto next = [&state](std::uint32_t n) {  // a small LCG: reproducible, not random-looking
    state = state * 1664525u + 1013904223u;
    return (state >> 8) % n;
  };
  constexpr std::int64_t kBase = 1735689600000;  // 2025-01-01T00:00:00.000Z
  db.sync({.force = true});
  std::vector<Record> users, blogs;
  for (int i = 1; i <= kUsers; ++i) {
    Timestamp at = Timestamp::fromMillis(kBase + i * 1000 + 123);
    users.push_back({{"username", "user" + std::to_string(i) + "@bench.example"},
                     {"name", std::string(kFirst[i % 14]) + " " + kLast[(i / 14) % 10]},
                     {"passwordHash", "$argon2id$v=19$m=65536,t=2,p=1$bench"},
                     {"createdAt", at},
                     {"updatedAt", at}});
  }
  for (int i = 1; i <= kBlogs; ++i) {
    std::string title = std::string(kAdj[next(6)]) + " " + kTopic[next(11)] + " " + kNoun[next(5)];
    std::string slug;
    for (char c : title) {
      bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a'), alnum = true;
      if (alnum)
        slug.push_back(c);
      else if (slug.empty() || slug.back() != '-')
        slug.push_back('-');
    }
    // Every 1000th timestamp falls on a whole second: no fraction to print.
    Timestamp at = Timestamp::fromMillis(kBase + 86400000 + i * 60000 + i % 1000);
    blogs.push_back(
        {{"author",
          i % 50 ? Value(std::string(kFirst[next(14)]) + " " + kLast[next(10)]) : Value()},
         {"url", "https://blog" + std::to_string(i % 97) + ".example.com/" + slug + "-" +
                     std::to_string(i)},
         {"title", title},
         {"likes", static_cast<std::int64_t>(next(1000) * next(1000) / 1000)},
         {"year", next(4) ? Value(1991 + static_cast<int>(next(35))) : Value()},
         {"userId", 1 + static_cast<int>(next(kUsers))},
         {"createdAt", at},
         {"updatedAt", at}});
  }
  m.user->bulkCreate(users);
  m.blog->bulkCreate(blogs);
}

// What bloglist's GET /api/blogs asks for (controllers/blogs.cpp).
std::vector<Instance> orm(Models m) {
  return m.blog->findAll({.attributes = exclude({"userId"}),
                          .include = {{.model = *m.user, .attributes = {"id", "username", "name"}}},
                          .order = {{"likes", DESC}, {"id", ASC}}});
}

const char* kSql =
    "SELECT b.id, b.author, b.url, b.title, b.likes, b.year, b.created_at, b.updated_at, u.id, "
    "u.username, u.name FROM blogs AS b LEFT OUTER JOIN users AS u ON u.id = b.user_id "
    "ORDER BY b.likes DESC, b.id ASC";

std::int64_t toInt(const char* p, int len) {
  std::int64_t v = 0;
  std::from_chars(p, p + len, v);
  return v;
}

std::vector<BlogRow> rawSqlite(sqlite3_stmt* st) {
  std::vector<BlogRow> out;
  out.reserve(kBlogs);
  auto text = [&](int c) {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
    return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
  };
  auto null = [&](int c) { return sqlite3_column_type(st, c) == SQLITE_NULL; };
  while (sqlite3_step(st) == SQLITE_ROW) {
    BlogRow r;
    r.id = sqlite3_column_int64(st, 0);
    if (!null(1)) r.author = text(1);
    r.url = text(2);
    r.title = text(3);
    r.likes = sqlite3_column_int64(st, 4);
    if (!null(5)) r.year = sqlite3_column_int64(st, 5);
    r.createdAt = text(6);
    r.updatedAt = text(7);
    if (!null(8)) r.user = UserRow{sqlite3_column_int64(st, 8), text(9), text(10)};
    out.push_back(std::move(r));
  }
  sqlite3_reset(st);
  return out;
}

std::vector<BlogRow> rawPostgres(PGconn* conn) {
  PGresult* res = PQexecPrepared(conn, "joined", 0, nullptr, nullptr, nullptr, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK) throw std::runtime_error(PQerrorMessage(conn));
  int n = PQntuples(res);
  std::vector<BlogRow> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto text = [&](int c) {
      return std::string(PQgetvalue(res, i, c), static_cast<std::size_t>(PQgetlength(res, i, c)));
    };
    auto num = [&](int c) { return toInt(PQgetvalue(res, i, c), PQgetlength(res, i, c)); };
    BlogRow r;
    r.id = num(0);
    if (!PQgetisnull(res, i, 1)) r.author = text(1);
    r.url = text(2);
    r.title = text(3);
    r.likes = num(4);
    if (!PQgetisnull(res, i, 5)) r.year = num(5);
    r.createdAt = text(6);
    r.updatedAt = text(7);
    if (!PQgetisnull(res, i, 8)) r.user = UserRow{num(8), text(9), text(10)};
    out.push_back(std::move(r));
  }
  PQclear(res);
  return out;
}

// ------------------------------------------------- the hand-written writer

// JSON string escaping for text the program trusts to be UTF-8: clean runs
// are appended whole.
void appendString(std::string& out, std::string_view s) {
  out.push_back('"');
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default: {
        char esc[7];
        std::snprintf(esc, sizeof esc, "\\u%04x", c);
        out.append(esc, 6);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void appendInt(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// The engines' UTC text ("2025-01-02 00:01:00.001+00" from PostgreSQL,
// "2025-01-02 00:01:00.001000+00:00" as junction stores it in SQLite) as
// JavaScript's toISOString: "2025-01-02T00:01:00.001Z".
void appendIso(std::string& out, std::string_view t) {
  char buf[26] = {'"'};
  t.copy(buf + 1, 10);
  buf[11] = 'T';
  t.substr(11).copy(buf + 12, 8);
  buf[20] = '.';
  std::size_t frac = t.size() > 19 && t[19] == '.' ? 20 : t.size();
  for (int k = 0; k < 3; ++k) {
    char c = frac < t.size() ? t[frac] : '0';
    bool digit = c >= '0' && c <= '9';
    buf[21 + k] = digit ? c : '0';
    if (digit) ++frac;
  }
  buf[24] = 'Z';
  buf[25] = '"';
  out.append(buf, sizeof buf);
}

std::string writeRaw(const std::vector<BlogRow>& rows) {
  std::string out;
  out.reserve(64 + rows.size() * 256);
  out.push_back('[');
  for (const BlogRow& r : rows) {
    if (out.size() > 1) out.push_back(',');
    out += "{\"id\":";
    appendInt(out, r.id);
    out += ",\"author\":";
    if (r.author)
      appendString(out, *r.author);
    else
      out += "null";
    out += ",\"url\":";
    appendString(out, r.url);
    out += ",\"title\":";
    appendString(out, r.title);
    out += ",\"likes\":";
    appendInt(out, r.likes);
    out += ",\"year\":";
    if (r.year)
      appendInt(out, *r.year);
    else
      out += "null";
    out += ",\"createdAt\":";
    appendIso(out, r.createdAt);
    out += ",\"updatedAt\":";
    appendIso(out, r.updatedAt);
    out += ",\"user\":";
    if (r.user) {
      out += "{\"id\":";
      appendInt(out, r.user->id);
      out += ",\"username\":";
      appendString(out, r.user->username);
      out += ",\"name\":";
      appendString(out, r.user->name);
      out.push_back('}');
    } else {
      out += "null";
    }
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

// ------------------------------------------------------------- the runs

template <class Fetch>
void run(const char* engine, Models m, Fetch fetch, int rounds) {
  // The reads first, before any body is written: what the allocator keeps
  // from 1.5 MB strings changes how fast both sides' allocations are here
  // (page faults are dear on this kind of VM), and the read should not
  // depend on which writer ran before it.
  std::size_t sink = 0;
  auto fetched =
      bench::interleaved({{"junction findAll + to-one include", [&] { sink += orm(m).size(); }},
                          {"raw LEFT JOIN -> structs", [&] { sink += fetch().size(); }}},
                         rounds, 3);
  bench::report(engine, fetched, 1.2);

  std::vector<Instance> blogs = orm(m);
  std::vector<BlogRow> rows = fetch();
  std::string body = toJSONString(blogs);
  if (blogs.size() != kBlogs || rows.size() != kBlogs || writeRaw(rows) != body)
    throw std::runtime_error(std::string(engine) + ": the ORM and raw bodies differ");

  auto written = bench::interleaved(
      {{"junction toJSONString (fetched)", [&] { sink += toJSONString(blogs).size(); }},
       {"hand-written writer over structs", [&] { sink += writeRaw(rows).size(); }}},
      rounds, 3);
  bench::report(engine, written, 1.0);
  for (const auto& s : written)
    std::printf("%-9s %-34s %8.1f MB/s (%zu bytes)\n", engine, s.name.c_str(),
                static_cast<double>(body.size()) / 1e3 / s.median(), body.size());
  std::printf("\n");

  auto both = bench::interleaved(
      {{"junction findAll + toJSONString", [&] { sink += toJSONString(orm(m)).size(); }},
       {"raw fetch + hand-written writer", [&] { sink += writeRaw(fetch()).size(); }}},
      rounds, 3);
  bench::report(engine, both, 1.2);
  if (sink == 0) throw std::runtime_error("nothing was read");
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 30;
  std::printf("joined: %d blogs each with its user (to-one include) and their JSON, %d rounds\n\n",
              kBlogs, rounds);
  {
    auto path = std::filesystem::temp_directory_path() / "junction-bench-joined.db";
    std::filesystem::remove(path);
    Database db("sqlite://" + path.string());
    Models m = define(db);
    seed(db, m);
    sqlite3* raw = nullptr;
    sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(raw, kSql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(raw));
    run(
        "sqlite", m, [&] { return rawSqlite(st); }, rounds);
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
    PGconn* conn = bench::connectRawPostgres(url);
    PGresult* prepared = PQprepare(conn, "joined", kSql, 0, nullptr);
    if (PQresultStatus(prepared) != PGRES_COMMAND_OK)
      throw std::runtime_error(PQerrorMessage(conn));
    PQclear(prepared);
    run(
        "postgres", m, [&] { return rawPostgres(conn); }, rounds);
    PQfinish(conn);
    db.drop();
  }
  return 0;
}
