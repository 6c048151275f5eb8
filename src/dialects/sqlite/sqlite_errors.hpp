// Internal: SQLite result codes to junction's typed errors.
#pragma once

#include <string_view>

namespace junction::sqlite {

// Throws the typed error for an extended result code: constraint violations
// become UniqueConstraintError / ForeignKeyConstraintError /
// NotNullConstraintError / CheckConstraintError with the PostgreSQL SQLSTATE
// and the table and columns parsed from `message`; BUSY/LOCKED become
// TimeoutError; CANTOPEN/NOTADB/CORRUPT/IOERR become ConnectionError; the
// rest DatabaseError. Every DatabaseError carries `sql`.
[[noreturn]] void throwError(int extendedCode, std::string_view message, std::string_view sql);

// True for result codes after which the connection must not be reused.
bool isFatal(int extendedCode) noexcept;

}  // namespace junction::sqlite
