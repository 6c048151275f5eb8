// The Compiler: one visit per node, the Dialect consulted where engines
// differ.
//
// Parenthesisation rule (pinned by tests/sql golden tests):
//  - at the top of a clause (WHERE, ON, HAVING, a select item, a SET value,
//    a list item or function argument) nothing is parenthesised;
//  - a term of AND/OR is parenthesised only when it is itself an AND/OR of
//    two or more terms:  ("a" = ? OR "b" = ?) AND "c" > ?
//  - an operand of any other operator (comparison, arithmetic, LIKE, IS,
//    NOT, BETWEEN, IN) is parenthesised when it is compound, i.e. anything
//    but a column, parameter, literal(), function call, CAST, EXISTS or
//    subquery:  NOT ("a" = ?),  ("a" + ?) * ?
// A Logical of one term is that term; empty AND is 1 = 1, empty OR is 1 = 0.
#include "junction/sql/compiler.hpp"

#include <fmt/format.h>

#include <set>
#include <string>
#include <type_traits>
#include <variant>

#include "junction/errors.hpp"
#include "sql/render_helpers.hpp"

namespace junction::sql {

namespace {

// Item: a select-list item or a function's argument, the only places where
// `*` (every column) means something.
enum class Pos { Top, Item, LogicalTerm, Operand };

// The non-empty terms of a Logical.
std::vector<const Expr*> liveTerms(const Logical& l) {
  std::vector<const Expr*> out;
  for (const auto& t : l.terms) {
    if (!t.empty()) out.push_back(&t);
  }
  return out;
}

// Looks through Logicals of exactly one (non-empty) term.
const Expr& unwrap(const Expr& e) {
  const Expr* cur = &e;
  while (!cur->empty()) {
    const auto* l = std::get_if<Logical>(&cur->node().v);
    if (!l) break;
    auto terms = liveTerms(*l);
    if (terms.size() != 1) break;
    cur = terms.front();
  }
  return *cur;
}

bool isAtom(const Node& n) {
  return std::holds_alternative<ColumnRef>(n.v) || std::holds_alternative<Param>(n.v) ||
         std::holds_alternative<Literal>(n.v) || std::holds_alternative<Function>(n.v) ||
         std::holds_alternative<Cast>(n.v) || std::holds_alternative<Exists>(n.v) ||
         std::holds_alternative<Subquery>(n.v);
}

bool needsParens(const Node& n, Pos pos) {
  switch (pos) {
    case Pos::Top:
    case Pos::Item:
      return false;
    case Pos::LogicalTerm: {
      const auto* l = std::get_if<Logical>(&n.v);
      return l && liveTerms(*l).size() >= 2;
    }
    case Pos::Operand:
      return !isAtom(n);
  }
  return false;
}

const Param* nullParam(const Expr& e) {
  if (e.empty()) return nullptr;
  const auto* p = std::get_if<Param>(&e.node().v);
  return p && p->value.isNull() ? p : nullptr;
}

// The keyword after IS / IS NOT: only NULL, TRUE and FALSE, never a param.
std::string_view isKeyword(const Expr& rhs) {
  if (!rhs.empty()) {
    if (const auto* p = std::get_if<Param>(&rhs.node().v)) {
      if (p->value.isNull()) return "NULL";
      if (const auto* b = p->value.getIf<bool>()) return *b ? "TRUE" : "FALSE";
    } else if (const auto* l = std::get_if<Literal>(&rhs.node().v)) {
      std::string upper;
      for (char ch : l->sql) upper += (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 32) : ch;
      if (upper == "NULL") return "NULL";
      if (upper == "TRUE") return "TRUE";
      if (upper == "FALSE") return "FALSE";
    }
  }
  throw UsageError("only NULL, TRUE or FALSE may follow IS / IS NOT");
}

std::string_view binaryOperator(BinaryOp op) {
  switch (op) {
    case BinaryOp::Eq:
      return " = ";
    case BinaryOp::Ne:
      return " <> ";
    case BinaryOp::Lt:
      return " < ";
    case BinaryOp::Le:
      return " <= ";
    case BinaryOp::Gt:
      return " > ";
    case BinaryOp::Ge:
      return " >= ";
    case BinaryOp::Like:
      return " LIKE ";
    case BinaryOp::NotLike:
      return " NOT LIKE ";
    case BinaryOp::Add:
      return " + ";
    case BinaryOp::Sub:
      return " - ";
    case BinaryOp::Mul:
      return " * ";
    case BinaryOp::Div:
      return " / ";
    case BinaryOp::Mod:
      return " % ";
    case BinaryOp::Concat:
      return " || ";
    case BinaryOp::ILike:
    case BinaryOp::NotILike:
    case BinaryOp::Is:
    case BinaryOp::IsNot:
      break;  // rendered by their own branches
  }
  throw UsageError("unknown binary operator");
}

bool isLike(BinaryOp op) {
  return op == BinaryOp::Like || op == BinaryOp::NotLike || op == BinaryOp::ILike ||
         op == BinaryOp::NotILike;
}

void emit(Compiler& c, const Expr& e, Pos pos);

void emitList(Compiler& c, const std::vector<Expr>& items, Pos pos = Pos::Top) {
  bool first = true;
  for (const auto& item : items) {
    if (!first) c.raw(", ");
    first = false;
    emit(c, item, pos);
  }
}

void emitSubquery(Compiler& c, const std::shared_ptr<const Select>& s) {
  if (!s) throw UsageError("a subquery is null");
  c.raw("(");
  c.select(*s);
  c.raw(")");
}

struct NodeEmitter {
  Compiler& c;

