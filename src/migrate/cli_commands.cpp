// The `junction` verbs: parse one command line, run it through the Migrator
// or a generator, print the outcome. CLI11 cannot name a subcommand
// "db:migrate" (':' is reserved), so the verb is dispatched here and CLI11
// parses each verb's options as its own App.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "junction/config.hpp"
#include "junction/dialects.hpp"
#include "junction/errors.hpp"
#include "junction/migrate/cli.hpp"
#include "junction/migrate/generate.hpp"
#include "junction/migrate/migrator.hpp"
#include "junction/migrate/source.hpp"
#include "junction/url.hpp"

namespace junction::migrate {

namespace {

constexpr int kFailure = 1;
constexpr int kUsage = 2;

// Which database: --url, else $DATABASE_URL, else the environment of
// sequelize-cli's config file (config.hpp) chosen by --env, $JUNCTION_ENV or
// $NODE_ENV. Where the files are: the flags, else .junctionrc, else
// sequelize-cli's defaults.
struct DbOptions {
  std::string url;
  std::string config;  // empty: .junctionrc's, else config/config.json
  std::string env;
  std::string migrationsDir;  // empty: .junctionrc's migrations-path, else migrations/
  std::string table;  // empty: the config's migrationStorageTableName, else "migrations"
  bool dryRun = false;
  bool force = false;
  // The seed verbs: the same runner over the seeders directory, with its own
  // storage table (the config's seederStorageTableName, else "seeders").
  bool seeders = false;
  std::string seedersDir;  // empty: .junctionrc's seeders-path, else seeders/

  struct Resolved {
    std::string url, migrationsDir, table;
  };
  Resolved resolve() const {
    const ProjectPaths paths = loadProjectPaths();
    Resolved r{url, migrationsDir.empty() ? paths.migrations.string() : migrationsDir,
               table.empty() ? "migrations" : table};
    if (seeders) {
      r.migrationsDir = seedersDir.empty() ? paths.seeders.string() : seedersDir;
      if (table.empty()) r.table = "seeders";
    }
    if (!r.url.empty()) return r;
    ConfigSelection which{config.empty() ? paths.config : std::filesystem::path(config), env};
    std::error_code ec;
    if (config.empty() && !std::filesystem::exists(which.file, ec))
      throw UsageError(fmt::format("no database: pass --url, set DATABASE_URL, or write {} "
                                   "(sequelize-cli's config format)",
                                   which.file.string()));
    auto cfg = loadDatabaseConfig(which);
    r.url = cfg.url;
    const std::string& named = seeders ? cfg.seederStorageTableName : cfg.migrationStorageTableName;
    if (table.empty() && !named.empty()) r.table = named;
    return r;
  }
};

// Which database: --url, --config, --env.
void addConnectionOptions(CLI::App& app, DbOptions& o) {
  app.add_option("--url", o.url, "database URL (default: $DATABASE_URL, else --config)")
      ->envname("DATABASE_URL");
  app.add_option("--config", o.config,
                 "sequelize-cli's config.json (default: .junctionrc's, else config/config.json)");
  app.add_option("--env", o.env,
                 "the config's environment (default: $JUNCTION_ENV, else $NODE_ENV, else "
                 "development)");
}

// The runner's options: which database, where its files are, its storage
// table, and --dry-run (--force too, for migrations) when the verb changes
// the database. Migrations, or seeders when o.seeders is set.
void addDbOptions(CLI::App& app, DbOptions& o, bool changesSchema) {
  addConnectionOptions(app, o);
  const char* what = o.seeders ? "seeders" : "migrations";
  app.add_option(o.seeders ? "--seeders-dir" : "--migrations-dir",
                 o.seeders ? o.seedersDir : o.migrationsDir,
                 fmt::format("directory of <name>.up.sql/.down.sql files (default: .junctionrc's "
                             "{}-path, else {})",
                             what, what));
  app.add_option("--table", o.table,
                 fmt::format("the storage table of applied {} (default: the config's "
                             "{}StorageTableName, else {})",
                             what, o.seeders ? "seeder" : "migration", what));
  if (changesSchema) {
    app.add_flag("--dry-run", o.dryRun, "print the SQL that would run and change nothing");
    if (!o.seeders)
      app.add_flag("--force", o.force, "run although applied migrations changed or are missing");
  }
}

// The seed verbs' options: the runner's, over the seeders.
void addSeedOptions(CLI::App& app, DbOptions& o) {
  o.seeders = true;
  addDbOptions(app, o, true);
}

std::string oneLine(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

struct Context {
  const MigrationRegistry* compiledIn;
  std::ostream& out;
  std::ostream& err;
};

// A run's progress: one line per migration done ("== name: migrated (12 ms)
// [1/4]"); on a terminal also a live line, rewritten in place every 200 ms
// while a migration runs: n of m, its name, the seconds so far.
class Progress {
 public:
  Progress(std::ostream& out, bool live) : out_(out), live_(live) {}
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() { stopTicker(); }  // a failed run: the error starts on a fresh line

  void start(const MigrationProgress& p) {
    if (!live_) return;
    stopTicker();
    {
      std::lock_guard lock(mutex_);
      label_ = fmt::format("== [{}/{}] {}: {}", p.index, p.total, p.name,
                           p.direction == Direction::Up ? "migrating" : "reverting");
      begun_ = std::chrono::steady_clock::now();
      running_ = true;
      draw();
    }
    ticker_ = std::thread([this] {
      std::unique_lock lock(mutex_);
      while (!cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return !running_; }))
        draw();
    });
  }

