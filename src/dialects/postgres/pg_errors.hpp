// Internal: PostgreSQL's SQLSTATEs to junction's typed errors, without libpq
// (the connection reads the diagnostic fields; this maps them), so the
// mapping is tested without a server.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

namespace junction::postgres {

// The diagnostic fields of a failed statement (PQresultErrorField).
struct Diagnostics {
  std::string_view sqlState;
  std::string_view message;  // primary message, one line
  std::string_view detail;
  std::string_view constraint;
  std::string_view table;
};

// Whether the state says the session is gone whatever PQstatus says yet:
// class 08 (connection exceptions) and the 57P01–57P03 shutdowns.
bool sessionLost(std::string_view sqlState) noexcept;

// Throws the typed error for a failed statement: 23505 UniqueConstraintError
// (with the key's fields parsed from the detail), 23503
// ForeignKeyConstraintError, 23502 NotNullConstraintError, 23514
// CheckConstraintError, 57014/55P03 TimeoutError, anything else
// DatabaseError; each carries the state, `sql`, the constraint and the table.
// The detail joins the message, except for not-null and check violations,
// whose "Failing row contains (...)" would repeat a whole row (password
// hashes included).
[[noreturn]] void throwError(const Diagnostics& d, std::string_view sql);

}  // namespace junction::postgres
