// DDL text shared by the QueryInterface (src/migrate) and the engines'
// schema editors (src/dialects/<engine>/schema_editor.cpp). Private to the
// library.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "junction/result.hpp"
#include "junction/schema/table.hpp"
#include "junction/sql/dialect.hpp"
#include "junction/sql/statement.hpp"

namespace junction::schema {

// Throws UsageError when `name` cannot be a table/column/index name:
// empty, a NUL byte, longer than the engine keeps (PostgreSQL: 63 bytes, it
// would silently truncate), or a table name the engine reserves (sqlite_).
void checkName(const sql::Dialect& d, std::string_view what, const std::string& name);

std::string quote(const sql::Dialect& d, std::string_view ident);
std::string quoteList(const sql::Dialect& d, const std::vector<std::string>& idents);
std::string joinUnderscore(const std::vector<std::string>& names);

// The column definition as the dialect renders it inside CREATE TABLE.
std::string renderColumn(const sql::Dialect& d, const sql::ColumnDef& col, bool inlinePrimaryKey);

// An expression with every bound value rendered as a literal (CHECK
// constraints: DDL cannot take parameters).
std::string renderInline(const sql::Dialect& d, const sql::Expr& e);

// CASCADE, SET NULL, ... validated and upper-cased; UsageError otherwise.
std::string referentialAction(std::string_view action, std::string_view clause);

// Validates field lists and options per constraint type (UsageError).
void checkConstraint(const std::string& table, const ConstraintOptions& c);
// Sequelize's default constraint name.
std::string constraintName(const std::string& table, const ConstraintOptions& c);
// The constraint body for ADD CONSTRAINT / a table constraint, without the
// CONSTRAINT name prefix: UNIQUE (...), CHECK (...), FOREIGN KEY ... REFERENCES ...
std::string constraintClause(const sql::Dialect& d, const ConstraintOptions& c);

// The first column of every row, as text (catalog queries that list names).
std::vector<std::string> firstColumn(const ResultSet& rs);

[[noreturn]] void noSuchTable(const std::string& table);
[[noreturn]] void noSuchColumn(const std::string& table, const std::string& column);

}  // namespace junction::schema