  void operator()(const ColumnRef& n) const { c.qualified(n.table, n.name); }
  void operator()(const Param& n) const { c.param(n.value); }
  void operator()(const Literal& n) const { c.raw(n.sql); }

  void operator()(const Unary& n) const {
    switch (n.op) {
      case UnaryOp::Not:
        c.raw("NOT ");
        emit(c, n.operand, Pos::Operand);
        return;
      case UnaryOp::Neg:
        c.raw("-");
        // A literal may start with '-', and "--" would open a comment.
        if (!n.operand.empty() && std::holds_alternative<Literal>(n.operand.node().v)) {
          c.raw("(");
          emit(c, n.operand, Pos::Top);
          c.raw(")");
        } else {
          emit(c, n.operand, Pos::Operand);
        }
        return;
      case UnaryOp::IsNull:
        emit(c, n.operand, Pos::Operand);
        c.raw(" IS NULL");
        return;
      case UnaryOp::IsNotNull:
        emit(c, n.operand, Pos::Operand);
        c.raw(" IS NOT NULL");
        return;
    }
    throw UsageError("unknown unary operator");
  }

  void operator()(const Binary& n) const {
    if (!n.escape.empty() && !isLike(n.op))
      throw UsageError("an ESCAPE character is only valid with LIKE operators");
    switch (n.op) {
      case BinaryOp::Eq:
      case BinaryOp::Ne: {
        // SQL's "= NULL" is never true; comparing with null means IS NULL.
        const char* test = n.op == BinaryOp::Eq ? " IS NULL" : " IS NOT NULL";
        if (nullParam(n.rhs)) {
          emit(c, n.lhs, Pos::Operand);
          c.raw(test);
          return;
        }
        if (nullParam(n.lhs)) {
          emit(c, n.rhs, Pos::Operand);
          c.raw(test);
          return;
        }
        break;
      }
      case BinaryOp::Is:
      case BinaryOp::IsNot: {
        auto keyword = isKeyword(n.rhs);
        emit(c, n.lhs, Pos::Operand);
        c.raw(n.op == BinaryOp::Is ? " IS " : " IS NOT ");
        c.raw(keyword);
        return;
      }
      case BinaryOp::ILike:
      case BinaryOp::NotILike:
        if (n.lhs.empty() || n.rhs.empty()) throw UsageError("ILIKE: an operand is empty");
        c.dialect().renderILike(c, n, n.op == BinaryOp::NotILike);
        return;
      default:
        break;
    }
    emit(c, n.lhs, Pos::Operand);
    c.raw(binaryOperator(n.op));
    emit(c, n.rhs, Pos::Operand);
    detail::appendLikeEscape(c, n.escape);
  }

  void operator()(const Logical& n) const {
    auto terms = liveTerms(n);
    const char* sep = n.op == LogicalOp::And ? " AND " : " OR ";
    if (terms.empty()) {
      c.raw(n.op == LogicalOp::And ? "1 = 1" : "1 = 0");
      return;
    }
    bool first = true;
    for (const Expr* t : terms) {
      if (!first) c.raw(sep);
      first = false;
      emit(c, *t, Pos::LogicalTerm);
    }
  }

  void operator()(const InList& n) const {
    if (n.list.empty()) {
      c.raw(n.negated ? "1 = 1" : "1 = 0");
      return;
    }
    emit(c, n.lhs, Pos::Operand);
    c.raw(n.negated ? " NOT IN (" : " IN (");
    emitList(c, n.list);
    c.raw(")");
  }

