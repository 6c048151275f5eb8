// junction/migrate/storage.hpp — the table that records applied migrations.
//
//   CREATE TABLE "migrations" (
//     "name"       VARCHAR(255) PRIMARY KEY,
//     "applied_at" timestamp NOT NULL,
//     "checksum"   VARCHAR(64)             -- SQL files only
//   )
//
// The table name is configurable (`SequelizeMeta` for a sequelize-cli
// database). Every statement runs on the connection the caller passes, so
// the migrator records a migration inside that migration's own transaction:
// the row and the schema change commit or roll back together.
//
// Thread-safety: a MigrationStorage is an immutable value; the connection
// passed in belongs to the calling thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "junction/connection.hpp"
#include "junction/value.hpp"

namespace junction::migrate {

struct AppliedMigration {
  std::string name;
  Timestamp appliedAt;
  std::optional<std::string> checksum;
};

class MigrationStorage {
 public:
  // Throws UsageError for an empty table name.
  explicit MigrationStorage(std::string table = "migrations");

  const std::string& table() const noexcept { return table_; }

  // True when the table exists in the connection's database (schema).
  bool exists(Connection& conn) const;
  // Creates the table when it does not exist.
  void ensureTable(Connection& conn) const;

  // Applied migrations ordered by name; none when the table does not exist.
  std::vector<AppliedMigration> executed(Connection& conn) const;
  // True when `name` is recorded. The table must exist.
  bool isApplied(Connection& conn, std::string_view name) const;

  // Records / forgets one migration. The table must exist.
  void logMigration(Connection& conn, std::string_view name,
                    const std::optional<std::string>& checksum) const;
  void unlogMigration(Connection& conn, std::string_view name) const;

  // The statements logMigration / unlogMigration run, rendered for a dry run
  // (parameters shown as a trailing comment, never spliced).
  std::string describeLog(const sql::Dialect& d, std::string_view name,
                          const std::optional<std::string>& checksum) const;
  std::string describeUnlog(const sql::Dialect& d, std::string_view name) const;
  std::string describeCreate(const sql::Dialect& d) const;

 private:
  std::string table_;
};

}  // namespace junction::migrate
