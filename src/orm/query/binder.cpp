// The binder: the only place that resolves attribute names (DESIGN.md,
// after DuckDB). A model query says "where username = x, order by likes";
// the binder turns that into quoted, table-qualified columns of the SQL tree
// and rejects names the model does not have.
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
Expr coerceParams(const BindContext& ctx, const Expr& e) {
  if (e.empty()) return e;
  auto make = [](auto node) {
    return Expr(std::make_shared<const sql::Node>(sql::Node{std::move(node)}));
  };
  auto typeOf = [&](const Expr& x) -> const sql::ColumnType* {
    if (x.empty()) return nullptr;
    const auto* c = std::get_if<sql::ColumnRef>(&x.node().v);
    const AttributeDef* a = c ? attributeOf(ctx, *c) : nullptr;
    if (!a) return nullptr;
    using K = sql::ColumnType::Kind;
    switch (a->spec.type().kind) {
      case K::Integer:
      case K::BigInt:
      case K::Float:
      case K::Double:
      case K::Boolean:
      case K::Date:
      case K::DateOnly:
        return &a->spec.type();
      default:
        return nullptr;
    }
  };
  auto as = [](const Expr& x, const sql::ColumnType* t) -> Expr {
    const auto* p = (t && !x.empty()) ? std::get_if<sql::Param>(&x.node().v) : nullptr;
    return p ? Expr(coerce(*t, p->value)) : x;
  };
  const auto& n = e.node().v;
  if (const auto* b = std::get_if<sql::Binary>(&n)) {
    switch (b->op) {
      case sql::BinaryOp::Eq:
      case sql::BinaryOp::Ne:
      case sql::BinaryOp::Lt:
      case sql::BinaryOp::Le:
      case sql::BinaryOp::Gt:
      case sql::BinaryOp::Ge:
        return make(
            sql::Binary{b->op, as(b->lhs, typeOf(b->rhs)), as(b->rhs, typeOf(b->lhs)), b->escape});
      default:
        return e;
    }
  }
  if (const auto* l = std::get_if<sql::Logical>(&n)) {
    std::vector<Expr> terms;
    for (const auto& t : l->terms) terms.push_back(coerceParams(ctx, t));
    return make(sql::Logical{l->op, std::move(terms)});
  }
  if (const auto* u = std::get_if<sql::Unary>(&n); u && u->op == sql::UnaryOp::Not)
    return make(sql::Unary{u->op, coerceParams(ctx, u->operand)});
  if (const auto* in = std::get_if<sql::InList>(&n)) {
    const sql::ColumnType* t = typeOf(in->lhs);
    if (!t) return e;
    std::vector<Expr> list;
    for (const auto& item : in->list) list.push_back(as(item, t));
    return make(sql::InList{in->lhs, std::move(list), in->negated});
  }
  if (const auto* bt = std::get_if<sql::Between>(&n)) {
    const sql::ColumnType* t = typeOf(bt->operand);
    if (!t) return e;
    return make(sql::Between{bt->operand, as(bt->lo, t), as(bt->hi, t), bt->negated});
  }
  return e;
}

}  // namespace

