// Builders and operators of the expression tree. Builders validate what would
// otherwise reach SQL text unchecked (function names, cast types, IS
// operands), so a bad tree fails where it is built; the Compiler re-checks
// the same rules for nodes assembled by hand.
#include "junction/sql/expr.hpp"

#include <fmt/format.h>

#include <type_traits>
#include <utility>

#include "junction/errors.hpp"
#include "sql/render_helpers.hpp"

namespace junction::sql {

namespace {

template <class T>
Expr make(T&& node) {
  return Expr(std::make_shared<const Node>(Node{std::forward<T>(node)}));
}

const Expr& need(const Expr& e, std::string_view what) {
  if (e.empty()) throw UsageError(fmt::format("{}: the expression is empty", what));
  return e;
}

Expr binary(BinaryOp op, const Expr& a, const Expr& b, std::string_view what,
            std::string escape = {}) {
  need(a, what);
  need(b, what);
  return make(Binary{op, a, b, std::move(escape)});
}

// Escapes LIKE wildcards with '\' so `text` matches literally.
std::string escapeLike(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

Expr isOperand(const Value& v, std::string_view what) {
  if (!v.isNull() && v.type() != ValueType::Bool)
    throw UsageError(fmt::format("{}: only NULL, TRUE or FALSE may follow IS (got {})", what,
                                 typeName(v.type())));
  return Expr(v);
}

Expr logical(LogicalOp op, std::vector<Expr> terms) {
  std::vector<Expr> flat;
  flat.reserve(terms.size());
  for (auto& t : terms) {
    if (t.empty()) continue;
    if (const auto* l = std::get_if<Logical>(&t.node().v); l && l->op == op) {
      flat.insert(flat.end(), l->terms.begin(), l->terms.end());
    } else {
      flat.push_back(std::move(t));
    }
  }
  if (flat.size() == 1) return flat.front();
  return make(Logical{op, std::move(flat)});
}

std::vector<Expr> params(const std::vector<Value>& list) {
  std::vector<Expr> out;
  out.reserve(list.size());
  for (const auto& v : list) out.emplace_back(v);
  return out;
}

}  // namespace

Expr::Expr(Value v) : node_(std::make_shared<const Node>(Node{Param{std::move(v)}})) {}

Expr Expr::like(Expr pattern) const {
  return binary(BinaryOp::Like, *this, pattern, "LIKE");
}
Expr Expr::notLike(Expr pattern) const {
  return binary(BinaryOp::NotLike, *this, pattern, "NOT LIKE");
}
Expr Expr::iLike(Expr pattern) const {
  return binary(BinaryOp::ILike, *this, pattern, "ILIKE");
}
Expr Expr::notILike(Expr pattern) const {
  return binary(BinaryOp::NotILike, *this, pattern, "NOT ILIKE");
}
Expr Expr::startsWith(std::string prefix) const {
  return binary(BinaryOp::Like, *this, Expr(escapeLike(prefix) + "%"), "startsWith", "\\");
}
// The patterns are built with append, not `"%" + s`: g++ 12 at -O3 reports a
// false -Wrestrict on operator+(const char*, std::string&&) (GCC bug 105651).
Expr Expr::endsWith(std::string suffix) const {
  std::string pattern = "%";
  pattern += escapeLike(suffix);
  return binary(BinaryOp::Like, *this, Expr(std::move(pattern)), "endsWith", "\\");
}
Expr Expr::substring(std::string part) const {
  std::string pattern = "%";
  pattern += escapeLike(part);
  pattern += '%';
  return binary(BinaryOp::Like, *this, Expr(std::move(pattern)), "substring", "\\");
}
Expr Expr::iSubstring(std::string part) const {
  std::string pattern = "%";
  pattern += escapeLike(part);
  pattern += '%';
  return binary(BinaryOp::ILike, *this, Expr(std::move(pattern)), "iSubstring", "\\");
}

Expr Expr::in(std::vector<Expr> list) const {
  need(*this, "IN");
  for (const auto& item : list) need(item, "IN list item");
  return make(InList{*this, std::move(list), false});
}
Expr Expr::in(const std::vector<Value>& list) const {
  return in(params(list));
}
Expr Expr::notIn(std::vector<Expr> list) const {
  need(*this, "NOT IN");
  for (const auto& item : list) need(item, "NOT IN list item");
  return make(InList{*this, std::move(list), true});
}
Expr Expr::notIn(const std::vector<Value>& list) const {
  return notIn(params(list));
}
Expr Expr::in(std::shared_ptr<const Select> sub) const {
  need(*this, "IN (subquery)");
  if (!sub) throw UsageError("IN (subquery): the subquery is null");
  return make(InSubquery{*this, std::move(sub), false});
}

Expr Expr::between(Expr lo, Expr hi) const {
  need(*this, "BETWEEN");
  return make(Between{*this, need(lo, "BETWEEN"), need(hi, "BETWEEN"), false});
}
Expr Expr::notBetween(Expr lo, Expr hi) const {
  need(*this, "NOT BETWEEN");
  return make(Between{*this, need(lo, "NOT BETWEEN"), need(hi, "NOT BETWEEN"), true});
}

Expr Expr::isNull() const {
  return make(Unary{UnaryOp::IsNull, need(*this, "IS NULL")});
}
Expr Expr::isNotNull() const {
  return make(Unary{UnaryOp::IsNotNull, need(*this, "IS NOT NULL")});
}
Expr Expr::is(Value v) const {
  return binary(BinaryOp::Is, *this, isOperand(v, "IS"), "IS");
}
Expr Expr::isNot(Value v) const {
  return binary(BinaryOp::IsNot, *this, isOperand(v, "IS NOT"), "IS NOT");
}

// ---- builders ----

Expr col(std::string name) {
  // The last dot separates the qualifier: "user.id" is column "id" of "user".
  auto dot = name.rfind('.');
  if (dot == std::string::npos) return col(std::string(), std::move(name));
  if (dot == 0 || dot + 1 == name.size())
    throw UsageError(fmt::format("col(\"{}\"): empty table or column name", name));
  return col(name.substr(0, dot), name.substr(dot + 1));
}

Expr col(std::string table, std::string name) {
  if (name.empty()) throw UsageError("col(): empty column name");
  return make(ColumnRef{std::move(table), std::move(name)});
}

Expr val(Value v) {
  return Expr(std::move(v));
}

Expr literal(std::string sql) {
  return make(Literal{std::move(sql)});
}

Expr fn(std::string name, std::vector<Expr> args) {
  if (!detail::validFunctionName(name))
    throw UsageError(fmt::format("fn(\"{}\"): not a valid function name", name));
  for (const auto& a : args) need(a, "function argument");
  return make(Function{std::move(name), std::move(args), false});
}

Expr countDistinct(Expr e) {
  return make(Function{"COUNT", {need(e, "COUNT(DISTINCT)")}, true});
}

Expr cast(Expr e, std::string type) {
  need(e, "CAST");
  if (!detail::validCastType(type))
    throw UsageError(fmt::format("cast(..., \"{}\"): not a valid type name", type));
  return make(Cast{std::move(e), std::move(type)});
}

Expr exists(std::shared_ptr<const Select> sub) {
  if (!sub) throw UsageError("EXISTS: the subquery is null");
  return make(Exists{std::move(sub), false});
}
Expr notExists(std::shared_ptr<const Select> sub) {
  if (!sub) throw UsageError("NOT EXISTS: the subquery is null");
  return make(Exists{std::move(sub), true});
}
Expr subquery(std::shared_ptr<const Select> sub) {
  if (!sub) throw UsageError("subquery: the subquery is null");
  return make(Subquery{std::move(sub)});
}

Expr and_(std::vector<Expr> terms) {
  return logical(LogicalOp::And, std::move(terms));
}
Expr or_(std::vector<Expr> terms) {
  return logical(LogicalOp::Or, std::move(terms));
}
Expr not_(Expr e) {
  return make(Unary{UnaryOp::Not, need(e, "NOT")});
}

Expr operator==(Expr a, Expr b) {
  return binary(BinaryOp::Eq, a, b, "==");
}
Expr operator!=(Expr a, Expr b) {
  return binary(BinaryOp::Ne, a, b, "!=");
}
Expr operator<(Expr a, Expr b) {
  return binary(BinaryOp::Lt, a, b, "<");
}
Expr operator<=(Expr a, Expr b) {
  return binary(BinaryOp::Le, a, b, "<=");
}
Expr operator>(Expr a, Expr b) {
  return binary(BinaryOp::Gt, a, b, ">");
}
Expr operator>=(Expr a, Expr b) {
  return binary(BinaryOp::Ge, a, b, ">=");
}
Expr operator&&(Expr a, Expr b) {
  return and_({std::move(a), std::move(b)});
}
Expr operator||(Expr a, Expr b) {
  return or_({std::move(a), std::move(b)});
}
Expr operator!(Expr a) {
  return not_(std::move(a));
}
Expr operator+(Expr a, Expr b) {
  return binary(BinaryOp::Add, a, b, "+");
}
Expr operator-(Expr a, Expr b) {
  return binary(BinaryOp::Sub, a, b, "-");
}
Expr operator*(Expr a, Expr b) {
  return binary(BinaryOp::Mul, a, b, "*");
}
Expr operator/(Expr a, Expr b) {
  return binary(BinaryOp::Div, a, b, "/");
}

// ---- validation shared with the Compiler ----

namespace detail {

bool validFunctionName(std::string_view name) noexcept {
  if (name.empty()) return false;
  auto alpha = [](char ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'); };
  auto digit = [](char ch) { return ch >= '0' && ch <= '9'; };
  if (!alpha(name[0]) && name[0] != '_') return false;
  for (char ch : name) {
    if (!alpha(ch) && !digit(ch) && ch != '_') return false;
  }
  return true;
}

bool validCastType(std::string_view type) noexcept {
  bool sawWord = false;
  for (char ch : type) {
    bool word = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (!word && ch != ' ' && ch != '(' && ch != ')' && ch != ',') return false;
    sawWord = sawWord || word;
  }
  return sawWord;
}

}  // namespace detail

// ---- traversal ----

namespace {

// Rebuilds only what changed: an untouched subtree keeps its node.
struct Transformer {
  const std::function<Expr(const ColumnRef&)>& f;

