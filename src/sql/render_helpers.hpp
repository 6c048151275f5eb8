// Internal to the sql layer and the built-in dialects: rendering pieces that
// both the Compiler and Dialect overrides need, so every engine emits them the
// same way. Not installed; not part of the public contract.
#pragma once

#include <string_view>

#include "junction/sql/compiler.hpp"

namespace junction::sql::detail {

// Appends ` ESCAPE '<c>'` for a LIKE escape character. An empty `escape`
// appends nothing; anything but a single character throws UsageError.
void appendLikeEscape(Compiler& c, std::string_view escape);

// Everything after a column's type in a column definition, in the fixed order
// [PRIMARY KEY] [NOT NULL] [UNIQUE] [DEFAULT literal] [REFERENCES ...] [CHECK].
// `primaryKey`: render PRIMARY KEY inline. `notNullImplied`: the type already
// implies NOT NULL (SERIAL, INTEGER PRIMARY KEY AUTOINCREMENT), so skip it.
void renderColumnConstraints(Compiler& c, const ColumnDef& col, bool primaryKey,
                             bool notNullImplied);

// Throws UsageError unless `col` may be auto-incremented on `dialect`: an
// integer column without a default. Names the column in the message.
void checkAutoIncrement(const ColumnDef& col, std::string_view dialect);

// [A-Za-z_][A-Za-z0-9_]*: function names are emitted verbatim.
bool validFunctionName(std::string_view name) noexcept;

// Letters, digits, spaces, parentheses and commas, with at least one letter or
// digit ("INTEGER", "VARCHAR(20)", "DECIMAL(10, 2)"): cast types are verbatim.
bool validCastType(std::string_view type) noexcept;

}  // namespace junction::sql::detail
