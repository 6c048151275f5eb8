// Default Dialect hooks: standard SQL as both built-in engines understand it.
// Engines override only where they differ (see src/dialects/<engine>/).
#include "junction/sql/dialect.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <type_traits>
#include <variant>

#include "junction/errors.hpp"
#include "junction/sql/compiler.hpp"
#include "sql/render_helpers.hpp"

namespace junction::sql {

namespace {

// Referential actions allowed in REFERENCES ... ON DELETE/ON UPDATE. Input is
// matched case-insensitively and emitted upper-case; anything else would be
// spliced into DDL, so it is refused.
std::string referentialAction(std::string_view action, std::string_view clause,
                              std::string_view column) {
  std::string upper(action);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  static constexpr std::string_view kAllowed[] = {"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT",
                                                  "NO ACTION"};
  for (auto allowed : kAllowed) {
    if (upper == allowed) return upper;
  }
  throw UsageError(
      fmt::format("column \"{}\": {} action \"{}\" is not one of CASCADE, SET NULL, SET DEFAULT, "
                  "RESTRICT, NO ACTION",
                  column, clause, action));
}

void appendQuotedText(std::string& out, std::string_view text) {
  if (text.find('\0') != std::string_view::npos)
    throw UsageError("a text literal cannot contain a NUL byte");
  out += '\'';
  for (char ch : text) {
    if (ch == '\'') out += '\'';
    out += ch;
  }
  out += '\'';
}

}  // namespace

void Dialect::quoteIdentifier(std::string& out, std::string_view ident) const {
  if (ident.empty()) throw UsageError("an SQL identifier cannot be empty");
  if (ident.find('\0') != std::string_view::npos)
    throw UsageError("an SQL identifier cannot contain a NUL byte");
  out.reserve(out.size() + ident.size() + 2);
  out += '"';
  for (char ch : ident) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

void Dialect::renderILike(Compiler& c, const Binary& node, bool negated) const {
  c.expr(node.lhs);
  c.raw(negated ? " NOT ILIKE " : " ILIKE ");
  c.expr(node.rhs);
  detail::appendLikeEscape(c, node.escape);
}

void Dialect::renderLimitOffset(Compiler& c, std::optional<std::int64_t> limit,
                                std::optional<std::int64_t> offset) const {
  if (limit) {
    if (*limit < 0) throw UsageError(fmt::format("LIMIT must not be negative (got {})", *limit));
    c.raw(" LIMIT ");
    c.param(Value(*limit));
  }
  if (offset) {
    if (*offset < 0) throw UsageError(fmt::format("OFFSET must not be negative (got {})", *offset));
    c.raw(" OFFSET ");
    c.param(Value(*offset));
  }
}

void Dialect::renderLock(Compiler& c, LockMode mode) const {
  switch (mode) {
    case LockMode::None:
      break;
    case LockMode::Update:
      c.raw(" FOR UPDATE");
      break;
    case LockMode::Share:
      c.raw(" FOR SHARE");
      break;
  }
}

void Dialect::renderColumnDef(Compiler& c, const ColumnDef& col, bool inlinePrimaryKey) const {
  if (col.autoIncrement)
    throw UsageError(fmt::format("column \"{}\": the {} dialect has no auto-increment columns",
                                 col.name, name()));
  c.identifier(col.name);
  c.raw(" ");
  c.raw(columnType(col.type));
  detail::renderColumnConstraints(c, col, inlinePrimaryKey && col.primaryKey, false);
}

std::string Dialect::renderLiteral(const Value& v) const {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        std::string out;
        if constexpr (std::is_same_v<T, std::monostate>) {
          out = "NULL";
        } else if constexpr (std::is_same_v<T, bool>) {
          out = x ? "TRUE" : "FALSE";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          out = fmt::format("{}", x);
        } else if constexpr (std::is_same_v<T, double>) {
          if (!std::isfinite(x)) throw UsageError("a non-finite double cannot be an SQL literal");
          out = fmt::format("{}", x);  // shortest text that round-trips
        } else if constexpr (std::is_same_v<T, std::string>) {
          appendQuotedText(out, x);
        } else if constexpr (std::is_same_v<T, Blob>) {
          out = "X'";
          for (auto byte : x) out += fmt::format("{:02X}", byte);
          out += '\'';
        } else if constexpr (std::is_same_v<T, Timestamp>) {
          appendQuotedText(out, x.toSql());
        } else if constexpr (std::is_same_v<T, Date>) {
          appendQuotedText(out, x.toIso());
        } else {
          static_assert(std::is_same_v<T, JsonText>);
          appendQuotedText(out, x.text);
        }
        return out;
      },
      v.storage());
}

namespace detail {

void appendLikeEscape(Compiler& c, std::string_view escape) {
  if (escape.empty()) return;
  if (escape.size() != 1)
    throw UsageError(fmt::format("a LIKE escape must be one character (got \"{}\")", escape));
  if (escape[0] == '\0') throw UsageError("a LIKE escape cannot be a NUL byte");
  c.raw(" ESCAPE '");
  if (escape[0] == '\'') c.raw("'");
  c.raw(escape);
  c.raw("'");
}

void renderColumnConstraints(Compiler& c, const ColumnDef& col, bool primaryKey,
                             bool notNullImplied) {
  if (primaryKey) c.raw(" PRIMARY KEY");
  if (!col.allowNull && !notNullImplied) c.raw(" NOT NULL");
  if (col.unique) c.raw(" UNIQUE");
  if (!col.defaultValue.empty()) {
    c.raw(" DEFAULT ");
    const auto& v = col.defaultValue.node().v;
    if (const auto* p = std::get_if<Param>(&v)) {
      c.raw(c.dialect().renderLiteral(p->value));
    } else if (const auto* l = std::get_if<Literal>(&v)) {
      c.raw(l->sql);
    } else {
      throw UsageError(fmt::format(
          "column \"{}\": a DEFAULT must be a value or literal(), not an expression", col.name));
    }
  }
  if (col.references) {
    const auto& ref = *col.references;
    c.raw(" REFERENCES ");
    c.identifier(ref.table);
    c.raw(" (");
    c.identifier(ref.column);
    c.raw(")");
    if (!ref.onDelete.empty()) {
      c.raw(" ON DELETE ");
      c.raw(referentialAction(ref.onDelete, "ON DELETE", col.name));
    }
    if (!ref.onUpdate.empty()) {
      c.raw(" ON UPDATE ");
      c.raw(referentialAction(ref.onUpdate, "ON UPDATE", col.name));
    }
  }
  if (col.type.kind == ColumnType::Kind::Enum) {
    if (col.type.values.empty())
      throw UsageError(fmt::format("column \"{}\": an ENUM needs at least one value", col.name));
    c.raw(" CHECK (");
    c.identifier(col.name);
    c.raw(" IN (");
    bool first = true;
    for (const auto& allowed : col.type.values) {
      if (!first) c.raw(",");
      first = false;
      c.raw(c.dialect().renderLiteral(Value(allowed)));
    }
    c.raw("))");
  }
}

void checkAutoIncrement(const ColumnDef& col, std::string_view dialect) {
  if (col.type.kind != ColumnType::Kind::Integer && col.type.kind != ColumnType::Kind::BigInt)
    throw UsageError(
        fmt::format("column \"{}\": only INTEGER or BIGINT columns can auto-increment on {}",
                    col.name, dialect));
  if (!col.defaultValue.empty())
    throw UsageError(fmt::format(
        "column \"{}\": an auto-increment column cannot also have a DEFAULT", col.name));
}

}  // namespace detail

}  // namespace junction::sql