  void done(const MigrationProgress& p) {
    stopTicker();
    if (live_) out_ << "\r\033[K";
    out_ << fmt::format("== {}: {} ({} ms) [{}/{}]\n", p.name,
                        p.direction == Direction::Up ? "migrated" : "reverted", p.elapsed.count(),
                        p.index, p.total)
         << std::flush;
  }

 private:
  void draw() {  // with mutex_ held
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begun_);
    out_ << fmt::format("\r\033[K{} {:.1f} s", label_, seconds.count()) << std::flush;
  }
  void stopTicker() {
    {
      std::lock_guard lock(mutex_);
      if (!running_) return;
      running_ = false;
    }
    cv_.notify_all();
    if (ticker_.joinable()) ticker_.join();
    out_ << "\r\033[K" << std::flush;
  }

  std::ostream& out_;
  const bool live_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool running_ = false;
  std::string label_;
  std::chrono::steady_clock::time_point begun_;
  std::thread ticker_;
};

// `where`: o.resolve(), for a verb that needs it too (it reads the config).
Migrator makeMigrator(const DbOptions& o, const DbOptions::Resolved& where, const Context& ctx) {
  std::vector<std::vector<Migration>> sources;
  if (ctx.compiledIn && !o.seeders) sources.push_back(ctx.compiledIn->migrations());
  sources.push_back(sqlDirectoryMigrations(where.migrationsDir));
  MigratorOptions options{.table = where.table, .force = o.force, .dryRun = o.dryRun};
  if (o.dryRun) {
    options.onStatement = [&out = ctx.out](std::string_view text) { out << text << '\n'; };
  } else {
    auto progress = std::make_shared<Progress>(
        ctx.out, &ctx.out == &std::cout && ::isatty(STDOUT_FILENO) == 1);
    options.onStart = [progress](const MigrationProgress& p) { progress->start(p); };
    options.onProgress = [progress](const MigrationProgress& p) { progress->done(p); };
  }
  return Migrator(where.url, mergeMigrations(std::move(sources)), std::move(options));
}

Migrator makeMigrator(const DbOptions& o, const Context& ctx) {
  return makeMigrator(o, o.resolve(), ctx);
}

