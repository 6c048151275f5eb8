// DDL text shared by the QueryInterface and the engines' schema editors:
// name checks, quoting, column and constraint clauses, literal rendering.
#include "schema/ddl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "junction/errors.hpp"
#include "junction/sql/compiler.hpp"

namespace junction {

namespace schema {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return out;
}

// Renders placeholders as markers that renderInline() replaces with the
// literal of the bound value; every other hook is the wrapped dialect's.
class InlineDialect final : public sql::Dialect {
 public:
  explicit InlineDialect(const sql::Dialect& base) : base_(base) {}
  std::string_view name() const noexcept override { return base_.name(); }
  const sql::Capabilities& capabilities() const noexcept override { return base_.capabilities(); }
  void placeholder(std::string& out, std::size_t index) const override {
    out += fmt::format("\x01{}\x01", index);
  }
  void quoteIdentifier(std::string& out, std::string_view ident) const override {
    base_.quoteIdentifier(out, ident);
  }
  void renderILike(sql::Compiler& c, const sql::Binary& node, bool negated) const override {
    base_.renderILike(c, node, negated);
  }
  std::string columnType(const sql::ColumnType& t) const override { return base_.columnType(t); }
  std::string renderLiteral(const Value& v) const override { return base_.renderLiteral(v); }

 private:
  const sql::Dialect& base_;
};

}  // namespace

void checkName(const sql::Dialect& d, std::string_view what, const std::string& name) {
  if (name.empty()) throw UsageError(fmt::format("{} name cannot be empty", what));
  if (name.find('\0') != std::string::npos)
    throw UsageError(fmt::format("{} name \"{}\" contains a NUL byte", what, name.c_str()));
  const auto& caps = d.capabilities();
  if (caps.maxIdentifierLength && name.size() > caps.maxIdentifierLength)
    throw UsageError(fmt::format("{} name \"{}\" is longer than {}'s {}-byte identifier limit",
                                 what, name, d.name(), caps.maxIdentifierLength));
  const std::string_view reserved = caps.reservedTablePrefix;
  if (!reserved.empty() && what == "table" &&
      upper(name.substr(0, reserved.size())) == upper(std::string(reserved)))
    throw UsageError(fmt::format("table name \"{}\": names starting with {} are reserved by {}",
                                 name, reserved, d.name()));
}

std::string quote(const sql::Dialect& d, std::string_view ident) {
  std::string out;
  d.quoteIdentifier(out, ident);
  return out;
}

std::string quoteList(const sql::Dialect& d, const std::vector<std::string>& idents) {
  std::string out;
  for (const auto& i : idents) {
    if (!out.empty()) out += ", ";
    d.quoteIdentifier(out, i);
  }
  return out;
}

std::string joinUnderscore(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += '_';
    out += n;
  }
  return out;
}

std::string renderColumn(const sql::Dialect& d, const sql::ColumnDef& col, bool inlinePrimaryKey) {
  sql::Compiler c(d);
  d.renderColumnDef(c, col, inlinePrimaryKey);
  return std::move(c.out());
}

std::string renderInline(const sql::Dialect& d, const sql::Expr& e) {
  InlineDialect inlineDialect(d);
  sql::Compiled compiled = sql::Compiler(inlineDialect).compile(e);
  std::string out;
  const std::string& s = compiled.sql;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\x01') {
      out += s[i];
      continue;
    }
    std::size_t end = s.find('\x01', i + 1);
    std::size_t index = std::stoul(s.substr(i + 1, end - i - 1));
    out += d.renderLiteral(compiled.params.at(index - 1));
    i = end;
  }
  return out;
}

std::string referentialAction(std::string_view action, std::string_view clause) {
  std::string u = upper(action);
  for (std::string_view allowed : {"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"})
    if (u == allowed) return u;
  throw UsageError(fmt::format(
      "{} action \"{}\" is not one of CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION", clause,
      action));
}

