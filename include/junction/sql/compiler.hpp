// junction/sql/compiler.hpp — statements to SQL text plus bound parameters.
//
//   Compiled c = compile(sqliteDialect(), select);
//   conn.query(c.sql, c.params);
//
// One visit per node; the Dialect is consulted only where engines differ.
// Every Value becomes a parameter (placeholders numbered in order of
// appearance); every identifier is quoted by the dialect.
//
// Thread-safety: a Compiler is single-use scratch state; the free compile()
// functions are safe to call concurrently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "junction/sql/dialect.hpp"
#include "junction/sql/statement.hpp"

namespace junction::sql {

struct Compiled {
  std::string sql;
  std::vector<Value> params;
};

class Compiler {
 public:
  explicit Compiler(const Dialect& d) : dialect_(d) {}

  Compiled compile(const Select& s);
  Compiled compile(const Insert& s);
  Compiled compile(const Update& s);
  Compiled compile(const Delete& s);
  Compiled compile(const CreateTable& s);
  Compiled compile(const DropTable& s);
  Compiled compile(const CreateIndex& s);
  Compiled compile(const Expr& e);  // a bare expression (tests, fragments)

  // ---- building blocks for Dialect hooks ----
  const Dialect& dialect() const noexcept { return dialect_; }
  void raw(std::string_view sql) { out_ += sql; }
  void expr(const Expr& e);               // an expression, parenthesised as needed
  void param(Value v);                    // appends a placeholder, records the value
  void identifier(std::string_view name); // quoted
  void qualified(std::string_view table, std::string_view name);
  void select(const Select& s);           // a nested SELECT (no parentheses)
  std::string& out() noexcept { return out_; }

 private:
  Compiled finish();
  void tableRef(const TableRef& t);
  void selectItems(const std::vector<SelectItem>& items);
  void returning(const std::vector<SelectItem>& items);

  const Dialect& dialect_;
  std::string out_;
  std::vector<Value> params_;
};

template <class Stmt>
Compiled compile(const Dialect& d, const Stmt& s) {
  return Compiler(d).compile(s);
}

}  // namespace junction::sql
