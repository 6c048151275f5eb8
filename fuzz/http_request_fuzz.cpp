// bloglist's whole request path on an in-memory SQLite: bytes → Beast's
// parser with the server's limits → target parsing and percent-decoding →
// the RE2 router → the real middleware and controllers → junction → the
// answer as it would go on the wire (App::exchange: what a connection runs,
// minus the socket). A finding: any 5xx, an answer that does not parse back
// as HTTP or whose body is not JSON, a crash, UB or a leak.
//
// Input: raw HTTP/1.1 bytes, any number of requests. `$ROOT` and `$PLAIN`
// stand for valid tokens of an admin and of an ordinary user, so the fuzzer
// reaches the routes behind a login. Before each input the tables go back
// to the same rows (two users with a live session each, one blog each, one
// reading-list entry; the ids are 1 and 2), so an input's answers do not
// depend on the inputs before it.
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "auth/passwords.hpp"
#include "controllers/controllers.hpp"
#include "junction/junction.hpp"
#include "junction/migrate/migration.hpp"
#include "junction/migrate/migrator.hpp"

using namespace bloglist;
using junction::Json;

namespace {

struct World {
  junction::Database db{"sqlite::memory:", junction::DatabaseOptions{.pool = {.max = 1}}};
  std::unique_ptr<Services> services;
  http::App app;
  std::string passwordHash;
  std::string rootToken, plainToken;

  World() {
    http::setLogLevel(http::LogLevel::Error);
    // libsodium's least cost: a login is then microseconds, not 20 MiB.
    initPasswords({.opsLimit = 1, .memLimit = 8192});
    junction::migrate::Migrator(db.pool(),
                                junction::migrate::MigrationRegistry::global().migrations())
        .up();
    services = std::make_unique<Services>(
        Services{db, defineModels(db), TokenSigner(std::string(32, 'k')), true, {}});
    mountApi(app, *services);
    passwordHash = hashPassword("sekret");
    rootToken = services->signer.sign({1, "root@example.com", "root-session"});
    plainToken = services->signer.sign({2, "plain@example.com", "plain-session"});
  }

  void reset() {
    const auto& m = services->models;
    db.transaction([&](junction::Transaction& t) {
      for (const junction::Model* model : {&m.session, &m.readinglist, &m.blog, &m.user})
        model->unscoped().destroy({.truncate = true, .transaction = &t});
      int id = 0;
      for (std::string name : {"root", "plain"}) {
        ++id;
        m.user.create({{"id", id},
                       {"username", name + "@example.com"},
                       {"name", name},
                       {"passwordHash", passwordHash},
                       {"admin", id == 1}},
                      {.transaction = &t});
        m.session.create({{"sid", name + "-session"}, {"userId", id}}, {.transaction = &t});
        m.blog.create({{"id", id},
                       {"title", "t" + std::to_string(id)},
                       {"url", "http://example.com/" + name},
                       {"userId", id}},
                      {.transaction = &t});
      }
      m.readinglist.create({{"id", 1}, {"userId", 2}, {"blogId", 1}}, {.transaction = &t});
    });
  }
};

void replaceAll(std::string& s, std::string_view from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  world.reset();
  std::string in(reinterpret_cast<const char*>(data), size);
  replaceAll(in, "$ROOT", world.rootToken);
  replaceAll(in, "$PLAIN", world.plainToken);

  namespace bhttp = boost::beast::http;
  for (const auto& answer : world.app.exchange(in)) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(std::uint64_t(1) << 30);
    parser.skip(answer.head);
    parser.eager(true);
    boost::beast::error_code ec;
    std::size_t used = parser.put(boost::asio::buffer(answer.bytes), ec);
    if (ec || !parser.is_done() || used != answer.bytes.size()) __builtin_trap();  // not one answer
    const auto& res = parser.get();
    if (res.result_int() >= 500) __builtin_trap();
    if (!answer.head && !res.body().empty() && !Json::accept(res.body())) __builtin_trap();
  }
  return 0;
}