  void operator()(const InSubquery& n) const {
    emit(c, n.lhs, Pos::Operand);
    c.raw(n.negated ? " NOT IN " : " IN ");
    emitSubquery(c, n.subquery);
  }

  void operator()(const Between& n) const {
    emit(c, n.operand, Pos::Operand);
    c.raw(n.negated ? " NOT BETWEEN " : " BETWEEN ");
    emit(c, n.lo, Pos::Operand);
    c.raw(" AND ");
    emit(c, n.hi, Pos::Operand);
  }

  void operator()(const Function& n) const {
    if (!detail::validFunctionName(n.name))
      throw UsageError(fmt::format("\"{}\" is not a valid function name", n.name));
    c.raw(n.name);
    c.raw(n.distinct ? "(DISTINCT " : "(");
    if (n.distinct && n.args.empty())
      throw UsageError(fmt::format("{}(DISTINCT) needs an argument", n.name));
    emitList(c, n.args, Pos::Item);
    c.raw(")");
  }

  void operator()(const Cast& n) const {
    if (!detail::validCastType(n.type))
      throw UsageError(fmt::format("\"{}\" is not a valid cast type", n.type));
    c.raw("CAST(");
    emit(c, n.operand, Pos::Top);
    c.raw(" AS ");
    c.raw(n.type);
    c.raw(")");
  }

  void operator()(const Exists& n) const {
    c.raw(n.negated ? "NOT EXISTS " : "EXISTS ");
    emitSubquery(c, n.subquery);
  }

  void operator()(const Subquery& n) const { emitSubquery(c, n.select); }
};

void emit(Compiler& c, const Expr& e, Pos pos) {
  if (e.empty()) throw UsageError("an empty expression cannot be compiled here");
  const Expr& inner = unwrap(e);
  if (const auto* ref = std::get_if<ColumnRef>(&inner.node().v); ref && ref->name == "*" && pos != Pos::Item)
    throw UsageError(fmt::format("\"{}{}*\" (every column) can only be selected or be a function's "
                                 "argument, as in COUNT(*): not compared, ordered or grouped by",
                                 ref->table, ref->table.empty() ? "" : "."));
  bool parens = needsParens(inner.node(), pos);
  if (parens) c.raw("(");
  std::visit(NodeEmitter{c}, inner.node().v);
  if (parens) c.raw(")");
}

void identifierList(Compiler& c, const std::vector<std::string>& names,
                    std::string_view sep = ", ") {
  bool first = true;
  for (const auto& n : names) {
    if (!first) c.raw(sep);
    first = false;
    c.identifier(n);
  }
}

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    out += '_';
    out += n;
  }
  return out;
}

}  // namespace

// ---- building blocks ----

void Compiler::expr(const Expr& e) {
  emit(*this, e, Pos::Operand);
}

void Compiler::param(Value v) {
  params_.push_back(std::move(v));
  dialect_.placeholder(out_, params_.size());
}

void Compiler::identifier(std::string_view name) {
  dialect_.quoteIdentifier(out_, name);
}

void Compiler::qualified(std::string_view table, std::string_view name) {
  if (!table.empty()) {
    identifier(table);
    out_ += '.';
  }
  if (name == "*") {
    out_ += '*';
  } else {
    identifier(name);
  }
}

void Compiler::select(const Select& s) {
  out_ += s.distinct ? "SELECT DISTINCT " : "SELECT ";
  if (s.columns.empty()) {
    out_ += '*';
  } else {
    selectItems(s.columns);
  }
  bool hasFrom = !s.from.name.empty() || s.from.subquery;
  if (hasFrom) {
    out_ += " FROM ";
    tableRef(s.from);
  } else if (!s.joins.empty() || !s.from.alias.empty()) {
    throw UsageError("a SELECT with joins or a FROM alias needs a FROM table");
  }
  for (const auto& j : s.joins) {
    out_ += j.kind == JoinKind::Inner ? " INNER JOIN " : " LEFT OUTER JOIN ";
    tableRef(j.table);
    if (j.on.empty())
      throw UsageError(fmt::format("the join of \"{}\" has no ON condition",
                                   j.table.alias.empty() ? j.table.name : j.table.alias));
    out_ += " ON ";
    emit(*this, j.on, Pos::Top);
  }
  if (!s.where.empty()) {
    out_ += " WHERE ";
    emit(*this, s.where, Pos::Top);
  }
  if (!s.groupBy.empty()) {
    out_ += " GROUP BY ";
    emitList(*this, s.groupBy);
  }
  if (!s.having.empty()) {
    out_ += " HAVING ";
    emit(*this, s.having, Pos::Top);
  }
  if (!s.orderBy.empty()) {
    out_ += " ORDER BY ";
    bool first = true;
    for (const auto& o : s.orderBy) {
      if (!first) out_ += ", ";
      first = false;
      emit(*this, o.expr, Pos::Top);
      out_ += o.descending ? " DESC" : " ASC";
      if (o.nullsFirst) out_ += *o.nullsFirst ? " NULLS FIRST" : " NULLS LAST";
    }
  }
  dialect_.renderLimitOffset(*this, s.limit, s.offset);
  dialect_.renderLock(*this, s.lock);
}