void reportRun(const Context& ctx, const DbOptions& o, const std::vector<std::string>& ran,
               Direction d) {
  const char* verb = d == Direction::Up ? "applied" : "reverted";
  const char* what = o.seeders ? "seeder(s)" : "migration(s)";
  if (o.dryRun)
    ctx.out << fmt::format("-- dry run: {} {} would be {}; nothing was changed\n", ran.size(),
                           what, verb);
  else if (ran.empty() && o.seeders)
    ctx.out << (d == Direction::Up ? "No seeders were executed: every seeder has run.\n"
                                   : "No executed seeders found.\n");
  else if (ran.empty())
    ctx.out << (d == Direction::Up ? "No migrations were executed, database schema was already up "
                                     "to date.\n"
                                   : "No executed migrations found.\n");
  else
    ctx.out << fmt::format("{} {} {}.\n", d == Direction::Up ? "Applied" : "Reverted",
                           ran.size(), what);
}

void printStatus(const Context& ctx, const std::vector<MigrationStatus>& rows) {
  std::size_t nameWidth = 4, stateWidth = 5;
  for (const auto& r : rows) {
    nameWidth = std::max(nameWidth, r.name.size());
    stateWidth = std::max(stateWidth, stateName(r.state).size());
  }
  ctx.out << fmt::format("{:<{}}  {:<{}}  {}\n", "name", nameWidth, "state", stateWidth,
                         "applied at");
  for (const auto& r : rows)
    ctx.out << fmt::format("{:<{}}  {:<{}}  {}\n", r.name, nameWidth, stateName(r.state),
                           stateWidth, r.appliedAt ? r.appliedAt->toIso() : "-");
  if (rows.empty()) ctx.out << "(no migrations)\n";
}

// The URL of the server's maintenance database `postgres` (CREATE and DROP
// DATABASE cannot run in the database they name): `url` with its path
// replaced, its parameters kept.
std::string maintenanceUrl(const std::string& url) {
  const auto authority = url.find("://");
  const auto path = url.find('/', authority == std::string::npos ? 0 : authority + 3);
  const auto query = url.find('?');
  std::string out = url.substr(0, std::min(path, query));
  out += "/postgres";
  if (query != std::string::npos) out += url.substr(query);
  return out;
}

// An option that goes into DDL, which cannot bind it: letters, digits, '_' and '-'.
std::string ddlWord(const std::string& flag, const std::string& value) {
  constexpr std::string_view allowed =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
  if (value.empty() || value.find_first_not_of(allowed) != std::string::npos)
    throw UsageError(fmt::format("{} \"{}\": only letters, digits, '_' and '-'", flag, value));
  return value;
}

struct CreateOptions {
  std::string encoding, owner, templ;
};

// db:create / db:drop: PostgreSQL's CREATE / DROP DATABASE on the server's
// maintenance database; SQLite's file itself.
void createOrDropDatabase(const std::string& url, bool create, const CreateOptions& c,
                          std::ostream& out) {
  const auto u = ConnectionUrl::parse(url);
  if (u.scheme == "sqlite") {
    const std::pair<const char*, const std::string*> postgresOnly[] = {
        {"--encoding", &c.encoding}, {"--owner", &c.owner}, {"--template", &c.templ}};
    for (const auto& [flag, value] : postgresOnly)
      if (!value->empty())
        throw UsageError(fmt::format("{} is for PostgreSQL; a SQLite database is a file", flag));
    if (u.isMemory())
      throw UsageError("an in-memory SQLite database has no file to create or drop");
    std::error_code ec;
    const bool exists = std::filesystem::exists(u.path, ec);
    if (create) {
      if (exists) throw UsageError(fmt::format("database file {} already exists", u.path));
      openConnection(url);  // SQLite creates the file
      out << fmt::format("Database {} created.\n", u.path);
      return;
    }
    if (!exists) throw UsageError(fmt::format("database file {} does not exist", u.path));
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(u.path + suffix, ec);
    out << fmt::format("Database {} dropped.\n", u.path);
    return;
  }
  if (u.database.empty()) throw UsageError("the URL names no database to create or drop");
  auto conn = openConnection(maintenanceUrl(url));
  std::string sql = create ? "CREATE DATABASE " : "DROP DATABASE ";
  conn->dialect().quoteIdentifier(sql, u.database);
  if (create) {
    if (!c.owner.empty()) {
      sql += " OWNER ";
      conn->dialect().quoteIdentifier(sql, ddlWord("--owner", c.owner));
    }
    if (!c.templ.empty()) {
      sql += " TEMPLATE ";
      conn->dialect().quoteIdentifier(sql, ddlWord("--template", c.templ));
    }
    if (!c.encoding.empty()) sql += " ENCODING '" + ddlWord("--encoding", c.encoding) + "'";
  }
  conn->execute(sql);
  out << fmt::format("Database {} {}.\n", u.database, create ? "created" : "dropped");
}

