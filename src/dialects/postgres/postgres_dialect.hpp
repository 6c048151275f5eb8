// Internal: the PostgreSQL dialect — overrides of the standard Dialect hooks.
// Obtain the singleton with junction::postgresDialect().
#pragma once

#include "junction/sql/dialect.hpp"

namespace junction::postgres {

class PostgresDialect final : public sql::Dialect {
 public:
  std::string_view name() const noexcept override { return "postgres"; }
  const sql::Capabilities& capabilities() const noexcept override;
  sql::AdvisoryLockStatements advisoryLock() const noexcept override;
  void placeholder(std::string& out, std::size_t index) const override;  // "$1", "$2", ...
  std::string columnType(const sql::ColumnType& t) const override;
  // Auto-increment: SERIAL / BIGSERIAL.
  void renderColumnDef(sql::Compiler& c, const sql::ColumnDef& col,
                       bool inlinePrimaryKey) const override;
  // Blobs as bytea hex text ('\x0a0b'); everything else as standard SQL.
  std::string renderLiteral(const Value& v) const override;
};

}  // namespace junction::postgres
