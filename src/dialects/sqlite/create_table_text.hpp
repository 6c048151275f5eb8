// SQLite's CREATE TABLE text, item by item (create_table_text.cpp).
// Private to the SQLite schema editor.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "junction/sql/dialect.hpp"

namespace junction::sqlite {

// One item of the parenthesised list: a column or a table constraint.
struct Item {
  bool column = false;
  std::string name;  // column name; constraint name when given (else empty)
  std::string text;  // column: definition after the name; constraint: the whole item
  std::string kind;  // constraint: PRIMARY, UNIQUE, CHECK or FOREIGN (upper-case)
  std::vector<std::string> columns;  // PRIMARY/UNIQUE/FOREIGN: the constrained columns
};

struct TableSql {
  std::vector<Item> items;
  std::string tail;  // after the closing parenthesis: WITHOUT ROWID, STRICT
};

std::string trim(std::string_view s);
// ASCII case-insensitive equality (SQLite names and keywords).
bool iequals(std::string_view a, std::string_view b);
// True when `text` names `ident` anywhere (an identifier token, either quoted
// or bare; SQLite names are case-insensitive).
bool mentions(std::string_view text, std::string_view ident);
bool hasKeyword(std::string_view text, std::string_view kw);
// The keyword outside any parentheses.
bool hasTopKeyword(std::string_view text, std::string_view kw);

// UsageError when the text has no parenthesised item list.
TableSql parseCreateTable(std::string_view sql);
std::string renderCreateTable(const sql::Dialect& d, const std::string& name, const TableSql& t);

// The span of a column definition's REFERENCES clause (with a CONSTRAINT
// name right before it), or nullopt.
std::optional<std::pair<std::size_t, std::size_t>> referencesSpan(std::string_view def);
// A column definition without its top-level UNIQUE (and a CONSTRAINT name before it).
std::string withoutUnique(std::string_view def);
// The name in CONSTRAINT <name> right before `keyword` in a column
// definition; empty when unnamed.
std::string columnConstraintName(std::string_view def, std::string_view keyword);

}  // namespace junction::sqlite
