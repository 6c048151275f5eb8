#include "dialects/sqlite/sqlite_dialect.hpp"

#include <fmt/format.h>

#include "junction/dialects.hpp"
#include "junction/errors.hpp"
#include "junction/sql/compiler.hpp"
#include "sql/render_helpers.hpp"

namespace junction {

namespace sqlite {

namespace {

void checkDecimal(const sql::ColumnType& t) {
  if (t.precision < 0 || t.scale < 0 || t.scale > t.precision)
    throw UsageError(
        fmt::format("DECIMAL({}, {}): need 0 <= scale <= precision", t.precision, t.scale));
}

}  // namespace

const sql::Capabilities& SqliteDialect::capabilities() const noexcept {
  static const sql::Capabilities caps{
      .returning = true,  // SQLite >= 3.35
      .upsert = true,     // SQLite >= 3.24
      .nativeILike = false,
      .lockClauses = false,
      .transactionalDdl = true,
      .alterColumn = false,
      .dropColumn = true,  // SQLite >= 3.35
      .schemas = false,
      .maxParams = 32766,  // SQLITE_MAX_VARIABLE_NUMBER default since 3.32
      // Foreign keys act per row: nothing depends on a table, and the
      // grammar has no CASCADE.
      .dropTableCascade = false,
      .advisoryLocks = false,  // BEGIN IMMEDIATE takes the database's write lock instead
      .maxIdentifierLength = 0,
      .reservedTablePrefix = "sqlite_",
      .catalog = sql::Catalog::SqliteMaster,
  };
  return caps;
}

void SqliteDialect::placeholder(std::string& out, std::size_t /*index*/) const {
  out += '?';
}

void SqliteDialect::renderILike(sql::Compiler& c, const sql::Binary& node, bool negated) const {
  c.raw("LOWER(");
  c.expr(node.lhs);
  c.raw(negated ? ") NOT LIKE LOWER(" : ") LIKE LOWER(");
  c.expr(node.rhs);
  c.raw(")");
  sql::detail::appendLikeEscape(c, node.escape);
}

void SqliteDialect::renderLimitOffset(sql::Compiler& c, std::optional<std::int64_t> limit,
                                      std::optional<std::int64_t> offset) const {
  if (offset && !limit) {
    if (*offset < 0) throw UsageError(fmt::format("OFFSET must not be negative (got {})", *offset));
    c.raw(" LIMIT -1 OFFSET ");
    c.param(Value(*offset));
    return;
  }
  Dialect::renderLimitOffset(c, limit, offset);
}

void SqliteDialect::renderLock(sql::Compiler& /*c*/, sql::LockMode /*mode*/) const {
  // SQLite locks the whole database per transaction; there are no row locks
  // to ask for, and the statement stays valid.
}

std::string SqliteDialect::columnType(const sql::ColumnType& t) const {
  using Kind = sql::ColumnType::Kind;
  switch (t.kind) {
    case Kind::Integer:
      return "INTEGER";
    case Kind::BigInt:
      return "BIGINT";
    case Kind::String:
      if (t.length < 0) throw UsageError(fmt::format("VARCHAR({}): negative length", t.length));
      return fmt::format("VARCHAR({})", t.length == 0 ? 255 : t.length);
    case Kind::Text:
      return "TEXT";
    case Kind::Boolean:
      return "BOOLEAN";
    case Kind::Float:
      return "FLOAT";
    case Kind::Double:
      return "DOUBLE PRECISION";
    case Kind::Decimal:
      checkDecimal(t);
      if (t.precision == 0) return "DECIMAL";
      return fmt::format("DECIMAL({},{})", t.precision, t.scale);
    case Kind::Date:
      return "DATETIME";
    case Kind::DateOnly:
      return "DATE";
    case Kind::Json:
      return "JSON";
    case Kind::Uuid:
      return "VARCHAR(36)";  // TEXT affinity: stored as canonical text
    case Kind::Enum:
      return "VARCHAR(255)";
    case Kind::Blob:
      return "BLOB";
  }
  throw UsageError("unknown column type");
}

void SqliteDialect::renderColumnDef(sql::Compiler& c, const sql::ColumnDef& col,
                                    bool inlinePrimaryKey) const {
  if (!col.autoIncrement) {
    Dialect::renderColumnDef(c, col, inlinePrimaryKey);
    return;
  }
  sql::detail::checkAutoIncrement(col, name());
  if (!col.primaryKey || !inlinePrimaryKey)
    throw UsageError(fmt::format(
        "column \"{}\": SQLite auto-increments only the table's single primary key column",
        col.name));
  // Only the exact type name INTEGER makes the column an alias of the rowid,
  // so BIGINT renders as INTEGER here too (it is 64-bit either way).
  c.identifier(col.name);
  c.raw(" INTEGER PRIMARY KEY AUTOINCREMENT");
  sql::detail::renderColumnConstraints(c, col, false, true);
}

}  // namespace sqlite

const sql::Dialect& sqliteDialect() noexcept {
  static const sqlite::SqliteDialect dialect;
  return dialect;
}

}  // namespace junction
