// The engine-neutral half of the QueryInterface: argument checks, column
// specs, statements both engines share, DML and raw SQL. Engine-specific
// operations live in query_interface_sqlite.cpp / query_interface_postgres.cpp.
#include "junction/migrate/query_interface.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "junction/errors.hpp"
#include "migrate/qi_internal.hpp"

namespace junction::migrate {

namespace detail {

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

sql::ColumnDef toColumnDef(const std::string& table, const std::string& column,
                           const Column& spec) {
  if (spec.modelOnlyOption() == "field()")
    throw UsageError(fmt::format(
        "column \"{}\" of table \"{}\": field() has no meaning in a migration; name the column "
        "itself",
        column, table));
  if (!spec.modelOnlyOption().empty())
    throw UsageError(
        fmt::format("column \"{}\" of table \"{}\": {} belong to models, not migrations", column,
                    table, spec.modelOnlyOption()));
  sql::ColumnDef def;
  def.name = column;
  def.type = spec.type();
  def.primaryKey = spec.isPrimaryKey();
  def.autoIncrement = spec.isAutoIncrement();
  def.allowNull = spec.allowNullOption().value_or(!spec.isPrimaryKey());
  def.unique = spec.isUnique() && spec.uniqueKey().empty();
  if (spec.defaultValueOption()) {
    def.defaultValue = sql::val(*spec.defaultValueOption());
  } else if (spec.defaultFn()) {
    if (*spec.defaultFn() == DefaultFn::UuidV4)
      throw UsageError(fmt::format(
          "column \"{}\" of table \"{}\": UUIDV4 is computed by models; SQL has no portable "
          "default for it",
          column, table));
    def.defaultValue = sql::literal(
        def.type.kind == sql::ColumnType::Kind::DateOnly ? "CURRENT_DATE" : "CURRENT_TIMESTAMP");
  }
  def.references = spec.referencesOption();
  return def;
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

}  // namespace detail

// ------------------------------------------------------------ descriptions

const ColumnDescription& TableDescription::column(std::string_view n) const {
  for (const auto& c : columns)
    if (c.name == n) return c;
  detail::noSuchColumn(name, std::string(n));
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

std::string formatStatement(const sql::Compiled& statement) {
  std::string out = statement.sql;
  while (!out.empty() &&
         (std::isspace(static_cast<unsigned char>(out.back())) || out.back() == ';'))
    out.pop_back();
  out += ';';
  if (statement.params.empty()) return out;
  out += " -- [";
  bool first = true;
  for (const auto& p : statement.params) {
    if (!first) out += ", ";
    first = false;
    if (p.isNull()) {
      out += "NULL";
    } else if (p.type() == ValueType::Text || p.type() == ValueType::Timestamp ||
               p.type() == ValueType::Date || p.type() == ValueType::Json) {
      out += '\'';
      for (char ch : p.toString()) {
        if (ch == '\'') out += '\'';
        out += ch;
      }
      out += '\'';
    } else {
      out += p.toString();
    }
  }
  out += ']';
  return out;
}

// ------------------------------------------------------------ ForeignKeysOff

ForeignKeysOff::ForeignKeysOff(Connection& conn) : conn_(conn) {
  if (!detail::rebuildsTables(conn_.dialect())) return;
  if (conn_.transactionDepth() != 0)
    throw UsageError("ForeignKeysOff must be constructed outside a transaction");
  ResultSet rs = conn_.query("PRAGMA foreign_keys");
  if (rs.empty() || rs.at(0, 0).as<std::int64_t>() == 0) return;
  conn_.execute("PRAGMA foreign_keys = OFF");
  restore_ = true;
}

ForeignKeysOff::~ForeignKeysOff() {
  if (!restore_) return;
  try {
    conn_.execute("PRAGMA foreign_keys = ON");
  } catch (...) {
    // A broken connection is discarded by its owner; nothing to restore.
  }
}

void ForeignKeysOff::check() {
  if (!detail::rebuildsTables(conn_.dialect())) return;
  ResultSet rs = conn_.query("PRAGMA foreign_key_check");
  if (rs.empty()) return;
  std::string table = rs.at(0, 0).toString();
  throw ForeignKeyConstraintError(
      fmt::format("table \"{}\" has a row whose foreign key to \"{}\" has no match", table,
                  rs.at(0, 2).toString()),
      {}, {}, {}, table);
}

// ------------------------------------------------------------ QueryInterface

QueryInterface::QueryInterface(Connection& conn, StatementSink onStatement, Mode mode)
    : conn_(conn), sink_(std::move(onStatement)), mode_(mode) {}

const sql::Dialect& QueryInterface::dialect() const noexcept {
  return conn_.dialect();
}

std::int64_t QueryInterface::run(const sql::Compiled& statement) {
  if (sink_) sink_(statement);
  if (mode_ == Mode::DryRun) return 0;
  return conn_.query(statement).rowsAffected;
}

ResultSet QueryInterface::read(const sql::Compiled& statement) {
  return conn_.query(statement);
}

std::vector<std::string> detail::firstColumn(const ResultSet& rs) {
  std::vector<std::string> out;
  out.reserve(rs.size());
  for (std::size_t r = 0; r < rs.size(); ++r) out.push_back(rs.at(r, 0).toString());
  return out;
}

// ---- the default schema editor: the SQL every engine but SQLite speaks ----

const SchemaEditor& schemaEditorFor(const sql::Dialect& d) {
  return detail::rebuildsTables(d) ? sqliteSchemaEditor() : informationSchemaEditor();
}

void SchemaEditor::addColumn(QueryInterface& qi, const std::string& table,
                             const std::string& /*column*/, const sql::ColumnDef& def) const {
  const auto& d = qi.dialect();
  QueryInterfaceAccess::run(qi, {"ALTER TABLE " + detail::quote(d, table) + " ADD COLUMN " +
                                     detail::renderColumn(d, def, true),
                                 {}});
}

void SchemaEditor::removeColumn(QueryInterface& qi, const std::string& table,
                                const std::string& column) const {
  const auto& d = qi.dialect();
  QueryInterfaceAccess::run(
      qi,
      {"ALTER TABLE " + detail::quote(d, table) + " DROP COLUMN " + detail::quote(d, column), {}});
}

void SchemaEditor::addConstraint(QueryInterface& qi, const std::string& table,
                                 const ConstraintOptions& c) const {
  const auto& d = qi.dialect();
  QueryInterfaceAccess::run(qi,
                            {"ALTER TABLE " + detail::quote(d, table) + " ADD CONSTRAINT " +
                                 detail::quote(d, c.name) + " " + detail::constraintClause(d, c),
                             {}});
}

void SchemaEditor::createdTable(QueryInterface&, const std::string&, std::string) const {}

void SchemaEditor::checkIndexColumns(QueryInterface&, const std::string&,
                                     const std::vector<std::string>&) const {}

void QueryInterface::createTable(const std::string& table, const ColumnSpecs& columns,
                                 const CreateTableOptions& options) {
  const auto& d = dialect();
  detail::checkName(d, "table", table);
  if (columns.empty()) throw UsageError(fmt::format("createTable \"{}\": no columns given", table));
  sql::CreateTable stmt;
  stmt.name = table;
  stmt.ifNotExists = options.ifNotExists;
  // Composite keys in first-seen order, so the DDL is deterministic.
  std::vector<std::string> keyOrder;
  std::map<std::string, std::vector<std::string>> keys;
  for (const auto& [name, spec] : columns) {
    detail::checkName(d, "column", name);
    stmt.columns.push_back(detail::toColumnDef(table, name, spec));
    if (spec.isUnique() && !spec.uniqueKey().empty()) {
      auto& cols = keys[spec.uniqueKey()];
      if (cols.empty()) keyOrder.push_back(spec.uniqueKey());
      cols.push_back(name);
    }
  }
  for (const auto& key : keyOrder) stmt.uniques.push_back({key, keys[key]});
  for (const auto& u : options.uniqueKeys) {
    if (u.columns.empty())
      throw UsageError(fmt::format("createTable \"{}\": a unique key needs columns", table));
    stmt.uniques.push_back(u);
  }
  sql::Compiled c = sql::compile(d, stmt);
  run(c);
  if (dryRun()) schemaEditorFor(d).createdTable(*this, table, c.sql);
}

void QueryInterface::dropTable(const std::string& table, const DropTableOptions& options) {
  detail::checkName(dialect(), "table", table);
  run(sql::compile(dialect(), sql::DropTable{table, options.ifExists, options.cascade}));
  std::erase_if(plannedTables_, [&](const auto& p) { return p.first == table; });
}

void QueryInterface::renameTable(const std::string& from, const std::string& to) {
  const auto& d = dialect();
  detail::checkName(d, "table", from);
  detail::checkName(d, "table", to);
  run({"ALTER TABLE " + detail::quote(d, from) + " RENAME TO " + detail::quote(d, to), {}});
  for (auto& p : plannedTables_)
    if (p.first == from) p.first = to;
}

std::vector<std::string> QueryInterface::showAllTables() {
  return schemaEditorFor(dialect()).showAllTables(*this);
}

TableDescription QueryInterface::describeTable(const std::string& table) {
  detail::checkName(dialect(), "table", table);
  return schemaEditorFor(dialect()).describeTable(*this, table);
}

void QueryInterface::addColumn(const std::string& table, const std::string& column,
                               const Column& spec) {
  const auto& d = dialect();
  detail::checkName(d, "table", table);
  detail::checkName(d, "column", column);
  sql::ColumnDef def = detail::toColumnDef(table, column, spec);
  if (spec.isUnique()) def.unique = true;  // a named key of one column is still a unique column
  schemaEditorFor(d).addColumn(*this, table, column, def);
}

void QueryInterface::removeColumn(const std::string& table, const std::string& column) {
  const auto& d = dialect();
  detail::checkName(d, "table", table);
  detail::checkName(d, "column", column);
  schemaEditorFor(d).removeColumn(*this, table, column);
}

void QueryInterface::changeColumn(const std::string& table, const std::string& column,
                                  const Column& spec) {
  const auto& d = dialect();
  detail::checkName(d, "table", table);
  detail::checkName(d, "column", column);
  sql::ColumnDef def = detail::toColumnDef(table, column, spec);
  if (spec.isUnique()) def.unique = true;
  schemaEditorFor(d).changeColumn(*this, table, column, def);
}

void QueryInterface::renameColumn(const std::string& table, const std::string& from,
                                  const std::string& to) {
  const auto& d = dialect();
  detail::checkName(d, "table", table);
  detail::checkName(d, "column", from);
  detail::checkName(d, "column", to);
  run({"ALTER TABLE " + detail::quote(d, table) + " RENAME COLUMN " + detail::quote(d, from) +
           " TO " + detail::quote(d, to),
       {}});
}

void QueryInterface::addIndex(const std::string& table, const std::vector<std::string>& columns,
                              const IndexOptions& options) {
  const auto& d = dialect();
  detail::checkName(d, "table", table);
  if (columns.empty()) throw UsageError(fmt::format("addIndex on \"{}\": no columns given", table));
  for (const auto& c : columns) detail::checkName(d, "column", c);
  std::string name =
      options.name.empty() ? table + "_" + detail::joinUnderscore(columns) : options.name;
  detail::checkName(d, "index", name);
  schemaEditorFor(d).checkIndexColumns(*this, table, columns);
  run(sql::compile(d, sql::CreateIndex{name, table, columns, options.unique, false}));
}

void QueryInterface::removeIndex(const std::string& table, const std::string& name) {
  const auto& d = dialect();
  detail::checkName(d, "table", table);
  detail::checkName(d, "index", name);
  run({"DROP INDEX " + detail::quote(d, name), {}});
}

void QueryInterface::removeIndex(const std::string& table,
                                 const std::vector<std::string>& columns) {
  if (columns.empty())
    throw UsageError(fmt::format("removeIndex on \"{}\": no columns given", table));
  TableDescription desc = describeTable(table);
  for (const auto& ix : desc.indexes) {
    if (ix.columns == columns && !ix.primary && !ix.constraint) {
      run({"DROP INDEX " + detail::quote(dialect(), ix.name), {}});
      return;
    }
  }
  throw UsageError(fmt::format("table \"{}\" has no index on ({})", table,
                               fmt::join(columns.begin(), columns.end(), ", ")));
}

void QueryInterface::addConstraint(const std::string& table, const ConstraintOptions& options) {
  const auto& d = dialect();
  detail::checkName(d, "table", table);
  detail::checkConstraint(table, options);
  for (const auto& f : options.fields) detail::checkName(d, "column", f);
  std::string name = detail::constraintName(table, options);
  detail::checkName(d, "constraint", name);
  ConstraintOptions named = options;
  named.name = name;
  schemaEditorFor(d).addConstraint(*this, table, named);
}

void QueryInterface::removeConstraint(const std::string& table, const std::string& name) {
  const auto& d = dialect();
  detail::checkName(d, "table", table);
  detail::checkName(d, "constraint", name);
  schemaEditorFor(d).removeConstraint(*this, table, name);
}

std::int64_t QueryInterface::bulkInsert(const std::string& table, const std::vector<Row>& rows) {
  const auto& d = dialect();
  detail::checkName(d, "table", table);
  if (rows.empty()) return 0;
  std::vector<std::string> columns;
  for (const auto& [name, value] : rows.front()) {
    detail::checkName(d, "column", name);
    columns.push_back(name);
  }
  if (columns.empty())
    throw UsageError(fmt::format("bulkInsert into \"{}\": a row has no columns", table));
  std::size_t perChunk = std::max<std::size_t>(1, d.capabilities().maxParams / columns.size());
  std::int64_t inserted = 0;
  for (std::size_t start = 0; start < rows.size(); start += perChunk) {
    sql::Insert ins;
    ins.table = table;
    ins.columns = columns;
    std::size_t end = std::min(rows.size(), start + perChunk);
    for (std::size_t r = start; r < end; ++r) {
      const Row& row = rows[r];
      // Rows may list their columns in any order, but all must name the same set.
      if (row.size() != columns.size())
        throw UsageError(
            fmt::format("bulkInsert into \"{}\": row {} has {} columns, the first row has {}",
                        table, r, row.size(), columns.size()));
      std::vector<sql::Expr> exprs;
      exprs.reserve(columns.size());
      for (const auto& column : columns) {
        auto it = std::find_if(row.begin(), row.end(),
                               [&](const auto& cell) { return cell.first == column; });
        if (it == row.end())
          throw UsageError(fmt::format("bulkInsert into \"{}\": row {} has no value for \"{}\"",
                                       table, r, column));
        exprs.push_back(sql::val(it->second));
      }
      ins.rows.push_back(std::move(exprs));
    }
    inserted += run(sql::compile(d, ins));
  }
  return inserted;
}

std::int64_t QueryInterface::bulkUpdate(const std::string& table, const Row& values,
                                        const sql::Expr& where) {
  const auto& d = dialect();
  detail::checkName(d, "table", table);
  if (values.empty()) throw UsageError(fmt::format("bulkUpdate of \"{}\": no values given", table));
  sql::Update up;
  up.table = table;
  for (const auto& [column, value] : values) {
    detail::checkName(d, "column", column);
    up.set.emplace_back(column, sql::val(value));
  }
  up.where = where;
  return run(sql::compile(d, up));
}

std::int64_t QueryInterface::bulkDelete(const std::string& table, const sql::Expr& where) {
  detail::checkName(dialect(), "table", table);
  sql::Delete del;
  del.table = table;
  del.where = where;
  return run(sql::compile(dialect(), del));
}

ResultSet QueryInterface::query(std::string_view sql, std::vector<Value> params) {
  sql::Compiled c{std::string(sql), std::move(params)};
  if (sink_) sink_(c);
  if (dryRun()) return {};
  return conn_.query(c);
}

void QueryInterface::execute(std::string_view script) {
  if (sink_) sink_({std::string(script), {}});
  if (dryRun()) return;
  conn_.execute(script);
}

}  // namespace junction::migrate
