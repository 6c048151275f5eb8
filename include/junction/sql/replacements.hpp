// junction/sql/replacements.hpp — Sequelize's `replacements` for raw SQL,
// done safely: placeholders are rewritten, values are never spliced.
//
//   auto c = bindReplacements(conn.dialect(),
//                             "SELECT * FROM blogs WHERE author = :author AND likes > :likes",
//                             {{"author", "Dan"}, {"likes", 10}});
//   conn.query(c);   // SQLite: "... author = ? AND likes > ?"; PostgreSQL: "$1 ... $2"
//
// `?` (positional) or `:name` (named, [A-Za-z_][A-Za-z0-9_]*) placeholders
// become the dialect's bound-parameter placeholders, numbered in order of
// appearance; the returned params line up with them (a name used twice is
// bound twice). Placeholders inside quoted strings ('…', E'…', $tag$…$tag$),
// quoted identifiers ("…", `…`), comments (-- and /* */) are left alone, as
// are PostgreSQL casts (`::type`) and `:=`. Because `?` always means a
// placeholder here, PostgreSQL's jsonb `?` operators cannot be combined with
// replacements (use the jsonb_exists functions instead).
//
// SQL that already uses native numbered parameters ($1, ?1) passes through
// unchanged when no replacements are given; combining them with
// replacements is an error.
//
// Errors are UsageError naming the problem: more `?` than values, values left
// unused, a named placeholder without a value, `?` mixed with `:name`, an
// unterminated string, identifier, comment or dollar quote.
//
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "junction/sql/compiler.hpp"
#include "junction/sql/dialect.hpp"
#include "junction/value.hpp"

namespace junction::sql {

// Rewrites `?` (positional) or `:name` (named) placeholders in user SQL into
// the dialect's placeholders, returning the SQL and the params in order.
Compiled bindReplacements(const Dialect& d, std::string_view sql,
                          const std::vector<Value>& positional);
Compiled bindReplacements(const Dialect& d, std::string_view sql,
                          const std::map<std::string, Value, std::less<>>& named);

}  // namespace junction::sql
