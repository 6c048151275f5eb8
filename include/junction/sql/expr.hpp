// junction/sql/expr.hpp — the SQL expression tree.
//
// An Expr is an immutable, cheaply copied handle to a node: a column, a bound
// parameter, an operator, a function call, a subquery, or an explicit raw
// literal. Operators on Expr build trees, never strings:
//
//   col("likes") > 10 && col("title").iLike("%react%")
//
// compiles to `"likes" > ? AND LOWER("title") LIKE LOWER(?)` on SQLite and
// `"likes" > $1 AND "title" ILIKE $2` on PostgreSQL, with 10 and "%react%" as
// bound parameters. Values are never spliced into SQL (DESIGN.md decision 1);
// literal() is the one escape hatch and says so.
//
// Column names in an Expr are what the caller wrote. The sql layer quotes them
// as given; the ORM's binder resolves attribute names to columns before
// compiling (see transform()).
//
// Thread-safety: nodes are immutable; Exprs may be shared across threads.
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "junction/value.hpp"

namespace junction::sql {

struct Node;
struct Select;

class Expr {
 public:
  Expr() = default;  // the empty expression: "no condition"
  explicit Expr(std::shared_ptr<const Node> n) noexcept : node_(std::move(n)) {}
  // Any Value becomes a bound parameter.
  Expr(Value v);
  Expr(const char* s) : Expr(Value(s)) {}
  // A null parameter, so `col("x") == nullptr` means IS NULL (without this,
  // nullptr would convert to const char* and build a string from it).
  Expr(std::nullptr_t) : Expr(Value()) {}
  Expr(std::string s) : Expr(Value(std::move(s))) {}
  Expr(bool b) : Expr(Value(b)) {}
  template <std::integral I>
    requires(!std::same_as<I, bool> && !std::same_as<I, char>)
  Expr(I i) : Expr(Value(i)) {}
  Expr(double d) : Expr(Value(d)) {}

  bool empty() const noexcept { return node_ == nullptr; }
  const Node& node() const { return *node_; }
  const std::shared_ptr<const Node>& ptr() const noexcept { return node_; }

  // Predicates (Sequelize's Op.*).
  Expr like(Expr pattern) const;
  Expr notLike(Expr pattern) const;
  Expr iLike(Expr pattern) const;
  Expr notILike(Expr pattern) const;
  Expr startsWith(std::string prefix) const;   // LIKE 'prefix%' with % and _ escaped
  Expr endsWith(std::string suffix) const;
  Expr substring(std::string part) const;      // LIKE '%part%'
  Expr iSubstring(std::string part) const;     // ILIKE '%part%': search boxes
  Expr in(std::vector<Expr> list) const;
  Expr in(std::initializer_list<Expr> list) const { return in(std::vector<Expr>(list)); }
  Expr in(const std::vector<Value>& list) const;
  Expr notIn(std::vector<Expr> list) const;
  Expr notIn(std::initializer_list<Expr> list) const { return notIn(std::vector<Expr>(list)); }
  Expr notIn(const std::vector<Value>& list) const;
  Expr in(std::shared_ptr<const Select> subquery) const;
  Expr between(Expr lo, Expr hi) const;
  Expr notBetween(Expr lo, Expr hi) const;
  Expr isNull() const;
  Expr isNotNull() const;
  Expr is(Value v) const;      // IS NULL / IS TRUE / IS FALSE
  Expr isNot(Value v) const;