  Expr operator()(const Expr& e) const {
    if (e.empty()) return e;
    return std::visit([&](const auto& n) { return rebuild(e, n); }, e.node().v);
  }

  static bool same(const Expr& a, const Expr& b) { return a.ptr() == b.ptr(); }

  Expr rebuild(const Expr& /*e*/, const ColumnRef& n) const { return f(n); }
  Expr rebuild(const Expr& e, const Param&) const { return e; }
  Expr rebuild(const Expr& e, const Literal&) const { return e; }
  Expr rebuild(const Expr& e, const Exists&) const { return e; }
  Expr rebuild(const Expr& e, const Subquery&) const { return e; }
  Expr rebuild(const Expr& e, const Unary& n) const {
    Expr operand = (*this)(n.operand);
    return same(operand, n.operand) ? e : make(Unary{n.op, operand});
  }
  Expr rebuild(const Expr& e, const Binary& n) const {
    Expr lhs = (*this)(n.lhs), rhs = (*this)(n.rhs);
    return same(lhs, n.lhs) && same(rhs, n.rhs) ? e : make(Binary{n.op, lhs, rhs, n.escape});
  }
  Expr rebuild(const Expr& e, const Logical& n) const {
    auto [terms, changed] = list(n.terms);
    return changed ? make(Logical{n.op, std::move(terms)}) : e;
  }
  Expr rebuild(const Expr& e, const InList& n) const {
    Expr lhs = (*this)(n.lhs);
    auto [items, changed] = list(n.list);
    return !changed && same(lhs, n.lhs) ? e : make(InList{lhs, std::move(items), n.negated});
  }
  Expr rebuild(const Expr& e, const InSubquery& n) const {
    Expr lhs = (*this)(n.lhs);
    return same(lhs, n.lhs) ? e : make(InSubquery{lhs, n.subquery, n.negated});
  }
  Expr rebuild(const Expr& e, const Between& n) const {
    Expr operand = (*this)(n.operand), lo = (*this)(n.lo), hi = (*this)(n.hi);
    return same(operand, n.operand) && same(lo, n.lo) && same(hi, n.hi)
               ? e
               : make(Between{operand, lo, hi, n.negated});
  }
  Expr rebuild(const Expr& e, const Function& n) const {
    auto [args, changed] = list(n.args);
    return changed ? make(Function{n.name, std::move(args), n.distinct}) : e;
  }
  Expr rebuild(const Expr& e, const Cast& n) const {
    Expr operand = (*this)(n.operand);
    return same(operand, n.operand) ? e : make(Cast{operand, n.type});
  }