Expr bind(const BindContext& ctx, const Expr& input) {
  if (input.empty()) return input;
  const Expr e = coerceParams(ctx, input);
  return sql::transformColumns(e, [&](const sql::ColumnRef& c) -> Expr {
    if (c.name == "*") {
      if (c.table.empty() || namesRoot(ctx, c.table)) return sql::col(ctx.alias, "*");
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

Expr bindWhere(const BindContext& ctx, const Where& where, bool paranoid) {
  Expr e = bind(ctx, where.expr());
  if (paranoid && ctx.model->isParanoid()) {
    const auto& d = ctx.model->attribute(ctx.model->deletedAtAttribute());
    Expr notDeleted =
        (ctx.alias.empty() ? sql::col("", d.column) : sql::col(ctx.alias, d.column)).isNull();
    e = e.empty() ? notDeleted : sql::and_({e, notDeleted});
  }
  return e;
}

std::shared_ptr<const std::vector<std::size_t>> displayOrder(
    const std::vector<std::size_t>& selected) {
  if (std::is_sorted(selected.begin(), selected.end())) return nullptr;
  return std::make_shared<const std::vector<std::size_t>>(selected);
}

std::vector<sql::SelectItem> allColumns(const Model& m, const std::string& alias) {
  std::vector<sql::SelectItem> items;
  items.reserve(m.attributes().size());
  for (const auto& a : m.attributes())
    items.push_back({alias.empty() ? sql::col("", a.column) : sql::col(alias, a.column),
                     a.column == a.name ? std::string() : a.name});
  return items;
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

BoundSelect bindSelect(const Model& m, const FindOptions& o) {
  if (!o.include.empty())
    throw UsageError(
        fmt::format("findAll on {}: include needs associations, which this build "
                    "of the model does not define",
                    m.name()));
  BoundSelect b;
  sql::Select& s = b.select;
  s.from = {m.tableName(), m.name(), nullptr};
  const std::string& alias = m.name();

  auto addAttribute = [&](std::size_t idx) {
    const auto& a = m.attributes()[idx];
    s.columns.push_back({sql::col(alias, a.column), a.column == a.name ? std::string() : a.name});
    b.attributeIndexes.push_back(idx);
  };
  std::vector<std::string> extraNames;
  std::vector<sql::SelectItem> extraItems;
  auto addComputed = [&](const AttributeItem& item) {
    if (item.name.empty())
      throw UsageError(
          fmt::format("attributes of {}: a computed attribute needs an alias", m.name()));
    extraNames.push_back(item.name);
    extraItems.push_back({item.expr, item.name});  // bound below, once aliases are known
  };

  const Attributes& at = o.attributes;
  switch (at.mode()) {
    case Attributes::Mode::All: {
      for (const auto& ex : at.excluded()) m.requireIndex(ex);  // unknown names are errors
      for (std::size_t i = 0; i < m.attributes().size(); ++i) {
        bool skip = false;
        for (const auto& ex : at.excluded()) skip = skip || ex == m.attributes()[i].name;
        if (!skip) addAttribute(i);
      }
      for (const auto& item : at.extra()) {
        if (item.expr.empty())
          throw UsageError(fmt::format("attributes.include of {}: \"{}\" needs an expression",
                                       m.name(), item.name));
        addComputed(item);
      }
      break;
    }
    case Attributes::Mode::List:
      for (const auto& item : at.items()) {
        if (item.expr.empty())
          addAttribute(m.requireIndex(item.name));
        else
          addComputed(item);
      }
      break;
    case Attributes::Mode::None:
      break;
  }
  b.order = displayOrder(b.attributeIndexes);
  b.allInOrder = b.attributeIndexes.size() == m.attributes().size();
  for (std::size_t j = 0; b.allInOrder && j < b.attributeIndexes.size(); ++j)
    b.allInOrder = b.attributeIndexes[j] == j;

  for (const auto& n : extraNames) {
    auto idx = m.attributeIndex(n);
    if (idx && std::find(b.attributeIndexes.begin(), b.attributeIndexes.end(), *idx) !=
                   b.attributeIndexes.end())
      throw UsageError(
          fmt::format("attributes of {}: computed alias \"{}\" collides with a selected attribute",
                      m.name(), n));
  }
  BindContext ctx{&m, alias, {}, "attributes"};
  for (auto& item : extraItems) s.columns.push_back({bind(ctx, item.expr), item.alias});
  if (!extraNames.empty())
    b.extraNames = std::make_shared<const std::vector<std::string>>(extraNames);
  if (s.columns.empty()) s.columns.push_back({sql::literal("1"), "_"});

  ctx.clause = "where";  // computed aliases are not visible in WHERE
  s.where = bindWhere(ctx, o.where, o.paranoid);
  ctx.computed = extraNames;
  ctx.clause = "group";
  for (const auto& g : o.group) s.groupBy.push_back(bind(ctx, g.expr));
  ctx.clause = "having";
  s.having = bind(ctx, o.having.expr());
  ctx.clause = "order";
  for (const auto& item : o.order) s.orderBy.push_back(bindOrder(ctx, item));
  if (o.limit && *o.limit < 0)
    throw UsageError(fmt::format("limit must not be negative, got {}", *o.limit));
  if (o.offset && *o.offset < 0)
    throw UsageError(fmt::format("offset must not be negative, got {}", *o.offset));
  s.limit = o.limit;
  s.offset = o.offset;
  s.lock = o.lock;
  return b;
}

namespace {

// Builds instances as rows arrive: values move from the driver's row buffer
// into each instance, with no intermediate result set.
class Hydrator final : public RowSink {
 public:
  Hydrator(const Model& m, const BoundSelect& b, std::vector<Instance>& out)
      : m_(m),
        b_(b),
        out_(out),
        nattr_(b.attributeIndexes.size()),
        nextra_(b.extraNames ? b.extraNames->size() : 0) {}

  void row(std::span<Value> row) override {
    const auto& attrs = m_.attributes();
    Instance inst = InstanceAccess::loaded(m_);
    auto& values = InstanceAccess::values(inst);
    auto& flags = InstanceAccess::flags(inst);
    if (!b_.allInOrder) flags.assign(values.size(), 0);  // only the selected are present
    for (std::size_t j = 0; j < nattr_; ++j) {
      std::size_t idx = b_.attributeIndexes[j];
      Value& v = row[j];
      hydrate(attrs[idx].spec.type(), v);
      values[idx] = std::move(v);
      if (!b_.allInOrder) flags[idx] = kPresent;
    }
    if (b_.order) InstanceAccess::setOrder(inst, b_.order);
    if (nextra_) {
      std::vector<Value> extra;
      extra.reserve(nextra_);
      for (std::size_t k = 0; k < nextra_; ++k) extra.push_back(std::move(row[nattr_ + k]));
      InstanceAccess::setExtras(inst, b_.extraNames, std::move(extra));
    }
    out_.push_back(std::move(inst));
  }

 private:
  const Model& m_;
  const BoundSelect& b_;
  std::vector<Instance>& out_;
  std::size_t nattr_, nextra_;
};

}  // namespace

std::vector<Instance> fetchInstances(ConnectionScope& scope, const Model& m, const BoundSelect& b) {
  std::vector<Instance> out;
  if (b.select.limit)
    out.reserve(static_cast<std::size_t>(std::min<std::int64_t>(*b.select.limit, 1024)));
  Hydrator h(m, b, out);
  scope.conn().stream(sql::compile(scope.conn().dialect(), b.select), h);
  return out;
}

std::vector<Value> rowValues(const Model& m, ResultSet& rs, std::size_t row) {
  const auto& attrs = m.attributes();
  std::vector<Value> values(attrs.size());
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    Value& v = rs.mutableAt(row, i);
    hydrate(attrs[i].spec.type(), v);
    values[i] = std::move(v);
  }
  return values;
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
