#include "junction/query.hpp"

#include <fmt/format.h>

#include <cctype>

#include "junction/errors.hpp"

namespace junction {

// ---------------------------------------------------------------- Condition

Condition::Condition(Value v, int) {
  equals_ = v;
  apply_ = [v = std::move(v)](const Expr& c) { return c == Expr(v); };
}

Condition::Condition(std::initializer_list<Value> list) : Condition(std::vector<Value>(list)) {}

Condition::Condition(std::vector<Value> list)
    : apply_([list = std::move(list)](const Expr& c) { return c.in(list); }) {}

namespace Op {
namespace {
Condition make(Condition::Apply f) {
  return Condition(std::move(f));
}
}  // namespace

Condition eq(Value v) {
  return Condition(std::move(v));
}
Condition ne(Value v) {
  return make([v = std::move(v)](const Expr& c) { return c != Expr(v); });
}
Condition gt(Value v) {
  return make([v = std::move(v)](const Expr& c) { return c > Expr(v); });
}
Condition gte(Value v) {
  return make([v = std::move(v)](const Expr& c) { return c >= Expr(v); });
}
Condition lt(Value v) {
  return make([v = std::move(v)](const Expr& c) { return c < Expr(v); });
}
Condition lte(Value v) {
  return make([v = std::move(v)](const Expr& c) { return c <= Expr(v); });
}
Condition between(Value lo, Value hi) {
  return make([lo = std::move(lo), hi = std::move(hi)](const Expr& c) {
    return c.between(Expr(lo), Expr(hi));
  });
}
Condition notBetween(Value lo, Value hi) {
  return make([lo = std::move(lo), hi = std::move(hi)](const Expr& c) {
    return c.notBetween(Expr(lo), Expr(hi));
  });
}
Condition in(std::vector<Value> list) {
  return Condition(std::move(list));
}
Condition notIn(std::vector<Value> list) {
  return make([list = std::move(list)](const Expr& c) { return c.notIn(list); });
}
Condition like(std::string p) {
  return make([p = std::move(p)](const Expr& c) { return c.like(Expr(p)); });
}
Condition notLike(std::string p) {
  return make([p = std::move(p)](const Expr& c) { return c.notLike(Expr(p)); });
}
Condition iLike(std::string p) {
  return make([p = std::move(p)](const Expr& c) { return c.iLike(Expr(p)); });
}
Condition notILike(std::string p) {
  return make([p = std::move(p)](const Expr& c) { return c.notILike(Expr(p)); });
}
Condition startsWith(std::string p) {
  return make([p = std::move(p)](const Expr& c) { return c.startsWith(p); });
}
Condition endsWith(std::string p) {
  return make([p = std::move(p)](const Expr& c) { return c.endsWith(p); });
}
Condition substring(std::string p) {
  return make([p = std::move(p)](const Expr& c) { return c.substring(p); });
}
Condition iSubstring(std::string p) {
  return make([p = std::move(p)](const Expr& c) { return c.iSubstring(p); });
}
Condition is(Value v) {
  return make([v = std::move(v)](const Expr& c) { return c.is(v); });
}
Condition not_(Value v) {
  return make([v = std::move(v)](const Expr& c) { return c.isNot(v); });
}
Condition and_(std::vector<Condition> all) {
  return make([all = std::move(all)](const Expr& c) {
    std::vector<Expr> terms;
    for (const auto& x : all) terms.push_back(x.on(c));
    return sql::and_(std::move(terms));
  });
}
Condition or_(std::vector<Condition> any) {
  return make([any = std::move(any)](const Expr& c) {
    std::vector<Expr> terms;
    for (const auto& x : any) terms.push_back(x.on(c));
    return sql::or_(std::move(terms));
  });
}
}  // namespace Op

// -------------------------------------------------------------------- Where

Where::Where(std::initializer_list<std::pair<std::string, Condition>> entries)
    : Where(std::vector<std::pair<std::string, Condition>>(entries)) {}

Where::Where(std::vector<std::pair<std::string, Condition>> entries) {
  std::vector<Expr> terms;
  terms.reserve(entries.size());
  for (auto& [attr, cond] : entries) {
    if (attr.empty()) throw UsageError("where: an attribute name is empty");
    terms.push_back(cond.on(col(attr)));
    if (cond.equalsValue()) equalities_.emplace_back(attr, *cond.equalsValue());
  }
  expr_ = sql::and_(std::move(terms));
}

// --------------------------------------------------------------- Attributes

Attributes::Attributes(std::vector<std::string> names) : mode_(Mode::List) {
  items_.reserve(names.size());
  for (auto& n : names) items_.emplace_back(std::move(n));
}

Attributes Attributes::exclude(std::vector<std::string> names) const {
  if (mode_ != Mode::All)
    throw UsageError("attributes: exclude() applies to all attributes, not to a list or none");
  Attributes a = *this;
  a.excluded_.insert(a.excluded_.end(), names.begin(), names.end());
  return a;
}

Attributes Attributes::include(std::vector<AttributeItem> extra) const {
  if (mode_ != Mode::All)
    throw UsageError(
        "attributes: include() adds to all attributes; list computed items directly "
        "in the attribute list instead");
  Attributes a = *this;
  a.extra_.insert(a.extra_.end(), extra.begin(), extra.end());
  return a;
}

Attributes exclude(std::vector<std::string> names) {
  return Attributes().exclude(std::move(names));
}
Attributes include(std::vector<AttributeItem> extra) {
  return Attributes().include(std::move(extra));
}

// ---------------------------------------------------------------- OrderItem

namespace {
Direction parseDirection(std::string_view text) {
  std::string up;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !up.empty();
      continue;
    }
    if (space) up += ' ';
    space = false;
    up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (up == "ASC") return Direction::Asc;
  if (up == "DESC") return Direction::Desc;
  if (up == "ASC NULLS FIRST") return Direction::AscNullsFirst;
  if (up == "ASC NULLS LAST") return Direction::AscNullsLast;
  if (up == "DESC NULLS FIRST") return Direction::DescNullsFirst;
  if (up == "DESC NULLS LAST") return Direction::DescNullsLast;
  throw UsageError(fmt::format(
      "order: unknown direction \"{}\" (expected ASC, DESC, optionally NULLS FIRST/LAST)", text));
}
}  // namespace

OrderItem::OrderItem(const char* attribute, std::string_view dir)
    : target(col(attribute)), direction(parseDirection(dir)) {}
OrderItem::OrderItem(Expr e, std::string_view dir)
    : target(std::move(e)), direction(parseDirection(dir)) {}

}  // namespace junction