  std::pair<std::vector<Expr>, bool> list(const std::vector<Expr>& in) const {
    std::vector<Expr> out;
    out.reserve(in.size());
    bool changed = false;
    for (const auto& item : in) {
      out.push_back((*this)(item));
      changed = changed || !same(out.back(), item);
    }
    return {std::move(out), changed};
  }
};

void visit(const Expr& e, const std::function<void(const ColumnRef&)>& f) {
  if (e.empty()) return;
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ColumnRef>) {
          f(n);
        } else if constexpr (std::is_same_v<T, Unary>) {
          visit(n.operand, f);
        } else if constexpr (std::is_same_v<T, Binary>) {
          visit(n.lhs, f);
          visit(n.rhs, f);
        } else if constexpr (std::is_same_v<T, Logical>) {
          for (const auto& t : n.terms) visit(t, f);
        } else if constexpr (std::is_same_v<T, InList>) {
          visit(n.lhs, f);
          for (const auto& t : n.list) visit(t, f);
        } else if constexpr (std::is_same_v<T, InSubquery>) {
          visit(n.lhs, f);
        } else if constexpr (std::is_same_v<T, Between>) {
          visit(n.operand, f);
          visit(n.lo, f);
          visit(n.hi, f);
        } else if constexpr (std::is_same_v<T, Function>) {
          for (const auto& t : n.args) visit(t, f);
        } else if constexpr (std::is_same_v<T, Cast>) {
          visit(n.operand, f);
        }
        // Param, Literal, Exists, Subquery: no columns outside subqueries.
      },
      e.node().v);
}

}  // namespace

Expr transformColumns(const Expr& e, const std::function<Expr(const ColumnRef&)>& f) {
  return Transformer{f}(e);
}

void visitColumns(const Expr& e, const std::function<void(const ColumnRef&)>& f) {
  visit(e, f);
}

}  // namespace junction::sql