 private:
  std::shared_ptr<const Node> node_;
};

enum class BinaryOp {
  Eq, Ne, Lt, Le, Gt, Ge,
  Like, NotLike, ILike, NotILike,
  Add, Sub, Mul, Div, Mod, Concat,
  Is, IsNot,  // right side is NULL, TRUE or FALSE (rendered literally)
};
enum class UnaryOp { Not, Neg, IsNull, IsNotNull };
enum class LogicalOp { And, Or };

struct ColumnRef {
  std::string table;  // qualifier (table or alias); may be empty
  std::string name;   // "*" means all columns of `table` (or of the query)
};
struct Param {
  Value value;
};
struct Literal {  // raw SQL, inserted verbatim; only from literal()
  std::string sql;
};
struct Unary {
  UnaryOp op;
  Expr operand;
};
struct Binary {
  BinaryOp op;
  Expr lhs, rhs;
  std::string escape;  // LIKE ... ESCAPE '<c>' when non-empty
};
struct Logical {
  LogicalOp op;
  std::vector<Expr> terms;  // empty And is TRUE, empty Or is FALSE
};
struct InList {
  Expr lhs;
  std::vector<Expr> list;  // empty: IN () is FALSE, NOT IN () is TRUE
  bool negated = false;
};
struct InSubquery {
  Expr lhs;
  std::shared_ptr<const Select> subquery;
  bool negated = false;
};
struct Between {
  Expr operand, lo, hi;
  bool negated = false;
};
struct Function {
  std::string name;  // emitted as written, after validation: [A-Za-z_][A-Za-z0-9_]*
  std::vector<Expr> args;
  bool distinct = false;  // COUNT(DISTINCT x)
};
struct Cast {
  Expr operand;
  std::string type;  // validated type name, e.g. "INTEGER", "TEXT"
};
struct Exists {
  std::shared_ptr<const Select> subquery;
  bool negated = false;
};
struct Subquery {
  std::shared_ptr<const Select> select;
};

struct Node {
  std::variant<ColumnRef, Param, Literal, Unary, Binary, Logical, InList, InSubquery, Between,
               Function, Cast, Exists, Subquery>
      v;
};

// ---- builders ----
Expr col(std::string name);                          // "name" or "table.name"
Expr col(std::string table, std::string name);       // explicit qualifier
Expr val(Value v);                                   // bound parameter
Expr literal(std::string sql);                       // raw SQL, verbatim: never pass user input
Expr fn(std::string name, std::vector<Expr> args = {});
template <class... A>
Expr fn(std::string name, Expr a, A&&... rest) {
  return fn(std::move(name), std::vector<Expr>{std::move(a), Expr(std::forward<A>(rest))...});
}
Expr countDistinct(Expr e);
Expr cast(Expr e, std::string type);
Expr exists(std::shared_ptr<const Select> sub);
Expr notExists(std::shared_ptr<const Select> sub);
Expr subquery(std::shared_ptr<const Select> sub);
Expr and_(std::vector<Expr> terms);   // skips empty terms; flattens nested ANDs
Expr or_(std::vector<Expr> terms);
Expr not_(Expr e);

Expr operator==(Expr a, Expr b);  // == null  compiles to IS NULL
Expr operator!=(Expr a, Expr b);  // != null  compiles to IS NOT NULL
Expr operator<(Expr a, Expr b);
Expr operator<=(Expr a, Expr b);
Expr operator>(Expr a, Expr b);
Expr operator>=(Expr a, Expr b);
Expr operator&&(Expr a, Expr b);
Expr operator||(Expr a, Expr b);
Expr operator!(Expr a);
Expr operator+(Expr a, Expr b);
Expr operator-(Expr a, Expr b);
Expr operator*(Expr a, Expr b);
Expr operator/(Expr a, Expr b);

// Rebuilds `e` bottom-up, calling `f` on every ColumnRef; `f` returns the
// replacement expression (or the same node). Used by the ORM's binder to map
// attribute names to quoted, table-qualified columns. Subqueries are left as
// they are.
Expr transformColumns(const Expr& e, const std::function<Expr(const ColumnRef&)>& f);

// Calls `f` for every ColumnRef in `e` (not inside subqueries).
void visitColumns(const Expr& e, const std::function<void(const ColumnRef&)>& f);

}  // namespace junction::sql
