// bloglist: the Full Stack Open part 13 blog list service, on junction.
//
//   bloglist                       serve (migrating first unless MIGRATE=off)
//   bloglist db:migrate:status     any junction CLI verb, with these migrations
//
// See docs/bloglist.md for the environment and the API.
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <thread>

#include "auth/passwords.hpp"
#include "config.hpp"
#include "controllers/controllers.hpp"
#include "junction/junction.hpp"
#include "junction/migrate/cli.hpp"
#include "junction/migrate/migration.hpp"
#include "junction/migrate/migrator.hpp"

using namespace bloglist;
using junction::migrate::MigrationRegistry;

namespace {

constexpr const char* kUsage =
    "usage: bloglist                 serve the API (see docs/bloglist.md)\n"
    "       bloglist db:migrate[...]  the junction CLI's migration verbs, with\n"
    "                                 bloglist's compiled-in migrations\n";

bool isCliVerb(std::string_view arg) {
  return arg.starts_with("db:") || arg.starts_with("migration:");
}

void applyMigrations(junction::Database& db) {
  junction::migrate::Migrator migrator(
      db.pool(), MigrationRegistry::global().migrations(),
      {.onProgress = [](const junction::migrate::MigrationProgress& p) {
        http::log(http::LogLevel::Info, "migrated " + std::string(p.name) + " (" +
                                            std::to_string(p.elapsed.count()) + " ms)");
      }});
  migrator.up();
}

// ADMIN_USERNAME / ADMIN_PASSWORD: create that account, or promote it.
void bootstrapAdmin(const Services& s, const Config& c) {
  if (!c.adminUsername) return;
  auto existing = s.models.user.unscoped().findOne({.where = {{"username", *c.adminUsername}}});
  if (existing) {
    if (!existing->get<bool>("admin")) {
      existing->update({{"admin", true}});
      http::log(http::LogLevel::Info, "promoted " + *c.adminUsername + " to admin");
    }
    return;
  }
  s.models.user.create({{"username", *c.adminUsername},
                        {"name", "Administrator"},
                        {"passwordHash", hashPassword(*c.adminPassword)},
                        {"admin", true}});
  http::log(http::LogLevel::Info, "created admin " + *c.adminUsername);
}

int serve() {
  Config cfg = loadConfig();
  http::setLogLevel(cfg.logLevel);
  initPasswords();
  std::filesystem::create_directories(cfg.dataDir);
  TokenSigner signer(loadSecret(cfg), cfg.sessions.maxAge);

  // Signals go to one thread, which stops the server; every other thread
  // (the pool's, the HTTP workers) inherits this mask.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  // SIGUSR1 is internal: it wakes the signal thread when serving ends for
  // another reason, so it can be joined before `app` goes away.
  sigaddset(&stopSignals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  junction::DatabaseOptions dbOptions{.pool = {.max = cfg.dbPool}};
  if (http::logEnabled(http::LogLevel::Debug))
    dbOptions.logging = [](const junction::QueryEvent& e) {
      http::log(http::LogLevel::Debug, "sql: " + std::string(e.sql));
    };
  junction::Database db{cfg.databaseUrl, std::move(dbOptions)};
  if (cfg.migrate) applyMigrations(db);

  Services services{db, defineModels(db), std::move(signer), cfg.testMode, cfg.sessions};
  bootstrapAdmin(services, cfg);

  http::App app;
  mountApi(app, services);

  std::thread signals([&app, stopSignals] {
    int sig = 0;
    sigwait(&stopSignals, &sig);
    if (sig == SIGUSR1) return;
    http::log(http::LogLevel::Info, std::string("received ") + strsignal(sig) + ", stopping");
    app.stop();
  });
  struct JoinSignals {
    std::thread& t;
    ~JoinSignals() {
      pthread_kill(t.native_handle(), SIGUSR1);
      t.join();
    }
  } joinSignals{signals};

  app.listen({.host = cfg.host, .port = cfg.port, .threads = cfg.threads,
              .bodyLimit = cfg.bodyLimit},
             [&cfg](int port) {
               std::printf("bloglist listening on http://%s:%d\n", cfg.host.c_str(), port);
               std::fflush(stdout);
             });
  db.close();
  http::log(http::LogLevel::Info, "stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc > 1) {
      std::string_view arg = argv[1];
      if (isCliVerb(arg)) {
        // Same default database as the server.
        std::string dataDir = junction::env_or("DATA_DIR", "data");
        if (junction::env_or("DATABASE_URL", "").empty()) {
          std::filesystem::create_directories(dataDir);
          setenv("DATABASE_URL", defaultDatabaseUrl(dataDir).c_str(), 1);
        }
        return junction::migrate::runCli(argc, argv, &MigrationRegistry::global());
      }
      std::fputs(kUsage, arg == "--help" || arg == "-h" ? stdout : stderr);
      return arg == "--help" || arg == "-h" ? 0 : 2;
    }
    return serve();
  } catch (const junction::Error& e) {
    std::fprintf(stderr, "bloglist: %s: %s\n", e.name(), e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bloglist: %s\n", e.what());
  }
  return 1;
}
