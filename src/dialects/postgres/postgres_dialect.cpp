#include "dialects/postgres/postgres_dialect.hpp"

#include <fmt/format.h>

#include "junction/dialects.hpp"
#include "junction/errors.hpp"
#include "junction/sql/compiler.hpp"
#include "sql/render_helpers.hpp"

namespace junction {

namespace postgres {

const sql::Capabilities& PostgresDialect::capabilities() const noexcept {
  static const sql::Capabilities caps{
      .returning = true,
      .upsert = true,
      .nativeILike = true,
      .lockClauses = true,
      .transactionalDdl = true,
      .alterColumn = true,
      .dropColumn = true,
      .schemas = true,
      .maxParams = 65535,  // the wire protocol's 16-bit parameter count
      .dropTableCascade = true,
      .advisoryLocks = true,
      .maxIdentifierLength = 63,  // NAMEDATALEN - 1
      .catalog = sql::Catalog::InformationSchema,
  };
  return caps;
}

sql::AdvisoryLockStatements PostgresDialect::advisoryLock() const noexcept {
  return {"SELECT current_schema()", "SELECT pg_advisory_lock($1)",
          "SELECT pg_advisory_unlock($1)"};
}

void PostgresDialect::placeholder(std::string& out, std::size_t index) const {
  out += '$';
  out += std::to_string(index);
}

std::string PostgresDialect::columnType(const sql::ColumnType& t) const {
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
    case Kind::Float:  // PostgreSQL's FLOAT is DOUBLE PRECISION too
    case Kind::Double:
      return "DOUBLE PRECISION";
    case Kind::Decimal:
      if (t.precision < 0 || t.scale < 0 || t.scale > t.precision)
        throw UsageError(
            fmt::format("DECIMAL({}, {}): need 0 <= scale <= precision", t.precision, t.scale));
      if (t.precision == 0) return "DECIMAL";
      return fmt::format("DECIMAL({},{})", t.precision, t.scale);
    case Kind::Date:
      return "TIMESTAMP WITH TIME ZONE";
    case Kind::DateOnly:
      return "DATE";
    case Kind::Json:
      return "JSON";
    case Kind::Uuid:
      return "UUID";
    case Kind::Enum:
      return "VARCHAR(255)";
    case Kind::Blob:
      return "BYTEA";
  }
  throw UsageError("unknown column type");
}

void PostgresDialect::renderColumnDef(sql::Compiler& c, const sql::ColumnDef& col,
                                      bool inlinePrimaryKey) const {
  if (!col.autoIncrement) {
    Dialect::renderColumnDef(c, col, inlinePrimaryKey);
    return;
  }
  sql::detail::checkAutoIncrement(col, name());
  c.identifier(col.name);
  c.raw(col.type.kind == sql::ColumnType::Kind::BigInt ? " BIGSERIAL" : " SERIAL");
  sql::detail::renderColumnConstraints(c, col, inlinePrimaryKey && col.primaryKey, true);
}

std::string PostgresDialect::renderLiteral(const Value& v) const {
  if (const auto* blob = v.getIf<Blob>()) {
    // bytea hex input format; standard_conforming_strings keeps the backslash.
    std::string out = "'\\x";
    for (auto byte : *blob) out += fmt::format("{:02x}", byte);
    out += '\'';
    return out;
  }
  return Dialect::renderLiteral(v);
}

}  // namespace postgres

const sql::Dialect& postgresDialect() noexcept {
  static const postgres::PostgresDialect dialect;
  return dialect;
}

}  // namespace junction