// `init`'s config/config.json: SQLite files for development and test, the
// URL from $DATABASE_URL in production.
constexpr const char* kInitialConfig = R"({
  "development": {
    "dialect": "sqlite",
    "storage": "development.sqlite"
  },
  "test": {
    "dialect": "sqlite",
    "storage": "test.sqlite"
  },
  "production": {
    "use_env_variable": "DATABASE_URL"
  }
}
)";

std::string bashCompletion(const Context& ctx);

struct Verb {
  std::string description;
  // Adds the verb's options to `app`; returns the action to run after parsing.
  std::function<std::function<void()>(CLI::App& app, const Context& ctx)> build;
};

std::map<std::string, Verb> verbs() {
  std::map<std::string, Verb> v;
  v["db:migrate"] = {"apply pending migrations", [](CLI::App& app, const Context& ctx) {
                       auto o = std::make_shared<DbOptions>();
                       auto up = std::make_shared<UpOptions>();
                       addDbOptions(app, *o, true);
                       app.add_option("--to", up->to, "apply up to and including this migration");
                       app.add_option("--step", up->step, "apply at most N migrations")
                           ->check(CLI::PositiveNumber);
                       return [o, up, &ctx] {
                         auto m = makeMigrator(*o, ctx);
                         reportRun(ctx, *o, m.up(*up), Direction::Up);
                       };
                     }};
  v["db:migrate:undo"] = {"revert the last migration (or --step N, or --name NAME)",
                          [](CLI::App& app, const Context& ctx) {
                            auto o = std::make_shared<DbOptions>();
                            auto down = std::make_shared<DownOptions>();
                            addDbOptions(app, *o, true);
                            auto* name = app.add_option("--name", down->name,
                                                        "revert exactly this migration");
                            app.add_option("--step", down->step, "revert the last N migrations")
                                ->check(CLI::PositiveNumber)
                                ->excludes(name);
                            return [o, down, &ctx] {
                              auto m = makeMigrator(*o, ctx);
                              reportRun(ctx, *o, m.down(*down), Direction::Down);
                            };
                          }};
  v["db:migrate:undo:all"] = {"revert every migration (or down to and including --to NAME)",
                              [](CLI::App& app, const Context& ctx) {
                                auto o = std::make_shared<DbOptions>();
                                auto down = std::make_shared<DownOptions>();
                                addDbOptions(app, *o, true);
                                app.add_option("--to", down->to,
                                               "revert the migrations after NAME and NAME itself");
                                return [o, down, &ctx] {
                                  if (!down->to) down->all = true;
                                  auto m = makeMigrator(*o, ctx);
                                  reportRun(ctx, *o, m.down(*down), Direction::Down);
                                };
                              }};
  v["db:seed:all"] = {"run every seeder not yet run", [](CLI::App& app, const Context& ctx) {
                        auto o = std::make_shared<DbOptions>();
                        addSeedOptions(app, *o);
                        return [o, &ctx] {
                          reportRun(ctx, *o, makeMigrator(*o, ctx).up({}), Direction::Up);
                        };
                      }};
  v["db:seed"] = {"run one seeder (--seed NAME)", [](CLI::App& app, const Context& ctx) {
                    auto o = std::make_shared<DbOptions>();
                    auto up = std::make_shared<UpOptions>();
                    addSeedOptions(app, *o);
                    app.add_option("--seed", up->only, "the seeder to run")->required();
                    return [o, up, &ctx] {
                      reportRun(ctx, *o, makeMigrator(*o, ctx).up(*up), Direction::Up);
                    };
                  }};
  v["db:seed:undo"] = {"undo the last seeder run (or --seed NAME)",
                       [](CLI::App& app, const Context& ctx) {
                         auto o = std::make_shared<DbOptions>();
                         auto down = std::make_shared<DownOptions>();
                         addSeedOptions(app, *o);
                         app.add_option("--seed", down->name, "undo exactly this seeder");
                         return [o, down, &ctx] {
                           reportRun(ctx, *o, makeMigrator(*o, ctx).down(*down), Direction::Down);
                         };
                       }};
  v["db:seed:undo:all"] = {"undo every seeder run", [](CLI::App& app, const Context& ctx) {
                             auto o = std::make_shared<DbOptions>();
                             addSeedOptions(app, *o);
                             return [o, &ctx] {
                               reportRun(ctx, *o, makeMigrator(*o, ctx).down({.all = true}),
                                         Direction::Down);
                             };
                           }};
  v["seed:generate"] = {
      "write a timestamped seeder: <name>.up.sql and <name>.down.sql",
      [](CLI::App& app, const Context& ctx) {
        auto name = std::make_shared<std::string>();
        auto dir = std::make_shared<std::string>();
        app.add_option("--name", *name, "what the seeder adds, e.g. demo_users")->required();
        app.add_option("--seeders-dir", *dir,
                       "where to write it (default: .junctionrc's seeders-path, else seeders)");
        return [name, dir, &ctx] {
          GenerateOptions g{.migrationsDir = dir->empty() ? loadProjectPaths().seeders
                                                          : std::filesystem::path(*dir),
                            .sql = true};
          for (const auto& p : generateMigration(*name, g))
            ctx.out << "New seed was created at " << p.string() << "\n";
        };
      }};
  v["db:migrate:status"] = {
      "list migrations: name, state (applied, pending, changed, missing), applied at",
      [](CLI::App& app, const Context& ctx) {
        auto o = std::make_shared<DbOptions>();
        addDbOptions(app, *o, false);
        return [o, &ctx] {
          const auto where = o->resolve();
          printStatus(ctx, makeMigrator(*o, where, ctx).status());
          // C++ migrations (migration:generate without --sql) are compiled
          // into an application; the CLI sees the files but cannot run them.
          namespace fs = std::filesystem;
          std::error_code ec;
          std::vector<std::string> compiled;
          for (fs::directory_iterator it(where.migrationsDir, ec), end; !ec && it != end;
               it.increment(ec))
            if (it->path().extension() == ".cpp") compiled.push_back(it->path().filename());
          std::sort(compiled.begin(), compiled.end());
          for (const auto& file : compiled)
            ctx.out << fmt::format(
                "{}: a C++ migration this CLI cannot run: compile it into your application "
                "(runCli), or write it as SQL (migration:generate --sql)\n",
                file);
        };
      }};
  for (bool create : {true, false})
    v[create ? "db:create" : "db:drop"] = {
        create ? "create the database (PostgreSQL: CREATE DATABASE; SQLite: the file)"
               : "drop the database (PostgreSQL: DROP DATABASE; SQLite: the file)",
        [create](CLI::App& app, const Context& ctx) {
          auto o = std::make_shared<DbOptions>();
          auto c = std::make_shared<CreateOptions>();
          addConnectionOptions(app, *o);
          if (create) {
            app.add_option("--encoding", c->encoding, "PostgreSQL: ENCODING, e.g. UTF8");
            app.add_option("--owner", c->owner, "PostgreSQL: OWNER role");
            app.add_option("--template", c->templ, "PostgreSQL: TEMPLATE database");
          }
          return [o, c, create, &ctx] {
            createOrDropDatabase(o->resolve().url, create, *c, ctx.out);
          };
        }};
  v["init"] = {"create config/config.json, migrations/, seeders/ and models/",
               [](CLI::App& app, const Context& ctx) {
                 auto force = std::make_shared<bool>(false);
                 app.add_flag("--force", *force, "overwrite an existing config file");
                 return [force, &ctx] {
                   const ProjectPaths paths = loadProjectPaths();
                   namespace fs = std::filesystem;
                   std::error_code ec;
                   for (const fs::path& dir : {paths.migrations, paths.seeders, paths.models}) {
                     if (!fs::exists(dir, ec)) ctx.out << "Created " << dir.string() << "/\n";
                     fs::create_directories(dir);
                   }
                   if (fs::exists(paths.config, ec) && !*force)
                     throw UsageError(fmt::format("{} already exists (--force overwrites it)",
                                                  paths.config.string()));
                   if (paths.config.has_parent_path())
                     fs::create_directories(paths.config.parent_path());
                   std::ofstream file(paths.config);
                   file << kInitialConfig;
                   if (!file.flush())
                     throw UsageError(fmt::format("cannot write {}", paths.config.string()));
                   ctx.out << "Created " << paths.config.string() << "\n";
                 };
               }};
  v["completion"] = {
      "print a bash completion script: eval \"$(junction completion)\"",
      [](CLI::App&, const Context& ctx) {
        return [&ctx] { ctx.out << bashCompletion(ctx); };
      }};
  v["migration:generate"] = {
      "write a timestamped migration skeleton (C++, or SQL files with --sql)",
      [](CLI::App& app, const Context& ctx) {
        auto name = std::make_shared<std::string>();
        auto g = std::make_shared<GenerateOptions>();
        auto dir = std::make_shared<std::string>();
        app.add_option("--name", *name, "what the migration does, e.g. add_admin_to_users")
            ->required();
        app.add_flag("--sql", g->sql, "write <name>.up.sql and <name>.down.sql");
        app.add_option("--migrations-dir", *dir,
                       "where to write it (default: .junctionrc's migrations-path, else "
                       "migrations)");
        return [name, g, dir, &ctx] {
          g->migrationsDir =
              dir->empty() ? loadProjectPaths().migrations : std::filesystem::path(*dir);
          for (const auto& p : generateMigration(*name, *g))
            ctx.out << "New migration was created at " << p.string() << "\n";
        };
      }};
  v["model:generate"] = {
      "write a model definition and the migration creating its table",
      [](CLI::App& app, const Context& ctx) {
        auto name = std::make_shared<std::string>();
        auto attrs = std::make_shared<std::string>();
        auto g = std::make_shared<GenerateOptions>();
        auto dir = std::make_shared<std::string>();
        auto models = std::make_shared<std::string>();
        app.add_option("--name", *name, "the model name, e.g. User")->required();
        app.add_option("--attributes", *attrs,
                       "name:type,... with types string, text, integer, bigint, boolean, date, "
                       "dateonly, float, double, decimal, json, uuid")
            ->required();
        app.add_option("--migrations-dir", *dir,
                       "where to write the migration (default: .junctionrc's migrations-path, "
                       "else migrations)");
        app.add_option("--models-dir", *models,
                       "where to write the model (default: .junctionrc's models-path, else "
                       "models)");
        return [=, &ctx] {
          const ProjectPaths project = loadProjectPaths();
          g->migrationsDir = dir->empty() ? project.migrations : std::filesystem::path(*dir);
          g->modelsDir = models->empty() ? project.models : std::filesystem::path(*models);
          auto paths = generateModel(*name, parseAttributes(*attrs), *g);
          ctx.out << "New model was created at " << paths.at(0).string() << "\n";
          ctx.out << "New migration was created at " << paths.at(1).string() << "\n";
        };
      }};
  return v;
}