void Compiler::tableRef(const TableRef& t) {
  if (t.subquery) {
    if (!t.name.empty())
      throw UsageError(
          fmt::format("table \"{}\": give a table name or a subquery, not both", t.name));
    if (t.alias.empty()) throw UsageError("a subquery in FROM or JOIN needs an alias");
    emitSubquery(*this, t.subquery);
  } else {
    identifier(t.name);
  }
  if (!t.alias.empty()) {
    out_ += " AS ";
    identifier(t.alias);
  }
}

void Compiler::selectItems(const std::vector<SelectItem>& items) {
  bool first = true;
  for (const auto& item : items) {
    if (!first) out_ += ", ";
    first = false;
    emit(*this, item.expr, Pos::Item);
    if (!item.alias.empty()) {
      out_ += " AS ";
      identifier(item.alias);
    }
  }
}

void Compiler::returning(const std::vector<SelectItem>& items) {
  if (items.empty()) return;
  if (!dialect_.capabilities().returning)
    throw UsageError(fmt::format("the {} dialect does not support RETURNING", dialect_.name()));
  out_ += " RETURNING ";
  selectItems(items);
}

Compiled Compiler::finish() {
  auto max = dialect_.capabilities().maxParams;
  if (params_.size() > max)
    throw UsageError(fmt::format(
        "the statement binds {} parameters; {} allows at most {} (split it into batches)",
        params_.size(), dialect_.name(), max));
  Compiled out{std::move(out_), std::move(params_)};
  out_.clear();
  params_.clear();
  return out;
}

// ---- statements ----

Compiled Compiler::compile(const Expr& e) {
  emit(*this, e, Pos::Item);
  return finish();
}

Compiled Compiler::compile(const Select& s) {
  select(s);
  return finish();
}

Compiled Compiler::compile(const Insert& s) {
  out_ += "INSERT INTO ";
  identifier(s.table);
  if (s.columns.empty()) {
    if (s.rows.size() > 1)
      throw UsageError(fmt::format(
          "INSERT INTO \"{}\": several rows need a column list (DEFAULT VALUES inserts one)",
          s.table));
    if (s.rows.size() == 1 && !s.rows.front().empty())
      throw UsageError(
          fmt::format("INSERT INTO \"{}\": a row has values but there are no columns", s.table));
    out_ += " DEFAULT VALUES";
  } else {
    if (s.rows.empty())
      throw UsageError(fmt::format("INSERT INTO \"{}\": no rows to insert", s.table));
    out_ += " (";
    identifierList(*this, s.columns, ",");
    out_ += ") VALUES ";
    bool firstRow = true;
    for (const auto& row : s.rows) {
      if (row.size() != s.columns.size())
        throw UsageError(fmt::format("INSERT INTO \"{}\": a row has {} values for {} columns",
                                     s.table, row.size(), s.columns.size()));
      if (!firstRow) out_ += ',';
      firstRow = false;
      out_ += '(';
      bool first = true;
      for (const auto& v : row) {
        if (!first) out_ += ',';
        first = false;
        emit(*this, v, Pos::Top);
      }
      out_ += ')';
    }
  }
  if (s.onConflict) {
    const auto& oc = *s.onConflict;
    if (!dialect_.capabilities().upsert)
      throw UsageError(fmt::format("the {} dialect does not support ON CONFLICT", dialect_.name()));
    out_ += " ON CONFLICT";
    if (!oc.target.empty()) {
      out_ += " (";
      identifierList(*this, oc.target);
      out_ += ')';
    }
    if (oc.doNothing) {
      if (!oc.updateColumns.empty())
        throw UsageError("ON CONFLICT: DO NOTHING cannot also update columns");
      out_ += " DO NOTHING";
    } else {
      if (oc.updateColumns.empty())
        throw UsageError("ON CONFLICT: give updateColumns or set doNothing");
      if (oc.target.empty())
        throw UsageError("ON CONFLICT DO UPDATE needs the conflict target columns");
      out_ += " DO UPDATE SET ";
      bool first = true;
      for (const auto& column : oc.updateColumns) {
        if (!first) out_ += ", ";
        first = false;
        identifier(column);
        out_ += " = excluded.";
        identifier(column);
      }
    }
  }
  returning(s.returning);
  return finish();
}

