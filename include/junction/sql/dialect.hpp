// junction/sql/dialect.hpp — what differs between engines, as hooks and flags.
//
// A Dialect is a small set of overrides plus capability flags (the
// SQLAlchemy layering): the Compiler does one visit per node and asks the
// dialect only where engines differ — placeholders, identifier quoting,
// ILIKE, LIMIT/OFFSET, locking clauses, column types, auto-increment columns
// and DDL literals. Concrete dialects live in src/dialects/<engine>/ and are
// obtained with sqliteDialect() / postgresDialect() (junction/dialects.hpp)
// or from a Connection.
//
// Thread-safety: dialects are immutable singletons; share freely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "junction/sql/statement.hpp"

namespace junction::sql {

class Compiler;

// Where an engine keeps its table definitions, for the migrator's
// introspection (describeTable, showAllTables, the storage table's check).
enum class Catalog { InformationSchema, SqliteMaster };

struct Capabilities {
  bool returning = true;                 // INSERT/UPDATE/DELETE ... RETURNING
  bool upsert = true;                    // INSERT ... ON CONFLICT
  bool nativeILike = false;              // ILIKE operator exists
  bool lockClauses = false;              // SELECT ... FOR UPDATE
  bool transactionalDdl = true;          // DDL inside transactions rolls back
  bool alterColumn = false;              // ALTER TABLE ... ALTER COLUMN
  bool dropColumn = true;                // ALTER TABLE ... DROP COLUMN
  bool schemas = false;                  // CREATE SCHEMA / search_path
  std::size_t maxParams = 32766;         // bound parameters per statement
  bool dropTableCascade = true;          // DROP TABLE ... CASCADE (dependent objects)
  bool advisoryLocks = false;            // session advisory locks: the migration lock
  std::size_t maxIdentifierLength = 0;   // in bytes; 0: no limit
  std::string_view reservedTablePrefix;  // table names the engine keeps (case-insensitive)
  Catalog catalog = Catalog::InformationSchema;
};

// The statements of the migration lock, for engines with advisoryLocks:
// the session's schema (the lock's scope), then lock and unlock with one
// placeholder, a 64-bit key.
struct AdvisoryLockStatements {
  std::string_view currentSchema;
  std::string_view lock;
  std::string_view unlock;
};

class Dialect {
 public:
  virtual ~Dialect() = default;

  // "sqlite", "postgres": for messages and logs. Code asks capabilities(),
  // never the name, what an engine can do.
  virtual std::string_view name() const noexcept = 0;
  virtual const Capabilities& capabilities() const noexcept = 0;

  // The migration lock's statements; empty unless capabilities().advisoryLocks.
  virtual AdvisoryLockStatements advisoryLock() const noexcept { return {}; }

  // Appends the placeholder for the `index`-th parameter (1-based).
  virtual void placeholder(std::string& out, std::size_t index) const = 0;

  // Appends `ident` as a quoted identifier ("a""b" for a"b). Throws
  // UsageError for an empty identifier or one containing a NUL byte.
  virtual void quoteIdentifier(std::string& out, std::string_view ident) const;

  // `lhs ILIKE rhs` / `lhs NOT ILIKE rhs` (negated). Engines without ILIKE
  // override this (SQLite: LOWER(lhs) LIKE LOWER(rhs)).
  virtual void renderILike(Compiler& c, const Binary& node, bool negated) const;

  // LIMIT/OFFSET tail of a SELECT; values are bound parameters.
  virtual void renderLimitOffset(Compiler& c, std::optional<std::int64_t> limit,
                                 std::optional<std::int64_t> offset) const;

  // FOR UPDATE / FOR SHARE; engines without row locks render nothing.
  virtual void renderLock(Compiler& c, LockMode mode) const;

  // The engine's type for an abstract column type ("VARCHAR(255)", "TIMESTAMPTZ").
  virtual std::string columnType(const ColumnType& t) const = 0;

  // A whole column definition inside CREATE TABLE / ADD COLUMN. The default
  // renders name, type, PRIMARY KEY, NOT NULL, UNIQUE, DEFAULT, REFERENCES and
  // an ENUM's CHECK; dialects override for auto-increment columns.
  virtual void renderColumnDef(Compiler& c, const ColumnDef& col, bool inlinePrimaryKey) const;

  // A Value rendered as an SQL literal. Only DDL uses this (DEFAULT clauses
  // cannot take bound parameters); DML always binds. Text is quoted with
  // doubled quotes; blobs are hex literals; NUL bytes throw UsageError.
  virtual std::string renderLiteral(const Value& v) const;
};

}  // namespace junction::sql
