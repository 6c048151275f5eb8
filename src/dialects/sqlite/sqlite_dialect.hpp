// Internal: the SQLite dialect — overrides of the standard Dialect hooks.
// Obtain the singleton with junction::sqliteDialect().
#pragma once

#include "junction/sql/dialect.hpp"

namespace junction::sqlite {

class SqliteDialect final : public sql::Dialect {
 public:
  std::string_view name() const noexcept override { return "sqlite"; }
  const sql::Capabilities& capabilities() const noexcept override;
  void placeholder(std::string& out, std::size_t index) const override;  // "?"
  // LOWER(lhs) LIKE LOWER(rhs): connections set case_sensitive_like=ON, so
  // plain LIKE is case-sensitive and this is the case-insensitive form.
  void renderILike(sql::Compiler& c, const sql::Binary& node, bool negated) const override;
  // SQLite needs a LIMIT before OFFSET: offset alone renders LIMIT -1.
  void renderLimitOffset(sql::Compiler& c, std::optional<std::int64_t> limit,
                         std::optional<std::int64_t> offset) const override;
  void renderLock(sql::Compiler& c, sql::LockMode mode) const override;  // no row locks
  std::string columnType(const sql::ColumnType& t) const override;
  // Auto-increment: "id" INTEGER PRIMARY KEY AUTOINCREMENT (the column must be
  // the table's sole primary key).
  void renderColumnDef(sql::Compiler& c, const sql::ColumnDef& col,
                       bool inlinePrimaryKey) const override;
};

}  // namespace junction::sqlite