Compiled Compiler::compile(const Update& s) {
  if (s.set.empty()) throw UsageError(fmt::format("UPDATE \"{}\": nothing to set", s.table));
  out_ += "UPDATE ";
  identifier(s.table);
  out_ += " SET ";
  bool first = true;
  for (const auto& [column, value] : s.set) {
    if (!first) out_ += ", ";
    first = false;
    identifier(column);
    out_ += " = ";
    emit(*this, value, Pos::Top);
  }
  if (!s.where.empty()) {
    out_ += " WHERE ";
    emit(*this, s.where, Pos::Top);
  }
  returning(s.returning);
  return finish();
}

Compiled Compiler::compile(const Delete& s) {
  out_ += "DELETE FROM ";
  identifier(s.table);
  if (!s.where.empty()) {
    out_ += " WHERE ";
    emit(*this, s.where, Pos::Top);
  }
  returning(s.returning);
  return finish();
}

Compiled Compiler::compile(const CreateTable& s) {
  if (s.columns.empty()) throw UsageError(fmt::format("CREATE TABLE \"{}\": no columns", s.name));
  std::set<std::string> names;
  std::vector<std::string> inlinePk;
  for (const auto& column : s.columns) {
    if (!names.insert(column.name).second)
      throw UsageError(
          fmt::format("CREATE TABLE \"{}\": column \"{}\" appears twice", s.name, column.name));
    if (column.primaryKey) inlinePk.push_back(column.name);
  }
  // One primary key column is declared inline; several (or an explicit
  // composite key) become a table constraint.
  std::vector<std::string> tablePk = s.primaryKey;
  if (!tablePk.empty()) {
    if (!inlinePk.empty())
      throw UsageError(fmt::format(
          "CREATE TABLE \"{}\": give the primary key per column or as a composite, not both",
          s.name));
    for (const auto& n : tablePk) {
      if (!names.count(n))
        throw UsageError(
            fmt::format("CREATE TABLE \"{}\": primary key column \"{}\" is unknown", s.name, n));
    }
  } else if (inlinePk.size() > 1) {
    tablePk = inlinePk;
  }
  bool inlineKey = tablePk.empty();

  out_ += s.ifNotExists ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ";
  identifier(s.name);
  out_ += " (";
  bool first = true;
  for (const auto& column : s.columns) {
    if (!first) out_ += ", ";
    first = false;
    dialect_.renderColumnDef(*this, column, inlineKey);
  }
  if (!tablePk.empty()) {
    out_ += ", PRIMARY KEY (";
    identifierList(*this, tablePk);
    out_ += ')';
  }
  for (const auto& u : s.uniques) {
    if (u.columns.empty())
      throw UsageError(
          fmt::format("CREATE TABLE \"{}\": a UNIQUE constraint needs columns", s.name));
    for (const auto& n : u.columns) {
      if (!names.count(n))
        throw UsageError(
            fmt::format("CREATE TABLE \"{}\": unique column \"{}\" is unknown", s.name, n));
    }
    out_ += ", CONSTRAINT ";
    identifier(u.name.empty() ? s.name + joinNames(u.columns) + "_key" : u.name);
    out_ += " UNIQUE (";
    identifierList(*this, u.columns);
    out_ += ')';
  }
  out_ += ')';
  return finish();
}

Compiled Compiler::compile(const DropTable& s) {
  out_ += s.ifExists ? "DROP TABLE IF EXISTS " : "DROP TABLE ";
  identifier(s.name);
  // Engines without dependent objects (SQLite) have no CASCADE to say.
  if (s.cascade && dialect_.capabilities().dropTableCascade) out_ += " CASCADE";
  return finish();
}

Compiled Compiler::compile(const CreateIndex& s) {
  if (s.columns.empty())
    throw UsageError(fmt::format("CREATE INDEX on \"{}\": no columns", s.table));
  out_ += s.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  if (s.ifNotExists) out_ += "IF NOT EXISTS ";
  identifier(s.name.empty() ? s.table + joinNames(s.columns) + "_idx" : s.name);
  out_ += " ON ";
  identifier(s.table);
  out_ += " (";
  identifierList(*this, s.columns);
  out_ += ')';
  return finish();
}

}  // namespace junction::sql
