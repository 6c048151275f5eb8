#include "dialects/sqlite/sqlite_errors.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "junction/errors.hpp"

namespace junction::sqlite {

namespace {

// Long statements are cut in messages; the full text stays in sql().
std::string shortSql(std::string_view sql) {
  constexpr std::size_t kMax = 300;
  if (sql.size() <= kMax) return std::string(sql);
  return fmt::format("{}... ({} chars)", sql.substr(0, kMax), sql.size());
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// "UNIQUE constraint failed: users.username, users.email" → after the colon.
std::string_view detail(std::string_view message) {
  auto colon = message.find(": ");
  return colon == std::string_view::npos ? std::string_view{} : trim(message.substr(colon + 2));
}

struct QualifiedColumns {
  std::string table;
  std::vector<std::string> columns;
};

// Parses "t.a, t.b" (the form SQLite uses for UNIQUE and NOT NULL failures).
QualifiedColumns parseQualified(std::string_view list) {
  QualifiedColumns out;
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view item = trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    auto dot = item.rfind('.');
    if (dot == std::string_view::npos) {
      out.columns.emplace_back(item);
      continue;
    }
    if (out.table.empty()) out.table = std::string(item.substr(0, dot));
    out.columns.emplace_back(item.substr(dot + 1));
  }
  return out;
}

}  // namespace

bool isFatal(int code) noexcept {
  switch (code & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return true;
    default:
      return false;
  }
}

void throwError(int code, std::string_view message, std::string_view sqlText) {
  std::string sql(sqlText);
  std::string msg =
      fmt::format("{} [{}] in statement: {}", message, sqlite3_errstr(code), shortSql(sqlText));
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: {
      std::string_view d = detail(message);
      // "index 'name'" when the unique index is on expressions.
      if (d.starts_with("index '")) {
        std::string index(d.substr(7, d.size() > 8 ? d.size() - 8 : 0));
        throw UniqueConstraintError(std::move(msg), {}, "23505", std::move(sql), std::move(index));
      }
      auto q = parseQualified(d);
      throw UniqueConstraintError(std::move(msg), std::move(q.columns), "23505", std::move(sql), {},
                                  std::move(q.table));
    }
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      throw ForeignKeyConstraintError(std::move(msg), "23503", std::move(sql));
    case SQLITE_CONSTRAINT_NOTNULL: {
      // The column only appears in the message: DatabaseError has no column field.
      auto q = parseQualified(detail(message));
      throw NotNullConstraintError(std::move(msg), "23502", std::move(sql), {}, std::move(q.table));
    }
    case SQLITE_CONSTRAINT_CHECK:
      throw CheckConstraintError(std::move(msg), "23514", std::move(sql),
                                 std::string(detail(message)));
    default:
      break;
  }
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw TimeoutError(std::move(msg), {}, std::move(sql));
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_IOERR:
      throw ConnectionError(msg);
    default:
      throw DatabaseError(std::move(msg), {}, std::move(sql));
  }
}

}  // namespace junction::sqlite
