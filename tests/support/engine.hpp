// Test support: which engine this process tests, and an isolated database.
//
// JUNCTION_TEST_ENGINE selects "sqlite" (default) or "postgres". PostgreSQL
// comes from JUNCTION_TEST_POSTGRES_URL; without it the process exits 77
// (ctest shows SKIPPED) — except under CI=true, where it fails.
#pragma once

#include <string>

namespace junction::test {

// "sqlite" or "postgres".
const std::string& engine();
bool isPostgres();

// A URL for a database no other test process uses: a temporary SQLite file,
// or a fresh PostgreSQL schema (dropped when the process exits).
const std::string& databaseUrl();

// The server URL itself (postgres), without the private schema; empty on sqlite.
const std::string& serverUrl();

// A second, different isolated database URL (for tests needing two).
std::string freshDatabaseUrl();

}  // namespace junction::test
