// junction/migrate/migrator.hpp — runs migrations up and down, safely.
//
//   auto migrations = migrate::mergeMigrations(
//       {registry.migrations(), migrate::sqlDirectoryMigrations("migrations")});
//   migrate::Migrator migrator(db.pool(), migrations);
//   migrator.up();                        // everything pending
//   migrator.down({.to = "20211209_01_admin_and_disabled_to_users"});
//
// Safety contracts (DESIGN.md decision 5):
// - Each migration runs in its own transaction together with the insert or
//   delete of its storage row. When it throws, both are rolled back, a
//   MigrationError names the migration, the direction and the cause, and no
//   later migration runs; migrations completed earlier in the same run stay.
// - A run holds a database lock. PostgreSQL: a session advisory lock whose
//   key is derived from the schema and storage table name, held on a
//   dedicated pooled connection from before the storage table is read until
//   the run ends (released on every path). SQLite: each migration's "is it
//   still pending" check, its changes and its storage row form one
//   BEGIN IMMEDIATE transaction, so concurrent runners take turns and a
//   runner that waited finds the migration recorded and skips it.
//   Either way, N runners started at once apply each migration exactly once.
// - `up` refuses to run while an applied SQL migration's file changed
//   (checksum) or an applied migration has no source any more, unless
//   `force` is set.
//
// Thread-safety: one run at a time per Migrator object; distinct Migrators
// (and processes) may run concurrently against one database.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "junction/migrate/migration.hpp"
#include "junction/migrate/storage.hpp"
#include "junction/pool.hpp"

namespace junction::migrate {

// One migration finished (or, in a dry run, was printed).
struct MigrationProgress {
  std::string_view name;
  Direction direction = Direction::Up;
  std::chrono::milliseconds elapsed{};  // 0 in onStart
  std::size_t index = 0;                // 1-based position in this run
  std::size_t total = 0;                // migrations this run will apply or revert
};

struct MigratorOptions {
  std::string table = "migrations";  // the storage table
  // Run even though applied migrations changed or went missing.
  bool force = false;
  // Change nothing: each statement a run would execute (the migrations'
  // and the storage table's) goes to `onStatement` instead.
  bool dryRun = false;
  // Dry run: receives each statement as formatted text ("SQL; -- [params]")
  // with a "-- <name> (up)" header line before each migration's statements.
  std::function<void(std::string_view)> onStatement;
  // Called before each migration of a run starts, and after it completes.
  std::function<void(const MigrationProgress&)> onStart;
  std::function<void(const MigrationProgress&)> onProgress;
  // SQLite: how long one migration may wait for the write lock in total
  // (busy retries beyond the connection's busy_timeout). PostgreSQL waits for
  // the advisory lock without a limit, as a second deploy should.
  std::chrono::milliseconds lockTimeout{120000};
};

struct UpOptions {
  std::optional<std::string> to;    // up to and including this migration
  std::optional<int> step;          // at most this many (>= 1)
  std::optional<std::string> only;  // this one alone, if pending (db:seed --seed)
};

struct DownOptions {
  std::optional<std::string> to;    // undo everything after it and it too
  std::optional<int> step;          // the last N applied (>= 1); default 1
  std::optional<std::string> name;  // exactly this applied migration
  bool all = false;                 // every applied migration
};

struct MigrationStatus {
  enum class State { Applied, Pending, Changed, Missing };
  std::string name;
  State state = State::Pending;
  std::optional<Timestamp> appliedAt;
};
// "applied", "pending", "changed", "missing".
std::string_view stateName(MigrationStatus::State s) noexcept;

class Migrator {
 public:
  // Runs against `pool`, which must outlive the Migrator; on PostgreSQL a
  // run leases two connections at once (the lock and the work). Throws
  // UsageError for duplicate migration names.
  Migrator(Pool& pool, std::vector<Migration> migrations, MigratorOptions options = {});
  // Owns a small pool for `url`.
  Migrator(std::string_view url, std::vector<Migration> migrations, MigratorOptions options = {});
  ~Migrator();
  Migrator(const Migrator&) = delete;
  Migrator& operator=(const Migrator&) = delete;

  // Applies pending migrations in name order and returns their names. An
  // unknown `to` or a `step` below 1 is a UsageError; a failing migration is
  // a MigrationError (see the file comment).
  std::vector<std::string> up(const UpOptions& options = {});
  // Undoes applied migrations, newest first, and returns their names. With
  // no option, undoes the last one. A name that is not applied, an
  // irreversible migration or one whose source is missing is refused before
  // anything changes (UsageError / MigrationError).
  std::vector<std::string> down(const DownOptions& options = {});

  // Names of migrations not yet applied, in order.
  std::vector<std::string> pending();
  // Applied migrations as recorded, in order.
  std::vector<AppliedMigration> executed();
  // Every known or recorded migration in name order with its state.
  std::vector<MigrationStatus> status();

  const std::vector<Migration>& migrations() const noexcept { return migrations_; }
  const MigrationStorage& storage() const noexcept { return storage_; }

 private:
  class RunLock;
  class DryRun;
  static std::unique_ptr<Pool> makePool(std::string_view url);
  const Migration* find(std::string_view name) const noexcept;
  std::vector<AppliedMigration> readApplied();
  void checkIntegrity(const std::vector<AppliedMigration>& applied) const;
  void ensureStorage();
  // Runs one migration with its storage row; false when a concurrent runner
  // already did it.
  bool runOne(const Migration& m, Direction d);

  std::unique_ptr<Pool> ownedPool_;
  Pool* pool_;
  std::vector<Migration> migrations_;
  MigratorOptions options_;
  MigrationStorage storage_;
};

}  // namespace junction::migrate