void checkConstraint(const std::string& table, const ConstraintOptions& c) {
  bool fk = c.type == ConstraintType::ForeignKey;
  if (c.type != ConstraintType::Check && c.fields.empty())
    throw UsageError(fmt::format("addConstraint on \"{}\": fields cannot be empty", table));
  if (fk && !c.references)
    throw UsageError(fmt::format("addConstraint on \"{}\": a foreign key needs references", table));
  if (!fk && (c.references || !c.onDelete.empty() || !c.onUpdate.empty()))
    throw UsageError(fmt::format(
        "addConstraint on \"{}\": references/onDelete/onUpdate apply to foreign keys only", table));
  if (c.type == ConstraintType::Check && c.where.empty())
    throw UsageError(fmt::format("addConstraint on \"{}\": a check needs a where", table));
  if (c.type != ConstraintType::Check && !c.where.empty())
    throw UsageError(
        fmt::format("addConstraint on \"{}\": where applies to check constraints only", table));
  std::set<std::string> seen;
  for (const auto& f : c.fields) {
    if (f.empty())
      throw UsageError(fmt::format("addConstraint on \"{}\": empty field name", table));
    if (!seen.insert(f).second)
      throw UsageError(fmt::format("addConstraint on \"{}\": field \"{}\" given twice", table, f));
  }
}

std::string constraintName(const std::string& table, const ConstraintOptions& c) {
  if (!c.name.empty()) return c.name;
  std::string base = c.fields.empty() ? table : table + "_" + joinUnderscore(c.fields);
  switch (c.type) {
    case ConstraintType::Unique:
      return base + "_uk";
    case ConstraintType::Check:
      return base + "_ck";
    case ConstraintType::ForeignKey:
      return base + "_" + c.references->table + "_fk";
    case ConstraintType::PrimaryKey:
      return base + "_pk";
  }
  return base;
}

std::string constraintClause(const sql::Dialect& d, const ConstraintOptions& c) {
  switch (c.type) {
    case ConstraintType::Unique:
      return "UNIQUE (" + quoteList(d, c.fields) + ")";
    case ConstraintType::PrimaryKey:
      return "PRIMARY KEY (" + quoteList(d, c.fields) + ")";
    case ConstraintType::Check:
      return "CHECK (" + renderInline(d, c.where) + ")";
    case ConstraintType::ForeignKey: {
      std::string out = "FOREIGN KEY (" + quoteList(d, c.fields) + ") REFERENCES " +
                        quote(d, c.references->table) + " (" + quote(d, c.references->field) + ")";
      if (!c.onDelete.empty()) out += " ON DELETE " + referentialAction(c.onDelete, "ON DELETE");
      if (!c.onUpdate.empty()) out += " ON UPDATE " + referentialAction(c.onUpdate, "ON UPDATE");
      return out;
    }
  }
  return {};
}

void noSuchTable(const std::string& table) {
  throw UsageError(fmt::format("table \"{}\" does not exist", table));
}

void noSuchColumn(const std::string& table, const std::string& column) {
  throw UsageError(fmt::format("table \"{}\" has no column \"{}\"", table, column));
}

}  // namespace schema

std::vector<std::string> schema::firstColumn(const ResultSet& rs) {
  std::vector<std::string> out;
  out.reserve(rs.size());
  for (std::size_t r = 0; r < rs.size(); ++r) out.push_back(rs.at(r, 0).toString());
  return out;
}

// ------------------------------------------------------------ descriptions

const ColumnDescription& TableDescription::column(std::string_view n) const {
  for (const auto& c : columns)
    if (c.name == n) return c;
  schema::noSuchColumn(name, std::string(n));
}

bool TableDescription::hasColumn(std::string_view n) const noexcept {
  return std::any_of(columns.begin(), columns.end(), [&](const auto& c) { return c.name == n; });
}

const ForeignKeyDescription* TableDescription::foreignKey(std::string_view column) const noexcept {
  for (const auto& fk : foreignKeys)
    if (fk.columns.size() == 1 && fk.columns[0] == column) return &fk;
  return nullptr;
}

const IndexDescription* TableDescription::uniqueKey(
    const std::vector<std::string>& cols) const noexcept {
  for (const auto& ix : indexes)
    if (ix.unique && !ix.primary && ix.columns == cols) return &ix;
  return nullptr;
}

}  // namespace junction
