// junction/migrate/source.hpp — migrations read from a directory of SQL files.
//
//   migrations/20211209_00_initialize_notes_and_users.up.sql
//   migrations/20211209_00_initialize_notes_and_users.down.sql
//
// Each `<name>.up.sql` is one migration; its `<name>.down.sql` undoes it. A
// missing down file makes the migration irreversible (undo raises
// MigrationError naming it). The files are read when the source is loaded;
// the migration's checksum is the SHA-256 of the up file's bytes, so a file
// edited after it was applied is detected (Migrator::status: "changed").
//
// Thread-safety: free functions over the file system; no shared state.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "junction/migrate/migration.hpp"

namespace junction::migrate {

// The migrations of `dir`, ordered by name. A missing directory yields no
// migrations (a fresh project). Throws UsageError for a `.down.sql` without
// its `.up.sql`, and for a file that cannot be read.
std::vector<Migration> sqlDirectoryMigrations(const std::filesystem::path& dir);

// Lower-case hex SHA-256 of `bytes` (64 characters).
std::string sha256Hex(std::string_view bytes);

}  // namespace junction::migrate
