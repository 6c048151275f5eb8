// PostgreSQL's SQLSTATEs to typed errors (pg_errors.hpp): one switch.
#include "dialects/postgres/pg_errors.hpp"

#include <cstdint>
#include <string>

#include "dialects/postgres/pg_codec.hpp"
#include "junction/errors.hpp"

namespace junction::postgres {

namespace {

// A SQLSTATE as one integer, so the mapping is one switch.
constexpr std::uint64_t code(std::string_view s) noexcept {
  std::uint64_t v = 0;
  for (char c : s) v = v << 8 | static_cast<unsigned char>(c);
  return v;
}

}  // namespace

bool sessionLost(std::string_view s) noexcept {
  return s.starts_with("08") || s == "57P01" || s == "57P02" || s == "57P03";
}

void throwError(const Diagnostics& d, std::string_view sql) {
  const std::uint64_t c = code(d.sqlState);
  std::string message(d.message.empty() ? std::string_view("unknown error") : d.message);
  if (!d.detail.empty() && c != code("23502") && c != code("23514")) {
    message += ". ";
    message += d.detail;
  }
  std::string state(d.sqlState), statement(sql), constraint(d.constraint), table(d.table);
  switch (c) {
    case code("23505"):
      throw UniqueConstraintError(std::move(message), parseKeyFields(d.detail), std::move(state),
                                  std::move(statement), std::move(constraint), std::move(table));
    case code("23503"):
      throw ForeignKeyConstraintError(std::move(message), std::move(state), std::move(statement),
                                      std::move(constraint), std::move(table));
    case code("23502"):
      throw NotNullConstraintError(std::move(message), std::move(state), std::move(statement),
                                   std::move(constraint), std::move(table));
    case code("23514"):
      throw CheckConstraintError(std::move(message), std::move(state), std::move(statement),
                                 std::move(constraint), std::move(table));
    case code("57014"):  // query_canceled (statement_timeout)
    case code("55P03"):  // lock_not_available (lock_timeout, NOWAIT)
      throw TimeoutError(std::move(message), std::move(state), std::move(statement),
                         std::move(constraint), std::move(table));
    default:
      throw DatabaseError(std::move(message), std::move(state), std::move(statement),
                          std::move(constraint), std::move(table));
  }
}

}  // namespace junction::postgres
