// The binder's expression half: column references in where, order, group
// and having become quoted, table-qualified columns of the SQL tree, and
// values compared with an attribute take its type. bind_query.cpp binds
// the rest of a query (attributes, includes, the root's clauses).
#include "orm/query/binder.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "orm/internal.hpp"

namespace junction::detail {

namespace {

// `name` as an attribute of m, or as one of its column names.
const AttributeDef* findAttribute(const Model& m, std::string_view name) {
  if (auto i = m.attributeIndex(name)) return &m.attributes()[*i];
  for (const auto& a : m.attributes())
    if (a.column == name) return &a;
  return nullptr;
}

bool namesRoot(const BindContext& ctx, std::string_view qualifier) {
  return qualifier == ctx.alias || qualifier == ctx.model->name() ||
         qualifier == ctx.model->tableName();
}

// The attribute an unbound column reference names, resolved as bind() does
// (nullptr for computed columns, "*" and unknown names: bind() reports those).
const AttributeDef* attributeOf(const BindContext& ctx, const sql::ColumnRef& c) {
  if (c.name == "*") return nullptr;
  if (c.table.empty()) {
    for (const auto& alias : ctx.computed)
      if (alias == c.name) return nullptr;
    return findAttribute(*ctx.model, c.name);
  }
  if (namesRoot(ctx, c.table)) return findAttribute(*ctx.model, c.name);
  for (const auto& [alias, model] : ctx.joined)
    if (alias == c.table) return findAttribute(*model, c.name);
  return nullptr;
}

// A value compared with an attribute takes the attribute's type, as set()
// converts it ({"read", "true"} on a BOOLEAN is true; Sequelize does the
// same), so a condition means the same on SQLite, which compares 'true'
// with 1 as unequal, and on PostgreSQL, which casts the text. Only
// conversions to numbers, booleans and dates; text, JSON and DECIMAL values
// are bound as given.
// A value that cannot be one of the attribute's type (2147483648 for an
// INTEGER, "many" for a number), and text that no engine should receive
// (not UTF-8, or holding NUL, compared with anything), is a ValidationError
// naming the attribute, before any SQL: the same on both engines, where
// PostgreSQL would fail the statement and SQLite would quietly compare.
Expr coerceParams(const BindContext& ctx, const Expr& e) {
  if (e.empty()) return e;
  auto make = [](auto node) {
    return Expr(std::make_shared<const sql::Node>(sql::Node{std::move(node)}));
  };
  auto attributeOfExpr = [&](const Expr& x) -> const AttributeDef* {
    if (x.empty()) return nullptr;
    const auto* c = std::get_if<sql::ColumnRef>(&x.node().v);
    return c ? attributeOf(ctx, *c) : nullptr;
  };
  auto typed = [](const AttributeDef* a) {
    if (!a) return false;
    using K = sql::ColumnType::Kind;
    switch (a->spec.type().kind) {
      case K::Integer:
      case K::BigInt:
      case K::Float:
      case K::Double:
      case K::Boolean:
      case K::Date:
      case K::DateOnly:
        return true;
      default:
        return false;
    }
  };
  auto reject = [&](const AttributeDef* a, const Value& v, const std::string& why) {
    const std::string path = a ? a->name : ctx.clause;
    throw ValidationError(ctx.model->name(),
                          {{.message = fmt::format("{} ({}.{})", why, ctx.model->name(), path),
                            .type = "Validation error",
                            .path = path,
                            .value = v.toString(),
                            .validatorKey = "type",
                            .model = ctx.model->name()}});
  };
  // `x` when it is a bound value: converted to a's type where that applies,
  // and checked.
  auto as = [&](const Expr& x, const AttributeDef* a, bool convert) -> Expr {
    const auto* p = x.empty() ? nullptr : std::get_if<sql::Param>(&x.node().v);
    if (!p || p->value.isNull()) return x;
    if (convert && typed(a)) {
      Value v = coerce(a->spec.type(), p->value);
      if (auto err = typeError(a->spec.type(), v)) reject(a, v, *err);
      return Expr(std::move(v));
    }
    if (const auto* s = p->value.getIf<std::string>())
      if (auto err = textError(*s)) reject(a, p->value, *err);
    return x;
  };
  // A LIKE pattern both engines can run: not ending in the escape character
  // (PostgreSQL refuses it; junction escapes with a backslash on both), and
  // within SQLite's 50,000-byte pattern limit (held on both engines).
  auto checkPattern = [&](const Expr& x, const AttributeDef* a) {
    const auto* p = x.empty() ? nullptr : std::get_if<sql::Param>(&x.node().v);
    const auto* text = p ? p->value.getIf<std::string>() : nullptr;
    if (!text) return;
    if (text->size() > 50000)
      reject(a, Value("<" + std::to_string(text->size()) + " bytes>"),
             "a LIKE pattern may not be longer than 50,000 bytes");
    std::size_t backslashes = 0;
    for (auto it = text->rbegin(); it != text->rend() && *it == '\\'; ++it) ++backslashes;
    if (backslashes % 2 == 1)
      reject(a, p->value, "a LIKE pattern may not end with the escape character \\");
  };
  const auto& n = e.node().v;
  if (const auto* b = std::get_if<sql::Binary>(&n)) {
    bool compare = false;
    switch (b->op) {
      case sql::BinaryOp::Eq:
      case sql::BinaryOp::Ne:
      case sql::BinaryOp::Lt:
      case sql::BinaryOp::Le:
      case sql::BinaryOp::Gt:
      case sql::BinaryOp::Ge:
        compare = true;
        break;
      default:
        break;
    }
    const bool like = b->op == sql::BinaryOp::Like || b->op == sql::BinaryOp::NotLike ||
                      b->op == sql::BinaryOp::ILike || b->op == sql::BinaryOp::NotILike;
    if (like) checkPattern(b->rhs, attributeOfExpr(b->lhs));
    return make(sql::Binary{b->op, as(b->lhs, attributeOfExpr(b->rhs), compare),
                            as(b->rhs, attributeOfExpr(b->lhs), compare), b->escape});
  }
  if (const auto* l = std::get_if<sql::Logical>(&n)) {
    std::vector<Expr> terms;
    for (const auto& t : l->terms) terms.push_back(coerceParams(ctx, t));
    return make(sql::Logical{l->op, std::move(terms)});
  }
  if (const auto* u = std::get_if<sql::Unary>(&n); u && u->op == sql::UnaryOp::Not)
    return make(sql::Unary{u->op, coerceParams(ctx, u->operand)});
  if (const auto* in = std::get_if<sql::InList>(&n)) {
    const AttributeDef* a = attributeOfExpr(in->lhs);
    std::vector<Expr> list;
    for (const auto& item : in->list) list.push_back(as(item, a, true));
    return make(sql::InList{in->lhs, std::move(list), in->negated});
  }
  if (const auto* bt = std::get_if<sql::Between>(&n)) {
    const AttributeDef* a = attributeOfExpr(bt->operand);
    return make(sql::Between{bt->operand, as(bt->lo, a, true), as(bt->hi, a, true), bt->negated});
  }
  return e;
}

}  // namespace

Expr bind(const BindContext& ctx, const Expr& input) {
  if (input.empty()) return input;
  const Expr e = coerceParams(ctx, input);
  return sql::transformColumns(e, [&](const sql::ColumnRef& c) -> Expr {
    if (c.name == "*") {
      // A bare `*` stays bare, as in Sequelize: COUNT(*) counts rows, and
      // SQLite cannot parse COUNT("blog".*).
      if (c.table.empty()) return sql::col("", "*");
      if (namesRoot(ctx, c.table)) return sql::col(ctx.alias, "*");
      throw UsageError(fmt::format("{}: unknown table or association \"{}\" in \"{}.*\" (model {})",
                                   ctx.clause, c.table, c.table, ctx.model->name()));
    }
    if (c.table.empty()) {
      // A computed column's alias shadows an (unselected) attribute of that name.
      for (const auto& alias : ctx.computed)
        if (alias == c.name) return sql::col("", c.name);
      if (const AttributeDef* a = findAttribute(*ctx.model, c.name))
        return ctx.alias.empty() ? sql::col("", a->column) : sql::col(ctx.alias, a->column);
      throw UsageError(fmt::format("{}: model {} has no attribute \"{}\"", ctx.clause,
                                   ctx.model->name(), c.name));
    }
    if (namesRoot(ctx, c.table)) {
      if (const AttributeDef* a = findAttribute(*ctx.model, c.name))
        return ctx.alias.empty() ? sql::col("", a->column) : sql::col(ctx.alias, a->column);
      throw UsageError(fmt::format("{}: model {} has no attribute \"{}\" (in \"{}.{}\")",
                                   ctx.clause, ctx.model->name(), c.name, c.table, c.name));
    }
    for (const auto& [alias, model] : ctx.joined) {
      if (alias != c.table) continue;
      if (const AttributeDef* a = findAttribute(*model, c.name)) return sql::col(alias, a->column);
      throw UsageError(fmt::format("{}: model {} (included as \"{}\") has no attribute \"{}\"",
                                   ctx.clause, model->name(), alias, c.name));
    }
    throw UsageError(fmt::format("{}: unknown table or association \"{}\" in \"{}.{}\" (model {})",
                                 ctx.clause, c.table, c.table, c.name, ctx.model->name()));
  });
}

Expr paranoidFilter(const Model& m, const std::string& alias) {
  if (!m.isParanoid()) return {};
  const auto& d = m.attribute(m.deletedAtAttribute());
  return (alias.empty() ? sql::col("", d.column) : sql::col(alias, d.column)).isNull();
}

Expr bindWhere(const BindContext& ctx, const Where& where, bool paranoid) {
  Expr e = bind(ctx, where.expr());
  if (!paranoid) return e;
  Expr notDeleted = paranoidFilter(*ctx.model, ctx.alias);
  if (notDeleted.empty()) return e;
  return e.empty() ? notDeleted : sql::and_({e, notDeleted});
}

bool namesOnlyRoot(const BindContext& ctx, const Expr& e) {
  bool only = true;
  if (!e.empty())
    sql::visitColumns(e, [&](const sql::ColumnRef& c) {
      only = only && (c.table.empty() || namesRoot(ctx, c.table));
    });
  return only;
}

sql::OrderItem bindOrder(const BindContext& ctx, const OrderItem& item) {
  sql::OrderItem oi;
  oi.expr = bind(ctx, item.target);
  switch (item.direction) {
    case Direction::Asc:
      break;
    case Direction::Desc:
      oi.descending = true;
      break;
    case Direction::AscNullsFirst:
      oi.nullsFirst = true;
      break;
    case Direction::AscNullsLast:
      oi.nullsFirst = false;
      break;
    case Direction::DescNullsFirst:
      oi.descending = true;
      oi.nullsFirst = true;
      break;
    case Direction::DescNullsLast:
      oi.descending = true;
      oi.nullsFirst = false;
      break;
  }
  return oi;
}

void checkLimits(std::optional<std::int64_t> limit, std::optional<std::int64_t> offset) {
  if (limit && *limit < 0)
    throw UsageError(fmt::format("limit must not be negative, got {}", *limit));
  if (offset && *offset < 0)
    throw UsageError(fmt::format("offset must not be negative, got {}", *offset));
}

std::vector<sql::SelectItem> allColumns(const Model& m, const std::string& alias) {
  std::vector<sql::SelectItem> items;
  items.reserve(m.attributes().size());
  for (const auto& a : m.attributes())
    items.push_back({alias.empty() ? sql::col("", a.column) : sql::col(alias, a.column),
                     a.column == a.name ? std::string() : a.name});
  return items;
}

Expr primaryKeyWhere(const Instance& inst) {
  const Model& m = inst.model();
  std::vector<Expr> terms;
  for (const auto& pk : m.primaryKeys()) {
    const Value& v = inst.get(pk);
    if (v.isNull())
      throw UsageError(
          fmt::format("{} instance has no value for primary key \"{}\"", m.name(), pk));
    terms.push_back(sql::col("", m.attribute(pk).column) == Expr(v));
  }
  return sql::and_(std::move(terms));
}

}  // namespace junction::detail