// A bash completion script for every verb and its options, generated from
// the verbs themselves so that it cannot fall behind. Bash splits words at
// ':', so the function reads the command line itself and hands back only
// what follows the word's last ':'.
std::string bashCompletion(const Context& ctx) {
  std::string verbNames, cases;
  for (const auto& [name, verb] : verbs()) {
    verbNames += (verbNames.empty() ? "" : " ") + name;
    CLI::App app;
    (void)verb.build(app, ctx);
    std::string options = "--help";
    for (const CLI::Option* o : app.get_options())
      for (const auto& l : o->get_lnames())
        if (l != "help") options += " --" + l;
    cases += fmt::format("    {}) words=\"{}\" ;;\n", name, options);
  }
  return fmt::format(R"SH(# bash completion for junction: eval "$(junction completion)"
_junction() {{
  local line=${{COMP_LINE:0:COMP_POINT}}
  local cur=${{line##*[[:space:]]}}
  local -a parts
  read -ra parts <<< "$line"
  local words
  if (( ${{#parts[@]}} < 2 )) || [[ ${{#parts[@]}} == 2 && -n $cur ]]; then
    words="{}"
  else
    case ${{parts[1]}} in
{}    *) words="" ;;
    esac
  fi
  local prefix=${{cur%"${{cur##*:}}"}}
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  COMPREPLY=("${{COMPREPLY[@]#"$prefix"}}")
}}
complete -F _junction junction
)SH",
                     verbNames, cases);
}

void printUsage(std::ostream& out, std::string_view program,
                const std::map<std::string, Verb>& all) {
  out << fmt::format("Usage: {} <command> [options]\n\nCommands:\n", program);
  for (const auto& [name, verb] : all) out << fmt::format("  {:<22}{}\n", name, verb.description);
  out << fmt::format("\nRun `{} <command> --help` for a command's options.\n", program);
}

}  // namespace

int runCli(int argc, char** argv, const MigrationRegistry* compiledIn) {
  return runCli(argc, argv, compiledIn, std::cout, std::cerr);
}

int runCli(int argc, char** argv, const MigrationRegistry* compiledIn, std::ostream& out,
           std::ostream& err) {
  const std::string program =
      argc > 0 && argv[0] ? std::filesystem::path(argv[0]).filename().string() : "junction";
  const auto all = verbs();
  if (argc < 2) {
    printUsage(err, program, all);
    return kUsage;
  }
  const std::string verb = argv[1];
  if (verb == "--help" || verb == "-h" || verb == "help") {
    printUsage(out, program, all);
    return 0;
  }
  auto it = all.find(verb);
  if (it == all.end()) {
    err << fmt::format("{}: unknown command \"{}\" (see {} --help)\n", program, verb, program);
    return kUsage;
  }

  Context ctx{compiledIn, out, err};
  CLI::App app{it->second.description, program + " " + verb};
  std::function<void()> action;
  try {
    action = it->second.build(app, ctx);
    app.parse(argc - 1, argv + 1);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    err << fmt::format("{}: {}: {} (see {} {} --help)\n", program, verb, oneLine(e.what()), program,
                       verb);
    return kUsage;
  }
  try {
    action();
    return 0;
  } catch (const Error& e) {
    err << fmt::format("{}: {}: {}\n", program, e.name(), oneLine(e.what()));
  } catch (const std::exception& e) {
    err << fmt::format("{}: error: {}\n", program, oneLine(e.what()));
  }
  return kFailure;
}

}  // namespace junction::migrate
